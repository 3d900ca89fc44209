//! The incident's success criteria, evaluated live from the probes the browser makes.
//!
//! [`CriteriaTracker`] is fed every probe result with its reading and asked, with the time,
//! where each criterion stands: met, not met or unknown, a progress value, the evidence, and
//! since when. It keeps bounded memory per criterion (streak counters, or at most
//! [`MAX_SAMPLES`] small samples per endpoint, never whole payloads), so a wall display can run
//! for days. It parses a probe's body only for endpoints a criterion reads fields from.
//!
//! Rules, per kind (see [`crate::config::sections::Rule`] for the configuration):
//! - `http_ok`: each endpoint's current run of HTTP 200s must cover the window (at least N
//!   probes, and/or reaching back T minutes). Progress is the share of endpoints that do.
//! - `absent_pattern`: no pattern (a substring, ASCII letters case-insensitive) in the watched
//!   fields of any payload read within the window, and at least one payload of each endpoint
//!   read in it (otherwise unknown). A window is the last N probes and the last T minutes, whichever
//!   reaches further back. Progress is the share of endpoints that are clean.
//! - `threshold`: the latest payload's numbers against their thresholds (the first present
//!   pointer of each check wins; `"1.284s"`, `"2.4%"` and plain numbers are read); when the
//!   payload has none of the numbers, the fallback status field decides. Progress of one check
//!   is 100 when it holds, else how close the value is: threshold ÷ value for `<`/`<=`, value ÷
//!   threshold for `>`/`>=`, capped at 99; a criterion's progress is its worst check's.
//! - `websocket`: consecutive successful handshakes; opened counts as success, including a
//!   close with 1008 (authentication failed: the infrastructure answered), while a socket that
//!   never opened (1006, or a refused upgrade), or one the server closed with 1011–1014 or that
//!   dropped (1006 after opening), is a failure. Progress is streak ÷ required.
//! - `validation_report`: the published `validate_infrastructure_fix.py --json` report; the
//!   pass rate is computed from the test entries (passed ÷ all), not taken from the script's
//!   `summary.pass_percentage`, which divides per-request passes by per-path totals and can
//!   exceed 100 (both are shown when they disagree). Progress is rate ÷ threshold, capped at
//!   99 while a critical category fails.
//!
//! A probe made while the browser was offline says nothing and is ignored. An endpoint whose
//! latest probe is older than [`stale_after_seconds`] makes its criterion unknown.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::sections::{unit_scale, Criterion, NumberCheck, Op, Rule, StatusCheck, Window};
use crate::config::Config;
use crate::probe::{ProbeFailure, ProbeOutcome, ProbeResult, WebSocketSession};
use crate::read::websocket::close_code_name;
use crate::read::{Body, Reading};
use crate::time::stamp;

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
enum Memory {
    HttpOk(BTreeMap<String, Streak>),
    Pattern(BTreeMap<String, VecDeque<PatternSample>>),
    Threshold(Option<Sample<Result<Extract, String>>>),
    Websocket(SocketMemory),
    Report(Option<Sample<Result<ReportSummary, String>>>),
}

#[derive(Clone, Debug)]
struct Sample<T> {
    at: DateTime<Utc>,
    value: T,
}

/// The current run of HTTP 200s of one endpoint.
#[derive(Clone, Debug, Default)]
struct Streak {
    ok: u32,
    ok_since: Option<DateTime<Utc>>,
    last_at: Option<DateTime<Utc>>,
    last_ok: bool,
    last_text: String,
}

#[derive(Clone, Debug)]
struct PatternSample {
    at: DateTime<Utc>,
    outcome: PatternOutcome,
}

#[derive(Clone, Debug)]
enum PatternOutcome {
    Clean,
    Found {
        pattern: String,
        field: String,
        excerpt: String,
    },
    NoRead(String),
}

#[derive(Clone, Debug)]
struct Extract {
    numbers: Vec<Option<NumberRead>>,
    fallback: Option<(String, String)>,
}

#[derive(Clone, Debug)]
struct NumberRead {
    field: String,
    raw: String,
    value: f64,
    unit: String,
}

#[derive(Clone, Debug, Default)]
struct SocketMemory {
    streak: u32,
    last: Option<(DateTime<Utc>, bool, String)>,
    last_failure: Option<(DateTime<Utc>, String)>,
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
            .map(|criterion| {
                let memory = match &criterion.rule {
                    Rule::HttpOk { .. } => Memory::HttpOk(BTreeMap::new()),
                    Rule::AbsentPattern { watch, .. } => {
                        bodies.extend(watch.iter().map(|w| w.endpoint.clone()));
                        Memory::Pattern(BTreeMap::new())
                    }
                    Rule::Threshold { endpoint, .. } => {
                        bodies.insert(endpoint.clone());
                        Memory::Threshold(None)
                    }
                    Rule::Websocket { .. } => Memory::Websocket(SocketMemory::default()),
                    Rule::ValidationReport { endpoint, .. } => {
                        bodies.insert(endpoint.clone());
                        Memory::Report(None)
                    }
                };
                Entry {
                    criterion: criterion.clone(),
                    memory,
                    history: History::default(),
                }
            })
            .collect();
        CriteriaTracker {
            entries,
            stale_after,
            bodies,
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
        for entry in &mut self.entries {
            entry.observe(result, reading, body.as_ref());
        }
    }

