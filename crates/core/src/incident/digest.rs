//! The incident in words for people outside the page: one sentence a director can forward, and
//! the "Copy status update" Markdown digest of the live state (overall status, components,
//! criteria k/N, impact, timeline and ETA, next update due).
//!
//! Both are pure functions of the computed views and `now`. The digest is Markdown text with no
//! HTML; every string that comes from a backend, the configuration or the updates file goes
//! through [`escape`], so none can inject a link, an image, a heading, a table or code.

use chrono::{DateTime, Utc};

use crate::board::{ComponentView, OverallView};
use crate::config::Incident;
use crate::incident::criteria::{tally, CriterionState, CriterionView};
use crate::incident::impact::{AreaState, ImpactView};
use crate::incident::timeline::{EstimateState, TimelineView};
use crate::incident::updates::{CadenceView, UpdateView};
use crate::status::Status;
use crate::time::{duration, stamp, window};

/// Everything the page computed, borrowed for the words.
#[derive(Clone, Copy, Debug)]
pub struct DigestInputs<'a> {
    /// The incident.
    pub incident: &'a Incident,
    /// The banner.
    pub overall: &'a OverallView,
    /// The components.
    pub components: &'a [ComponentView],
    /// The criteria.
    pub criteria: &'a [CriterionView],
    /// The impact, when configured.
    pub impact: Option<&'a ImpactView>,
    /// The timeline, when configured.
    pub timeline: Option<&'a TimelineView>,
    /// The cadence, when configured.
    pub cadence: Option<&'a CadenceView>,
    /// The newest update, if any.
    pub latest_update: Option<&'a UpdateView>,
}

