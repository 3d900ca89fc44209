//! The resolution timeline: which phase the incident is in, time spent against the phase's
//! estimate, and the ETA window.
//!
//! The current phase comes from the latest update that names a phase; without one, from the
//! time elapsed since the incident's start, laying the phases end to end at their maximum
//! estimates (the cautious reading); without a start time, from the configuration's
//! `current_phase`; else it is the first phase. The ETA window for the end of the last phase is
//! the current phase's start plus the remaining minimum and maximum of this and the following
//! phases: earliest = max(phase start + its minimum, now) + the following minimums, latest =
//! max(phase start + its maximum, now) + the following maximums. A phase is "near its maximum"
//! past `near_max_percent` of it, and "over" past it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::config::sections::{Phase, RESOLVED_PHASE};
use crate::config::Config;
use crate::incident::updates::Update;
use crate::order::sort_stable_by_key;
use crate::time::{duration, stamp, window};

/// How the current phase was determined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseSource {
    /// An update named it.
    Update,
    /// Estimated from the time since the incident started.
    Elapsed,
    /// The configuration's `current_phase`.
    Configured,
    /// Nothing told: the first phase.
    Default,
}

impl PhaseSource {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseSource::Update => "update",
            PhaseSource::Elapsed => "elapsed",
            PhaseSource::Configured => "configured",
            PhaseSource::Default => "default",
        }
    }
}

/// Time spent against an estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateState {
    /// Comfortably within the estimate.
    Within,
    /// Past `near_max_percent` of the maximum.
    NearMax,
    /// Past the maximum.
    Over,
}

impl EstimateState {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            EstimateState::Within => "within",
            EstimateState::NearMax => "near_max",
            EstimateState::Over => "over",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            EstimateState::Within => "Within estimate",
            EstimateState::NearMax => "Near the maximum estimate",
            EstimateState::Over => "Over estimate",
        }
    }

    fn of(spent_seconds: i64, max_hours: f64, near_max_percent: u8) -> EstimateState {
        let max = max_hours * 3600.0;
        let spent = spent_seconds as f64;
        if spent > max {
            EstimateState::Over
        } else if spent >= max * f64::from(near_max_percent) / 100.0 {
            EstimateState::NearMax
        } else {
            EstimateState::Within
        }
    }
}

/// Where a phase is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseProgress {
    /// Finished.
    Done,
    /// Under way.
    Current,
    /// Not started.
    Upcoming,
}

impl PhaseProgress {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseProgress::Done => "done",
            PhaseProgress::Current => "current",
            PhaseProgress::Upcoming => "upcoming",
        }
    }
}

/// A phase as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseView {
    /// Config id.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Who does it.
    pub owner: String,
    /// Optimistic estimate, hours.
    pub min_hours: f64,
    /// Pessimistic estimate, hours.
    pub max_hours: f64,
    /// "2–4 h".
    pub estimate: String,
    /// Done, current or upcoming.
    pub progress: PhaseProgress,
    /// When it started, when an update says (or, for the current phase, when estimated).
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended, when an update says.
    pub ended_at: Option<DateTime<Utc>>,
    /// Seconds spent in it so far (current phase with a known start).
    pub spent_seconds: Option<i64>,
    /// Time spent against its estimate (current phase with a known start).
    pub estimate_state: Option<EstimateState>,
}

/// When the last phase is expected to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtaWindow {
    /// At the earliest.
    pub earliest: DateTime<Utc>,
    /// At the latest.
    pub latest: DateTime<Utc>,
}

