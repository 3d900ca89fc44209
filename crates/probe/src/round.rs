//! The prober's state between rounds — `lookout-core`'s [`Monitor`] (the same one the page
//! drives, so the snapshot says what a page would say) and the bounded history — and the
//! documents it publishes after a round.

use chrono::{DateTime, Utc};
use lookout_core::config::Config;
use lookout_core::incident::updates::Update;
use lookout_core::monitor::engine::{Memory, Monitor, ProbeRequest};
use lookout_core::monitor::history::History;
use lookout_core::monitor::snapshot::{self, Snapshot};
use lookout_core::probe::Probe;
use lookout_core::publish::summary::{self, Inputs};

/// The published file names.
pub const SNAPSHOT_FILE: &str = "snapshot.json";
/// See [`SNAPSHOT_FILE`].
pub const HISTORY_FILE: &str = "history.json";
/// See [`SNAPSHOT_FILE`].
pub const SUMMARY_FILE: &str = "summary.json";
/// The prober's own memory (its recent probes and each endpoint's pace), read back by the next
/// one-off run so streaks, windows, backoff and `Retry-After` carry over as in a long-running
/// prober. The page never reads it.
pub const MEMORY_FILE: &str = "probe-state.json";
/// Jitter spreads many viewers' probes apart; one prober has nobody to spread from, so it
/// probes at the interval itself.
const NO_JITTER: f64 = 0.5;

/// The three documents of one round, in the order they are written: the snapshot last, so a
/// page never reads a snapshot whose history is older than it.
pub struct Documents {
    /// `probe-state.json`.
    pub memory: String,
    /// `history.json`.
    pub history: String,
    /// `summary.json`.
    pub summary: String,
    /// `snapshot.json`.
    pub snapshot: String,
}

/// Everything the prober remembers between rounds.
pub struct State {
    monitor: Monitor,
    prober: snapshot::Prober,
    interval_seconds: Option<u32>,
    page_url: String,
    history: History,
}

impl State {
    /// A prober of `config` that has probed nothing yet. `interval_seconds` is the loop's
    /// period (`None` for a one-off run), which stands in for `probing.interval_seconds` (an
    /// endpoint with its own `interval_seconds` keeps it); `page_url` the public status page,
    /// for `summary.json`.
    pub fn new(
        mut config: Config,
        updates: Vec<Update>,
        prober: snapshot::Prober,
        interval_seconds: Option<u32>,
        page_url: String,
    ) -> State {
        if let Some(period) = interval_seconds {
            config.probing.interval_seconds = period;
        }
        let history = History::new(&config.incident.id);
        let mut monitor = Monitor::for_prober(config);
        monitor.set_updates(updates);
        State {
            monitor,
            prober,
            interval_seconds,
            page_url,
            history,
        }
    }

    /// The configuration probed.
    pub fn config(&self) -> &Config {
        self.monitor.config()
    }

    /// The monitor (schedule, board, criteria).
    pub fn monitor(&self) -> &Monitor {
        &self.monitor
    }

    /// Carries on from previously published files (a one-off run on a scheduler): their
    /// history is merged, and the prober's memory is resumed (its recent probes replayed in time
    /// order, so streaks, windows and "met since" carry over; each endpoint's backoff and
    /// `Retry-After` kept). Without a memory file the previous snapshot's probes are replayed
    /// instead. Returns why a file was not used, for the log.
    pub fn resume(
        &mut self,
        memory: Option<&str>,
        snapshot: Option<&str>,
        history: Option<&str>,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let incident = self.config().incident.id.clone();
        if let Some(text) = history {
            match History::from_json(text, &incident) {
                Ok(previous) => self.history.merge(&previous),
                Err(why) => notes.push(format!("{HISTORY_FILE} not continued: {why}")),
            }
        }
        let remembered = match memory.map(|text| Memory::from_json(text, &incident)) {
            Some(Ok(memory)) => Some(memory),
            Some(Err(why)) => {
                notes.push(format!("{MEMORY_FILE} not continued: {why}"));
                None
            }
            None => None,
        };
        let (results, paces) = match (remembered, snapshot) {
            (Some(memory), _) => (memory.results, memory.paces),
            (None, Some(text)) => match Snapshot::from_json(text, &incident) {
                Ok(previous) => {
                    let results = previous.board.states().map(|s| s.result.clone());
                    (results.collect(), Vec::new())
                }
                Err(why) => {
                    notes.push(format!("{SNAPSHOT_FILE} not continued: {why}"));
                    (Vec::new(), Vec::new())
                }
            },
            (None, None) => (Vec::new(), Vec::new()),
        };
        self.monitor.resume(results, &paces);
        notes
    }

    /// The probes due in a round at `now_ms` (milliseconds on the wall clock, so a later
    /// one-off run resumes the same schedule). Rounds are the loop's period apart; a one-off
    /// run is taken to be scheduled at the config's interval.
    pub fn due(&mut self, now_ms: f64) -> Vec<ProbeRequest> {
        let round_seconds = self
            .interval_seconds
            .unwrap_or(self.config().probing.interval_seconds);
        self.monitor
            .due_in_round(now_ms, round_seconds.saturating_mul(1000))
    }

    /// Records the probe of request `index` finished at `now_ms`. A failed probe is recorded
    /// as failed, with its reason; it never keeps the previous value.
    pub fn record(&mut self, index: usize, probe: Probe, now_ms: f64) {
        self.monitor.record(index, probe, now_ms, NO_JITTER);
    }

    /// Evaluates everything at `now` (`now_ms` on the schedule's clock) and renders the
    /// documents.
    pub fn documents(&mut self, now: DateTime<Utc>, now_ms: f64) -> Documents {
        let snapshot =
            self.monitor
                .snapshot(now, now_ms, self.prober.clone(), self.interval_seconds);
        let components = snapshot.model.components();
        self.history.record(&components);
        let summary = summary::summary(
            self.monitor.config(),
            &Inputs {
                components: &components,
                overall: &snapshot.model.banner,
                updates: self.monitor.updates(),
                generated_at: now,
                page_url: &self.page_url,
            },
        );
        Documents {
            memory: serde_json::to_string(&self.monitor.memory()).unwrap_or_default(),
            history: self.history.to_json(),
            summary: serde_json::to_string_pretty(&summary).unwrap_or_default(),
            snapshot: snapshot.to_json(),
        }
    }
}
