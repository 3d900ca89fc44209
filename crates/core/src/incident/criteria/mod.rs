//! The incident's success criteria, evaluated live from the probes the browser makes.
//!
//! [`CriteriaTracker`] is fed every probe result with its reading and asked, with the time,
//! where each criterion stands: met, not met or unknown, a progress value, the evidence, and
//! since when. It keeps bounded memory per criterion (streak counters, or at most
//! [`MAX_SAMPLES`] small samples per endpoint, never whole payloads), so a wall display can run
//! for days. It parses a probe's body only for endpoints a criterion reads fields from.
//!
//! Each kind's memory and evaluation live side by side in its own file (`http_ok.rs`,
//! `absent_pattern.rs`, `threshold.rs`, `handshake.rs` for `websocket`, `validation_report.rs`,
//! `component_status.rs`, `composition.rs` for `all_of` and `any_of`); its configuration is the
//! config layer's ([`crate::config::sections::Rule`]); `memory.rs` dispatches from a rule to its
//! kind. This file holds what every kind shares: the views, the tracker and the "since when"
//! history. Rules, per kind:
//! - `http_ok`: each endpoint's current run of HTTP 200s must cover the window (at least N
//!   probes, and/or reaching back T minutes). Progress is the share of endpoints that do.
//! - `absent_pattern`: no pattern (a substring, ASCII letters case-insensitive) in the watched
//!   fields of any payload read within the window, and at least one payload of each endpoint
//!   read in it (otherwise unknown). A window is the last N probes and the last T minutes, whichever
//!   reaches further back. Progress is the share of endpoints that are clean.
//! - `threshold`: the latest payload's numbers against their thresholds (the first present
//!   pointer of each check wins; `"1.284s"`, `"2.4%"`, plain numbers and booleans, `true` as 1
//!   and `false` as 0, are read); when the payload has none of the numbers, the fallback status
//!   field (a word, boolean or number) decides. Progress of one check is 100 when it holds,
//!   else how close the value is: threshold ÷ value for `<`/`<=`, value ÷ threshold for
//!   `>`/`>=`, capped at 99; a criterion's progress is its worst check's.
//! - `websocket`: consecutive successful handshakes; opened counts as success, including a
//!   close with 1008 (authentication failed: the infrastructure answered), while a socket that
//!   never opened (1006, or a refused upgrade), or one the server closed with 1011–1014 or that
//!   dropped (1006 after opening), is a failure. Progress is streak ÷ required.
//! - `validation_report`: the published `validate_infrastructure_fix.py --json` report; the
//!   pass rate is computed from the test entries (passed ÷ all), not taken from the script's
//!   `summary.pass_percentage`, which divides per-request passes by per-path totals and can
//!   exceed 100 (both are shown when they disagree). Progress is rate ÷ threshold, capped at
//!   99 while a critical category fails.
//! - `component_status`: the component's status, as the board works it out from the latest
//!   reading of each of its sources, is an accepted level on every probe of its sources over
//!   the window (a run of at least N probes, and/or reaching back T minutes); unknown while the
//!   component cannot be checked. Progress is the run's share of the window.
//! - `all_of` / `any_of`: conditions that are rules of any kind, each with its own memory;
//!   see `composition.rs` for how states and progress combine.
//!
//! Whatever its kind, a criterion (or condition) that names a component is never met while
//! that component is in a partial or major outage: "met" next to a row in an outage misleads.
//!
//! A probe made while the browser was offline says nothing and is ignored. An endpoint whose
//! latest probe is older than [`stale_after_seconds`] makes its criterion unknown.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::board::ComponentView;
use crate::config::sections::{
    unit_scale, Condition, Criterion, NumberCheck, Op, Rule, Scalar, StatusCheck, Window,
};
use crate::config::Config;
use crate::probe::{ProbeFailure, ProbeOutcome, ProbeResult, WebSocketSession};
use crate::read::websocket::close_code_name;
use crate::read::{Body, Reading};
use crate::status::Status;
use crate::time::stamp;

