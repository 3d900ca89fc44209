//! Which endpoints a looping prober probes in a round: each at its own configured interval,
//! backed off exponentially while it keeps failing (the page's own rule from
//! `lookout_core::monitor::schedule`), and never before a `Retry-After` the backend asked for.

use lookout_core::monitor::schedule::backoff_interval_ms;

/// What the prober remembers about one endpoint between rounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pace {
    /// When it was last probed, in seconds on the prober's clock.
    pub last_at: Option<u64>,
    /// Consecutive failures (no answer, 5xx, 429, refused handshake).
    pub failures: u32,
    /// Seconds the backend asked to wait after the last probe.
    pub retry_after: Option<u32>,
}

impl Pace {
    /// Whether the endpoint is due in a round at `now` (seconds) when it is probed every
    /// `interval_seconds` and rounds are `round_seconds` apart. An endpoint is due when less than
    /// half a round is left of its (backed-off) interval, so an interval equal to the round's
    /// is probed every round.
    pub fn due(&self, now: u64, interval_seconds: u32, round_seconds: u32) -> bool {
        let Some(last) = self.last_at else {
            return true;
        };
        let wait_ms = backoff_interval_ms(interval_seconds.saturating_mul(1000), self.failures);
        let wait = u64::from(wait_ms / 1000).max(u64::from(self.retry_after.unwrap_or(0)));
        now.saturating_sub(last) + u64::from(round_seconds / 2) >= wait
    }

    /// Records a probe at `now`.
    pub fn probed(&mut self, now: u64, failed: bool, retry_after: Option<u32>) {
        self.last_at = Some(now);
        self.failures = if failed { self.failures + 1 } else { 0 };
        self.retry_after = retry_after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_probed_at_its_interval_and_backs_off_while_failing() {
        let mut pace = Pace::default();
        assert!(pace.due(0, 30, 30), "never probed: due");
        pace.probed(0, false, None);
        assert!(!pace.due(10, 30, 30));
        assert!(
            pace.due(30, 30, 30),
            "every round at the round's own interval"
        );
        assert!(!pace.due(30, 60, 30), "a 60 s endpoint skips a 30 s round");
        assert!(pace.due(60, 60, 30));
        pace.probed(60, true, None);
        pace.probed(120, true, None);
        assert!(!pace.due(150, 30, 30), "backed off after two failures");
        assert!(pace.due(240, 30, 30));
        pace.probed(240, false, Some(300));
        assert!(!pace.due(270, 30, 30), "Retry-After honoured");
        assert!(pace.due(540, 30, 30));
        pace.probed(540, false, None);
        assert_eq!(pace.failures, 0, "back to normal on the first success");
        assert!(pace.due(570, 30, 30));
    }
}
