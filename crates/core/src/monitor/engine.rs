//! The monitor: the one state machine of a Lookout instance, driven the same way by the page
//! (in the browser) and by the snapshot prober (natively).
//!
//! A driver asks [`Monitor::due`] what to probe, does the I/O, and hands each [`Probe`] back to
//! [`Monitor::record`] with the time; it renders or publishes what [`Monitor::view`] returns.
//! Every decision in between lives here once: whether a probe failed (for backoff), how long to
//! wait (backoff, jitter, the bounded `Retry-After`), reading the body, the board, the criteria's
//! memory, the impact clock. A driver that needs an `if` about the domain means a method is
//! missing here.
//!
//! Two clocks come in from outside: `now_ms`, milliseconds on whatever clock the driver keeps
//! the schedule on (the page's `performance.now()`, the prober's wall clock so a one-off run can
//! resume), and `now`, the wall-clock time stamped on readings and shown to people.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::board::Board;
use crate::config::{Config, EndpointKind};
use crate::incident::criteria::CriteriaTracker;
use crate::incident::impact::ImpactTracker;
use crate::monitor::schedule::Schedule;
use crate::probe::{Probe, ProbeResult};

/// Probes remembered per endpoint for [`Monitor::memory`]: more than any criterion's window of
/// consecutive probes needs.
pub const RECENT_PER_ENDPOINT: usize = 20;
/// The version of [`Memory`].
pub const MEMORY_SCHEMA: u64 = 2;

/// One probe a driver should make now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeRequest {
    /// The endpoint's place in the config, handed back to [`Monitor::record`].
    pub index: usize,
    /// The endpoint's id.
    pub endpoint: String,
    /// The URL to probe.
    pub url: String,
    /// HTTP GET or WebSocket handshake.
    pub kind: EndpointKind,
    /// How long the probe may take, in milliseconds.
    pub timeout_ms: u32,
}

/// One endpoint's place in the schedule as a one-off prober run carries it to the next run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    /// The endpoint's id.
    pub endpoint: String,
    /// Consecutive failed probes.
    pub failures: u32,
    /// When it is due next, in milliseconds on the prober's (wall) clock.
    pub due_at_ms: Option<f64>,
}

/// What a monitor carries over to a later run of itself: its recent probes (so streaks and
/// windows judge a scheduled prober as they judge a long-running one) and each endpoint's pace
/// (so backoff and `Retry-After` hold across runs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// Always [`MEMORY_SCHEMA`] when written by this build.
    pub schema: u64,
    /// The incident it belongs to.
    pub incident: String,
    /// The recent probes, oldest first per endpoint.
    pub results: Vec<ProbeResult>,
    /// Each endpoint's pace.
    #[serde(default)]
    pub paces: Vec<Pace>,
}

impl Memory {
    /// Reads a memory of incident `incident`, refusing anything else.
    pub fn from_json(text: &str, incident: &str) -> Result<Memory, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(MEMORY_SCHEMA) => {}
            other => {
                return Err(format!(
                    "schema {other:?}, this build reads {MEMORY_SCHEMA}"
                ))
            }
        }
        let memory: Memory =
            serde_json::from_value(value).map_err(|e| format!("unreadable ({e})"))?;
        if memory.incident != incident {
            return Err(format!(
                "written for incident {:?}, not {incident}",
                memory.incident
            ));
        }
        Ok(memory)
    }
}

/// The monitor of one configuration.
pub struct Monitor {
    pub(crate) config: Config,
    schedule: Schedule,
    pub(crate) board: Board,
    pub(crate) criteria: CriteriaTracker,
    pub(crate) impact: ImpactTracker,
    recent: BTreeMap<String, VecDeque<ProbeResult>>,
    pub(crate) last_probe_at: Option<DateTime<Utc>>,
    pub(crate) inputs: crate::monitor::page::Inputs,
}

impl Monitor {
    /// A monitor of `config` that has probed nothing yet: every endpoint is due at once.
    pub fn new(config: Config) -> Monitor {
        let schedule = Schedule::new(config.endpoints.iter().map(|endpoint| {
            let interval_ms = config.interval_seconds(endpoint).saturating_mul(1000);
            (endpoint.id.clone(), interval_ms)
        }));
        Monitor {
            criteria: CriteriaTracker::new(&config),
            impact: ImpactTracker::new(&config),
            inputs: crate::monitor::page::Inputs::new(&config),
            schedule,
            board: Board::default(),
            recent: BTreeMap::new(),
            last_probe_at: None,
            config,
        }
    }

