//! `all_of` and `any_of`: criteria whose conditions are other criteria's rules, each judged by
//! its own kind from its own memory. `all_of` is met when every condition is, not met as soon
//! as one is not, and unknown otherwise; `any_of` is met as soon as one condition is, not met
//! when every condition is not, and unknown otherwise. Progress is the least advanced
//! condition's for `all_of` and the most advanced one's for `any_of`. The evidence has a line
//! per condition (its summary), followed by that condition's own lines when it has several.

use super::*;

/// How the conditions combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Composition {
    AllOf,
    AnyOf,
}

pub(super) fn compose(
    how: Composition,
    conditions: &[Condition],
    parts: &[Memory],
    judging: &Judging,
) -> Outcome {
    if conditions.is_empty() {
        return Outcome::unknown("No conditions to judge.");
    }
    let judged: Vec<(String, Outcome)> = conditions
        .iter()
        .zip(parts)
        .map(|(condition, memory)| {
            let outcome = memory.judge(&condition.rule, judging);
            (condition_title(condition), outcome)
        })
        .collect();
    let states = judged.iter().map(|(_, outcome)| outcome.state);
    let progresses = judged.iter().map(|(_, outcome)| part_progress(outcome));
    let (state, progress) = match how {
        Composition::AllOf => (CriterionState::worst(states), progresses.min()),
        Composition::AnyOf => (best(states), progresses.max()),
    };
    let summary = summarize(how, state, &judged);
    let observed_at = newest(judged.iter().map(|(_, outcome)| outcome.observed_at));
    let mut evidence = Vec::new();
    for (title, outcome) in judged {
        evidence.extend(part_lines(title, outcome));
    }
    Outcome {
        state,
        progress: progress.unwrap_or(0),
        summary,
        evidence,
        observed_at,
    }
}

/// A condition's evidence: a line with its summary, then its own lines under its title; a
/// single line of its own is folded into the summary's, which says the same.
fn part_lines(title: String, outcome: Outcome) -> Vec<EvidenceItem> {
    let mut own = outcome.evidence;
    let mut line = item(
        &title,
        outcome.state,
        outcome.summary,
        "",
        outcome.observed_at,
    );
    if own.len() == 1 {
        let only = own.remove(0);
        line.endpoint = only.endpoint;
        line.field = only.field;
        line.raw = only.raw;
    }
    let nested = own.into_iter().map(|nested| EvidenceItem {
        subject: format!("{title} › {}", nested.subject),
        ..nested
    });
    std::iter::once(line).chain(nested).collect()
}

/// Met if any is, else unknown if any is, else not met.
fn best(states: impl IntoIterator<Item = CriterionState>) -> CriterionState {
    let mut best = CriterionState::NotMet;
    for state in states {
        match state {
            CriterionState::Met => return CriterionState::Met,
            CriterionState::Unknown => best = CriterionState::Unknown,
            CriterionState::NotMet => {}
        }
    }
    best
}

/// A condition's progress as its own view would show it: 100 only when met.
fn part_progress(outcome: &Outcome) -> u8 {
    if outcome.state == CriterionState::Met {
        100
    } else {
        outcome.progress.min(99)
    }
}

fn summarize(how: Composition, state: CriterionState, judged: &[(String, Outcome)]) -> String {
    let total = judged.len();
    let holding = judged
        .iter()
        .filter(|(_, outcome)| outcome.state == CriterionState::Met)
        .count();
    let those = |wanted: CriterionState| {
        let lines: Vec<String> = judged
            .iter()
            .filter(|(_, outcome)| outcome.state == wanted)
            .map(|(title, outcome)| format!("{title}: {}", outcome.summary.trim_end_matches('.')))
            .collect();
        lines.join("; ")
    };
    match (how, state) {
        (Composition::AllOf, CriterionState::Met) => {
            let titles: Vec<&str> = judged.iter().map(|(title, _)| title.as_str()).collect();
            format!("Every condition holds: {}.", titles.join("; "))
        }
        (Composition::AllOf, CriterionState::NotMet) => format!(
            "{holding} of {total} conditions hold. Not met: {}.",
            those(CriterionState::NotMet)
        ),
        (Composition::AllOf, CriterionState::Unknown) => format!(
            "{holding} of {total} conditions hold. Cannot tell: {}.",
            those(CriterionState::Unknown)
        ),
        (Composition::AnyOf, CriterionState::Met) => {
            format!("Met by {}.", those(CriterionState::Met))
        }
        (Composition::AnyOf, CriterionState::NotMet) => format!(
            "None of {total} conditions holds: {}.",
            those(CriterionState::NotMet)
        ),
        (Composition::AnyOf, CriterionState::Unknown) => format!(
            "No condition holds yet. Cannot tell: {}.",
            those(CriterionState::Unknown)
        ),
    }
}

/// The name of a condition in the evidence: its title, else one made from its rule.
pub(super) fn condition_title(condition: &Condition) -> String {
    if !condition.title.trim().is_empty() {
        return condition.title.clone();
    }
    match &condition.rule {
        Rule::HttpOk { endpoints, .. } => format!("HTTP 200 from {}", endpoints.join(", ")),
        Rule::AbsentPattern { patterns, .. } => {
            let quoted: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
            format!("no {}", quoted.join(" or "))
        }
        Rule::Threshold { endpoint, .. } => format!("{endpoint} within thresholds"),
        Rule::Websocket { endpoint, .. } => format!("WebSocket handshakes to {endpoint}"),
        Rule::ValidationReport { endpoint, .. } => format!("validation report ({endpoint})"),
        Rule::ComponentStatus {
            component, levels, ..
        } => format!("{component} {}", levels_text(levels)),
        Rule::AllOf { conditions } => {
            format!(
                "all of {}",
                plural(conditions.len(), "condition", "conditions")
            )
        }
        Rule::AnyOf { conditions } => {
            format!(
                "any of {}",
                plural(conditions.len(), "condition", "conditions")
            )
        }
    }
}
