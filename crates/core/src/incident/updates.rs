//! The status updates file (`updates.json`, next to the page) and the update cadence.
//!
//! People append an update to the file without touching the configuration:
//! `{"updates": [{"at": "2025-09-16T10:00:00Z", "author": "…", "team": "…", "phase":
//! "diagnosis", "text": "…"}]}`. Parsing reports every bad entry with its path
//! (`$.updates[3].at`) and value; [`parse_lenient`] keeps the good entries so one typo does not
//! empty the feed. The cadence says when the next update is due: the configured interval after
//! the latest update, or after the incident's start when there is none yet.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::declare::{declare, Declared};
use crate::config::schema::{req, Field, Walk};
use crate::config::sections::{Link, RESOLVED_PHASE};
use crate::config::{Config, ConfigProblem};
use crate::order::sort_stable_by_key;
use crate::time::{duration, stamp};

declare! {
    /// One status update.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Update {
        /// When it was posted.
        pub at: DateTime<Utc>,
        /// Who posted it.
        pub author: String,
        /// The author's team.
        pub team: String = String::new(),
        /// The timeline phase reached, or `"resolved"`; absent when the update does not move
        /// the timeline.
        pub phase: Option<String> = None,
        /// What happened, in plain text.
        pub text: String,
        /// Links (https/http only).
        pub links: Vec<Link> = Vec::new(),
    }
}

/// The file: `{"updates": [...]}`, its entries read one by one.
const FILE: [Field; 1] = [req("updates", &<Vec<Update> as Declared>::SHAPE)];

/// The updates file read leniently: the good entries, and what is wrong with the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The entries that could be read, in file order.
    pub updates: Vec<Update>,
    /// Every error, with its path; entries with an error are left out of `updates`.
    pub errors: Vec<ConfigProblem>,
    /// Unknown fields (ignored).
    pub warnings: Vec<ConfigProblem>,
}

/// Parses the updates file, failing with every error when any entry is wrong.
pub fn parse(text: &str) -> Result<Vec<Update>, Vec<ConfigProblem>> {
    parse_with_warnings(text).map(|(updates, _)| updates)
}

/// Parses the updates file; on success also returns the warnings (unknown fields).
pub fn parse_with_warnings(
    text: &str,
) -> Result<(Vec<Update>, Vec<ConfigProblem>), Vec<ConfigProblem>> {
    let parsed = parse_lenient(text);
    if parsed.errors.is_empty() {
        Ok((parsed.updates, parsed.warnings))
    } else {
        Err(parsed.errors)
    }
}

/// Parses the updates file keeping every entry that can be read.
pub fn parse_lenient(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            parsed.errors.push(ConfigProblem {
                path: "$".into(),
                message: format!("not valid JSON: {error}"),
            });
            return parsed;
        }
    };
    let Some(object) = value.as_object() else {
        parsed.errors.push(ConfigProblem {
            path: "$".into(),
            message: format!(
                "expected an object {{\"updates\": [...]}}, found {}",
                crate::config::schema::describe(&value)
            ),
        });
        return parsed;
    };
    let mut walk = Walk::default();
    let entries = match object.get("updates") {
        Some(value) => walk.array(value, FILE[0].shape, "$.updates"),
        None => {
            // Reported as the declaration says: a missing field.
            walk.field::<Vec<Update>>(object, &FILE, "updates", "$", None);
            None
        }
    };
    parsed.updates = read_entries(entries.map_or(&[][..], Vec::as_slice), &mut walk);
    walk.unknown(object, &[&FILE], "$");
    parsed.warnings = walk.warnings;
    parsed.errors = walk.errors;
    parsed
}

/// The entries without any error (blocking or not, such as a `javascript:` link), each
/// entry's errors reported to `walk`.
fn read_entries(entries: &[Value], walk: &mut Walk) -> Vec<Update> {
    let mut updates = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let before = walk.errors.len();
        let path = format!("$.updates[{index}]");
        let update = Update::read(entry, &Update::SHAPE, &path, walk);
        if let Some(update) = update.filter(|_| walk.errors.len() == before) {
            let problems = entry_problems(&update, index);
            if problems.is_empty() {
                updates.push(update);
            } else {
                walk.errors.extend(problems);
            }
        }
    }
    updates
}

fn entry_problems(update: &Update, index: usize) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let at = |field: &str| format!("$.updates[{index}].{field}");
    if update.author.trim().is_empty() {
        found.push(ConfigProblem {
            path: at("author"),
            message: "must not be empty".into(),
        });
    }
    if update.text.trim().is_empty() {
        found.push(ConfigProblem {
            path: at("text"),
            message: "must not be empty".into(),
        });
    }
    found
}

/// Updates naming a phase the configuration's timeline does not have.
pub fn problems(updates: &[Update], config: &Config) -> Vec<ConfigProblem> {
    let phases: Vec<&str> = config
        .timeline
        .iter()
        .flat_map(|t| t.phases.iter().map(|p| p.id.as_str()))
        .collect();
    updates
        .iter()
        .enumerate()
        .filter_map(|(index, update)| {
            let phase = update.phase.as_deref()?;
            (phase != RESOLVED_PHASE && !phases.contains(&phase)).then(|| ConfigProblem {
                path: format!("$.updates[{index}].phase"),
                message: format!(
                    "no phase \"{phase}\" in the timeline (known: {}, {RESOLVED_PHASE})",
                    phases.join(", ")
                ),
            })
        })
        .collect()
}