    /// Where every criterion stands at `now`, in configuration order. Remembers the states to
    /// tell since when each holds (or stopped holding).
    pub fn evaluate(&mut self, now: DateTime<Utc>) -> Vec<CriterionView> {
        let stale_after = &self.stale_after;
        self.entries
            .iter_mut()
            .map(|entry| {
                let outcome = entry.outcome(stale_after, now);
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
    fn watches(&self, endpoint: &str) -> bool {
        match &self.criterion.rule {
            Rule::HttpOk { endpoints, .. } => endpoints.iter().any(|e| e == endpoint),
            Rule::AbsentPattern { watch, .. } => watch.iter().any(|w| w.endpoint == endpoint),
            Rule::Threshold { endpoint: e, .. }
            | Rule::Websocket { endpoint: e, .. }
            | Rule::ValidationReport { endpoint: e, .. } => e == endpoint,
        }
    }

    fn observe(
        &mut self,
        result: &ProbeResult,
        reading: &Reading,
        body: Option<&Result<Value, String>>,
    ) {
        if !self.watches(&result.endpoint) {
            return;
        }
        let at = result.at;
        let no_body = || Err("no payload".to_string());
        match (&self.criterion.rule, &mut self.memory) {
            (Rule::HttpOk { .. }, Memory::HttpOk(streaks)) => {
                let streak = streaks.entry(result.endpoint.clone()).or_default();
                streak.last_at = Some(at);
                match &result.outcome {
                    ProbeOutcome::Response(response) if response.status == 200 => {
                        streak.ok = streak.ok.saturating_add(1);
                        streak.ok_since.get_or_insert(at);
                        streak.last_ok = true;
                        streak.last_text = "HTTP 200".to_string();
                    }
                    other => {
                        streak.ok = 0;
                        streak.ok_since = None;
                        streak.last_ok = false;
                        streak.last_text = match other {
                            ProbeOutcome::Response(response) => {
                                format!(
                                    "HTTP {} ({})",
                                    response.status,
                                    clip(&reading.overall.reason)
                                )
                            }
                            ProbeOutcome::Failed(failure) => failure.describe(),
                            ProbeOutcome::WebSocket(_) => {
                                "a WebSocket session, not an HTTP answer".to_string()
                            }
                        };
                    }
                }
            }
            (
                Rule::AbsentPattern {
                    patterns,
                    watch,
                    window,
                },
                Memory::Pattern(samples),
            ) => {
                let outcome = match body.cloned().unwrap_or_else(no_body) {
                    Err(reason) => PatternOutcome::NoRead(reason),
                    Ok(payload) => {
                        let fields = watch
                            .iter()
                            .filter(|w| w.endpoint == result.endpoint)
                            .flat_map(|w| w.fields.iter());
                        search(&payload, fields, patterns)
                    }
                };
                let queue = samples.entry(result.endpoint.clone()).or_default();
                queue.push_back(PatternSample { at, outcome });
                trim(queue, window, at);
            }
            (
                Rule::Threshold {
                    checks, fallback, ..
                },
                Memory::Threshold(latest),
            ) => {
                let value = body
                    .cloned()
                    .unwrap_or_else(no_body)
                    .map(|payload| extract(&payload, checks, fallback.as_ref()));
                *latest = Some(Sample { at, value });
            }
            (Rule::Websocket { .. }, Memory::Websocket(memory)) => {
                let (success, text) = handshake(&result.outcome);
                if success {
                    memory.streak = memory.streak.saturating_add(1);
                } else {
                    memory.streak = 0;
                    memory.last_failure = Some((at, text.clone()));
                }
                memory.last = Some((at, success, text));
            }
            (Rule::ValidationReport { .. }, Memory::Report(latest)) => {
                let value = match &result.outcome {
                    ProbeOutcome::Failed(failure) => {
                        Err(format!("report not fetched: {}", failure.describe()))
                    }
                    ProbeOutcome::Response(response) if response.status == 404 => {
                        Err("report not published (HTTP 404 Not Found)".to_string())
                    }
                    ProbeOutcome::Response(response) if response.status != 200 => {
                        Err(format!("report not available: HTTP {}", response.status))
                    }
                    _ => match body.cloned().unwrap_or_else(no_body) {
                        Ok(payload) => summarize_report(&payload),
                        Err(reason) => Err(format!("report not readable: {reason}")),
                    },
                };
                *latest = Some(Sample { at, value });
            }
            _ => {}
        }
    }

    fn outcome(&self, stale_after: &BTreeMap<String, i64>, now: DateTime<Utc>) -> Outcome {
        let stale = |endpoint: &str, at: DateTime<Utc>| {
            let limit = stale_after.get(endpoint).copied().unwrap_or(i64::MAX / 4);
            (now - at).num_seconds() > limit
        };
        match (&self.criterion.rule, &self.memory) {
            (Rule::HttpOk { endpoints, window }, Memory::HttpOk(streaks)) => {
                http_ok(endpoints, window, streaks, &stale, now)
            }
            (
                Rule::AbsentPattern {
                    patterns,
                    watch,
                    window,
                },
                Memory::Pattern(samples),
            ) => {
                let mut endpoints: Vec<&str> = Vec::new();
                for w in watch {
                    if !endpoints.contains(&w.endpoint.as_str()) {
                        endpoints.push(&w.endpoint);
                    }
                }
                absent_pattern(patterns, &endpoints, window, samples, &stale, now)
            }
            (
                Rule::Threshold {
                    endpoint,
                    checks,
                    fallback,
                },
                Memory::Threshold(latest),
            ) => match latest {
                None => Outcome::unknown(format!("{endpoint} not probed yet")),
                Some(sample) if stale(endpoint, sample.at) => {
                    stale_outcome(endpoint, sample.at, now)
                }
                Some(sample) => threshold(endpoint, checks, fallback.as_ref(), sample, now),
            },
            (
                Rule::Websocket {
                    endpoint,
                    consecutive,
                },
                Memory::Websocket(memory),
            ) => websocket(endpoint, *consecutive, memory, &stale, now),
            (
                Rule::ValidationReport {
                    endpoint,
                    min_pass_rate,
                    max_age_minutes,
                },
                Memory::Report(latest),
            ) => match latest {
                None => Outcome::unknown(format!("report ({endpoint}) not fetched yet")),
                Some(sample) if stale(endpoint, sample.at) => {
                    stale_outcome(endpoint, sample.at, now)
                }
                Some(sample) => report(endpoint, *min_pass_rate, *max_age_minutes, sample, now),
            },
            _ => Outcome::unknown("internal mismatch between rule and memory"),
        }
    }

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

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

// --- http_ok --------------------------------------------------------------------------------

fn http_ok(
    endpoints: &[String],
    window: &Window,
    streaks: &BTreeMap<String, Streak>,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let mut evidence = Vec::new();
    let mut failing = Vec::new();
    let mut unknown = Vec::new();
    for endpoint in endpoints {
        let streak = streaks.get(endpoint);
        let line = match streak {
            None => {
                unknown.push(format!("{endpoint} not probed yet"));
                item(
                    endpoint,
                    CriterionState::Unknown,
                    "not probed yet".into(),
                    endpoint,
                    None,
                )
            }
            Some(s) if s.last_at.is_some_and(|at| stale(endpoint, at)) => {
                let ago = crate::time::ago(now, s.last_at.unwrap_or(now));
                unknown.push(format!("{endpoint} last probed {ago}"));
                item(
                    endpoint,
                    CriterionState::Unknown,
                    format!("no fresh probe: last probed {ago}"),
                    endpoint,
                    s.last_at,
                )
            }
            Some(s) if !s.last_ok => {
                failing.push(format!("{endpoint} ({})", s.last_text));
                let at = s.last_at.map(|t| stamp(t, now)).unwrap_or_default();
                item(
                    endpoint,
                    CriterionState::NotMet,
                    format!("{} at {at}; no HTTP 200 run", s.last_text),
                    endpoint,
                    s.last_at,
                )
            }
            Some(s) => {
                let since = s.ok_since.unwrap_or(now);
                let enough_probes = window.probes.is_none_or(|n| s.ok >= n);
                let long_enough = window
                    .minutes
                    .is_none_or(|m| since <= now - Duration::minutes(i64::from(m)));
                let run = format!(
                    "HTTP 200 on {} in a row since {}",
                    plural(s.ok as usize, "probe", "probes"),
                    stamp(since, now)
                );
                if enough_probes && long_enough {
                    item(endpoint, CriterionState::Met, run, endpoint, s.last_at)
                } else {
                    item(
                        endpoint,
                        CriterionState::NotMet,
                        format!("{run}; needs {}", window.describe()),
                        endpoint,
                        s.last_at,
                    )
                }
            }
        };
        evidence.push(line);
    }
    let met = evidence
        .iter()
        .filter(|e| e.state == CriterionState::Met)
        .count();
    let total = endpoints.len();
    let state = if !failing.is_empty() {
        CriterionState::NotMet
    } else if !unknown.is_empty() {
        CriterionState::Unknown
    } else if met == total {
        CriterionState::Met
    } else {
        CriterionState::NotMet
    };
    let summary = match state {
        CriterionState::Met => format!(
            "All {} answered HTTP 200 on every probe of {}.",
            plural(total, "endpoint", "endpoints"),
            window.describe()
        ),
        CriterionState::NotMet if !failing.is_empty() => format!(
            "{met} of {total} endpoints meet it; not answering 200: {}.",
            failing.join(", ")
        ),
        CriterionState::NotMet => format!(
            "{met} of {total} endpoints meet it; the others answer 200 but not yet for {}.",
            window.describe()
        ),
        CriterionState::Unknown => format!("Cannot tell yet: {}.", unknown.join(", ")),
    };
    Outcome {
        state,
        progress: percent(met, total),
        summary,
        observed_at: newest(evidence.iter().map(|e| e.at)),
        evidence,
    }
}

// --- absent_pattern -------------------------------------------------------------------------

/// Drops samples the window no longer needs: beyond its probe count and older than its
/// minutes (whichever keeps more), and never more than [`MAX_SAMPLES`].
fn trim(queue: &mut VecDeque<PatternSample>, window: &Window, now: DateTime<Utc>) {
    let keep = window.probes.unwrap_or(1) as usize;
    match window.minutes {
        None => {
            while queue.len() > keep {
                queue.pop_front();
            }
        }
        Some(minutes) => {
            let cutoff = now - Duration::minutes(i64::from(minutes));
            while queue.len() > keep && queue.front().is_some_and(|s| s.at < cutoff) {
                queue.pop_front();
            }
        }
    }
    while queue.len() > MAX_SAMPLES {
        queue.pop_front();
    }
}

/// The samples inside the window at `now`.
fn in_window<'a>(
    queue: &'a VecDeque<PatternSample>,
    window: &Window,
    now: DateTime<Utc>,
) -> impl Iterator<Item = &'a PatternSample> {
    let by_count = window
        .probes
        .map(|n| queue.len().saturating_sub(n as usize));
    let by_time = window.minutes.map(|m| {
        let cutoff = now - Duration::minutes(i64::from(m));
        queue
            .iter()
            .position(|s| s.at >= cutoff)
            .unwrap_or(queue.len())
    });
    let start = match (by_count, by_time) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => queue.len().saturating_sub(1),
    };
    queue.iter().skip(start)
}

/// Searches the strings at and below each pointer of `fields` for any of `patterns`.
fn search<'a>(
    payload: &Value,
    fields: impl Iterator<Item = &'a String>,
    patterns: &[String],
) -> PatternOutcome {
    // ASCII case folding: patterns are log keywords, and Unicode case tables cost ~9 KB of wasm.
    let lowered: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
    for field in fields {
        let Some(start) = payload.pointer(field) else {
            continue;
        };
        if let Some((pointer, text, index)) = find_in(start, field.clone(), &lowered) {
            return PatternOutcome::Found {
                pattern: patterns[index].clone(),
                field: pointer,
                excerpt: clip(&text),
            };
        }
    }
    PatternOutcome::Clean
}