/// The timeline as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineView {
    /// Every phase, in order.
    pub phases: Vec<PhaseView>,
    /// The current phase's id; `None` once resolved.
    pub current: Option<String>,
    /// How the current phase was determined.
    pub source: PhaseSource,
    /// When the current phase started, if known.
    pub phase_started_at: Option<DateTime<Utc>>,
    /// Seconds spent in the current phase, if its start is known.
    pub spent_seconds: Option<i64>,
    /// The current phase against its estimate, if its start is known.
    pub estimate_state: Option<EstimateState>,
    /// When everything is expected to be done; `None` once resolved.
    pub eta: Option<EtaWindow>,
    /// The whole estimate, optimistic, hours.
    pub total_min_hours: f64,
    /// The whole estimate, pessimistic, hours.
    pub total_max_hours: f64,
    /// "8–12 h".
    pub total_estimate: String,
    /// Seconds since the incident started (until resolution once resolved).
    pub elapsed_seconds: Option<i64>,
    /// The whole incident against the whole estimate.
    pub overall_state: Option<EstimateState>,
    /// When an update declared it resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// One sentence: phase, time against estimate, ETA.
    pub summary: String,
}

/// "2–4 h", "1.5–2 h", "3 h".
pub fn hours_range(min: f64, max: f64) -> String {
    let h = |x: f64| {
        let text = format!("{x:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    };
    if (min - max).abs() < f64::EPSILON {
        format!("{} h", h(max))
    } else {
        format!("{}–{} h", h(min), h(max))
    }
}

fn hours(h: f64) -> Duration {
    Duration::seconds((h * 3600.0).round() as i64)
}

/// The timeline at `now`, or `None` when the configuration has no phases.
pub fn evaluate(config: &Config, updates: &[Update], now: DateTime<Utc>) -> Option<TimelineView> {
    let timeline = config.timeline.as_ref()?;
    let phases = &timeline.phases;
    if phases.is_empty() {
        return None;
    }
    let index_of = |id: &str| phases.iter().position(|p| p.id == id);
    let near = timeline.near_max_percent;

    // Phase changes named by updates, in time order (file order breaks ties).
    let mut named: Vec<(usize, &Update)> = updates
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            u.phase
                .as_deref()
                .is_some_and(|p| p == RESOLVED_PHASE || index_of(p).is_some())
        })
        .collect();
    sort_stable_by_key(&mut named, |(_, u)| u.at.timestamp_micros());
    let mut transitions: Vec<(&str, DateTime<Utc>)> = Vec::new();
    for (_, update) in named {
        let phase = update.phase.as_deref().unwrap_or_default();
        if transitions.last().map(|(p, _)| *p) != Some(phase) {
            transitions.push((phase, update.at));
        }
    }

    let started_at = config.incident.started_at;
    let (current, source, phase_started_at, resolved_at) = match transitions.last() {
        Some((phase, at)) if *phase == RESOLVED_PHASE => {
            (None, PhaseSource::Update, None, Some(*at))
        }
        Some((phase, at)) => (index_of(phase), PhaseSource::Update, Some(*at), None),
        None => match started_at {
            Some(start) => {
                let mut end = start;
                let mut found = (phases.len() - 1, start);
                for (i, phase) in phases.iter().enumerate() {
                    let phase_start = end;
                    end += hours(phase.max_hours);
                    if now < end {
                        found = (i, phase_start);
                        break;
                    }
                    found = (i, phase_start);
                }
                (Some(found.0), PhaseSource::Elapsed, Some(found.1), None)
            }
            None => match timeline.current_phase.as_deref().and_then(index_of) {
                Some(i) => (Some(i), PhaseSource::Configured, None, None),
                None => (Some(0), PhaseSource::Default, None, None),
            },
        },
    };

    let spent_seconds = phase_started_at.map(|start| (now - start).num_seconds().max(0));
    let views: Vec<PhaseView> = phases
        .iter()
        .enumerate()
        .map(|(i, phase)| {
            let progress = match current {
                None => PhaseProgress::Done,
                Some(c) if i < c => PhaseProgress::Done,
                Some(c) if i == c => PhaseProgress::Current,
                Some(_) => PhaseProgress::Upcoming,
            };
            // The last time an update moved into this phase, and what came after it.
            let entered = transitions.iter().rposition(|(p, _)| *p == phase.id);
            let (mut started, mut ended) = match entered {
                Some(t) => (
                    Some(transitions[t].1),
                    transitions.get(t + 1).map(|(_, at)| *at),
                ),
                None => (None, None),
            };
            if progress == PhaseProgress::Current {
                started = phase_started_at;
                ended = None;
            } else if progress == PhaseProgress::Upcoming {
                started = None;
                ended = None;
            }
            let (spent, state) = if progress == PhaseProgress::Current {
                (
                    spent_seconds,
                    spent_seconds.map(|s| EstimateState::of(s, phase.max_hours, near)),
                )
            } else {
                (None, None)
            };
            PhaseView {
                id: phase.id.clone(),
                name: phase.name.clone(),
                owner: phase.owner.clone(),
                min_hours: phase.min_hours,
                max_hours: phase.max_hours,
                estimate: hours_range(phase.min_hours, phase.max_hours),
                progress,
                started_at: started,
                ended_at: ended,
                spent_seconds: spent,
                estimate_state: state,
            }
        })
        .collect();

    let (total_min, total_max) = match timeline.total_hours {
        Some(total) => (total.min, total.max),
        None => (
            phases.iter().map(|p| p.min_hours).sum(),
            phases.iter().map(|p| p.max_hours).sum(),
        ),
    };
    let eta = current.map(|c| eta_window(phases, c, phase_started_at, now));
    let elapsed_seconds =
        started_at.map(|start| (resolved_at.unwrap_or(now) - start).num_seconds().max(0));
    let overall_state = elapsed_seconds.map(|s| EstimateState::of(s, total_max, near));
    let estimate_state = current.and_then(|c| views[c].estimate_state);

    let total_estimate = hours_range(total_min, total_max);
    let summary = match (current, resolved_at) {
        (None, Some(at)) => match elapsed_seconds {
            Some(elapsed) => format!(
                "Resolved at {} after {} (estimate {total_estimate}).",
                stamp(at, now),
                duration(elapsed)
            ),
            None => format!("Resolved at {}.", stamp(at, now)),
        },
        (Some(c), _) => {
            let phase = &phases[c];
            let mut text = format!("{} (phase {} of {})", phase.name, c + 1, phases.len());
            if source == PhaseSource::Elapsed {
                text.push_str(", estimated from the time since the start");
            }
            match spent_seconds {
                Some(spent) if views[c].estimate_state == Some(EstimateState::Over) => {
                    text.push_str(&format!(
                        ": {} in, over its {} estimate by {}",
                        duration(spent),
                        views[c].estimate,
                        duration(spent - hours(phase.max_hours).num_seconds())
                    ));
                }
                Some(spent) => text.push_str(&format!(
                    ": {} of its {} estimate",
                    duration(spent),
                    views[c].estimate
                )),
                None => text.push_str(&format!(": estimate {}", views[c].estimate)),
            }
            if overall_state == Some(EstimateState::Over) {
                text.push_str(&format!(
                    "; the incident is past its {total_estimate} estimate ({} since the start)",
                    duration(elapsed_seconds.unwrap_or_default())
                ));
            }
            if let Some(eta) = eta {
                text.push_str(&format!(
                    "; resolution expected {}",
                    window(eta.earliest, eta.latest, now)
                ));
            }
            text.push('.');
            text
        }
        (None, None) => String::new(),
    };

    Some(TimelineView {
        phases: views,
        current: current.map(|c| phases[c].id.clone()),
        source,
        phase_started_at,
        spent_seconds,
        estimate_state,
        eta,
        total_min_hours: total_min,
        total_max_hours: total_max,
        total_estimate,
        elapsed_seconds,
        overall_state,
        resolved_at,
        summary,
    })
}

fn eta_window(
    phases: &[Phase],
    current: usize,
    phase_started_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> EtaWindow {
    let phase = &phases[current];
    let following = &phases[current + 1..];
    let following_min: f64 = following.iter().map(|p| p.min_hours).sum();
    let following_max: f64 = following.iter().map(|p| p.max_hours).sum();
    let (end_min, end_max) = match phase_started_at {
        Some(start) => (
            (start + hours(phase.min_hours)).max(now),
            (start + hours(phase.max_hours)).max(now),
        ),
        None => (now, now + hours(phase.max_hours)),
    };
    EtaWindow {
        earliest: end_min + hours(following_min),
        latest: end_max + hours(following_max),
    }
}
