//! The payload's own time: every form health payloads write timestamps in, read as UTC.
//!
//! Netra alone mixes epoch seconds as floats, ISO 8601 with `Z`, with `+00:00`, and with no zone
//! at all (Python's naive `datetime.isoformat()`); other services add epoch milliseconds and
//! other offsets. A time without a zone is read as UTC and marked `zone_assumed`, so a page can
//! say so instead of silently trusting it.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::read::clip;

/// A time read from a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedTime {
    /// The instant, in UTC.
    pub at: DateTime<Utc>,
    /// Whether the text carried no zone and UTC was assumed.
    pub zone_assumed: bool,
}

/// The time a payload says it was produced, with where it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedTime {
    /// The instant, in UTC.
    pub at: DateTime<Utc>,
    /// Whether the payload gave no zone and UTC was assumed.
    pub zone_assumed: bool,
    /// JSON pointer of the field it was read from.
    pub field: String,
    /// The raw value as written in the payload, truncated.
    pub raw: String,
}

/// Epoch values at or above this are not seconds: 1e11 s is the year 5138, 1e11 ms is 1973.
const SECONDS_LIMIT: f64 = 1e11;
/// Epoch seconds before 2000-01-01 are not a payload's time but a count or a placeholder.
const EARLIEST: f64 = 946_684_800.0;
/// Epoch values at or above this are not milliseconds either, but microseconds.
const MILLIS_LIMIT: f64 = 1e14;
/// Epoch values at or above this are nanoseconds.
const MICROS_LIMIT: f64 = 1e17;

/// Reads an epoch number in seconds, milliseconds, microseconds or nanoseconds (told apart by
/// magnitude). Zero, negative, non-finite and pre-2000 values are not times: services write
/// `0` for "never", and a small number is a count, not a date.
pub fn from_epoch(number: f64) -> Option<DateTime<Utc>> {
    if !number.is_finite() || number <= 0.0 {
        return None;
    }
    let seconds = if number < SECONDS_LIMIT {
        number
    } else if number < MILLIS_LIMIT {
        number / 1e3
    } else if number < MICROS_LIMIT {
        number / 1e6
    } else {
        number / 1e9
    };
    if !(EARLIEST..SECONDS_LIMIT).contains(&seconds) {
        return None;
    }
    let whole = seconds.floor();
    let nanos = ((seconds - whole) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
    Utc.timestamp_opt(whole as i64, nanos).single()
}

/// Reads a timestamp written as text: ISO 8601 / RFC 3339 with `Z` or an offset, ISO without a
/// zone (UTC assumed), `+0000`-style offsets, an HTTP date, or an epoch number in a string.
///
/// Parsed by hand rather than with chrono's `parse_from_str`, whose strftime machinery costs
/// ~10 KB of wasm for five patterns.
pub fn parse_text(text: &str) -> Option<ParsedTime> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Some(parsed) = parse_iso(text).or_else(|| parse_http_date(text)) {
        return Some(parsed);
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if let Ok(number) = text.parse::<f64>() {
            return from_epoch(number).map(known_zone);
        }
    }
    None
}

/// A cursor over ASCII text, for the hand-written date readers.
struct Scan<'a> {
    rest: &'a [u8],
}

