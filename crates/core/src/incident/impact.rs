//! Business impact: ARR at risk, the share of the pipeline blocked, the state of each affected
//! area derived from live component and criteria status, how long it has been impaired, and the
//! cost of delay.
//!
//! An area is **blocked** when a component it depends on is in a partial or major outage;
//! **restored** when every component it depends on is operational and every criterion it
//! depends on is met; **unknown** when none of its dependencies could be checked; **at risk**
//! otherwise (degraded or unchecked components, or criteria not met yet while components are up).
//!
//! The "impaired for" clock starts, per the `clock` setting, at the incident's `started_at`
//! (default; the page's first observation of the area impaired when there is none) or at the
//! first time this page saw the area impaired (which restarts with every page load). It stops
//! when the area is seen restored, and restarts if it regresses.
//!
//! Cost of delay assumes the ARR accrues evenly over the 8,760 hours of a year and that the
//! configured share of it (100% when unset) waits on the incident: ARR × share ÷ 8,760 × hours
//! impaired. It is a rough scale for decisions, not accounting.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::board::ComponentView;
use crate::config::sections::{Area, Impact, ImpactClock};
use crate::config::Config;
use crate::incident::criteria::{CriterionState, CriterionView};
use crate::status::Status;
use crate::time::duration;

/// Hours in a (non-leap) year, the basis of the cost of delay.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Where an affected area stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaState {
    /// A component it depends on is down.
    Blocked,
    /// Not down, not restored.
    AtRisk,
    /// Every dependency is healthy and every criterion met.
    Restored,
    /// None of its dependencies could be checked.
    Unknown,
}

impl AreaState {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaState::Blocked => "blocked",
            AreaState::AtRisk => "at_risk",
            AreaState::Restored => "restored",
            AreaState::Unknown => "unknown",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            AreaState::Blocked => "Blocked",
            AreaState::AtRisk => "At risk",
            AreaState::Restored => "Restored",
            AreaState::Unknown => "Unknown",
        }
    }

    fn rank(self) -> u8 {
        match self {
            AreaState::Restored => 0,
            AreaState::Unknown => 1,
            AreaState::AtRisk => 2,
            AreaState::Blocked => 3,
        }
    }

    fn impaired(self) -> bool {
        matches!(self, AreaState::Blocked | AreaState::AtRisk)
    }
}

/// A component an area depends on, with its live status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentDependency {
    /// Component id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its live status (unknown when the board does not know it).
    pub status: Status,
}

/// A criterion an area depends on, with its live state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDependency {
    /// Criterion id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its live state.
    pub state: CriterionState,
}

/// An affected area as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaView {
    /// Config id.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What "restored" means for it.
    pub goal: String,
    /// Where it stands.
    pub state: AreaState,
    /// Why, in words.
    pub reason: String,
    /// When its impairment started (see the module documentation for the clock).
    pub impaired_since: Option<DateTime<Utc>>,
    /// How long it has been (or was) impaired, in seconds.
    pub impaired_seconds: Option<i64>,
    /// When this page saw it restored.
    pub restored_at: Option<DateTime<Utc>>,
    /// Its components.
    pub components: Vec<ComponentDependency>,
    /// Its criteria.
    pub criteria: Vec<CriterionDependency>,
}

/// The ARR figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrView {
    /// Per year.
    pub amount: f64,
    /// ISO 4217 code.
    pub currency: String,
    /// How people say it, e.g. "$500K+".
    pub label: String,
}

/// The cost of delay so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostOfDelay {
    /// Cost per hour impaired.
    pub per_hour: f64,
    /// Hours impaired so far.
    pub hours: f64,
    /// `per_hour × hours`.
    pub total: f64,
    /// ISO 4217 code.
    pub currency: String,
    /// "≈ $57 per hour, ≈ $342K so far".
    pub text: String,
    /// The assumption behind it, in one sentence.
    pub assumption: String,
}