fn find_in(value: &Value, pointer: String, patterns: &[String]) -> Option<(String, String, usize)> {
    match value {
        Value::String(text) => {
            let lower = text.to_ascii_lowercase();
            patterns
                .iter()
                .position(|p| lower.contains(p.as_str()))
                .map(|index| (pointer, text.clone(), index))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_in(v, format!("{pointer}/{i}"), patterns)),
        Value::Object(map) => map.iter().find_map(|(key, v)| {
            let escaped = key.replace('~', "~0").replace('/', "~1");
            find_in(v, format!("{pointer}/{escaped}"), patterns)
        }),
        _ => None,
    }
}

fn absent_pattern(
    patterns: &[String],
    endpoints: &[&str],
    window: &Window,
    samples: &BTreeMap<String, VecDeque<PatternSample>>,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let quoted: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
    let quoted = quoted.join(" or ");
    let mut evidence = Vec::new();
    let mut reads_total = 0;
    let mut sightings = Vec::new();
    let mut missing = Vec::new();
    for endpoint in endpoints {
        let Some(queue) = samples.get(*endpoint) else {
            missing.push(format!("{endpoint} not probed yet"));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                "not probed yet".into(),
                endpoint,
                None,
            ));
            continue;
        };
        let last_at = queue.back().map(|s| s.at);
        if let Some(at) = last_at.filter(|at| stale(endpoint, *at)) {
            missing.push(format!(
                "{endpoint} last probed {}",
                crate::time::ago(now, at)
            ));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                format!("no fresh probe: last probed {}", crate::time::ago(now, at)),
                endpoint,
                Some(at),
            ));
            continue;
        }
        let window_samples: Vec<&PatternSample> = in_window(queue, window, now).collect();
        let reads = window_samples
            .iter()
            .filter(|s| !matches!(s.outcome, PatternOutcome::NoRead(_)))
            .count();
        reads_total += reads;
        let found = window_samples.iter().rev().find_map(|s| match &s.outcome {
            PatternOutcome::Found {
                pattern,
                field,
                excerpt,
            } => Some((s.at, pattern, field, excerpt)),
            _ => None,
        });
        if let Some((at, pattern, field, excerpt)) = found {
            sightings.push(format!("{endpoint} at {}", stamp(at, now)));
            evidence.push(EvidenceItem {
                subject: endpoint.to_string(),
                state: CriterionState::NotMet,
                text: format!(
                    "\"{pattern}\" in {} at {}",
                    if field.is_empty() {
                        "the payload"
                    } else {
                        field
                    },
                    stamp(at, now)
                ),
                endpoint: endpoint.to_string(),
                field: field.clone(),
                raw: excerpt.clone(),
                at: Some(at),
            });
        } else if reads == 0 {
            let reason = window_samples
                .iter()
                .rev()
                .find_map(|s| match &s.outcome {
                    PatternOutcome::NoRead(reason) => Some(reason.as_str()),
                    _ => None,
                })
                .unwrap_or("no probe in the window");
            missing.push(format!("no readable {endpoint} payload ({reason})"));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                format!("no readable payload in {}: {reason}", window.describe()),
                endpoint,
                last_at,
            ));
        } else {
            evidence.push(item(
                endpoint,
                CriterionState::Met,
                format!(
                    "absent from {} in {}",
                    plural(reads, "read", "reads"),
                    window.describe()
                ),
                endpoint,
                last_at,
            ));
        }
    }
    let clean = evidence
        .iter()
        .filter(|e| e.state == CriterionState::Met)
        .count();
    let state = if !sightings.is_empty() {
        CriterionState::NotMet
    } else if !missing.is_empty() {
        CriterionState::Unknown
    } else {
        CriterionState::Met
    };
    let summary = match state {
        CriterionState::NotMet => format!("{quoted} still appears: {}.", sightings.join(", ")),
        CriterionState::Unknown => format!(
            "No {quoted} seen, but not every payload could be read: {}.",
            missing.join("; ")
        ),
        CriterionState::Met => format!(
            "No {quoted} in {} of {} over {}.",
            plural(reads_total, "read", "reads"),
            plural(endpoints.len(), "payload", "payloads"),
            window.describe()
        ),
    };
    Outcome {
        state,
        progress: percent(clean, endpoints.len()),
        summary,
        observed_at: newest(evidence.iter().map(|e| e.at)),
        evidence,
    }
}

