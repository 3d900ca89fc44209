//! When to probe next: the arithmetic of a probing schedule that is polite to a struggling
//! backend. Time (milliseconds on any monotonic clock) and randomness are passed in.
//!
//! Rules: one request in flight per endpoint; the interval is jittered so many open tabs spread
//! out; consecutive failures back off exponentially up to a cap and recover at once on success;
//! a server's `Retry-After` is honoured as a minimum; nothing is probed while the page is
//! hidden or the browser is offline, and returning probes each endpoint once.

/// The share of the interval by which a delay may move either way.
pub const JITTER_FRACTION: f64 = 0.1;
/// The largest backoff, as a multiple of the endpoint's interval.
pub const MAX_BACKOFF_FACTOR: u32 = 4;
/// The most a `Retry-After` may push a probe back, in seconds (a wall display must not go dark).
pub const MAX_RETRY_AFTER_SECONDS: u32 = 600;
/// Data older than this many (backed-off) intervals is marked stale.
pub const STALE_AFTER_INTERVALS: u32 = 3;

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

/// The interval after `failures` consecutive failures: doubled per failure, capped at
/// [`MAX_BACKOFF_FACTOR`] times the interval.
pub fn backoff_interval_ms(interval_ms: u32, failures: u32) -> u32 {
    let factor = 1u64 << failures.min(16);
    let factor = factor.min(u64::from(MAX_BACKOFF_FACTOR));
    (u64::from(interval_ms) * factor).min(u64::from(u32::MAX)) as u32
}

/// The delay before the next probe of an endpoint, all rules applied.
pub fn next_delay_ms(
    interval_ms: u32,
    failures: u32,
    retry_after_seconds: Option<u32>,
    random: f64,
) -> u32 {
    let delay = jittered_delay_ms(backoff_interval_ms(interval_ms, failures), random);
    match retry_after_seconds {
        Some(seconds) => delay.max(seconds.min(MAX_RETRY_AFTER_SECONDS) * 1000),
        None => delay,
    }
}

/// Whether data checked `age_ms` ago is stale for an endpoint probed every `interval_ms` with
/// `failures` consecutive failures (a backed-off endpoint is expected to be older).
pub fn is_stale(age_ms: f64, interval_ms: u32, failures: u32) -> bool {
    age_ms
        > f64::from(backoff_interval_ms(interval_ms, failures)) * f64::from(STALE_AFTER_INTERVALS)
}

/// One endpoint's place in the schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// The endpoint's config id.
    pub endpoint: String,
    /// Its configured interval.
    pub interval_ms: u32,
    /// When it is due next; `None` means at the first chance.
    pub due_at_ms: Option<f64>,
    /// Whether a probe of it is in flight.
    pub in_flight: bool,
    /// Consecutive failed probes.
    pub failures: u32,
}

/// The schedule of every endpoint of a page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schedule {
    slots: Vec<Slot>,
}

impl Schedule {
    /// A schedule where every endpoint is due at once.
    pub fn new(endpoints: impl IntoIterator<Item = (String, u32)>) -> Schedule {
        Schedule {
            slots: endpoints
                .into_iter()
                .map(|(endpoint, interval_ms)| Slot {
                    endpoint,
                    interval_ms,
                    due_at_ms: None,
                    in_flight: false,
                    failures: 0,
                })
                .collect(),
        }
    }

