//! Timestamp and identifier formats, each mimicking one Python idiom the real services use.
//!
//! The real payloads mix epoch floats (`time.time()`), ISO with `+00:00`
//! (`datetime.now(timezone.utc).isoformat()`), ISO with `Z` (`utcnow().isoformat() + "Z"`) and
//! naive ISO (`datetime.now().isoformat()` on a UTC host). Callers pick the one the field uses.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

/// Seconds since the epoch with microseconds, like `time.time()`.
pub(crate) fn epoch(now: DateTime<Utc>) -> f64 {
    now.timestamp_micros() as f64 / 1_000_000.0
}

/// `2025-09-17T14:05:12.001100+00:00`.
pub(crate) fn iso_offset(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// `2025-09-17T14:05:12.001100Z`.
pub(crate) fn iso_z(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// `2025-09-17T14:05:12.001100` (no zone).
pub(crate) fn iso_naive(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// 64 random bits; a fresh hasher seed per call plus a counter keeps successive values apart.
pub(crate) fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// A random version-4 UUID string, like `str(uuid.uuid4())`.
pub(crate) fn uuid4() -> String {
    let hi = random_u64();
    let lo = random_u64();
    let variant = 0x8000 | (lo >> 48 & 0x3fff);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hi >> 32,
        hi >> 16 & 0xffff,
        hi & 0x0fff,
        variant,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_follow_python() {
        let t = Utc.with_ymd_and_hms(2025, 9, 17, 14, 5, 12).unwrap()
            + chrono::Duration::microseconds(1100);
        assert_eq!(iso_offset(t), "2025-09-17T14:05:12.001100+00:00");
        assert_eq!(iso_z(t), "2025-09-17T14:05:12.001100Z");
        assert_eq!(iso_naive(t), "2025-09-17T14:05:12.001100");
        assert!((epoch(t) - 1_758_117_912.001_1).abs() < 1e-6);
    }

    #[test]
    fn uuid_has_v4_shape() {
        let id = uuid4();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(uuid4(), id);
    }
}