impl Scan<'_> {
    /// Exactly `width` digits as a number.
    fn digits(&mut self, width: usize) -> Option<u32> {
        let (head, tail) = self.rest.split_at_checked(width)?;
        let mut value = 0u32;
        for &b in head {
            value = value * 10 + u32::from(digit(b)?);
        }
        self.rest = tail;
        Some(value)
    }

    /// One or two digits (a day of the month in an HTTP date).
    fn short_number(&mut self) -> Option<u32> {
        let width = if self.rest.get(1).is_some_and(u8::is_ascii_digit) {
            2
        } else {
            1
        };
        self.digits(width)
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.rest.first() == Some(&byte);
        if found {
            self.rest = &self.rest[1..];
        }
        found
    }

    /// Consumes `byte` or fails.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// A fraction of a second after the decimal point, as nanoseconds (digits past the ninth
    /// are read and dropped).
    fn fraction(&mut self) -> Option<u32> {
        let count = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        let mut nanos = 0u32;
        for i in 0..9 {
            nanos = nanos * 10
                + self
                    .rest
                    .get(i)
                    .filter(|_| i < count)
                    .map_or(0, |&b| u32::from(b - b'0'));
        }
        self.rest = &self.rest[count..];
        Some(nanos)
    }

    /// A zone offset in seconds east of UTC: `Z`, `±HH:MM`, `±HHMM` or `±HH`; `None` when the
    /// text does not start with one.
    fn offset(&mut self) -> Option<i32> {
        if self.eat(b'Z') || self.eat(b'z') {
            return Some(0);
        }
        let sign = match self.rest.first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        self.rest = &self.rest[1..];
        let hours = self.digits(2)?;
        let colon = self.eat(b':');
        let minutes = if colon || !self.rest.is_empty() {
            self.digits(2)?
        } else {
            0
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        Some(sign * (hours * 3600 + minutes * 60) as i32)
    }

    fn done(&self) -> bool {
        self.rest.is_empty()
    }
}

fn digit(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

/// The instant of a calendar date and clock time at `offset` seconds east of UTC.
fn instant(
    (year, month, day): (u32, u32, u32),
    (hour, minute, second, nanos): (u32, u32, u32, u32),
    offset: i32,
) -> Option<DateTime<Utc>> {
    let naive = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, minute, second, nanos)?;
    Some(naive.and_utc() - Duration::seconds(i64::from(offset)))
}

/// `YYYY-MM-DD` then `T`, `t` or a space, `HH:MM`, optional `:SS` and `.fraction`, and an
/// optional zone (none means UTC assumed).
fn parse_iso(text: &str) -> Option<ParsedTime> {
    let mut scan = Scan {
        rest: text.as_bytes(),
    };
    let year = scan.digits(4)?;
    scan.expect(b'-')?;
    let month = scan.digits(2)?;
    scan.expect(b'-')?;
    let day = scan.digits(2)?;
    if !(scan.eat(b'T') || scan.eat(b't') || scan.eat(b' ')) {
        return None;
    }
    let hour = scan.digits(2)?;
    scan.expect(b':')?;
    let minute = scan.digits(2)?;
    let (second, nanos) = if scan.eat(b':') {
        let second = scan.digits(2)?;
        let nanos = if scan.eat(b'.') || scan.eat(b',') {
            scan.fraction()?
        } else {
            0
        };
        (second, nanos)
    } else {
        (0, 0)
    };
    let offset = if scan.done() {
        None
    } else {
        Some(scan.offset()?)
    };
    if !scan.done() {
        return None;
    }
    let at = instant(
        (year, month, day),
        (hour, minute, second, nanos),
        offset.unwrap_or(0),
    )?;
    Some(ParsedTime {
        at,
        zone_assumed: offset.is_none(),
    })
}

/// An HTTP / RFC 2822 date: `[Wed, ]17 Sep 2025 14:05[:12] GMT` (or `UT`, `UTC`, `Z`, `±HHMM`).
fn parse_http_date(text: &str) -> Option<ParsedTime> {
    let text = match text.split_once(", ") {
        Some((weekday, rest)) if weekday.len() == 3 => rest,
        Some(_) => return None,
        None => text,
    };
    let mut words = text.split_ascii_whitespace();
    let day = Scan {
        rest: words.next()?.as_bytes(),
    }
    .short_number()?;
    let month_name = words.next()?;
    let month = MONTH_NAMES
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month_name))? as u32
        + 1;
    let year = {
        let mut scan = Scan {
            rest: words.next()?.as_bytes(),
        };
        let year = scan.digits(4)?;
        scan.done().then_some(year)?
    };
    let mut clock = Scan {
        rest: words.next()?.as_bytes(),
    };
    let hour = clock.digits(2)?;
    clock.expect(b':')?;
    let minute = clock.digits(2)?;
    let second = if clock.eat(b':') { clock.digits(2)? } else { 0 };
    if !clock.done() {
        return None;
    }
    let zone = words.next()?;
    let offset = match zone {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        _ => {
            let mut scan = Scan {
                rest: zone.as_bytes(),
            };
            let offset = scan.offset()?;
            scan.done().then_some(offset)?
        }
    };
    if words.next().is_some() {
        return None;
    }
    let at = instant((year, month, day), (hour, minute, second, 0), offset)?;
    Some(known_zone(at))
}