mod absent_pattern;
mod component_status;
mod composition;
mod handshake;
mod http_ok;
mod memory;
mod threshold;
mod validation_report;

use absent_pattern::{absent_pattern, remember, search, PatternOutcome, PatternSample};
use component_status::{component_status, hold_to_components, levels_text, ComponentRun, Watched};
use composition::{compose, Composition};
use handshake::{websocket, SocketMemory};
use http_ok::{http_ok, Streak};
use memory::{Judging, Memory, Seen};
pub use threshold::{closeness, read_number};
use threshold::{extract, threshold, Extract};
use validation_report::{read_report, report};
pub use validation_report::{summarize_report, CategoryResult, ReportSummary};

/// The most samples kept per endpoint and criterion.
pub const MAX_SAMPLES: usize = 240;

/// Where a criterion stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionState {
    /// It holds.
    Met,
    /// It does not hold.
    NotMet,
    /// Lookout cannot tell (counts as not met); the summary says why.
    Unknown,
}

impl CriterionState {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionState::Met => "met",
            CriterionState::NotMet => "not_met",
            CriterionState::Unknown => "unknown",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            CriterionState::Met => "Met",
            CriterionState::NotMet => "Not met",
            CriterionState::Unknown => "Unknown",
        }
    }

    /// A glyph that carries the state without colour.
    pub fn icon(self) -> &'static str {
        match self {
            CriterionState::Met => "✓",
            CriterionState::NotMet => "✕",
            CriterionState::Unknown => "?",
        }
    }

    fn worst(states: impl IntoIterator<Item = CriterionState>) -> CriterionState {
        let mut worst = CriterionState::Met;
        for state in states {
            match state {
                CriterionState::NotMet => return CriterionState::NotMet,
                CriterionState::Unknown => worst = CriterionState::Unknown,
                CriterionState::Met => {}
            }
        }
        worst
    }
}

/// The kind of a criterion, as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// Endpoints answer HTTP 200 over a window.
    HttpOk,
    /// A pattern is absent from payloads over a window.
    AbsentPattern,
    /// Numbers within thresholds, with a status fallback.
    Threshold,
    /// WebSocket handshakes succeed.
    Websocket,
    /// The published validation report passes.
    ValidationReport,
    /// A component's status is an accepted level over a window.
    ComponentStatus,
    /// Every condition holds.
    AllOf,
    /// At least one condition holds.
    AnyOf,
}

impl CriterionKind {
    /// The configuration name, also for CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionKind::HttpOk => "http_ok",
            CriterionKind::AbsentPattern => "absent_pattern",
            CriterionKind::Threshold => "threshold",
            CriterionKind::Websocket => "websocket",
            CriterionKind::ValidationReport => "validation_report",
            CriterionKind::ComponentStatus => "component_status",
            CriterionKind::AllOf => "all_of",
            CriterionKind::AnyOf => "any_of",
        }
    }

    /// The kind of a configured rule.
    pub fn of(rule: &Rule) -> CriterionKind {
        match rule {
            Rule::HttpOk { .. } => CriterionKind::HttpOk,
            Rule::AbsentPattern { .. } => CriterionKind::AbsentPattern,
            Rule::Threshold { .. } => CriterionKind::Threshold,
            Rule::Websocket { .. } => CriterionKind::Websocket,
            Rule::ValidationReport { .. } => CriterionKind::ValidationReport,
            Rule::ComponentStatus { .. } => CriterionKind::ComponentStatus,
            Rule::AllOf { .. } => CriterionKind::AllOf,
            Rule::AnyOf { .. } => CriterionKind::AnyOf,
        }
    }
}

/// One line of evidence for a criterion: an endpoint, a check or a report category, with its
/// own state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// What it is about: an endpoint id, a field label or a category name.
    pub subject: String,
    /// Whether this item on its own holds.
    pub state: CriterionState,
    /// What was seen, in words.
    pub text: String,
    /// The endpoint id it came from, when it came from one.
    pub endpoint: String,
    /// JSON pointer of the field, when one decided.
    pub field: String,
    /// The raw value of that field, truncated.
    pub raw: String,
    /// When it was observed.
    pub at: Option<DateTime<Utc>>,
}

