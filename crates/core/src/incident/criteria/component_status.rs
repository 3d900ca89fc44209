//! `component_status`: a component's status, as its row shows it, is one of the accepted levels
//! on every probe of the window; its memory (the current run of accepted statuses and the
//! latest one) and evaluation. Also the rule every criterion that names a component obeys,
//! whatever its kind ([`hold_to_components`]), and [`Watched`], the components criteria name,
//! worked out as the board works them out.

use super::*;
use crate::board::Board;
use crate::config::ComponentConfig;
use crate::probe::HttpResponse;

/// The components some criterion names, each evaluated by the board's own rule from the latest
/// reading of each of its sources. Only those sources' readings are kept, without their bodies.
#[derive(Clone, Debug, Default)]
pub(super) struct Watched {
    components: Vec<ComponentConfig>,
    board: Board,
}

impl Watched {
    pub(super) fn new(config: &Config) -> Watched {
        let named: BTreeSet<&str> = config
            .criteria
            .iter()
            .flat_map(|c| c.rule.components())
            .collect();
        let components = config
            .components
            .iter()
            .filter(|c| named.contains(c.id.as_str()))
            .cloned()
            .collect();
        Watched {
            components,
            board: Board::default(),
        }
    }

    /// Takes one probe; returns the named components it feeds, as they stand after it.
    pub(super) fn observe(
        &mut self,
        result: &ProbeResult,
        reading: &Reading,
    ) -> BTreeMap<String, ComponentView> {
        let fed: Vec<&ComponentConfig> = self
            .components
            .iter()
            .filter(|c| c.sources.iter().any(|s| s.endpoint == result.endpoint))
            .collect();
        if fed.is_empty() {
            return BTreeMap::new();
        }
        self.board
            .record_read(without_body(result), reading.clone());
        fed.into_iter()
            .map(|c| (c.id.clone(), self.board.component(c)))
            .collect()
    }

    /// Every named component as it stands now.
    pub(super) fn views(&self) -> BTreeMap<String, ComponentView> {
        self.components
            .iter()
            .map(|c| (c.id.clone(), self.board.component(c)))
            .collect()
    }
}

/// The probe without its body: a component's status needs only the reading.
fn without_body(result: &ProbeResult) -> ProbeResult {
    let outcome = match &result.outcome {
        ProbeOutcome::Response(response) => ProbeOutcome::Response(HttpResponse {
            status: response.status,
            content_type: response.content_type.clone(),
            body: String::new(),
        }),
        other => other.clone(),
    };
    ProbeResult {
        endpoint: result.endpoint.clone(),
        at: result.at,
        latency_ms: result.latency_ms,
        outcome,
    }
}

/// The current run of probes on which a component had an accepted status, and the latest.
#[derive(Clone, Debug, Default)]
pub(super) struct ComponentRun {
    run: u32,
    run_since: Option<DateTime<Utc>>,
    last: Option<Sample<Glimpse>>,
}

/// A component as one probe left it.
#[derive(Clone, Debug)]
struct Glimpse {
    /// The endpoint whose probe it was.
    endpoint: String,
    status: Status,
    reason: String,
    /// The deciding finding's field and raw value.
    field: String,
    raw: String,
}

impl ComponentRun {
    /// Takes the component as a probe of one of its sources left it: an accepted status
    /// extends the run, any other ends it.
    pub(super) fn observe(
        &mut self,
        view: &ComponentView,
        levels: &[Status],
        result: &ProbeResult,
    ) {
        if levels.contains(&view.status) {
            self.run = self.run.saturating_add(1);
            self.run_since.get_or_insert(result.at);
        } else {
            self.run = 0;
            self.run_since = None;
        }
        let deciding = view.evidence.iter().find(|f| f.status == view.status);
        let glimpse = Glimpse {
            endpoint: result.endpoint.clone(),
            status: view.status,
            reason: clip(&view.reason),
            field: deciding
                .map(|f| f.evidence.field.clone())
                .unwrap_or_default(),
            raw: deciding.map(|f| f.evidence.raw.clone()).unwrap_or_default(),
        };
        self.last = Some(Sample {
            at: result.at,
            value: glimpse,
        });
    }
}

/// "operational or degraded".
pub(super) fn levels_text(levels: &[Status]) -> String {
    let words: Vec<String> = levels
        .iter()
        .map(|l| l.label().to_ascii_lowercase())
        .collect();
    words.join(" or ")
}

