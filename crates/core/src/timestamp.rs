//! The payload's own time: every form health payloads write timestamps in, read as UTC.
//!
//! Netra alone mixes epoch seconds as floats, ISO 8601 with `Z`, with `+00:00`, and with no zone
//! at all (Python's naive `datetime.isoformat()`); other services add epoch milliseconds and
//! other offsets. A time without a zone is read as UTC and marked `zone_assumed`, so a page can
//! say so instead of silently trusting it.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::reading::clip;

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
pub fn parse_text(text: &str) -> Option<ParsedTime> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(known_zone(at.with_timezone(&Utc)));
    }
    for pattern in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(at) = DateTime::parse_from_str(text, pattern) {
            return Some(known_zone(at.with_timezone(&Utc)));
        }
    }
    for pattern in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, pattern) {
            return Some(ParsedTime {
                at: naive.and_utc(),
                zone_assumed: true,
            });
        }
    }
    if let Ok(at) = DateTime::parse_from_rfc2822(text) {
        return Some(known_zone(at.with_timezone(&Utc)));
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if let Ok(number) = text.parse::<f64>() {
            return from_epoch(number).map(known_zone);
        }
    }
    None
}

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
        let value = crate::reading::pointer_in(object, pointer)?;
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
