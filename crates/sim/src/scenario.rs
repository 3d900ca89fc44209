//! The incident story: backend generations, the four phases, the auto-advance clock, the
//! per-request context payload builders read, and the facts (hosts, error texts) they quote.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

/// Which `health.py` the backend runs (see the research notes, §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generation {
    /// The rich 2025-09-15 file: startup gating, readiness details, v1 `/health/infrastructure`.
    V1,
    /// The latest file: constant bodies plus the aggregate `/health/infrastructure`.
    V2,
}

impl Generation {
    /// The wire name, `v1` or `v2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Generation::V1 => "v1",
            Generation::V2 => "v2",
        }
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Generation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "v1" => Ok(Generation::V1),
            "v2" => Ok(Generation::V2),
            other => Err(format!("unknown generation {other:?}; expected v1 or v2")),
        }
    }
}

/// Where the incident stands; each phase changes what every endpoint answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// VPC connector failing: Redis "error -3", database timeouts, WebSocket refused.
    Outage,
    /// Still broken, but the backend came up in staging's partial-startup mode.
    Diagnosis,
    /// VPC connector fixed; Cloud SQL still slow.
    PartialRecovery,
    /// Everything healthy.
    Recovered,
}

impl Phase {
    /// The phases in story order.
    pub const ALL: [Phase; 4] = [
        Phase::Outage,
        Phase::Diagnosis,
        Phase::PartialRecovery,
        Phase::Recovered,
    ];

    /// The wire name, e.g. `partial_recovery`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Outage => "outage",
            Phase::Diagnosis => "diagnosis",
            Phase::PartialRecovery => "partial_recovery",
            Phase::Recovered => "recovered",
        }
    }

    fn index(self) -> usize {
        Phase::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// True while the VPC connector is broken (Redis and database unreachable).
    pub(crate) fn vpc_broken(self) -> bool {
        matches!(self, Phase::Outage | Phase::Diagnosis)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Phase {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown phase {s:?}; expected one of outage, diagnosis, partial_recovery, recovered"
                )
            })
    }
}

/// Generation and phase, with the clock that advances the phase when `phase_seconds > 0`.
#[derive(Clone, Debug)]
pub(crate) struct Scenario {
    pub(crate) generation: Generation,
    phase: Phase,
    phase_set_at: Instant,
    pub(crate) phase_seconds: u64,
}

impl Scenario {
    pub(crate) fn new(generation: Generation, phase: Phase, phase_seconds: u64) -> Self {
        Self {
            generation,
            phase,
            phase_set_at: Instant::now(),
            phase_seconds,
        }
    }

    /// Sets the phase and restarts the auto-advance clock from it.
    pub(crate) fn set_phase(&mut self, phase: Phase) {
        self.phase = phase;
        self.phase_set_at = Instant::now();
    }

    /// Changes the period, keeping the current phase as the new starting point.
    pub(crate) fn set_phase_seconds(&mut self, seconds: u64) {
        let current = self.phase_at(Instant::now());
        self.phase_seconds = seconds;
        self.set_phase(current);
    }

    /// The phase in force at `now`: the set phase, moved on one step per elapsed period, wrapping
    /// from `recovered` back to `outage`.
    pub(crate) fn phase_at(&self, now: Instant) -> Phase {
        if self.phase_seconds == 0 {
            return self.phase;
        }
        let elapsed = now.saturating_duration_since(self.phase_set_at).as_secs();
        let steps = (elapsed / self.phase_seconds) as usize;
        Phase::ALL[(self.phase.index() + steps) % Phase::ALL.len()]
    }
}

/// What a payload builder needs to know about one request's moment.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    pub(crate) generation: Generation,
    pub(crate) phase: Phase,
    pub(crate) now: DateTime<Utc>,
    /// Seconds since the simulator started (the services' `uptime_seconds`).
    pub(crate) uptime: f64,
    /// The backend's CORS allow-list, for `/health/cors/test`.
    pub(crate) origins: Arc<[String]>,
}

impl Ctx {
    /// The same moment seen in another phase (the validation report quotes other phases).
    pub(crate) fn in_phase(&self, phase: Phase) -> Ctx {
        Ctx {
            phase,
            ..self.clone()
        }
    }
}

/// `ENVIRONMENT` of every simulated service.
pub(crate) const ENVIRONMENT: &str = "staging";
/// The backend's service name in its own health bodies.
pub(crate) const BACKEND_SERVICE: &str = "netra-ai-platform";
/// Version string every service reports.
pub(crate) const VERSION: &str = "1.0.0";
/// The Cloud SQL instance of the incident.
pub(crate) const CLOUD_SQL_INSTANCE: &str = "netra-staging:us-central1:staging-shared-postgres";
/// The VPC connector of the incident.
pub(crate) const VPC_CONNECTOR: &str = "staging-connector";
/// Redis client error while the VPC connector is broken.
pub(crate) const REDIS_ERROR: &str =
    "Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution.";
/// Database error while the VPC connector is broken.
pub(crate) const DB_TIMEOUT_ERROR: &str =
    "connection to netra-staging:us-central1:staging-shared-postgres timed out after 8.0s";
/// Database complaint while Cloud SQL is slow.
pub(crate) const DB_SLOW_ERROR: &str = "average connection time 4.8s exceeds 2.0s budget";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn names_round_trip() {
        for phase in Phase::ALL {
            assert_eq!(phase.as_str().parse::<Phase>(), Ok(phase));
        }
        assert_eq!("v2".parse::<Generation>(), Ok(Generation::V2));
        assert!("v3".parse::<Generation>().is_err());
        assert!("broken".parse::<Phase>().is_err());
    }

    #[test]
    fn held_phase_never_moves() {
        let s = Scenario::new(Generation::V1, Phase::Diagnosis, 0);
        let later = Instant::now() + Duration::from_secs(10_000);
        assert_eq!(s.phase_at(later), Phase::Diagnosis);
    }

    #[test]
    fn auto_advance_wraps_to_outage() {
        let s = Scenario::new(Generation::V1, Phase::PartialRecovery, 5);
        let t0 = s.phase_set_at;
        assert_eq!(
            s.phase_at(t0 + Duration::from_secs(4)),
            Phase::PartialRecovery
        );
        assert_eq!(s.phase_at(t0 + Duration::from_secs(5)), Phase::Recovered);
        assert_eq!(s.phase_at(t0 + Duration::from_secs(10)), Phase::Outage);
        assert_eq!(s.phase_at(t0 + Duration::from_secs(15)), Phase::Diagnosis);
    }
}
