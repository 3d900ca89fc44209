//! The prober's memory between rounds (the board of latest probes, the criteria tracker, the
//! bounded history, each endpoint's pace) and the three documents it publishes after a round.
//! Every rule comes from `lookout-core`, so the snapshot says what a page would say.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};
use lookout_core::board::{overall, Board};
use lookout_core::config::Config;
use lookout_core::incident::criteria::CriteriaTracker;
use lookout_core::incident::updates::Update;
use lookout_core::monitor::history::History;
use lookout_core::monitor::snapshot::{self, Snapshot};
use lookout_core::probe::{ProbeOutcome, ProbeResult};
use lookout_core::publish::statuspage::{self, Inputs};

use crate::due::Pace;

/// The published file names.
pub const SNAPSHOT_FILE: &str = "snapshot.json";
/// See [`SNAPSHOT_FILE`].
pub const HISTORY_FILE: &str = "history.json";
/// See [`SNAPSHOT_FILE`].
pub const SUMMARY_FILE: &str = "summary.json";
/// The prober's own memory (its recent probes), read back by the next one-off run so criteria
/// that count streaks or windows judge a scheduled prober as they judge a long-running one. The
/// page never reads it.
pub const MEMORY_FILE: &str = "probe-state.json";
/// Probes remembered per endpoint in [`MEMORY_FILE`]: more than any criterion's window of
/// consecutive probes needs.
pub const RECENT_PER_ENDPOINT: usize = 20;
/// The version of [`MEMORY_FILE`].
pub const MEMORY_SCHEMA: u64 = 1;

/// Whether a probe counts as a failure for backoff, as the page counts it: no answer, a
/// refused handshake, or a server that says it is overloaded or broken.
pub fn failed(result: &ProbeResult) -> bool {
    match &result.outcome {
        ProbeOutcome::Failed(_) => true,
        ProbeOutcome::Response(response) => response.status >= 500 || response.status == 429,
        ProbeOutcome::WebSocket(session) => !session.opened,
    }
}

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
    config: Config,
    updates: Vec<Update>,
    prober: snapshot::Prober,
    interval_seconds: Option<u32>,
    page_url: String,
    board: Board,
    tracker: CriteriaTracker,
    history: History,
    paces: Vec<Pace>,
    recent: BTreeMap<String, VecDeque<ProbeResult>>,
}

impl State {
    /// A prober of `config` that has probed nothing yet. `interval_seconds` is the loop's
    /// period (`None` for a one-off run); `page_url` the public status page, for `summary.json`.
    pub fn new(
        config: Config,
        updates: Vec<Update>,
        prober: snapshot::Prober,
        interval_seconds: Option<u32>,
        page_url: String,
    ) -> State {
        State {
            tracker: CriteriaTracker::new(&config),
            history: History::new(&config.incident.id),
            paces: vec![Pace::default(); config.endpoints.len()],
            board: Board::default(),
            recent: BTreeMap::new(),
            config,
            updates,
            prober,
            interval_seconds,
            page_url,
        }
    }

    /// The configuration probed.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Carries on from previously published files (a one-off run on a scheduler): their
    /// history is merged, and the recent probes of the prober's memory are replayed into the
    /// board and the criteria tracker in time order, evaluated as they came, so streaks, windows
    /// and "met since" carry over between runs. Without a memory file the previous snapshot's
    /// probes are replayed instead. Returns why a file was not used, for the log.
    pub fn resume(
        &mut self,
        memory: Option<&str>,
        snapshot: Option<&str>,
        history: Option<&str>,
    ) -> Vec<String> {
        let mut notes = Vec::new();
        let incident = self.config.incident.id.clone();
        if let Some(text) = history {
            match History::from_json(text, &incident) {
                Ok(previous) => self.history.merge(&previous),
                Err(why) => notes.push(format!("{HISTORY_FILE} not continued: {why}")),
            }
        }
        let remembered = match memory.map(|text| read_memory(text, &incident)) {
            Some(Ok(results)) => Some(results),
            Some(Err(why)) => {
                notes.push(format!("{MEMORY_FILE} not continued: {why}"));
                None
            }
            None => None,
        };
        let results = match (remembered, snapshot) {
            (Some(results), _) => results,
            (None, Some(text)) => match Snapshot::from_json(text, &incident) {
                Ok(previous) => previous.board.states().map(|s| s.result.clone()).collect(),
                Err(why) => {
                    notes.push(format!("{SNAPSHOT_FILE} not continued: {why}"));
                    Vec::new()
                }
            },
            (None, None) => Vec::new(),
        };
        let mut results = results;
        results.sort_by_key(|result| result.at);
        for result in results {
            let at = result.at;
            if self.observe(result) {
                self.tracker.evaluate(at);
            }
        }
        notes
    }