    /// The slots, in config order.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Takes every endpoint due at `now_ms`, marking it in flight. Nothing is due while the
    /// page is hidden or offline, nor while an endpoint's previous probe is still running.
    pub fn take_due(&mut self, now_ms: f64, visible: bool, online: bool) -> Vec<usize> {
        if !visible || !online {
            return Vec::new();
        }
        let mut due = Vec::new();
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if !slot.in_flight && slot.due_at_ms.is_none_or(|at| at <= now_ms) {
                slot.in_flight = true;
                due.push(index);
            }
        }
        due
    }

    /// Records the end of a probe and schedules the next one.
    pub fn complete(
        &mut self,
        index: usize,
        now_ms: f64,
        failed: bool,
        retry_after_seconds: Option<u32>,
        random: f64,
    ) {
        let Some(slot) = self.slots.get_mut(index) else {
            return;
        };
        slot.in_flight = false;
        slot.failures = if failed {
            slot.failures.saturating_add(1)
        } else {
            0
        };
        let delay = next_delay_ms(slot.interval_ms, slot.failures, retry_after_seconds, random);
        slot.due_at_ms = Some(now_ms + f64::from(delay));
    }

    /// Changes an endpoint's interval from its next probe on (a published snapshot announces
    /// its own pace).
    pub fn set_interval_ms(&mut self, index: usize, interval_ms: u32) {
        if let Some(slot) = self.slots.get_mut(index) {
            slot.interval_ms = interval_ms;
        }
    }

    /// Restores an endpoint's failures and due time from an earlier run (see
    /// `engine::Memory`); unknown endpoints are ignored.
    pub fn restore(&mut self, endpoint: &str, failures: u32, due_at_ms: Option<f64>) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.endpoint == endpoint) {
            slot.failures = failures;
            slot.due_at_ms = due_at_ms;
        }
    }

    /// Makes every endpoint due now (a "refresh now", or the page becoming visible again);
    /// endpoints with a probe in flight are not doubled.
    pub fn due_now(&mut self, now_ms: f64) {
        for slot in &mut self.slots {
            slot.due_at_ms = Some(now_ms);
        }
    }

    /// Milliseconds until the next probe is due, `None` if one is in flight or due now.
    pub fn next_due_in_ms(&self, now_ms: f64) -> Option<f64> {
        self.slots
            .iter()
            .filter(|slot| !slot.in_flight)
            .filter_map(|slot| slot.due_at_ms)
            .map(|at| (at - now_ms).max(0.0))
            .min_by(f64::total_cmp)
    }

    /// How many probes are in flight.
    pub fn in_flight(&self) -> usize {
        self.slots.iter().filter(|slot| slot.in_flight).count()
    }

    /// The slot of an endpoint.
    pub fn slot(&self, endpoint: &str) -> Option<&Slot> {
        self.slots.iter().find(|slot| slot.endpoint == endpoint)
    }
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

    #[test]
    fn failures_back_off_exponentially_to_a_cap() {
        let gaps: Vec<u32> = (0..6).map(|f| backoff_interval_ms(30_000, f)).collect();
        assert_eq!(gaps, [30_000, 60_000, 120_000, 120_000, 120_000, 120_000]);
        assert_eq!(backoff_interval_ms(30_000, u32::MAX), 120_000);
        assert_eq!(next_delay_ms(30_000, 2, None, 0.5), 120_000);
    }

    #[test]
    fn retry_after_is_a_bounded_minimum() {
        assert_eq!(next_delay_ms(5_000, 0, Some(10), 0.5), 10_000);
        assert_eq!(next_delay_ms(30_000, 0, Some(10), 0.5), 30_000);
        assert_eq!(next_delay_ms(5_000, 0, Some(86_400), 0.5), 600_000);
    }

    #[test]
    fn staleness_allows_for_backoff() {
        assert!(!is_stale(89_000.0, 30_000, 0));
        assert!(is_stale(91_000.0, 30_000, 0));
        assert!(!is_stale(91_000.0, 30_000, 1));
    }

    fn schedule() -> Schedule {
        Schedule::new([("a".to_string(), 10_000), ("b".to_string(), 20_000)])
    }

    #[test]
    fn one_probe_in_flight_per_endpoint() {
        let mut schedule = schedule();
        assert_eq!(schedule.take_due(0.0, true, true), [0, 1]);
        assert!(
            schedule.take_due(50_000.0, true, true).is_empty(),
            "both still in flight"
        );
        schedule.complete(0, 1_000.0, false, None, 0.5);
        assert!(schedule.take_due(10_999.0, true, true).is_empty());
        assert_eq!(schedule.take_due(11_000.0, true, true), [0]);
        assert_eq!(
            schedule.next_due_in_ms(11_000.0),
            None,
            "b is in flight, a too"
        );
    }

    #[test]
    fn hidden_or_offline_pages_probe_nothing_and_return_with_one_each() {
        let mut schedule = schedule();
        let started = schedule.take_due(0.0, true, true);
        for index in started {
            schedule.complete(index, 100.0, false, None, 0.5);
        }
        assert!(schedule.take_due(1_000_000.0, false, true).is_empty());
        assert!(schedule.take_due(1_000_000.0, true, false).is_empty());
        schedule.due_now(1_000_000.0);
        assert_eq!(schedule.take_due(1_000_000.0, true, true), [0, 1]);
        assert!(schedule.take_due(1_000_001.0, true, true).is_empty());
    }

    #[test]
    fn a_failing_endpoint_is_probed_at_growing_gaps_then_normally_again() {
        let mut schedule = Schedule::new([("a".to_string(), 10_000)]);
        let mut now = 0.0;
        let mut gaps = Vec::new();
        for outcome_failed in [true, true, true, false, false] {
            assert_eq!(schedule.take_due(now, true, true), [0]);
            schedule.complete(0, now, outcome_failed, None, 0.5);
            let next = schedule.slot("a").unwrap().due_at_ms.unwrap();
            gaps.push(next - now);
            now = next;
        }
        assert_eq!(gaps, [20_000.0, 40_000.0, 40_000.0, 10_000.0, 10_000.0]);
        assert_eq!(schedule.next_due_in_ms(now - 2_500.0), Some(2_500.0));
    }
}