/// English month abbreviations, as HTTP dates write them.
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn known_zone(at: DateTime<Utc>) -> ParsedTime {
    ParsedTime {
        at,
        zone_assumed: false,
    }
}

/// Reads a JSON value as a time: a number is epoch (seconds or milliseconds), a string any
/// form [`parse_text`] knows. Anything else is not a time.
pub fn parse_value(value: &Value) -> Option<ParsedTime> {
    match value {
        Value::Number(number) => number.as_f64().and_then(from_epoch).map(known_zone),
        Value::String(text) => parse_text(text),
        _ => None,
    }
}

/// Picks the payload's own time: the first of `pointers` (JSON pointers into `root`, in order
/// of preference) that holds a readable time.
pub fn reported_at(root: &Value, pointers: &[&str]) -> Option<ReportedTime> {
    pointers.iter().find_map(|pointer| {
        let value = root.pointer(pointer)?;
        let parsed = parse_value(value)?;
        Some(ReportedTime {
            at: parsed.at,
            zone_assumed: parsed.zone_assumed,
            field: (*pointer).to_string(),
            raw: raw_text(value),
        })
    })
}

/// [`reported_at`] for a payload held as a JSON object.
pub fn reported_at_in(object: &Map<String, Value>, pointers: &[&str]) -> Option<ReportedTime> {
    pointers.iter().find_map(|pointer| {
        let value = crate::read::pointer_in(object, pointer)?;
        let parsed = parse_value(value)?;
        Some(ReportedTime {
            at: parsed.at,
            zone_assumed: parsed.zone_assumed,
            field: (*pointer).to_string(),
            raw: raw_text(value),
        })
    })
}

/// The newest readable time among `candidates` (pointer and value pairs), for payloads that only
/// time their parts (IETF checks).
pub fn newest<'a>(
    candidates: impl IntoIterator<Item = (String, &'a Value)>,
) -> Option<ReportedTime> {
    candidates
        .into_iter()
        .filter_map(|(field, value)| {
            let parsed = parse_value(value)?;
            Some(ReportedTime {
                at: parsed.at,
                zone_assumed: parsed.zone_assumed,
                field,
                raw: raw_text(value),
            })
        })
        .max_by_key(|time| time.at)
}