    /// The monitor of a snapshot prober: it is the snapshot's source, so it probes itself
    /// whatever the config's `snapshot` section tells viewers, and reads no snapshot.
    pub fn for_prober(mut config: Config) -> Monitor {
        config.snapshot = None;
        Monitor::new(config)
    }

    /// The configuration monitored.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The latest probe and reading of every endpoint.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The schedule: each endpoint's interval, failures and due time.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Probes every endpoint every `interval_ms` instead of its configured interval (a
    /// benchmark build only; configs cannot go below their minimum).
    pub fn set_every_interval_ms(&mut self, interval_ms: u32) {
        for index in 0..self.config.endpoints.len() {
            self.schedule.set_interval_ms(index, interval_ms);
        }
    }

    /// The endpoints due at `now_ms`, each marked in flight until its probe is recorded.
    /// Nothing is due while the page is hidden or the browser offline, nor for a viewer who
    /// only reads the published snapshot.
    pub fn due(&mut self, now_ms: f64, visible: bool, online: bool) -> Vec<ProbeRequest> {
        if !self.is_live() {
            return Vec::new();
        }
        let due = self.schedule.take_due(now_ms, visible, online);
        due.into_iter()
            .filter_map(|index| self.request(index))
            .collect()
    }

    /// The endpoints due in a prober's round at `now_ms`, rounds being `round_ms` apart: what
    /// falls due before the middle of the next gap is taken now, so an endpoint whose interval
    /// equals the round's is probed every round, not every other one.
    pub fn due_in_round(&mut self, now_ms: f64, round_ms: u32) -> Vec<ProbeRequest> {
        self.due(now_ms + f64::from(round_ms / 2), true, true)
    }

    fn request(&self, index: usize) -> Option<ProbeRequest> {
        let endpoint = self.config.endpoints.get(index)?;
        Some(ProbeRequest {
            index,
            endpoint: endpoint.id.clone(),
            url: self.config.endpoint_url(endpoint)?,
            kind: endpoint.kind,
            timeout_ms: self.config.timeout_seconds(endpoint).saturating_mul(1000),
        })
    }

    /// Makes every endpoint due at `now_ms` ("Refresh now", the page visible or online again,
    /// a viewer going live); endpoints with a probe in flight are not doubled.
    pub fn refresh(&mut self, now_ms: f64) {
        self.schedule.due_now(now_ms);
    }

    /// Milliseconds until the next probe is due, `None` while one is in flight or due now.
    pub fn next_due_in_ms(&self, now_ms: f64) -> Option<f64> {
        self.schedule.next_due_in_ms(now_ms)
    }

    /// Records the probe of request `index` finished at `now_ms`: schedules the endpoint's next
    /// probe (backed off if it failed, never before a bounded `Retry-After`; `random` in
    /// `[0, 1)` jitters the interval), reads it once into the board and the criteria's memory.
    /// False for a probe of an endpoint the config does not have at `index`.
    pub fn record(&mut self, index: usize, probe: Probe, now_ms: f64, random: f64) -> bool {
        let matches = self
            .config
            .endpoints
            .get(index)
            .is_some_and(|endpoint| endpoint.id == probe.result.endpoint);
        if !matches {
            return false;
        }
        let failed = probe.result.counts_as_failure();
        self.schedule
            .complete(index, now_ms, failed, probe.retry_after_seconds, random);
        self.observe(probe.result)
    }

    /// Reads one probe into the board, the criteria's memory and the recent probes.
    fn observe(&mut self, result: ProbeResult) -> bool {
        let Some(endpoint) = self
            .config
            .endpoints
            .iter()
            .find(|e| e.id == result.endpoint)
        else {
            return false;
        };
        let recent = self.recent.entry(endpoint.id.clone()).or_default();
        recent.push_back(result.clone());
        while recent.len() > RECENT_PER_ENDPOINT {
            recent.pop_front();
        }
        self.last_probe_at = self.last_probe_at.max(Some(result.at));
        let format = endpoint.format.clone();
        let id = endpoint.id.clone();
        let body = self.board.record(format, result);
        if let Some(state) = self.board.endpoint(&id) {
            self.criteria
                .observe_read(&state.result, &state.reading, body);
        }
        self.inputs.board_changed();
        true
    }

    /// What this monitor carries over to a later run of itself.
    pub fn memory(&self) -> Memory {
        Memory {
            schema: MEMORY_SCHEMA,
            incident: self.config.incident.id.clone(),
            results: self.recent.values().flatten().cloned().collect(),
            paces: self
                .schedule
                .slots()
                .iter()
                .map(|slot| Pace {
                    endpoint: slot.endpoint.clone(),
                    failures: slot.failures,
                    due_at_ms: slot.due_at_ms,
                })
                .collect(),
        }
    }