/// Ids of the components whose newest data is too old to show as current at `now`: older than
/// [`STALE_AFTER_INTERVALS`] (backed-off) intervals of any of their sources.
pub fn stale_components(
    config: &crate::config::Config,
    views: &[crate::board::ComponentView],
    schedule: &Schedule,
    now: chrono::DateTime<chrono::Utc>,
) -> std::collections::BTreeSet<String> {
    let mut stale = std::collections::BTreeSet::new();
    for (component, view) in config.components.iter().zip(views) {
        let Some(checked_at) = view.checked_at else {
            continue;
        };
        let age_ms = (now - checked_at).num_milliseconds() as f64;
        let too_old = component.sources.iter().any(|source| {
            schedule
                .slot(&source.endpoint)
                .is_some_and(|slot| is_stale(age_ms, slot.interval_ms, slot.failures))
        });
        if too_old {
            stale.insert(view.id.clone());
        }
    }
    stale
}

#[cfg(test)]
mod stale_tests {
    use super::*;
    use crate::board::Board;
    use crate::config::Config;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn components_older_than_three_intervals_are_stale() {
        let config = Config::parse(include_str!("../../../../config/lookout.json")).unwrap();
        let mut board = Board::default();
        let at = Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 0).unwrap();
        for endpoint in &config.endpoints {
            board.record(
                endpoint.format.clone(),
                crate::probe::ProbeResult {
                    endpoint: endpoint.id.clone(),
                    at,
                    latency_ms: 10,
                    outcome: crate::probe::ProbeOutcome::Failed(
                        crate::probe::ProbeFailure::Offline,
                    ),
                },
            );
        }
        let views = board.components(&config);
        let schedule = Schedule::new(config.endpoints.iter().map(|e| (e.id.clone(), 30_000)));
        assert!(
            stale_components(&config, &views, &schedule, at + Duration::seconds(89)).is_empty()
        );
        let stale = stale_components(&config, &views, &schedule, at + Duration::seconds(91));
        assert_eq!(stale.len(), config.components.len());
    }
}
