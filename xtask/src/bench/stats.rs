//! Summary statistics of repeated measurements: median, spread (min, max) and p90.

use serde::Serialize;

/// What a list of samples (e.g. milliseconds of ten cold loads) comes to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// How many samples.
    pub n: usize,
    /// The middle sample (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
    /// The 90th percentile, nearest-rank: the smallest sample with at least 90% of the
    /// samples at or below it.
    pub p90: f64,
}

impl Summary {
    /// The summary of `samples`; `None` when there are none or one is not a finite number.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() || samples.iter().any(|s| !s.is_finite()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        // Nearest rank: ceil(0.9 n), 1-based. Integer arithmetic avoids 0.9 * 10 = 9.000001.
        let rank = (9 * n).div_ceil(10).max(1);
        Some(Summary {
            n,
            median,
            min: sorted[0],
            max: sorted[n - 1],
            p90: sorted[rank - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_medians() {
        let odd = Summary::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max, odd.n), (3.0, 1.0, 5.0, 3));
        let even = Summary::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(even.median, 2.5);
    }

    #[test]
    fn p90_is_nearest_rank() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(Summary::of(&ten).unwrap().p90, 9.0);
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(Summary::of(&eleven).unwrap().p90, 10.0);
        assert_eq!(Summary::of(&[7.0]).unwrap().p90, 7.0);
        let three = Summary::of(&[30.0, 10.0, 20.0]).unwrap();
        assert_eq!(three.p90, 30.0);
    }

    #[test]
    fn nothing_to_summarise() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
    }
}
