//! The snapshot a prober publishes for every page to read first: the board of latest readings,
//! the component, banner and criteria views computed from it, when, and by whom; and the rules
//! for how old a snapshot may be before the page must stop presenting it as current.
//!
//! The prober (`lookout-probe`) and the page evaluate with the same code, so a snapshot and a
//! live view of the same answers never disagree on a rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::board::{Board, OverallView};
use crate::monitor::page::PageModel;
use crate::status::Status;
use crate::time::{hh_mm, stamp};

/// The version of the snapshot document; a page refuses any other rather than guess.
pub const SNAPSHOT_SCHEMA: u32 = 2;
/// The fastest a page re-reads a snapshot, whatever the prober's own interval: the file is
/// cached for about as long, so faster would only cost requests.
pub const MIN_REFRESH_SECONDS: u32 = 15;
/// The slowest a page re-reads a snapshot.
pub const MAX_REFRESH_SECONDS: u32 = 300;
/// How often a page re-reads a snapshot whose prober ran once (no interval of its own).
pub const DEFAULT_REFRESH_SECONDS: u32 = 30;

/// Who wrote a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prober {
    /// The prober's name, e.g. `lookout-probe@cloud-run/status-prober`.
    pub id: String,
    /// The prober's version.
    pub version: String,
}

/// The published state of an incident at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_SCHEMA`] when written by this build.
    pub schema: u32,
    /// The incident id of the configuration it was probed with.
    pub incident: String,
    /// When the probe round finished.
    pub generated_at: DateTime<Utc>,
    /// Who probed.
    pub prober: Prober,
    /// Seconds between the prober's rounds; `None` for a one-off run.
    #[serde(default)]
    pub interval_seconds: Option<u32>,
    /// The latest probe of every endpoint and its reading (a failed probe is recorded as
    /// failed, with its reason): what a viewer going live overlays with their own probes.
    pub board: Board,
    /// The page as the prober's monitor computed it: banner, rows, criteria and the rest.
    pub model: PageModel,
}

/// Why a snapshot document was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotRejected {
    /// Not JSON, or not the shape of a snapshot.
    Corrupt(String),
    /// Written with another schema version.
    OtherSchema(u64),
    /// Written for another incident.
    OtherIncident(String),
}

impl std::fmt::Display for SnapshotRejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotRejected::Corrupt(why) => write!(f, "the snapshot is not readable ({why})"),
            SnapshotRejected::OtherSchema(version) => write!(
                f,
                "the snapshot has schema {version}, this page reads {SNAPSHOT_SCHEMA}"
            ),
            SnapshotRejected::OtherIncident(id) => {
                write!(f, "the snapshot belongs to incident {id}, not this one")
            }
        }
    }
}

impl Snapshot {
    /// Reads a snapshot of incident `incident`, refusing anything else.
    pub fn from_json(text: &str, incident: &str) -> Result<Snapshot, SnapshotRejected> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SnapshotRejected::Corrupt(e.to_string()))?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(version) if version == u64::from(SNAPSHOT_SCHEMA) => {}
            Some(other) => return Err(SnapshotRejected::OtherSchema(other)),
            None => return Err(SnapshotRejected::Corrupt("no schema version".to_string())),
        }
        let snapshot: Snapshot =
            serde_json::from_value(value).map_err(|e| SnapshotRejected::Corrupt(e.to_string()))?;
        if snapshot.incident != incident {
            return Err(SnapshotRejected::OtherIncident(snapshot.incident));
        }
        Ok(snapshot)
    }

    /// The published form.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Its age at `now` in whole seconds; a snapshot from the future (clock skew) is 0 s old.
    pub fn age_seconds(&self, now: DateTime<Utc>) -> i64 {
        (now - self.generated_at).num_seconds().max(0)
    }

    /// How often a page should re-read it: the prober's own interval within
    /// [`MIN_REFRESH_SECONDS`]..=[`MAX_REFRESH_SECONDS`], else [`DEFAULT_REFRESH_SECONDS`].
    pub fn refresh_seconds(&self) -> u32 {
        refresh_seconds(self.interval_seconds)
    }
}

/// How often a page re-reads a snapshot written every `interval_seconds` (see
/// [`Snapshot::refresh_seconds`]).
pub fn refresh_seconds(interval_seconds: Option<u32>) -> u32 {
    interval_seconds.map_or(DEFAULT_REFRESH_SECONDS, |s| {
        s.clamp(MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS)
    })
}

/// Where the page's snapshot stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotState {
    /// Not read yet.
    Loading,
    /// Read, and younger than the configured limit.
    Current,
    /// Read, but older than the configured limit: shown with its time, never as current.
    Stale,
    /// Could not be read (and none was read before): every status is unknown.
    Unavailable,
}

impl SnapshotState {
    /// The stable identifier used in `data-snapshot` attributes and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotState::Loading => "loading",
            SnapshotState::Current => "current",
            SnapshotState::Stale => "stale",
            SnapshotState::Unavailable => "unavailable",
        }
    }
}

/// The state of the snapshot last read (if any) at `now`, given the configured `max_age_seconds`.
pub fn state(
    snapshot: Option<&Snapshot>,
    failed: bool,
    now: DateTime<Utc>,
    max_age_seconds: u32,
) -> SnapshotState {
    match snapshot {
        Some(snapshot) if snapshot.age_seconds(now) > i64::from(max_age_seconds) => {
            SnapshotState::Stale
        }
        Some(_) => SnapshotState::Current,
        None if failed => SnapshotState::Unavailable,
        None => SnapshotState::Loading,
    }
}

/// The banner to show for a snapshot in `state`: its own banner when current; when stale, an
/// unknown banner that names the time and what the snapshot said then, so old data is never
/// presented as the current status.
pub fn banner(snapshot: &Snapshot, state: SnapshotState) -> OverallView {
    match state {
        SnapshotState::Current | SnapshotState::Loading => snapshot.model.banner.clone(),
        SnapshotState::Stale | SnapshotState::Unavailable => OverallView {
            status: Status::Unknown,
            headline: "Status unknown: the snapshot is out of date".to_string(),
            detail: format!(
                "The latest snapshot is from {}; it said: {}. {}",
                hh_mm(snapshot.generated_at),
                snapshot.model.banner.headline,
                snapshot.model.banner.detail
            ),
        },
    }
}

/// One sentence for the page: "Snapshot from 12:00 UTC (40 s ago) by lookout-probe@ci".
pub fn describe(generated_at: DateTime<Utc>, prober: &Prober, now: DateTime<Utc>) -> String {
    format!(
        "Snapshot from {} ({}) by {}",
        stamp(generated_at, now),
        crate::time::ago(now, generated_at),
        if prober.id.trim().is_empty() {
            "an unnamed prober"
        } else {
            prober.id.as_str()
        }
    )
}