/// An update as the feed shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateView {
    /// When it was posted.
    pub at: DateTime<Utc>,
    /// Who posted it.
    pub author: String,
    /// Their team.
    pub team: String,
    /// The phase id it names, if any.
    pub phase: Option<String>,
    /// The phase's name for people ("Resolved" for the closing update), if it names one.
    pub phase_name: Option<String>,
    /// The text.
    pub text: String,
    /// Links.
    pub links: Vec<Link>,
}

/// The feed, newest first (file order breaks ties, later first).
pub fn feed(updates: &[Update], config: &Config) -> Vec<UpdateView> {
    let mut ordered: Vec<(usize, &Update)> = updates.iter().enumerate().collect();
    sort_stable_by_key(&mut ordered, |(_, u)| u.at.timestamp_micros());
    ordered
        .into_iter()
        .rev()
        .map(|(_, update)| UpdateView {
            at: update.at,
            author: update.author.clone(),
            team: update.team.clone(),
            phase: update.phase.clone(),
            phase_name: update.phase.as_deref().map(|id| phase_name(config, id)),
            text: update.text.clone(),
            links: update.links.clone(),
        })
        .collect()
}

/// The name of a phase id, for people.
pub fn phase_name(config: &Config, id: &str) -> String {
    if id == RESOLVED_PHASE {
        return "Resolved".to_string();
    }
    config
        .timeline
        .iter()
        .flat_map(|t| t.phases.iter())
        .find(|p| p.id == id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Where the update cadence stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CadenceState {
    /// The next update is not due soon.
    OnTrack,
    /// Due within a quarter of the interval (at most 15 min).
    DueSoon,
    /// Past due.
    Overdue,
    /// The incident is resolved; no more updates are owed.
    Closed,
    /// Neither an update nor the incident's start is known.
    Unknown,
}

impl CadenceState {
    /// The stable identifier for CSS classes and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            CadenceState::OnTrack => "on_track",
            CadenceState::DueSoon => "due_soon",
            CadenceState::Overdue => "overdue",
            CadenceState::Closed => "closed",
            CadenceState::Unknown => "unknown",
        }
    }
}

/// The update cadence as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceView {
    /// Minutes between updates.
    pub every_minutes: u32,
    /// Where updates are posted.
    pub channel: String,
    /// Who owes them.
    pub owner: String,
    /// The latest update's time.
    pub last_update_at: Option<DateTime<Utc>>,
    /// When the next one is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub state: CadenceState,
    /// "Next update due in 37 min (16:00 UTC)", "Update overdue by 12 min (was due 16:00 UTC)";
    /// before any update, "First update due in … (10:00 UTC, 2 h after the start)".
    pub text: String,
}

/// The cadence at `now`, or `None` when the configuration sets none.
pub fn cadence(config: &Config, updates: &[Update], now: DateTime<Utc>) -> Option<CadenceView> {
    let communication = config.communication.as_ref()?;
    let every = communication.update_every_minutes.max(1);
    let latest = updates.iter().max_by_key(|u| u.at);
    let resolved = updates
        .iter()
        .filter(|u| u.phase.is_some())
        .max_by_key(|u| u.at)
        .is_some_and(|u| u.phase.as_deref() == Some(RESOLVED_PHASE));
    let last_update_at = latest.map(|u| u.at);
    let base = last_update_at.or(config.incident.started_at);
    let due_at = base.map(|at| at + Duration::minutes(i64::from(every)));
    let (state, text) = match due_at {
        _ if resolved => (
            CadenceState::Closed,
            "Resolved: no further updates due".to_string(),
        ),
        None => (
            CadenceState::Unknown,
            format!(
                "Updates every {}; no update and no start time yet",
                duration(i64::from(every) * 60)
            ),
        ),
        Some(due) => {
            let left = (due - now).num_seconds();
            let soon = (i64::from(every) * 60 / 4).min(15 * 60);
            let (noun, after_start) = if last_update_at.is_none() {
                (
                    "First update",
                    format!(", {} after the start", duration(i64::from(every) * 60)),
                )
            } else {
                ("Next update", String::new())
            };
            if left < 0 {
                let noun = if last_update_at.is_none() {
                    "First update"
                } else {
                    "Update"
                };
                (
                    CadenceState::Overdue,
                    format!(
                        "{noun} overdue by {} (was due {}{after_start})",
                        duration(-left),
                        stamp(due, now)
                    ),
                )
            } else {
                let state = if left <= soon {
                    CadenceState::DueSoon
                } else {
                    CadenceState::OnTrack
                };
                let when = if left < 60 {
                    "now".to_string()
                } else {
                    format!("in {}", duration(left))
                };
                (
                    state,
                    format!("{noun} due {when} ({}{after_start})", stamp(due, now)),
                )
            }
        }
    };
    Some(CadenceView {
        every_minutes: every,
        channel: communication.channel.clone(),
        owner: communication.owner.clone(),
        last_update_at,
        due_at,
        state,
        text,
    })
}