/// A period during which a criterion was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetSpan {
    /// When it became met.
    pub from: DateTime<Utc>,
    /// When it stopped being met.
    pub to: DateTime<Utc>,
}

/// A criterion as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionView {
    /// Config id.
    pub id: String,
    /// The criterion as people state it.
    pub title: String,
    /// Optional detail.
    pub description: String,
    /// How it is evaluated.
    pub kind: CriterionKind,
    /// Where it stands.
    pub state: CriterionState,
    /// `state == Met`.
    pub met: bool,
    /// 0–100, see the module documentation for each kind.
    pub progress: u8,
    /// One sentence saying where it stands and why.
    pub summary: String,
    /// The lines that back the summary.
    pub evidence: Vec<EvidenceItem>,
    /// When this view was computed.
    pub evaluated_at: DateTime<Utc>,
    /// The newest observation it is based on.
    pub observed_at: Option<DateTime<Utc>>,
    /// Since when it has been in its current state, as far as this page has seen.
    pub since: Option<DateTime<Utc>>,
    /// Since when it has been met; `None` when it is not met.
    pub met_since: Option<DateTime<Utc>>,
    /// When not met now but met before: the last period it was met.
    pub last_met: Option<MetSpan>,
}

/// "k of N criteria met".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Criteria met.
    pub met: usize,
    /// All criteria.
    pub total: usize,
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.total == 1 {
            "success criterion"
        } else {
            "success criteria"
        };
        write!(f, "{} of {} {noun} met", self.met, self.total)
    }
}

/// How many of `views` are met.
pub fn tally(views: &[CriterionView]) -> Tally {
    Tally {
        met: views.iter().filter(|v| v.met).count(),
        total: views.len(),
    }
}

/// After how long without a fresh probe an endpoint's data no longer counts: four probe
/// cycles (interval plus timeout), and never less than five minutes, so a throttled
/// background tab does not flap every criterion.
pub fn stale_after_seconds(interval_seconds: u32, timeout_seconds: u32) -> i64 {
    (4 * (i64::from(interval_seconds) + i64::from(timeout_seconds))).max(300)
}

/// The live evaluator of every configured criterion. Feed it with [`CriteriaTracker::observe`],
/// read it with [`CriteriaTracker::evaluate`].
#[derive(Clone, Debug)]
pub struct CriteriaTracker {
    entries: Vec<Entry>,
    stale_after: BTreeMap<String, i64>,
    /// Endpoints whose body some criterion reads.
    bodies: BTreeSet<String>,
    /// The components criteria name, with what their sources last said.
    watched: Watched,
}

#[derive(Clone, Debug)]
struct Entry {
    criterion: Criterion,
    memory: Memory,
    history: History,
}

#[derive(Clone, Debug, Default)]
struct History {
    state: Option<CriterionState>,
    since: Option<DateTime<Utc>>,
    met_since: Option<DateTime<Utc>>,
    last_met: Option<MetSpan>,
    evaluated_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
struct Sample<T> {
    at: DateTime<Utc>,
    value: T,
}

/// What a criterion's rule concluded, before its history is applied.
struct Outcome {
    state: CriterionState,
    progress: u8,
    summary: String,
    evidence: Vec<EvidenceItem>,
    observed_at: Option<DateTime<Utc>>,
}

impl Outcome {
    fn unknown(summary: impl Into<String>) -> Outcome {
        Outcome {
            state: CriterionState::Unknown,
            progress: 0,
            summary: summary.into(),
            evidence: Vec::new(),
            observed_at: None,
        }
    }
}

impl CriteriaTracker {
    /// A tracker for the criteria of `config`, with nothing observed yet.
    pub fn new(config: &Config) -> CriteriaTracker {
        let stale_after = config
            .endpoints
            .iter()
            .map(|e| {
                let limit =
                    stale_after_seconds(config.interval_seconds(e), config.timeout_seconds(e));
                (e.id.clone(), limit)
            })
            .collect();
        let mut bodies = BTreeSet::new();
        let entries = config
            .criteria
            .iter()
            .map(|criterion| Entry {
                memory: Memory::new(&criterion.rule, &mut bodies),
                criterion: criterion.clone(),
                history: History::default(),
            })
            .collect();
        CriteriaTracker {
            entries,
            stale_after,
            bodies,
            watched: Watched::new(config),
        }
    }