// --- threshold ------------------------------------------------------------------------------

/// Reads a number from a JSON number or a string such as `"1.284s"`, `"2.4%"`, `"97.6"`.
pub fn read_number(value: &Value) -> Option<(f64, String)> {
    match value {
        Value::Number(number) => number.as_f64().map(|n| (n, String::new())),
        Value::String(text) => crate::read::parse_number_with_unit(text),
        _ => None,
    }
}

fn extract(payload: &Value, checks: &[NumberCheck], fallback: Option<&StatusCheck>) -> Extract {
    let numbers = checks
        .iter()
        .map(|check| {
            check.fields.iter().find_map(|field| {
                let value = payload.pointer(field)?;
                let (number, unit) = read_number(value)?;
                Some(NumberRead {
                    field: field.clone(),
                    raw: clip(&value.to_string()),
                    value: number,
                    unit,
                })
            })
        })
        .collect();
    let fallback = fallback.and_then(|f| {
        f.fields.iter().find_map(|field| {
            let text = payload.pointer(field)?.as_str()?;
            Some((field.clone(), clip(text)))
        })
    });
    Extract { numbers, fallback }
}

/// How close `value` is to meeting `op threshold`, 0–100 (see the module documentation).
pub fn closeness(op: Op, value: f64, threshold: f64) -> u8 {
    if op.holds(value, threshold) {
        return 100;
    }
    let ratio = if op.lower_is_better() {
        if value > 0.0 && threshold > 0.0 {
            threshold / value
        } else {
            0.0
        }
    } else if threshold > 0.0 {
        value / threshold
    } else {
        0.0
    };
    (ratio * 100.0).floor().clamp(0.0, 99.0) as u8
}

