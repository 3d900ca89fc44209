//! Time arithmetic for people: "12 s ago", durations, with `now` always passed in.

use chrono::{DateTime, Utc};

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