/// The business impact as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactView {
    /// What is down, as the director sentence names it, e.g. "Staging".
    pub subject: String,
    /// The area the subject already names (the sentence does not list it again).
    pub subject_area: String,
    /// ARR at risk.
    pub arr: Option<ArrView>,
    /// Share of the pipeline blocked, percent.
    pub pipeline_blocked_percent: Option<f64>,
    /// The worst state of any area (unknown with no areas).
    pub state: AreaState,
    /// Every area, in configuration order.
    pub areas: Vec<AreaView>,
    /// Where the clock starts.
    pub clock: ImpactClock,
    /// When the impairment started.
    pub impaired_since: Option<DateTime<Utc>>,
    /// How long the business has been (or was) impaired, in seconds.
    pub impaired_seconds: Option<i64>,
    /// When this page saw every area restored.
    pub restored_at: Option<DateTime<Utc>>,
    /// The cost of delay, when configured.
    pub cost_of_delay: Option<CostOfDelay>,
    /// One sentence: ARR, share, areas, duration.
    pub summary: String,
}

#[derive(Clone, Debug, Default)]
struct Memory {
    first_impaired: Option<DateTime<Utc>>,
    restored_at: Option<DateTime<Utc>>,
}

impl Memory {
    fn note(&mut self, impaired: bool, restored: bool, now: DateTime<Utc>) {
        if impaired {
            if self.restored_at.take().is_some() || self.first_impaired.is_none() {
                self.first_impaired = Some(now);
            }
        } else if restored && self.first_impaired.is_some() && self.restored_at.is_none() {
            self.restored_at = Some(now);
        }
    }
}

/// Remembers when areas were first seen impaired and when restored; everything else is
/// computed from the live views passed in.
#[derive(Clone, Debug)]
pub struct ImpactTracker {
    impact: Impact,
    started_at: Option<DateTime<Utc>>,
    areas: BTreeMap<String, Memory>,
    overall: Memory,
}

impl ImpactTracker {
    /// A tracker for the impact section of `config` (empty when it has none).
    pub fn new(config: &Config) -> ImpactTracker {
        ImpactTracker {
            impact: config.impact.clone().unwrap_or_default(),
            started_at: config.incident.started_at,
            areas: BTreeMap::new(),
            overall: Memory::default(),
        }
    }

    /// The impact at `now` given the live components and criteria.
    pub fn evaluate(
        &mut self,
        components: &[ComponentView],
        criteria: &[CriterionView],
        now: DateTime<Utc>,
    ) -> ImpactView {
        let impact = &self.impact;
        let mut areas = Vec::new();
        for area in &impact.areas {
            let (state, reason, deps, crits) = area_state(area, components, criteria);
            let memory = self.areas.entry(area.id.clone()).or_default();
            memory.note(state.impaired(), state == AreaState::Restored, now);
            let since = clock_start(impact.clock, self.started_at, memory.first_impaired);
            areas.push(AreaView {
                id: area.id.clone(),
                name: area.name.clone(),
                goal: area.goal.clone(),
                state,
                reason,
                impaired_since: since,
                impaired_seconds: impaired_seconds(state, since, memory.restored_at, now),
                restored_at: if state == AreaState::Restored {
                    memory.restored_at
                } else {
                    None
                },
                components: deps,
                criteria: crits,
            });
        }
        let state = areas
            .iter()
            .map(|a| a.state)
            .max_by_key(|s| s.rank())
            .unwrap_or(AreaState::Unknown);
        self.overall
            .note(state.impaired(), state == AreaState::Restored, now);
        let since = clock_start(impact.clock, self.started_at, self.overall.first_impaired);
        let seconds = impaired_seconds(state, since, self.overall.restored_at, now);
        let arr = impact.arr_at_risk.as_ref().map(|money| ArrView {
            amount: money.amount,
            currency: money.currency.clone(),
            label: if money.label.trim().is_empty() {
                format_money(money.amount, &money.currency)
            } else {
                money.label.clone()
            },
        });
        let share = impact.pipeline_blocked_percent;
        let cost_of_delay = match (&arr, seconds) {
            (Some(arr), Some(seconds)) if impact.cost_of_delay => {
                Some(cost(arr, share.unwrap_or(100.0), seconds))
            }
            _ => None,
        };
        let summary = summary(&arr, share, state, &areas, seconds);
        ImpactView {
            subject: if impact.subject.trim().is_empty() {
                "The system".to_string()
            } else {
                impact.subject.clone()
            },
            subject_area: impact.subject_area.clone(),
            arr,
            pipeline_blocked_percent: share,
            state,
            areas,
            clock: impact.clock,
            impaired_since: since,
            impaired_seconds: seconds,
            restored_at: if state == AreaState::Restored {
                self.overall.restored_at
            } else {
                None
            },
            cost_of_delay,
            summary,
        }
    }
}