fn threshold(
    endpoint: &str,
    checks: &[NumberCheck],
    fallback: Option<&StatusCheck>,
    sample: &Sample<Result<Extract, String>>,
    now: DateTime<Utc>,
) -> Outcome {
    let at = Some(sample.at);
    let extract = match &sample.value {
        Err(reason) => {
            let mut outcome =
                Outcome::unknown(format!("No readable {endpoint} payload: {reason}."));
            outcome.observed_at = at;
            return outcome;
        }
        Ok(extract) => extract,
    };
    let when = stamp(sample.at, now);
    if extract.numbers.iter().any(Option::is_some) {
        let mut evidence = Vec::new();
        let mut progress = 100u8;
        for (check, read) in checks.iter().zip(&extract.numbers) {
            let label = if check.label.is_empty() {
                check.fields.first().cloned().unwrap_or_default()
            } else {
                check.label.clone()
            };
            let wanted = format!(
                "{} {}{}",
                check.op.as_str(),
                number(check.value),
                unit_suffix(&check.unit)
            );
            let Some(read) = read else {
                progress = 0;
                evidence.push(item(
                    &label,
                    CriterionState::Unknown,
                    format!(
                        "not reported by {endpoint} (tried {})",
                        check.fields.join(", ")
                    ),
                    endpoint,
                    at,
                ));
                continue;
            };
            let Some(value) = convert(read.value, &read.unit, &check.unit) else {
                progress = 0;
                evidence.push(EvidenceItem {
                    subject: label,
                    state: CriterionState::Unknown,
                    text: format!(
                        "{} is in {}, the threshold in {}: cannot compare",
                        read.raw, read.unit, check.unit
                    ),
                    endpoint: endpoint.to_string(),
                    field: read.field.clone(),
                    raw: read.raw.clone(),
                    at,
                });
                continue;
            };
            let holds = check.op.holds(value, check.value);
            progress = progress.min(closeness(check.op, value, check.value));
            evidence.push(EvidenceItem {
                subject: label.clone(),
                state: if holds {
                    CriterionState::Met
                } else {
                    CriterionState::NotMet
                },
                text: format!(
                    "{label} {}{} at {when}: needs {wanted}",
                    number(value),
                    unit_suffix(if check.unit.is_empty() {
                        &read.unit
                    } else {
                        &check.unit
                    })
                ),
                endpoint: endpoint.to_string(),
                field: read.field.clone(),
                raw: read.raw.clone(),
                at,
            });
        }
        let state = CriterionState::worst(evidence.iter().map(|e| e.state));
        let parts: Vec<String> = evidence.iter().map(|e| e.text.clone()).collect();
        let summary = match state {
            CriterionState::Met => format!("Within thresholds: {}.", parts.join("; ")),
            CriterionState::NotMet => {
                let off: Vec<String> = evidence
                    .iter()
                    .filter(|e| e.state == CriterionState::NotMet)
                    .map(|e| e.text.clone())
                    .collect();
                format!("Over threshold: {}.", off.join("; "))
            }
            CriterionState::Unknown => {
                format!("Not every number could be read: {}.", parts.join("; "))
            }
        };
        return Outcome {
            state,
            progress,
            summary,
            evidence,
            observed_at: at,
        };
    }
    let tried: Vec<&str> = checks
        .iter()
        .flat_map(|c| c.fields.iter().map(String::as_str))
        .collect();
    match (fallback, &extract.fallback) {
        (Some(rule), Some((field, value))) => {
            let holds = rule
                .equals
                .iter()
                .any(|w| w.eq_ignore_ascii_case(value.trim()));
            let wanted = rule.equals.join(" or ");
            let state = if holds {
                CriterionState::Met
            } else {
                CriterionState::NotMet
            };
            let why = if tried.is_empty() {
                String::new()
            } else {
                " (this backend reports no connection numbers; status fallback)".to_string()
            };
            let text = format!("{field} is \"{value}\" at {when}: needs {wanted}{why}");
            Outcome {
                state,
                progress: if holds { 100 } else { 0 },
                summary: format!("{}.", capitalize(&text)),
                evidence: vec![EvidenceItem {
                    subject: field.clone(),
                    state,
                    text,
                    endpoint: endpoint.to_string(),
                    field: field.clone(),
                    raw: value.clone(),
                    at,
                }],
                observed_at: at,
            }
        }
        _ => {
            let mut fields = tried.clone();
            if let Some(rule) = fallback {
                fields.extend(rule.fields.iter().map(String::as_str));
            }
            let mut outcome = Outcome::unknown(format!(
                "{endpoint} reports none of {} (latest payload {when}).",
                fields.join(", ")
            ));
            outcome.observed_at = at;
            outcome
        }
    }
}