pub(super) fn component_status(
    component: &str,
    levels: &[Status],
    window: &Window,
    run: &ComponentRun,
    judging: &Judging,
) -> Outcome {
    let now = judging.now;
    let name = judging
        .components
        .get(component)
        .map_or(component, |view| view.name.as_str());
    let Some(last) = &run.last else {
        return Outcome::unknown(format!("{name} not checked yet."));
    };
    let seen = &last.value;
    if judging.stale(&seen.endpoint, last.at) {
        return stale_outcome(&seen.endpoint, last.at, now);
    }
    let wanted = levels_text(levels);
    let label = seen.status.label().to_ascii_lowercase();
    let when = stamp(last.at, now);
    let (state, progress, text) = if seen.status == Status::Unknown {
        let text = format!("{name} cannot be checked at {when}: {}", seen.reason);
        (CriterionState::Unknown, 0, text)
    } else if !levels.contains(&seen.status) {
        let text = format!("{name} {label} at {when} ({}); needs {wanted}", seen.reason);
        (CriterionState::NotMet, 0, text)
    } else {
        run_state(name, &label, window, run, now)
    };
    Outcome {
        state,
        progress,
        summary: format!("{}.", capitalize(&text)),
        evidence: vec![EvidenceItem {
            subject: name.to_string(),
            state,
            text,
            endpoint: seen.endpoint.clone(),
            field: seen.field.clone(),
            raw: seen.raw.clone(),
            at: Some(last.at),
        }],
        observed_at: Some(last.at),
    }
}

/// Where an accepted run stands against the window: met once it has enough probes and reaches
/// back far enough; progress is the smaller share of the two.
fn run_state(
    name: &str,
    label: &str,
    window: &Window,
    run: &ComponentRun,
    now: DateTime<Utc>,
) -> (CriterionState, u8, String) {
    let since = run.run_since.unwrap_or(now);
    let by_probes = window
        .probes
        .map_or(100, |n| percent(run.run as usize, n as usize).min(100));
    let by_time = window.minutes.map_or(100, |m| {
        let elapsed = (now - since).num_seconds().max(0) as usize;
        percent(elapsed, m as usize * 60).min(100)
    });
    let text = format!(
        "{name} {label} on {} in a row since {}",
        plural(run.run as usize, "probe", "probes"),
        stamp(since, now)
    );
    if by_probes == 100 && by_time == 100 {
        (CriterionState::Met, 100, text)
    } else {
        let text = format!("{text}; needs {}", window.describe());
        (CriterionState::NotMet, by_probes.min(by_time), text)
    }
}

/// A criterion that names a component is never met while that component is in an outage
/// (partial or major), whatever its kind or conditions say: "met" next to a row in an outage
/// would mislead whoever reads the page.
pub(super) fn hold_to_components(
    mut outcome: Outcome,
    rule: &Rule,
    components: &BTreeMap<String, ComponentView>,
) -> Outcome {
    if outcome.state != CriterionState::Met {
        return outcome;
    }
    let named: BTreeSet<&str> = rule.components().into_iter().collect();
    let down: Vec<&ComponentView> = named
        .iter()
        .filter_map(|id| components.get(*id))
        .filter(|view| matches!(view.status, Status::PartialOutage | Status::MajorOutage))
        .collect();
    if down.is_empty() {
        return outcome;
    }
    let mut why = Vec::new();
    for view in down {
        let label = view.status.label().to_ascii_lowercase();
        let text = format!("{} is in a {label}: {}", view.name, clip(&view.reason));
        let deciding = view.evidence.iter().find(|f| f.status == view.status);
        outcome.evidence.push(EvidenceItem {
            subject: view.name.clone(),
            state: CriterionState::NotMet,
            text: text.clone(),
            endpoint: deciding
                .map(|f| f.evidence.endpoint.clone())
                .unwrap_or_default(),
            field: deciding
                .map(|f| f.evidence.field.clone())
                .unwrap_or_default(),
            raw: deciding.map(|f| f.evidence.raw.clone()).unwrap_or_default(),
            at: view.observed_at,
        });
        why.push(text);
    }
    outcome.state = CriterionState::NotMet;
    outcome.progress = outcome.progress.min(99);
    outcome.summary = format!("Not met while {}. {}", why.join("; "), outcome.summary);
    outcome
}