fn raw_text(value: &Value) -> String {
    match value {
        Value::String(text) => clip(text),
        other => clip(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn every_form_reads_as_the_same_instant() {
        let instant = utc("2025-09-17T14:05:12Z");
        let cases: [(Value, bool); 8] = [
            (json!(1_758_117_912), false),
            (json!(1_758_117_912.0), false),
            (json!(1_758_117_912_000_u64), false),
            (json!("2025-09-17T14:05:12Z"), false),
            (json!("2025-09-17T14:05:12+00:00"), false),
            (json!("2025-09-17T16:05:12+0200"), false),
            (json!("2025-09-17T14:05:12"), true),
            (json!("Wed, 17 Sep 2025 14:05:12 GMT"), false),
        ];
        for (value, assumed) in cases {
            let parsed = parse_value(&value).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(parsed.at, instant, "{value}");
            assert_eq!(parsed.zone_assumed, assumed, "{value}");
        }
    }

    #[test]
    fn fractions_and_naive_micros_are_kept() {
        let parsed = parse_value(&json!("2025-09-17T14:05:12.001100")).unwrap();
        assert!(parsed.zone_assumed);
        assert_eq!(parsed.at, utc("2025-09-17T14:05:12.0011Z"));
        let parsed = parse_value(&json!(1_758_117_912.5)).unwrap();
        assert_eq!(parsed.at, utc("2025-09-17T14:05:12.5Z"));
        let parsed = parse_value(&json!("1758117912.5")).unwrap();
        assert_eq!(parsed.at, utc("2025-09-17T14:05:12.5Z"));
    }

    #[test]
    fn hand_parsing_agrees_with_chrono_on_what_chrono_writes() {
        use chrono::{FixedOffset, SecondsFormat};
        // Instants spread over 2000–2100, with and without fractions, in zones either side.
        for step in 0..2_000_i64 {
            let seconds = 946_684_800 + step * 1_577_923 + step % 7;
            let nanos = (step as u32 % 5) * 123_456_789 % 1_000_000_000;
            let at = Utc.timestamp_opt(seconds, nanos).unwrap();
            for offset in [0, 2 * 3600, -(5 * 3600 + 30 * 60)] {
                let zone = FixedOffset::east_opt(offset).unwrap();
                let local = at.with_timezone(&zone);
                let rfc3339 = local.to_rfc3339_opts(SecondsFormat::AutoSi, offset == 0);
                assert_eq!(parse_text(&rfc3339).map(|p| p.at), Some(at), "{rfc3339}");
                let spaced = local.format("%Y-%m-%d %H:%M:%S%.f%z").to_string();
                assert_eq!(parse_text(&spaced).map(|p| p.at), Some(at), "{spaced}");
                let whole = at - Duration::nanoseconds(i64::from(nanos));
                let http = whole.with_timezone(&zone).to_rfc2822();
                assert_eq!(parse_text(&http).map(|p| p.at), Some(whole), "{http}");
            }
            let naive = at.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string();
            let parsed = parse_text(&naive).unwrap();
            assert_eq!((parsed.at, parsed.zone_assumed), (at, true), "{naive}");
        }
    }

    #[test]
    fn other_written_forms() {
        let instant = utc("2025-09-17T14:05:00Z");
        for text in [
            "2025-09-17 14:05:00+00",
            "2025-09-17t14:05z",
            "2025-09-17T16:05+02:00",
            "17 Sep 2025 14:05 GMT",
            "Wed, 17 sep 2025 10:05:00 -0400",
            "  2025-09-17T14:05:00.000000000999Z ",
        ] {
            assert_eq!(parse_text(text).map(|p| p.at), Some(instant), "{text}");
        }
        let naive = parse_text("2025-09-17T14:05").unwrap();
        assert_eq!((naive.at, naive.zone_assumed), (instant, true));
        for text in [
            "2025-09-17T14:05:00+2",
            "2025-09-17T14:05:00+24:00",
            "2025-09-17T14:05:00Zjunk",
            "2025-9-17T14:05:00Z",
            "2025-02-30T14:05:00Z",
            "2025-09-17T14:05:60Z",
            "2025-09-17T14:05:00.Z",
            "2025-09-17",
            "Wednesday, 17 Sep 2025 14:05:00 GMT",
            "17 Sept 2025 14:05:00 GMT",
            "17 Sep 2025 14:05:00 PST",
            "17 Sep 2025 14:05:00 GMT extra",
            "٢٠٢٥-09-17T14:05:00Z",
        ] {
            assert_eq!(parse_text(text), None, "{text}");
        }
    }

    #[test]
    fn non_times_are_refused() {
        for value in [
            json!(0),
            json!(-5),
            json!(null),
            json!(true),
            json!("soon"),
            json!(""),
            json!("2025-13-45T99:00:00Z"),
            json!(f64::MAX),
            json!([1_758_117_912]),
        ] {
            assert_eq!(parse_value(&value), None, "{value}");
        }
    }

    #[test]
    fn reported_at_prefers_the_first_readable_pointer() {
        let body = json!({"timestamp": "garbage", "diagnostics": {"timestamp": 1_758_117_912.0}});
        let time = reported_at(&body, &["/timestamp", "/diagnostics/timestamp"]).unwrap();
        assert_eq!(time.field, "/diagnostics/timestamp");
        assert_eq!(time.raw, "1758117912.0");
        assert!(!time.zone_assumed);
    }
}