/// Converts `value` from `from` into `to` when they are different time units; the same unit,
/// or an empty one on either side, needs no conversion; anything else cannot be compared.
fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    if from.is_empty() || to.is_empty() || from.eq_ignore_ascii_case(to) {
        return Some(value);
    }
    Some(value * unit_scale(from)? / unit_scale(to)?)
}

fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" => "%".to_string(),
        other => format!(" {other}"),
    }
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

// --- websocket ------------------------------------------------------------------------------

/// Whether one WebSocket probe shows a working connection path, and why.
fn handshake(outcome: &ProbeOutcome) -> (bool, String) {
    match outcome {
        ProbeOutcome::WebSocket(session) => session_verdict(session),
        ProbeOutcome::Failed(failure) => (false, format!("no handshake: {}", failure.describe())),
        ProbeOutcome::Response(response) => (
            false,
            format!(
                "HTTP {} where a WebSocket handshake was expected",
                response.status
            ),
        ),
    }
}

fn session_verdict(session: &WebSocketSession) -> (bool, String) {
    let code_text = |code: u16| {
        if session.close_reason.is_empty() {
            format!("{code} {}", close_code_name(code))
        } else {
            format!(
                "{code} {}: {}",
                close_code_name(code),
                clip(&session.close_reason)
            )
        }
    };
    match (session.opened, session.close_code) {
        (true, None) => (true, "handshake succeeded".to_string()),
        (true, Some(1008)) => (
            true,
            format!(
                "handshake succeeded, then closed {} (expected without credentials: the infrastructure answered)",
                code_text(1008)
            ),
        ),
        (true, Some(code @ (1006 | 1011..=1015))) => (
            false,
            format!("opened, then failed: {}", code_text(code)),
        ),
        (true, Some(code)) => (
            true,
            format!("handshake succeeded, then closed {}", code_text(code)),
        ),
        (false, Some(code)) => (
            false,
            format!(
                "handshake failed: closed before opening ({}); a refused upgrade (HTTP 500/503) reaches the browser this way",
                code_text(code)
            ),
        ),
        (false, None) => (false, "handshake did not complete".to_string()),
    }
}