fn clock_start(
    clock: ImpactClock,
    started_at: Option<DateTime<Utc>>,
    first_impaired: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match clock {
        ImpactClock::IncidentStart => started_at.or(first_impaired),
        ImpactClock::FirstObserved => first_impaired,
    }
}

fn impaired_seconds(
    state: AreaState,
    since: Option<DateTime<Utc>>,
    restored_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let since = since?;
    let until = match state {
        AreaState::Restored => restored_at?,
        _ => now,
    };
    Some((until - since).num_seconds().max(0))
}

type AreaParts = (
    AreaState,
    String,
    Vec<ComponentDependency>,
    Vec<CriterionDependency>,
);

fn area_state(area: &Area, components: &[ComponentView], criteria: &[CriterionView]) -> AreaParts {
    let deps: Vec<ComponentDependency> = area
        .components
        .iter()
        .map(|id| match components.iter().find(|c| &c.id == id) {
            Some(view) => ComponentDependency {
                id: id.clone(),
                name: view.name.clone(),
                status: view.status,
            },
            None => ComponentDependency {
                id: id.clone(),
                name: id.clone(),
                status: Status::Unknown,
            },
        })
        .collect();
    let crits: Vec<CriterionDependency> = area
        .criteria
        .iter()
        .map(|id| match criteria.iter().find(|c| &c.id == id) {
            Some(view) => CriterionDependency {
                id: id.clone(),
                title: view.title.clone(),
                state: view.state,
            },
            None => CriterionDependency {
                id: id.clone(),
                title: id.clone(),
                state: CriterionState::Unknown,
            },
        })
        .collect();
    let down: Vec<String> = deps
        .iter()
        .filter(|d| d.status.severity().is_some_and(|s| s >= 3))
        .map(|d| format!("{} {}", d.name, d.status.label().to_ascii_lowercase()))
        .collect();
    let shaky: Vec<String> = deps
        .iter()
        .filter(|d| d.status != Status::Operational && d.status.severity().is_none_or(|s| s < 3))
        .map(|d| format!("{} {}", d.name, d.status.label().to_ascii_lowercase()))
        .collect();
    let unmet: Vec<&str> = crits
        .iter()
        .filter(|c| c.state != CriterionState::Met)
        .map(|c| c.title.as_str())
        .collect();
    let nothing_known = deps.iter().all(|d| d.status == Status::Unknown)
        && crits.iter().all(|c| c.state == CriterionState::Unknown);
    let (state, reason) = if !down.is_empty() {
        (AreaState::Blocked, format!("Blocked: {}.", down.join(", ")))
    } else if nothing_known {
        (
            AreaState::Unknown,
            "Unknown: none of its components or criteria could be checked yet.".to_string(),
        )
    } else if shaky.is_empty() && unmet.is_empty() {
        let mut parts = Vec::new();
        if !deps.is_empty() {
            parts.push(format!(
                "{} operational",
                if deps.len() == 1 {
                    "its component is".to_string()
                } else {
                    format!("all {} components", deps.len())
                }
            ));
        }
        if !crits.is_empty() {
            parts.push(format!(
                "{} met",
                if crits.len() == 1 {
                    "its criterion".to_string()
                } else {
                    format!("all {} criteria", crits.len())
                }
            ));
        }
        (
            AreaState::Restored,
            format!("Restored: {}.", parts.join(", ")),
        )
    } else {
        let mut parts = Vec::new();
        if !shaky.is_empty() {
            parts.push(shaky.join(", "));
        }
        if !unmet.is_empty() {
            parts.push(format!("not met yet: {}", unmet.join("; ")));
        }
        (AreaState::AtRisk, format!("At risk: {}.", parts.join("; ")))
    };
    (state, reason, deps, crits)
}