    /// Takes one probe result (with the reading the board made of it) into account, parsing
    /// its body if a criterion watches it.
    pub fn observe(&mut self, result: &ProbeResult, reading: &Reading) {
        self.observe_read(result, reading, Body::Unread);
    }

    /// Takes one probe result into account with the body its reading already parsed, so a
    /// watched body is parsed once per probe.
    pub fn observe_read(&mut self, result: &ProbeResult, reading: &Reading, body: Body) {
        if matches!(result.outcome, ProbeOutcome::Failed(ProbeFailure::Offline)) {
            return;
        }
        let body = self
            .bodies
            .contains(&result.endpoint)
            .then(|| parse_body(&result.outcome, reading, body));
        let components = self.watched.observe(result, reading);
        let seen = Seen {
            result,
            reading,
            body: body.as_ref(),
            components: &components,
        };
        for entry in &mut self.entries {
            entry.memory.observe(&entry.criterion.rule, &seen);
        }
    }

    /// Where every criterion stands at `now`, in configuration order. Remembers the states to
    /// tell since when each holds (or stopped holding).
    pub fn evaluate(&mut self, now: DateTime<Utc>) -> Vec<CriterionView> {
        let components = self.watched.views();
        let judging = Judging {
            stale_after: &self.stale_after,
            components: &components,
            now,
        };
        self.entries
            .iter_mut()
            .map(|entry| {
                let outcome = entry.memory.judge(&entry.criterion.rule, &judging);
                entry.settle(outcome, now)
            })
            .collect()
    }
}

/// The JSON body of a probe, or why there is none: the reading's parse when it made one.
fn parse_body(outcome: &ProbeOutcome, reading: &Reading, body: Body) -> Result<Value, String> {
    let not_json = |status: u16| {
        format!(
            "HTTP {status}, no JSON payload ({})",
            clip(&reading.overall.reason)
        )
    };
    match (outcome, body) {
        (ProbeOutcome::Response(_), Body::Json(value)) => Ok(value),
        (ProbeOutcome::Response(response), Body::NotJson) => Err(not_json(response.status)),
        (ProbeOutcome::Response(response), Body::Unread) => {
            serde_json::from_str(response.body.trim()).map_err(|_| not_json(response.status))
        }
        (ProbeOutcome::Failed(failure), _) => Err(failure.describe()),
        (ProbeOutcome::WebSocket(_), _) => Err("a WebSocket session has no payload".to_string()),
    }
}

impl Entry {
    /// Applies the outcome to the history and builds the view.
    fn settle(&mut self, outcome: Outcome, now: DateTime<Utc>) -> CriterionView {
        let history = &mut self.history;
        if history.state != Some(outcome.state) {
            // A change caused by a probe happened when that probe came back; one caused by the
            // clock alone (a window filling up or a payload going stale) happened now.
            let changed_at = match (outcome.observed_at, history.evaluated_at) {
                (Some(observed), Some(previous)) if observed >= previous => observed,
                (Some(observed), None) => observed,
                _ => now,
            }
            .min(now);
            if history.state == Some(CriterionState::Met) {
                if let Some(from) = history.met_since {
                    history.last_met = Some(MetSpan {
                        from,
                        to: changed_at,
                    });
                }
            }
            history.met_since = (outcome.state == CriterionState::Met).then_some(changed_at);
            history.since = Some(changed_at);
            history.state = Some(outcome.state);
        }
        history.evaluated_at = Some(now);
        let met = outcome.state == CriterionState::Met;
        let mut summary = outcome.summary;
        if !met {
            if let Some(span) = history.last_met {
                summary.push_str(&format!(
                    " Not met since {} (was met from {}).",
                    stamp(span.to, now),
                    stamp(span.from, now)
                ));
            }
        }
        CriterionView {
            id: self.criterion.id.clone(),
            title: self.criterion.title.clone(),
            description: self.criterion.description.clone(),
            kind: CriterionKind::of(&self.criterion.rule),
            state: outcome.state,
            met,
            progress: if met { 100 } else { outcome.progress.min(99) },
            summary,
            evidence: outcome.evidence,
            evaluated_at: now,
            observed_at: outcome.observed_at,
            since: history.since,
            met_since: history.met_since,
            last_met: if met { None } else { history.last_met },
        }
    }
}

fn stale_outcome(endpoint: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Outcome {
    let mut outcome = Outcome::unknown(format!(
        "No fresh data: {endpoint} was last probed {}.",
        crate::time::ago(now, at)
    ));
    outcome.observed_at = Some(at);
    outcome
}

fn item(
    subject: &str,
    state: CriterionState,
    text: String,
    endpoint: &str,
    at: Option<DateTime<Utc>>,
) -> EvidenceItem {
    EvidenceItem {
        subject: subject.to_string(),
        state,
        text,
        endpoint: endpoint.to_string(),
        field: String::new(),
        raw: String::new(),
        at,
    }
}

fn percent(part: usize, whole: usize) -> u8 {
    (part * 100).checked_div(whole).unwrap_or(0) as u8
}

fn newest(times: impl IntoIterator<Item = Option<DateTime<Utc>>>) -> Option<DateTime<Utc>> {
    times.into_iter().flatten().max()
}

/// A number for people: integers without decimals, others with up to three.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

fn one_decimal(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

fn clip(text: &str) -> String {
    crate::read::clip(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::HttpResponse;
    use chrono::TimeZone;

    fn config(window: &str) -> Config {
        let text = format!(
            r#"{{"schema_version": 1, "incident": {{"id": "1", "title": "t"}},
              "services": {{"b": {{"base_url": "https://b.example"}}}},
              "endpoints": [{{"id": "infra", "service": "b", "path": "/i"}}],
              "components": [{{"id": "c", "name": "c", "sources": [{{"endpoint": "infra"}}]}}],
              "criteria": [{{"id": "p", "title": "t", "kind": "absent_pattern", "patterns": ["error -3"],
                "watch": [{{"endpoint": "infra"}}], "window": {window}}}]}}"#
        );
        Config::parse(&text).unwrap()
    }

    fn samples(tracker: &CriteriaTracker) -> usize {
        match &tracker.entries[0].memory {
            Memory::Pattern(queues) => queues.values().map(VecDeque::len).sum(),
            _ => unreachable!(),
        }
    }

    fn run(tracker: &mut CriteriaTracker, probes: i64) {
        let start = Utc.with_ymd_and_hms(2025, 9, 16, 0, 0, 0).unwrap();
        for i in 0..probes {
            let result = ProbeResult {
                endpoint: "infra".into(),
                at: start + Duration::seconds(30 * i),
                latency_ms: 1,
                outcome: ProbeOutcome::Response(HttpResponse {
                    status: 200,
                    content_type: None,
                    body: r#"{"status":"ok"}"#.into(),
                }),
            };
            let reading = crate::read::read("infra", Default::default(), &result.outcome);
            tracker.observe(&result, &reading);
        }
    }

    #[test]
    fn memory_stays_bounded_over_days_of_probes() {
        // Three days of probes every 30 s.
        let days = 3 * 24 * 120;
        let mut by_count = CriteriaTracker::new(&config(r#"{"probes": 5}"#));
        run(&mut by_count, days);
        assert_eq!(samples(&by_count), 5);
        let mut by_time = CriteriaTracker::new(&config(r#"{"minutes": 10}"#));
        run(&mut by_time, days);
        assert_eq!(
            samples(&by_time),
            21,
            "10 min of 30 s probes, plus the edge"
        );
        let mut long = CriteriaTracker::new(&config(r#"{"minutes": 1440}"#));
        run(&mut long, days);
        assert_eq!(samples(&long), MAX_SAMPLES);
    }
}
