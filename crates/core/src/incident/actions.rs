//! The P0 action items per owner team, each joined with the live status of the components it
//! concerns, so the page shows next to "fix the VPC connector" whether the connector is still
//! down.
//!
//! An item is **open** while a component it concerns has a known problem, **unknown** while
//! none has a problem but some cannot be checked, **components healthy** when every component
//! is operational but checklist steps are still open, and **done** when the components are
//! operational and every step is done. A completed checklist never hides a component that is
//! still down.

use serde::{Deserialize, Serialize};

use crate::board::ComponentView;
use crate::config::sections::{ActionItem, ChecklistItem, Link};
use crate::status::{worst_known, Status};

/// Where an action item stands against the live status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    /// A component it concerns has a problem.
    Open,
    /// No known problem, but some of its components cannot be checked.
    Unknown,
    /// Its components are operational; checklist steps remain.
    ComponentsHealthy,
    /// Its components are operational and its checklist is complete.
    Done,
}

impl ActionState {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Open => "open",
            ActionState::Unknown => "unknown",
            ActionState::ComponentsHealthy => "components_healthy",
            ActionState::Done => "done",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            ActionState::Open => "Open",
            ActionState::Unknown => "Status unknown",
            ActionState::ComponentsHealthy => "Components healthy",
            ActionState::Done => "Done",
        }
    }
}

/// A component an action item concerns, with its live status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentStatus {
    /// Component id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its live status.
    pub status: Status,
    /// Why.
    pub reason: String,
}

/// An action item as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    /// Config id.
    pub id: String,
    /// One line.
    pub title: String,
    /// Priority label.
    pub priority: String,
    /// The owner team.
    pub owner: String,
    /// The resource, e.g. `staging-connector`.
    pub resource: String,
    /// What is wrong.
    pub problem: String,
    /// What shows it.
    pub evidence: Vec<String>,
    /// Its steps.
    pub checklist: Vec<ChecklistItem>,
    /// Steps done.
    pub done_steps: usize,
    /// Its links.
    pub links: Vec<Link>,
    /// The components it concerns, with their live status.
    pub components: Vec<ComponentStatus>,
    /// The live status of those components together (worst known problem, else unknown if
    /// any is unknown, else operational).
    pub status: Status,
    /// Where it stands.
    pub state: ActionState,
    /// One sentence: live status and checklist progress.
    pub summary: String,
}

/// Joins action items with the live component views, in configuration order.
pub fn join(items: &[ActionItem], components: &[ComponentView]) -> Vec<ActionView> {
    items.iter().map(|item| view(item, components)).collect()
}

fn view(item: &ActionItem, components: &[ComponentView]) -> ActionView {
    let linked: Vec<ComponentStatus> = item
        .components
        .iter()
        .map(|id| match components.iter().find(|c| &c.id == id) {
            Some(c) => ComponentStatus {
                id: id.clone(),
                name: c.name.clone(),
                status: c.status,
                reason: c.reason.clone(),
            },
            None => ComponentStatus {
                id: id.clone(),
                name: id.clone(),
                status: Status::Unknown,
                reason: "not on the board".to_string(),
            },
        })
        .collect();
    let worst = worst_known(linked.iter().map(|c| c.status));
    let any_unknown = linked.iter().any(|c| c.status == Status::Unknown) || linked.is_empty();
    let status = match worst {
        Some(known) if known.is_problem() || !any_unknown => known,
        _ => Status::Unknown,
    };
    let done_steps = item.checklist.iter().filter(|s| s.done).count();
    let steps = item.checklist.len();
    let state = if status.is_problem() {
        ActionState::Open
    } else if status == Status::Unknown {
        ActionState::Unknown
    } else if done_steps < steps {
        ActionState::ComponentsHealthy
    } else {
        ActionState::Done
    };
    let live: Vec<String> = linked
        .iter()
        .map(|c| format!("{} {}", c.name, c.status.label().to_ascii_lowercase()))
        .collect();
    let mut summary = format!("{}: {}", state.label(), live.join(", "));
    if steps > 0 {
        summary.push_str(&format!("; {done_steps} of {steps} steps done"));
    }
    if state == ActionState::Open && steps > 0 && done_steps == steps {
        summary.push_str(" (checklist complete, but the component is still failing)");
    }
    summary.push('.');
    ActionView {
        id: item.id.clone(),
        title: item.title.clone(),
        priority: item.priority.clone(),
        owner: item.owner.clone(),
        resource: item.resource.clone(),
        problem: item.problem.clone(),
        evidence: item.evidence.clone(),
        checklist: item.checklist.clone(),
        done_steps,
        links: item.links.clone(),
        components: linked,
        status,
        state,
        summary,
    }
}

/// The views grouped by owner team, teams in order of first appearance.
pub fn by_owner(views: &[ActionView]) -> Vec<(String, Vec<&ActionView>)> {
    let mut groups: Vec<(String, Vec<&ActionView>)> = Vec::new();
    for view in views {
        match groups.iter_mut().find(|(owner, _)| owner == &view.owner) {
            Some((_, list)) => list.push(view),
            None => groups.push((view.owner.clone(), vec![view])),
        }
    }
    groups
}
