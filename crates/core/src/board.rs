//! The live state of the page: the latest reading of every endpoint, and what it means for
//! each configured component and for the whole system.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{ComponentConfig, Config};
use crate::probe::ProbeResult;
use crate::reading::{read, Evidence, Finding, Format, Reading};
use crate::status::{worst_known, Status};

/// The latest probe of one endpoint and what was read from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EndpointState {
    /// The raw probe.
    pub result: ProbeResult,
    /// Its reading.
    pub reading: Reading,
}

/// The latest state of every endpoint probed so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    latest: BTreeMap<String, EndpointState>,
}

/// A component as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentView {
    /// Config id.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Whether its outage is an outage of the whole system.
    pub critical: bool,
    /// Its status.
    pub status: Status,
    /// Why, in words.
    pub reason: String,
    /// Every finding that went into it, worst first.
    pub evidence: Vec<Finding>,
    /// When the oldest of its sources was last probed.
    pub checked_at: Option<DateTime<Utc>>,
    /// The slowest of its sources' latest round trips, in milliseconds.
    pub latency_ms: Option<u32>,
}

/// The banner at the top of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverallView {
    /// The system's status.
    pub status: Status,
    /// A headline such as "Major outage".
    pub headline: String,
    /// The sentence under it naming what is affected.
    pub detail: String,
}

impl Board {
    /// Records a probe result, reading it with the endpoint's format.
    pub fn record(&mut self, format: Format, result: ProbeResult) {
        let reading = read(&result.endpoint, format, &result.outcome);
        self.latest
            .insert(result.endpoint.clone(), EndpointState { result, reading });
    }

    /// The latest state of an endpoint, if it was probed.
    pub fn endpoint(&self, id: &str) -> Option<&EndpointState> {
        self.latest.get(id)
    }

    /// Every component of `config`, in config order.
    pub fn components(&self, config: &Config) -> Vec<ComponentView> {
        config
            .components
            .iter()
            .map(|c| self.component(c))
            .collect()
    }

    /// Evaluates one component from its sources: the worst known finding wins; unknown only
    /// when no source gives a known status.
    pub fn component(&self, component: &ComponentConfig) -> ComponentView {
        let mut findings = Vec::new();
        let mut checked_at: Option<DateTime<Utc>> = None;
        let mut latency_ms: Option<u32> = None;
        for source in &component.sources {
            let Some(state) = self.latest.get(&source.endpoint) else {
                findings.push(pending(&source.endpoint));
                continue;
            };
            checked_at = Some(checked_at.map_or(state.result.at, |t| t.min(state.result.at)));
            latency_ms = Some(
                latency_ms.map_or(state.result.latency_ms, |l| l.max(state.result.latency_ms)),
            );
            let reading = &state.reading;
            match &source.part {
                None => findings.push(reading.overall.clone()),
                Some(part) => match reading.parts.get(part) {
                    Some(finding) => findings.push(finding.clone()),
                    None if !reading.answered || reading.overall.status == Status::Unknown => {
                        findings.push(reading.overall.clone());
                    }
                    None => findings.push(missing_part(state, part)),
                },
            }
        }
        findings.sort_by_key(|f| std::cmp::Reverse(f.status.severity().map_or(0, |s| s + 1)));
        let status = worst_known(findings.iter().map(|f| f.status)).unwrap_or(Status::Unknown);
        let reason = findings
            .iter()
            .find(|f| f.status == status)
            .map(|f| f.reason.clone())
            .unwrap_or_else(|| "no source configured".to_string());
        ComponentView {
            id: component.id.clone(),
            name: component.name.clone(),
            description: component.description.clone(),
            critical: component.critical,
            status,
            reason,
            evidence: findings,
            checked_at,
            latency_ms,
        }
    }
}

fn pending(endpoint: &str) -> Finding {
    Finding {
        status: Status::Unknown,
        reason: "not checked yet".to_string(),
        evidence: Evidence {
            endpoint: endpoint.to_string(),
            ..Evidence::default()
        },
    }
}

fn missing_part(state: &EndpointState, part: &str) -> Finding {
    Finding {
        status: Status::Unknown,
        reason: format!(
            "{} does not report on {part} ({})",
            state.result.endpoint, state.reading.shape
        ),
        evidence: Evidence {
            endpoint: state.result.endpoint.clone(),
            http_status: state.reading.overall.evidence.http_status,
            field: String::new(),
            raw: String::new(),
        },
    }
}

/// The system's status from its components: a critical component's outage is a major outage, a
/// non-critical one's at most a partial outage; when some components cannot be checked and the
/// rest look fine, the system is unknown rather than falsely operational.
pub fn overall(components: &[ComponentView]) -> OverallView {
    let effective = |c: &ComponentView| match c.status {
        Status::MajorOutage if !c.critical => Status::PartialOutage,
        other => other,
    };
    let unknown: Vec<&str> = components
        .iter()
        .filter(|c| c.status == Status::Unknown)
        .map(|c| c.name.as_str())
        .collect();
    let Some(worst) = worst_known(components.iter().map(effective)) else {
        return OverallView {
            status: Status::Unknown,
            headline: "Status unknown".to_string(),
            detail: if components.is_empty() {
                "No components are configured.".to_string()
            } else {
                "No component could be checked yet.".to_string()
            },
        };
    };
    if worst == Status::Operational && !unknown.is_empty() {
        return OverallView {
            status: Status::Unknown,
            headline: "Status partly unknown".to_string(),
            detail: format!(
                "{} of {} components could not be checked ({}); the others are operational.",
                unknown.len(),
                components.len(),
                unknown.join(", ")
            ),
        };
    }
    let affected: Vec<&str> = components
        .iter()
        .filter(|c| c.status.is_problem())
        .map(|c| c.name.as_str())
        .collect();
    let headline = match worst {
        Status::Operational => "All systems operational",
        Status::Maintenance => "Under maintenance",
        Status::Degraded => "Degraded performance",
        Status::PartialOutage => "Partial outage",
        Status::MajorOutage => "Major outage",
        Status::Unknown => "Status unknown",
    };
    let mut detail = if affected.is_empty() {
        format!("All {} components are operational.", components.len())
    } else {
        format!("Affected: {}.", affected.join(", "))
    };
    if !unknown.is_empty() {
        detail.push_str(&format!(" Could not check: {}.", unknown.join(", ")));
    }
    OverallView {
        status: worst,
        headline: headline.to_string(),
        detail,
    }
}