fn cost(arr: &ArrView, share_percent: f64, seconds: i64) -> CostOfDelay {
    let hours = seconds as f64 / 3600.0;
    let per_hour = arr.amount * share_percent / 100.0 / HOURS_PER_YEAR;
    let total = per_hour * hours;
    CostOfDelay {
        per_hour,
        hours,
        total,
        currency: arr.currency.clone(),
        text: format!(
            "≈ {} per hour, ≈ {} over {}",
            format_money(per_hour, &arr.currency),
            format_money(total, &arr.currency),
            duration(seconds)
        ),
        assumption: format!(
            "Assumes the {} ARR pipeline accrues evenly over the 8,760 hours of a year and {}% of it waits on this incident: ARR × share ÷ 8,760 × hours impaired.",
            arr.label,
            trim_number(share_percent)
        ),
    }
}

fn summary(
    arr: &Option<ArrView>,
    share: Option<f64>,
    state: AreaState,
    areas: &[AreaView],
    seconds: Option<i64>,
) -> String {
    let mut parts = Vec::new();
    if let Some(arr) = arr {
        let word = match state {
            AreaState::Blocked => "blocked",
            AreaState::Restored => "no longer blocked",
            AreaState::AtRisk | AreaState::Unknown => "at risk",
        };
        let mut text = format!("{} ARR pipeline {word}", arr.label);
        if let Some(share) = share.filter(|_| state != AreaState::Restored) {
            text.push_str(&format!(" ({}% of the pipeline)", trim_number(share)));
        }
        parts.push(text);
    }
    if !areas.is_empty() {
        let blocked = areas
            .iter()
            .filter(|a| a.state == AreaState::Blocked)
            .count();
        let restored = areas
            .iter()
            .filter(|a| a.state == AreaState::Restored)
            .count();
        parts.push(format!(
            "{blocked} of {} areas blocked, {restored} restored",
            areas.len()
        ));
    }
    if let Some(seconds) = seconds {
        parts.push(match state {
            AreaState::Restored => format!("impaired for {}", duration(seconds)),
            _ => format!("impaired for {} so far", duration(seconds)),
        });
    }
    if parts.is_empty() {
        String::new()
    } else {
        let text = parts.join("; ");
        let mut chars = text.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        format!("{first}{}.", chars.as_str())
    }
}

fn trim_number(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// An amount in compact form with its currency: "$500K", "$1.2M", "€57", "CHF 3.4K".
pub fn format_money(amount: f64, currency: &str) -> String {
    let symbol = match currency.trim().to_ascii_uppercase().as_str() {
        "USD" => "$".to_string(),
        "EUR" => "€".to_string(),
        "GBP" => "£".to_string(),
        other => format!("{other} "),
    };
    let a = amount.abs();
    let compact = if a >= 1e9 {
        format!("{}B", trim_number(amount / 1e9))
    } else if a >= 1e6 {
        format!("{}M", trim_number(amount / 1e6))
    } else if a >= 1e4 {
        format!("{:.0}K", amount / 1e3)
    } else if a >= 1e3 {
        format!("{}K", trim_number(amount / 1e3))
    } else {
        format!("{amount:.0}")
    };
    format!("{symbol}{compact}")
}
