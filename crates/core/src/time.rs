//! Times for people, with `now` always passed in: relative times and durations ("12 s ago",
//! "2 h 5 min"), and clock times in UTC: "14:05 UTC", "16 Sep 14:05 UTC", windows such as
//! "14:00–18:00 UTC", and "in 37 min" / "12 min ago". Local-time formatting is the browser's
//! job; the domain hands out `DateTime<Utc>` and these UTC texts (used in the digest, which is
//! pasted into chats read in every time zone).

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};

/// "just now", "12 s ago", "4 min ago", "2 h 5 min ago", "3 d 4 h ago"; a time in the future
/// (clock skew) reads "just now".
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();
    if seconds < 2 {
        return "just now".to_string();
    }
    format!("{} ago", duration(seconds))
}

/// A duration in seconds, in the two largest units: "45 s", "4 min", "2 h 5 min", "3 d 4 h".
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3599 => format!("{} min", seconds / 60),
        3600..=86_399 => {
            let minutes = (seconds % 3600) / 60;
            if minutes == 0 {
                format!("{} h", seconds / 3600)
            } else {
                format!("{} h {minutes} min", seconds / 3600)
            }
        }
        _ => {
            let hours = (seconds % 86_400) / 3600;
            if hours == 0 {
                format!("{} d", seconds / 86_400)
            } else {
                format!("{} d {hours} h", seconds / 86_400)
            }
        }
    }
}

/// Month abbreviations as `%b` writes them. The texts are written by hand rather than with
/// chrono's `format`, whose strftime machinery costs ~9 KB of wasm for four patterns.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "14:05".
fn hour_minute(at: DateTime<Utc>) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// "14:05 UTC".
pub fn hh_mm(at: DateTime<Utc>) -> String {
    format!("{} UTC", hour_minute(at))
}

/// "14:05:12 UTC".
pub fn hh_mm_ss(at: DateTime<Utc>) -> String {
    format!("{}:{:02} UTC", hour_minute(at), at.second())
}

/// "2025-09-16" (the UTC calendar date).
pub fn ymd(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day())
}

/// "14:05 UTC" on the day of `now`, "16 Sep 14:05 UTC" on another day of the same year,
/// "16 Sep 2025 14:05 UTC" in another year.
pub fn stamp(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{} UTC", clock(at, now))
}

/// [`stamp`] without the zone.
fn clock(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at.date_naive() == now.date_naive() {
        hour_minute(at)
    } else {
        dated(at, now)
    }
}

/// "14:00–18:00 UTC", or "16 Sep 22:00 – 17 Sep 02:00 UTC" when either end is on another day
/// than `now` (or the two ends are on different days).
pub fn window(from: DateTime<Utc>, to: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if from.date_naive() == now.date_naive() && to.date_naive() == now.date_naive() {
        format!("{}–{} UTC", hour_minute(from), hour_minute(to))
    } else if from.date_naive() == to.date_naive() {
        format!("{}–{} UTC", clock(from, now), hour_minute(to))
    } else {
        format!("{} – {} UTC", dated(from, now), dated(to, now))
    }
}

/// "16 Sep 22:00", with the year when it is not the year of `now`.
fn dated(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let month = MONTHS[at.month0() as usize];
    if at.year() == now.year() {
        format!("{} {month} {}", at.day(), hour_minute(at))
    } else {
        format!("{} {month} {} {}", at.day(), at.year(), hour_minute(at))
    }
}

/// "in 37 min", "12 min ago", "now" (within a minute either way).
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    if seconds.abs() < 60 {
        "now".to_string()
    } else if seconds > 0 {
        format!("in {}", duration(seconds))
    } else {
        format!("{} ago", duration(-seconds))
    }
}

/// The machine form for `datetime` attributes and data attributes: `2025-09-16T14:05:00Z`.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 9, day, hour, minute, 0).unwrap()
    }

    #[test]
    fn stamps_name_the_day_only_when_it_differs() {
        let now = t(16, 15, 0);
        assert_eq!(hh_mm(t(16, 14, 5)), "14:05 UTC");
        assert_eq!(
            hh_mm_ss(t(16, 14, 5) + chrono::Duration::seconds(7)),
            "14:05:07 UTC"
        );
        assert_eq!(ymd(t(6, 0, 0)), "2025-09-06");
        assert_eq!(
            stamp(Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 0).unwrap(), now),
            "2 Jan 03:04 UTC"
        );
        assert_eq!(stamp(t(16, 14, 5), now), "14:05 UTC");
        assert_eq!(stamp(t(15, 9, 30), now), "15 Sep 09:30 UTC");
        let next_year = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(stamp(t(16, 8, 0), next_year), "16 Sep 2025 08:00 UTC");
    }

    #[test]
    fn windows_and_relative_times() {
        let now = t(16, 10, 0);
        assert_eq!(window(t(16, 14, 0), t(16, 18, 0), now), "14:00–18:00 UTC");
        assert_eq!(
            window(t(17, 2, 0), t(17, 6, 0), now),
            "17 Sep 02:00–06:00 UTC"
        );
        assert_eq!(
            window(t(16, 22, 0), t(17, 2, 0), now),
            "16 Sep 22:00 – 17 Sep 02:00 UTC"
        );
        assert_eq!(relative(t(16, 10, 37), now), "in 37 min");
        assert_eq!(relative(t(16, 9, 48), now), "12 min ago");
        assert_eq!(relative(now, now), "now");
        assert_eq!(iso(t(16, 14, 5)), "2025-09-16T14:05:00Z");
    }

    #[test]
    fn ago_reads_naturally() {
        let now = Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 0).unwrap();
        let at = |s: i64| now - chrono::Duration::seconds(s);
        assert_eq!(ago(now, at(0)), "just now");
        assert_eq!(ago(now, at(-30)), "just now");
        assert_eq!(ago(now, at(12)), "12 s ago");
        assert_eq!(ago(now, at(245)), "4 min ago");
        assert_eq!(ago(now, at(7500)), "2 h 5 min ago");
        assert_eq!(ago(now, at(7200)), "2 h ago");
        assert_eq!(ago(now, at(3 * 86_400 + 4 * 3600)), "3 d 4 h ago");
    }
}