fn websocket(
    endpoint: &str,
    consecutive: u32,
    memory: &SocketMemory,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let Some((at, success, text)) = &memory.last else {
        return Outcome::unknown(format!("{endpoint} not probed yet."));
    };
    if stale(endpoint, *at) {
        return stale_outcome(endpoint, *at, now);
    }
    let needed = consecutive.max(1);
    let streak = memory.streak.min(needed);
    let mut evidence = vec![item(
        endpoint,
        if *success {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        format!("latest at {}: {text}", stamp(*at, now)),
        endpoint,
        Some(*at),
    )];
    if let Some((failed_at, failure)) = &memory.last_failure {
        if failed_at != at {
            evidence.push(item(
                endpoint,
                CriterionState::NotMet,
                format!("last failure at {}: {failure}", stamp(*failed_at, now)),
                endpoint,
                Some(*failed_at),
            ));
        }
    }
    let met = memory.streak >= needed;
    let summary = if met {
        format!(
            "{} handshakes in a row succeeded (needs {needed}); latest: {text}.",
            memory.streak
        )
    } else if *success {
        format!("{streak} of {needed} successful handshakes in a row so far; latest: {text}.")
    } else {
        format!("0 of {needed} in a row: latest {text}.")
    };
    Outcome {
        state: if met {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        progress: (u64::from(streak) * 100 / u64::from(needed)) as u8,
        summary,
        evidence,
        observed_at: Some(*at),
    }
}

// --- validation_report ----------------------------------------------------------------------

/// What a validation report says, counted from its test entries.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportSummary {
    /// All test entries (requests).
    pub entries: u32,
    /// Entries whose status is `passed`.
    pub passed: u32,
    /// The script's own `summary.pass_percentage`, if present.
    pub script_percentage: Option<f64>,
    /// Each category, by name.
    pub categories: Vec<CategoryResult>,
    /// `summary.end_time`, when readable.
    pub finished_at: Option<DateTime<Utc>>,
    /// `infrastructure_team_signoff.recommendation`, when present.
    pub recommendation: Option<String>,
}

impl ReportSummary {
    /// Passed entries ÷ all entries, in percent.
    pub fn pass_rate(&self) -> f64 {
        if self.entries == 0 {
            0.0
        } else {
            f64::from(self.passed) * 100.0 / f64::from(self.entries)
        }
    }
}

/// One category of a validation report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryResult {
    /// Its name, e.g. `database_operations`.
    pub name: String,
    /// Whether the script counts it as critical.
    pub critical: bool,
    /// Entries passed.
    pub passed: u32,
    /// All entries.
    pub entries: u32,
    /// `required_passing`, when given.
    pub required: Option<u32>,
    /// Whether it passes: at least `required` passed entries (the script's rule), else the
    /// script's `success`, else every entry passed.
    pub passes: bool,
}