    /// Carries on from an earlier run's probes and paces: the probes are replayed in time order,
    /// the criteria evaluated as they came, so streaks, windows and "met since" carry over.
    pub fn resume(&mut self, mut results: Vec<ProbeResult>, paces: &[Pace]) {
        results.sort_by_key(|result| result.at);
        for result in results {
            let at = result.at;
            if self.observe(result) {
                self.criteria.evaluate(at);
            }
        }
        for pace in paces {
            self.schedule
                .restore(&pace.endpoint, pace.failures, pace.due_at_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{HttpResponse, ProbeOutcome};
    use chrono::TimeZone;

    fn config() -> Config {
        Config::parse(include_str!("../../../../config/lookout.json")).unwrap()
    }

    fn answer(endpoint: &str, status: u16, body: &str, retry_after: Option<u32>) -> Probe {
        Probe {
            result: ProbeResult {
                endpoint: endpoint.to_string(),
                at: Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 0).unwrap(),
                latency_ms: 10,
                outcome: ProbeOutcome::Response(HttpResponse {
                    status,
                    content_type: Some("application/json".to_string()),
                    body: body.to_string(),
                }),
            },
            retry_after_seconds: retry_after,
        }
    }

    #[test]
    fn every_endpoint_is_due_once_then_paced_by_its_answers() {
        let mut monitor = Monitor::new(config());
        let first = monitor.due(0.0, true, true);
        assert_eq!(first.len(), monitor.config().endpoints.len());
        assert!(
            monitor.due(1.0, true, true).is_empty(),
            "in flight: not doubled"
        );
        let busy = &first[0];
        let ok = &first[1];
        assert!(monitor.record(
            busy.index,
            answer(&busy.endpoint, 429, "{}", Some(3600)),
            100.0,
            0.5
        ));
        assert!(monitor.record(ok.index, answer(&ok.endpoint, 200, "{}", None), 100.0, 0.5));
        let slot = |id: &str| monitor.schedule().slot(id).unwrap().clone();
        assert_eq!(
            slot(&busy.endpoint).due_at_ms,
            Some(100.0 + 600_000.0),
            "Retry-After: 3600 is bounded to 600 s"
        );
        assert_eq!(slot(&busy.endpoint).failures, 1, "429 counts as a failure");
        assert_eq!(slot(&ok.endpoint).failures, 0);
        assert!(!monitor.record(ok.index, answer("not-this-one", 200, "{}", None), 1.0, 0.5));
    }

    #[test]
    fn a_later_run_resumes_results_and_paces() {
        let mut monitor = Monitor::new(config());
        let due = monitor.due(0.0, true, true);
        let first = &due[0];
        monitor.record(
            first.index,
            answer(&first.endpoint, 503, "{}", None),
            100.0,
            0.5,
        );
        let memory = monitor.memory();
        let text = serde_json::to_string(&memory).unwrap();
        let read = Memory::from_json(&text, &monitor.config().incident.id).unwrap();
        assert!(Memory::from_json(&text, "another").is_err());

        let mut later = Monitor::new(config());
        later.resume(read.results, &read.paces);
        assert!(later.board().endpoint(&first.endpoint).is_some());
        let slot = later.schedule().slot(&first.endpoint).unwrap();
        assert_eq!(slot.failures, 1);
        let due_again = later.due(1_000.0, true, true);
        assert!(
            due_again.iter().all(|r| r.endpoint != first.endpoint),
            "still backed off in the next run"
        );
    }

    #[test]
    fn a_prober_probes_and_judges_criteria_whatever_the_snapshot_section_tells_viewers() {
        let mut config = config();
        config.snapshot = Some(crate::config::SnapshotSource {
            url: "snapshot.json".to_string(),
            max_age_seconds: 120,
            live: crate::config::LiveMode::Off,
        });
        let mut viewer = Monitor::new(config.clone());
        assert!(
            viewer.due(0.0, true, true).is_empty(),
            "live off: viewers never probe"
        );
        let mut prober = Monitor::for_prober(config);
        let due = prober.due(0.0, true, true);
        assert_eq!(due.len(), prober.config().endpoints.len());
        let first = &due[0];
        prober.record(
            first.index,
            answer(&first.endpoint, 200, "{}", None),
            1.0,
            0.5,
        );
        let at = Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 1).unwrap();
        let model = prober.view(at, 2.0);
        assert_eq!(model.criteria.len(), prober.config().criteria.len());
        assert!(model.snapshot.is_none(), "the prober reads no snapshot");
    }
}