    /// Reads one probe into the board, the tracker and the memory; false for an endpoint the
    /// config does not have.
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
        self.board.record(endpoint.format.clone(), result);
        if let Some(state) = self.board.endpoint(&endpoint.id) {
            self.tracker.observe(&state.result, &state.reading);
        }
        true
    }

    /// The indexes of the endpoints due in a round at `now_seconds`, rounds being
    /// `round_seconds` apart. The round's period stands in for `probing.interval_seconds`; an
    /// endpoint with its own `interval_seconds` keeps it.
    pub fn due(&self, now_seconds: u64, round_seconds: u32) -> Vec<usize> {
        self.config
            .endpoints
            .iter()
            .enumerate()
            .filter(|(index, endpoint)| {
                let interval = endpoint.interval_seconds.unwrap_or(round_seconds);
                self.paces[*index].due(now_seconds, interval, round_seconds)
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// Records the probe of endpoint `index` taken at `now_seconds`. A failed probe is recorded
    /// as failed, with its reason; it never keeps the previous value.
    pub fn record(
        &mut self,
        index: usize,
        result: ProbeResult,
        retry_after: Option<u32>,
        now_seconds: u64,
    ) {
        let Some(endpoint) = self.config.endpoints.get(index) else {
            return;
        };
        if endpoint.id != result.endpoint {
            return;
        }
        self.paces[index].probed(now_seconds, failed(&result), retry_after);
        self.observe(result);
    }

    /// Evaluates everything at `now` and renders the three documents.
    pub fn documents(&mut self, now: DateTime<Utc>) -> Documents {
        let components = self.board.components(&self.config);
        let banner = overall(&components);
        self.history.record(&components);
        let summary = statuspage::summary(
            &self.config,
            &Inputs {
                components: &components,
                overall: &banner,
                updates: &self.updates,
                generated_at: now,
                page_url: &self.page_url,
            },
        );
        let snapshot = Snapshot {
            schema: snapshot::SNAPSHOT_SCHEMA,
            incident: self.config.incident.id.clone(),
            generated_at: now,
            prober: self.prober.clone(),
            interval_seconds: self.interval_seconds,
            board: self.board.clone(),
            criteria: self.tracker.evaluate(now),
            components,
            overall: banner,
        };
        let recent: Vec<&ProbeResult> = self.recent.values().flatten().collect();
        let memory = serde_json::json!({
            "schema": MEMORY_SCHEMA,
            "incident": self.config.incident.id,
            "results": recent,
        });
        Documents {
            memory: memory.to_string(),
            history: self.history.to_json(),
            summary: serde_json::to_string_pretty(&summary).unwrap_or_default(),
            snapshot: snapshot.to_json(),
        }
    }
}

/// The recent probes in a memory file of incident `incident`.
fn read_memory(text: &str, incident: &str) -> Result<Vec<ProbeResult>, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(MEMORY_SCHEMA) => {}
        other => {
            return Err(format!(
                "schema {other:?}, this prober reads {MEMORY_SCHEMA}"
            ))
        }
    }
    match value.get("incident").and_then(serde_json::Value::as_str) {
        Some(id) if id == incident => {}
        other => return Err(format!("written for incident {other:?}, not {incident}")),
    }
    serde_json::from_value(value["results"].take()).map_err(|e| format!("unreadable ({e})"))
}
