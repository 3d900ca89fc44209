//! When to probe next: the arithmetic of the probing schedule, with randomness passed in.

/// The share of the interval by which a delay may move either way, so that many open tabs
/// spread their probes instead of firing together.
pub const JITTER_FRACTION: f64 = 0.1;

/// The delay before the next probe: `interval_ms` moved by up to ±[`JITTER_FRACTION`], where
/// `random` is uniform in `[0, 1)`. Out-of-range randomness is clamped.
pub fn jittered_delay_ms(interval_ms: u32, random: f64) -> u32 {
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let spread = f64::from(interval_ms) * JITTER_FRACTION;
    let delay = f64::from(interval_ms) + spread * (2.0 * random - 1.0);
    delay.round().max(0.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent() {
        assert_eq!(jittered_delay_ms(30_000, 0.5), 30_000);
        assert_eq!(jittered_delay_ms(30_000, 0.0), 27_000);
        assert_eq!(jittered_delay_ms(30_000, 1.0), 33_000);
        assert_eq!(jittered_delay_ms(30_000, f64::NAN), 30_000);
        assert_eq!(jittered_delay_ms(30_000, 7.0), 33_000);
        for step in 0..100 {
            let delay = jittered_delay_ms(10_000, f64::from(step) / 100.0);
            assert!((9_000..=11_000).contains(&delay), "{delay}");
        }
    }
}
