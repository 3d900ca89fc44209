//! The Atlassian Statuspage `/api/v2/summary.json` shape, built from Lookout's own views so
//! existing widgets and SLA tools can read an incident without new code.
//!
//! Field names and values follow the documented public API: `page{id, name, url, time_zone,
//! updated_at}`, `status{indicator: none|minor|major|critical, description}`,
//! `components[]{id, name, status: operational|degraded_performance|partial_outage|major_outage|
//! under_maintenance, created_at, updated_at, position, description, showcase, start_date,
//! group_id, page_id, group, only_show_if_degraded}`, `incidents[]` (unresolved only) with
//! `status: investigating|identified|monitoring|resolved|postmortem`, `impact: none|minor|major|
//! critical` and `incident_updates[]`, and `scheduled_maintenances[]`.
//!
//! Statuspage has no "unknown": a component Lookout cannot check is published as
//! `degraded_performance` (never `operational`, never an outage it did not see) with the reason
//! in the page description, matching how the page itself refuses a false green.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::board::{ComponentView, OverallView};
use crate::config::sections::RESOLVED_PHASE;
use crate::config::Config;
use crate::incident::updates::Update;
use crate::status::Status;

/// `summary.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The page.
    pub page: Page,
    /// The page's rollup.
    pub status: PageStatus,
    /// Every component.
    pub components: Vec<Component>,
    /// Unresolved incidents.
    pub incidents: Vec<Incident>,
    /// Lookout never schedules maintenance: always empty.
    pub scheduled_maintenances: Vec<Incident>,
}

/// `page`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Unique page id: `lookout-<incident id>`.
    pub id: String,
    /// The incident title.
    pub name: String,
    /// The status page's public URL.
    pub url: String,
    /// Always `Etc/UTC`: every time is published in UTC.
    pub time_zone: String,
    /// When the snapshot was taken (ISO 8601).
    pub updated_at: String,
}

/// `status`: the page rollup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageStatus {
    /// `none`, `minor`, `major` or `critical`.
    pub indicator: String,
    /// The banner's headline, e.g. "Major outage".
    pub description: String,
}

/// One entry of `components`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// The config id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// See [`summary_component_status`].
    pub status: String,
    /// When the incident started (the component's first appearance on this page).
    pub created_at: String,
    /// When it was last checked (else the snapshot's time).
    pub updated_at: String,
    /// Config order, from 1.
    pub position: u32,
    /// The component's description, then why it has its status.
    pub description: Option<String>,
    /// Whether Statuspage would showcase it: always `true`.
    pub showcase: bool,
    /// Always `null`.
    pub start_date: Option<String>,
    /// Always `null`: Lookout has no component groups.
    pub group_id: Option<String>,
    /// The page id.
    pub page_id: String,
    /// Always `false`.
    pub group: bool,
    /// Always `false`.
    pub only_show_if_degraded: bool,
}

/// One entry of `incidents`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// The incident id.
    pub id: String,
    /// Its title.
    pub name: String,
    /// See [`incident_status`].
    pub status: String,
    /// `none`, `minor`, `major` or `critical`, from the banner.
    pub impact: String,
    /// When it started.
    pub created_at: String,
    /// When the snapshot was taken.
    pub updated_at: String,
    /// When it started.
    pub started_at: String,
    /// When it entered monitoring, if it is monitoring.
    pub monitoring_at: Option<String>,
    /// When it was resolved, if it is.
    pub resolved_at: Option<String>,
    /// The status page's URL.
    pub shortlink: String,
    /// The page id.
    pub page_id: String,
    /// The status updates, newest first.
    pub incident_updates: Vec<IncidentUpdate>,
    /// The components with a problem.
    pub components: Vec<Component>,
}

/// One entry of `incident_updates`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    /// `<incident id>-<n>`, n counting from the oldest update.
    pub id: String,
    /// The incident's status when the update was posted: the current status for the newest,
    /// `identified` for earlier ones, `resolved` for the one that closed it.
    pub status: String,
    /// The update's text (plain text, never HTML).
    pub body: String,
    /// The incident id.
    pub incident_id: String,
    /// When it was posted.
    pub created_at: String,
    /// When it was posted.
    pub updated_at: String,
    /// When it was posted.
    pub display_at: String,
}

/// The documented component statuses.
pub const COMPONENT_STATUSES: [&str; 5] = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
];
/// The documented page indicators and incident impacts.
pub const INDICATORS: [&str; 4] = ["none", "minor", "major", "critical"];
/// The documented incident statuses.
pub const INCIDENT_STATUSES: [&str; 5] = [
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "postmortem",
];

/// A component's Statuspage status. Unknown is `degraded_performance`: never green, never an
/// outage nobody saw.
pub fn summary_component_status(status: Status) -> &'static str {
    match status {
        Status::Operational => "operational",
        Status::Degraded | Status::Unknown => "degraded_performance",
        Status::PartialOutage => "partial_outage",
        Status::MajorOutage => "major_outage",
        Status::Maintenance => "under_maintenance",
    }
}