/// Escapes text for Markdown: backslash-escapes `\ [ ] ( ) < > ! ` * _ | ~` everywhere and `#`
/// at the start, and turns line breaks and other control characters into spaces, so the text
/// stays inline and literal.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (index, c) in text.chars().enumerate() {
        match c {
            '\\' | '[' | ']' | '(' | ')' | '<' | '>' | '!' | '`' | '*' | '_' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' if index == 0 => out.push_str("\\#"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn verb(status: Status) -> &'static str {
    match status {
        Status::MajorOutage => "is down",
        Status::PartialOutage => "is partly down",
        Status::Degraded => "is degraded",
        Status::Maintenance => "is under maintenance",
        Status::Operational => "is operational",
        Status::Unknown => "has an unknown status",
    }
}

/// "A, B and C".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One plain-text sentence a director can forward, e.g. "Staging is down for 6 h 12 min:
/// $500K+ ARR pipeline blocked, Golden Path testing blocked; 2 of 5 success criteria met;
/// resolution expected 14:00–18:00 UTC." (Plain text: escape it before putting it in Markdown.)
pub fn director_sentence(snapshot: &DigestInputs, now: DateTime<Utc>) -> String {
    let impact = snapshot.impact;
    let subject = impact.map_or("The system", |i| i.subject.as_str());
    let status = snapshot.overall.status;
    let elapsed = impact
        .and_then(|i| i.impaired_seconds)
        .or_else(|| snapshot.timeline.and_then(|t| t.elapsed_seconds));
    let mut sentence = match (status, elapsed) {
        (Status::Operational, _) => format!("{subject} is operational"),
        (Status::Unknown, Some(seconds)) => format!(
            "{subject} has an unknown status, {} into the incident",
            duration(seconds)
        ),
        (status, Some(seconds)) => format!("{subject} {} for {}", verb(status), duration(seconds)),
        (status, None) => format!("{subject} {}", verb(status)),
    };
    let mut consequences = Vec::new();
    if let Some(impact) = impact {
        if let Some(arr) = &impact.arr {
            match impact.state {
                AreaState::Blocked => {
                    consequences.push(format!("{} ARR pipeline blocked", arr.label))
                }
                AreaState::AtRisk | AreaState::Unknown => {
                    consequences.push(format!("{} ARR pipeline at risk", arr.label));
                }
                AreaState::Restored => {}
            }
        }
        let blocked: Vec<&str> = impact
            .areas
            .iter()
            .filter(|a| a.state == AreaState::Blocked && a.id != impact.subject_area)
            .map(|a| a.name.as_str())
            .collect();
        if !blocked.is_empty() {
            consequences.push(format!("{} blocked", and_list(&blocked)));
        }
    }
    if !consequences.is_empty() {
        sentence.push_str(": ");
        sentence.push_str(&consequences.join(", "));
    }
    if !snapshot.criteria.is_empty() {
        sentence.push_str(&format!("; {}", tally(snapshot.criteria)));
    }
    if let Some(timeline) = snapshot.timeline {
        if let Some(resolved) = timeline.resolved_at {
            sentence.push_str(&format!("; resolved at {}", stamp(resolved, now)));
        } else if let Some(eta) = timeline.eta {
            let when = window(eta.earliest, eta.latest, now);
            if timeline.overall_state == Some(EstimateState::Over) {
                sentence.push_str(&format!(
                    "; past the {} estimate, resolution now expected {when}",
                    timeline.total_estimate
                ));
            } else {
                sentence.push_str(&format!("; resolution expected {when}"));
            }
        }
    }
    sentence.push('.');
    sentence
}

/// The "Copy status update" digest: Markdown text (no HTML) of the live state at `now`.
pub fn markdown(snapshot: &DigestInputs, now: DateTime<Utc>) -> String {
    let incident = snapshot.incident;
    let mut out = String::new();
    let mut title = format!("Incident #{}", escape(&incident.id));
    if !incident.priority.is_empty() {
        title.push_str(&format!(" ({})", escape(&incident.priority)));
    }
    title.push_str(&format!(": {}", escape(&incident.title)));
    out.push_str(&format!("**{title}**\n"));
    out.push_str(&format!(
        "Status at {}: **{}** {}\n\n",
        stamp(now, now),
        escape(&snapshot.overall.headline),
        escape(&snapshot.overall.detail)
    ));
    out.push_str(&escape(&director_sentence(snapshot, now)));
    out.push_str("\n\n");

    if !snapshot.components.is_empty() {
        out.push_str("**Components**\n");
        for component in snapshot.components {
            out.push_str(&format!(
                "- {} {}: {}. {}\n",
                component.status.icon(),
                escape(&component.name),
                component.status.label(),
                escape(&component.reason)
            ));
        }
        out.push('\n');
    }

    if !snapshot.criteria.is_empty() {
        out.push_str(&format!(
            "**Success criteria: {}**\n",
            tally(snapshot.criteria)
        ));
        for criterion in snapshot.criteria {
            let state = match (criterion.state, criterion.met_since) {
                (CriterionState::Met, Some(since)) => format!("met since {}", stamp(since, now)),
                (CriterionState::Met, None) => "met".to_string(),
                (state, _) => format!(
                    "{} ({}%)",
                    state.label().to_ascii_lowercase(),
                    criterion.progress
                ),
            };
            out.push_str(&format!(
                "- {} {}: {state}. {}\n",
                criterion.state.icon(),
                escape(&criterion.title),
                escape(&criterion.summary)
            ));
        }
        out.push('\n');
    }

    if let Some(impact) = snapshot.impact {
        out.push_str("**Business impact**\n");
        if !impact.summary.is_empty() {
            out.push_str(&format!("- {}\n", escape(&impact.summary)));
        }
        if let Some(cost) = &impact.cost_of_delay {
            out.push_str(&format!(
                "- Cost of delay: {}. {}\n",
                escape(&cost.text),
                escape(&cost.assumption)
            ));
        }
        for area in &impact.areas {
            out.push_str(&format!(
                "- {}: {}. {}\n",
                escape(&area.name),
                area.state.label(),
                escape(&area.reason)
            ));
        }
        out.push('\n');
    }

    if let Some(timeline) = snapshot.timeline {
        out.push_str("**Timeline**\n");
        out.push_str(&format!("- {}\n", escape(&timeline.summary)));
        if let Some(state) = timeline.estimate_state {
            out.push_str(&format!("- Current phase: {}\n", state.label()));
        }
        out.push('\n');
    }

    if let Some(cadence) = snapshot.cadence {
        let mut line = format!("**Updates:** {}", escape(&cadence.text));
        if !cadence.channel.is_empty() {
            line.push_str(&format!(", in {}", escape(&cadence.channel)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(update) = snapshot.latest_update {
        let who = if update.team.is_empty() {
            escape(&update.author)
        } else {
            format!("{}, {}", escape(&update.author), escape(&update.team))
        };
        out.push_str(&format!(
            "**Latest update** ({}, {who}): {}\n",
            stamp(update.at, now),
            escape(&update.text)
        ));
    }
    // Empty reasons or summaries leave a space before the line break.
    let mut text: String = out
        .lines()
        .map(|line| line.trim_end().to_string() + "\n")
        .collect();
    while text.ends_with("\n\n") {
        text.pop();
    }
    text
}