/// Reads a `validate_infrastructure_fix.py --json` report.
pub fn summarize_report(payload: &Value) -> Result<ReportSummary, String> {
    let Some(categories) = payload.get("test_categories").and_then(Value::as_object) else {
        return Err("not a validation report (no \"test_categories\" object)".to_string());
    };
    let mut results = Vec::new();
    for (name, category) in categories {
        let tests: Vec<&Value> = match category.get("tests") {
            Some(Value::Object(map)) => map.values().collect(),
            Some(Value::Array(items)) => items.iter().collect(),
            _ => Vec::new(),
        };
        let entries = tests.len() as u32;
        let passed = tests
            .iter()
            .filter(|t| t.get("status").and_then(Value::as_str) == Some("passed"))
            .count() as u32;
        let required = category
            .get("required_passing")
            .and_then(Value::as_u64)
            .map(|n| n.min(u64::from(u32::MAX)) as u32);
        let passes = match (required, category.get("success").and_then(Value::as_bool)) {
            (Some(required), _) => passed >= required && entries > 0,
            (None, Some(success)) => success,
            (None, None) => entries > 0 && passed == entries,
        };
        results.push(CategoryResult {
            name: name.clone(),
            critical: category.get("critical").and_then(Value::as_bool) == Some(true),
            passed,
            entries,
            required,
            passes,
        });
    }
    let entries: u32 = results.iter().map(|c| c.entries).sum();
    if entries == 0 {
        return Err("the report has no test entries".to_string());
    }
    let summary = payload.get("summary");
    Ok(ReportSummary {
        entries,
        passed: results.iter().map(|c| c.passed).sum(),
        script_percentage: summary
            .and_then(|s| s.get("pass_percentage"))
            .and_then(Value::as_f64),
        categories: results,
        finished_at: summary
            .and_then(|s| s.get("end_time"))
            .and_then(Value::as_str)
            .and_then(crate::read::timestamp::parse_text)
            .map(|parsed| parsed.at),
        recommendation: payload
            .pointer("/infrastructure_team_signoff/recommendation")
            .and_then(Value::as_str)
            .map(clip),
    })
}

fn report(
    endpoint: &str,
    min_pass_rate: f64,
    max_age_minutes: Option<u32>,
    sample: &Sample<Result<ReportSummary, String>>,
    now: DateTime<Utc>,
) -> Outcome {
    let at = Some(sample.at);
    let summary = match &sample.value {
        Err(reason) => {
            let mut outcome = Outcome::unknown(format!("{}.", capitalize(reason)));
            outcome.observed_at = at;
            outcome.evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                reason.clone(),
                endpoint,
                at,
            ));
            return outcome;
        }
        Ok(summary) => summary,
    };
    let mut evidence = Vec::new();
    if let Some(finished) = summary.finished_at {
        let too_old =
            max_age_minutes.is_some_and(|m| finished < now - Duration::minutes(i64::from(m)));
        let text = format!(
            "report finished {} ({})",
            stamp(finished, now),
            crate::time::ago(now, finished)
        );
        if too_old {
            let mut outcome = Outcome::unknown(format!(
                "The latest report is too old to count: it finished {}, more than {} min ago.",
                stamp(finished, now),
                max_age_minutes.unwrap_or_default()
            ));
            outcome.observed_at = at;
            outcome
                .evidence
                .push(item(endpoint, CriterionState::Unknown, text, endpoint, at));
            return outcome;
        }
        evidence.push(item(endpoint, CriterionState::Met, text, endpoint, at));
    }
    let rate = summary.pass_rate();
    let failing: Vec<&str> = summary
        .categories
        .iter()
        .filter(|c| c.critical && !c.passes)
        .map(|c| c.name.as_str())
        .collect();
    for category in &summary.categories {
        let needs = match category.required {
            Some(required) => format!(", needs {required}"),
            None => String::new(),
        };
        evidence.push(EvidenceItem {
            subject: category.name.clone(),
            state: if category.passes {
                CriterionState::Met
            } else {
                CriterionState::NotMet
            },
            text: format!(
                "{}{}: {} of {} requests passed{needs}: {}",
                category.name,
                if category.critical { " (critical)" } else { "" },
                category.passed,
                category.entries,
                if category.passes {
                    "passing"
                } else {
                    "failing"
                }
            ),
            endpoint: endpoint.to_string(),
            field: format!("/test_categories/{}", category.name),
            raw: String::new(),
            at,
        });
    }
    let mut text = format!(
        "{} of {} test requests passed ({}%, needs {}%)",
        summary.passed,
        summary.entries,
        one_decimal(rate),
        number(min_pass_rate)
    );
    if let Some(script) = summary.script_percentage {
        if (script - rate).abs() >= 0.05 {
            let note = format!(
                "the script's own summary says {}% (it divides per-request passes by the number of paths)",
                one_decimal(script)
            );
            evidence.push(EvidenceItem {
                subject: "summary.pass_percentage".to_string(),
                state: CriterionState::Unknown,
                text: note.clone(),
                endpoint: endpoint.to_string(),
                field: "/summary/pass_percentage".to_string(),
                raw: script.to_string(),
                at,
            });
            text.push_str(&format!("; {note}"));
        }
    }
    if !failing.is_empty() {
        text.push_str(&format!(
            "; critical categories failing: {}",
            failing.join(", ")
        ));
    }
    let met = rate >= min_pass_rate && failing.is_empty();
    let mut progress = if min_pass_rate <= 0.0 {
        100.0
    } else {
        (rate / min_pass_rate).min(1.0) * 100.0
    };
    if !met {
        progress = progress.min(99.0);
    }
    Outcome {
        state: if met {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        progress: progress.floor() as u8,
        summary: format!("{}.", capitalize(&text)),
        evidence,
        observed_at: at,
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