/// The page indicator (and incident impact) for the banner's status, as Statuspage rolls up:
/// `major` is a partial outage, `critical` a major one; unknown and maintenance are `minor`.
pub fn indicator(status: Status) -> &'static str {
    match status {
        Status::Operational => "none",
        Status::Degraded | Status::Maintenance | Status::Unknown => "minor",
        Status::PartialOutage => "major",
        Status::MajorOutage => "critical",
    }
}

/// The incident's status: `resolved` once an update says so; `monitoring` while every component
/// is operational; `identified` once an update has moved the timeline; else `investigating`.
pub fn incident_status(overall: Status, updates: &[Update]) -> &'static str {
    let latest_phase = updates
        .iter()
        .filter(|u| u.phase.is_some())
        .max_by_key(|u| u.at)
        .and_then(|u| u.phase.as_deref());
    match latest_phase {
        Some(RESOLVED_PHASE) => "resolved",
        _ if overall == Status::Operational => "monitoring",
        Some(_) => "identified",
        None => "investigating",
    }
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What goes into a summary besides the config.
pub struct Inputs<'a> {
    /// The components, in config order.
    pub components: &'a [ComponentView],
    /// The banner.
    pub overall: &'a OverallView,
    /// The status updates (any order).
    pub updates: &'a [Update],
    /// When the snapshot was taken.
    pub generated_at: DateTime<Utc>,
    /// The status page's public URL.
    pub page_url: &'a str,
}

/// Builds `summary.json` for `config`'s incident.
pub fn summary(config: &Config, inputs: &Inputs) -> Summary {
    let page_id = format!("lookout-{}", config.incident.id);
    let now = iso(inputs.generated_at);
    let started = iso(config.incident.started_at.unwrap_or(inputs.generated_at));
    let components: Vec<Component> = inputs
        .components
        .iter()
        .enumerate()
        .map(|(index, view)| Component {
            id: view.id.clone(),
            name: view.name.clone(),
            status: summary_component_status(view.status).to_string(),
            created_at: started.clone(),
            updated_at: view.checked_at.map_or_else(|| now.clone(), iso),
            position: index as u32 + 1,
            description: Some(if view.description.trim().is_empty() {
                format!("{}: {}", view.status.label(), view.reason)
            } else {
                format!(
                    "{} ({}: {})",
                    view.description,
                    view.status.label(),
                    view.reason
                )
            }),
            showcase: true,
            start_date: None,
            group_id: None,
            page_id: page_id.clone(),
            group: false,
            only_show_if_degraded: false,
        })
        .collect();
    let status = incident_status(inputs.overall.status, inputs.updates);
    let mut updates: Vec<&Update> = inputs.updates.iter().collect();
    updates.sort_by_key(|u| u.at);
    let resolved_at = updates
        .iter()
        .rev()
        .find(|u| u.phase.as_deref() == Some(RESOLVED_PHASE))
        .map(|u| iso(u.at));
    let count = updates.len();
    let incident_updates = updates
        .iter()
        .enumerate()
        .rev()
        .map(|(index, update)| IncidentUpdate {
            id: format!("{}-{}", config.incident.id, index + 1),
            status: if update.phase.as_deref() == Some(RESOLVED_PHASE) {
                "resolved"
            } else if index + 1 == count {
                status
            } else {
                "identified"
            }
            .to_string(),
            body: update.text.clone(),
            incident_id: config.incident.id.clone(),
            created_at: iso(update.at),
            updated_at: iso(update.at),
            display_at: iso(update.at),
        })
        .collect();
    let incidents = if status == "resolved" {
        Vec::new()
    } else {
        vec![Incident {
            id: config.incident.id.clone(),
            name: config.incident.title.clone(),
            status: status.to_string(),
            impact: indicator(inputs.overall.status).to_string(),
            created_at: started.clone(),
            updated_at: now.clone(),
            started_at: started,
            monitoring_at: (status == "monitoring").then(|| now.clone()),
            resolved_at,
            shortlink: inputs.page_url.to_string(),
            page_id: page_id.clone(),
            incident_updates,
            components: components
                .iter()
                .filter(|c| c.status != "operational")
                .cloned()
                .collect(),
        }]
    };
    Summary {
        page: Page {
            id: page_id,
            name: config.incident.title.clone(),
            url: inputs.page_url.to_string(),
            time_zone: "Etc/UTC".to_string(),
            updated_at: now,
        },
        status: PageStatus {
            indicator: indicator(inputs.overall.status).to_string(),
            description: if inputs.overall.status == Status::Unknown {
                format!("{}: {}", inputs.overall.headline, inputs.overall.detail)
            } else {
                inputs.overall.headline.clone()
            },
        },
        components,
        incidents,
        scheduled_maintenances: Vec::new(),
    }
}
