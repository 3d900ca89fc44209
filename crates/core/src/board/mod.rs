//! The live state of the page: the latest reading of every endpoint, and what it means for
//! each configured component and for the whole system.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{ComponentConfig, Config};
use crate::order::sort_stable_by_key;
use crate::probe::ProbeResult;
use crate::read::{read_with_body, Body, Evidence, Finding, Format, Reading};
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
    /// When the newest of its sources was last probed: when its status was last worked out,
    /// the time its history sample is recorded at.
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
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
    /// Records a probe result, reading it with the endpoint's format; returns what the reading
    /// made of the body, so it is parsed once.
    pub fn record(&mut self, format: Format, result: ProbeResult) -> Body {
        let (reading, body) = read_with_body(&result.endpoint, format, &result.outcome);
        self.latest
            .insert(result.endpoint.clone(), EndpointState { result, reading });
        body
    }

    /// Records a probe whose reading was made elsewhere (the criteria's own board of the
    /// components they name).
    pub fn record_read(&mut self, result: ProbeResult, reading: Reading) {
        self.latest
            .insert(result.endpoint.clone(), EndpointState { result, reading });
    }

    /// The latest state of an endpoint, if it was probed.
    pub fn endpoint(&self, id: &str) -> Option<&EndpointState> {
        self.latest.get(id)
    }

    /// Whether nothing was probed yet.
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// This board with `newer`'s endpoints laid over it wherever `newer` probed later: a
    /// published snapshot overlaid with a viewer's own live probes.
    pub fn overlaid(&self, newer: &Board) -> Board {
        let mut latest = self.latest.clone();
        for (id, state) in &newer.latest {
            match latest.get(id) {
                Some(old) if old.result.at > state.result.at => {}
                _ => {
                    latest.insert(id.clone(), state.clone());
                }
            }
        }
        Board { latest }
    }

    /// Every endpoint state, by endpoint id.
    pub fn states(&self) -> impl Iterator<Item = &EndpointState> {
        self.latest.values()
    }

    /// Every component of `config`, in config order.
    pub fn components(&self, config: &Config) -> Vec<ComponentView> {
        config
            .components
            .iter()
            .map(|c| self.component(c))
            .collect()
    }

    /// Evaluates one component from its sources. A known problem anywhere wins; an unknown
    /// source keeps the component unknown unless another source shows a problem, so a probe
    /// that failed never hides behind a green one. A source whose endpoint answered but does
    /// not report on the part (another backend generation) is only used when nothing else is.
    pub fn component(&self, component: &ComponentConfig) -> ComponentView {
        let mut findings = Vec::new();
        let mut not_reported = Vec::new();
        let mut checked_at: Option<DateTime<Utc>> = None;
        let mut observed_at: Option<DateTime<Utc>> = None;
        let mut latency_ms: Option<u32> = None;
        for source in &component.sources {
            let Some(state) = self.latest.get(&source.endpoint) else {
                findings.push(pending(&source.endpoint));
                continue;
            };
            checked_at = Some(checked_at.map_or(state.result.at, |t| t.min(state.result.at)));
            observed_at = Some(observed_at.map_or(state.result.at, |t| t.max(state.result.at)));
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
                    None => not_reported.push(missing_part(state, part)),
                },
            }
        }
        if findings.is_empty() {
            findings = not_reported;
        }
        sort_stable_by_key(&mut findings, |f| {
            -f.status.severity().map_or(0, |s| i64::from(s) + 1)
        });
        let worst = worst_known(findings.iter().map(|f| f.status));
        let any_unknown = findings.iter().any(|f| f.status == Status::Unknown);
        let status = match worst {
            Some(known) if known.is_problem() || !any_unknown => known,
            _ => Status::Unknown,
        };
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
            observed_at,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Source;
    use crate::probe::{HttpResponse, ProbeFailure, ProbeOutcome};
    use chrono::TimeZone;

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, second).unwrap()
    }

    fn response(endpoint: &str, status: u16, body: &str, second: u32) -> ProbeResult {
        ProbeResult {
            endpoint: endpoint.to_string(),
            at: at(second),
            latency_ms: 40 + second,
            outcome: ProbeOutcome::Response(HttpResponse {
                status,
                content_type: Some("application/json".to_string()),
                body: body.to_string(),
            }),
        }
    }

    fn component(id: &str, sources: &[(&str, Option<&str>)]) -> ComponentConfig {
        ComponentConfig {
            id: id.to_string(),
            name: id.to_string(),
            description: String::new(),
            critical: true,
            sources: sources
                .iter()
                .map(|(endpoint, part)| Source {
                    endpoint: endpoint.to_string(),
                    part: part.map(str::to_string),
                })
                .collect(),
        }
    }

    const V1_INFRA_OUTAGE: &str = r#"{"service":"infrastructure-monitoring","status":"unhealthy",
        "infrastructure_components":{
          "database":{"status":"error","component":"database","critical":true,"issue_type":"vpc_connectivity","error":"connection timed out after 8.0s"},
          "redis":{"status":"error","component":"redis","critical":false,"issue_type":"vpc_connectivity","error":"Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution."}},
        "degraded_components":["database","redis"],"infrastructure_ready":false,
        "vpc_connectivity":{"overall":false,"indicators":{"redis_connectivity":false,"database_connectivity":false,"websocket_readiness":true},"degraded_count":2}}"#;

    #[test]
    fn a_503_infrastructure_body_still_yields_its_components() {
        let mut board = Board::default();
        board.record(Format::Auto, response("infra", 503, V1_INFRA_OUTAGE, 0));
        let vpc = board.component(&component("vpc", &[("infra", Some("vpc_connector"))]));
        assert_eq!(
            vpc.status,
            Status::PartialOutage,
            "2 of 3 indicators failing is a partial outage"
        );
        assert!(vpc.reason.contains("redis_connectivity"), "{}", vpc.reason);
        let redis = board.component(&component("redis", &[("infra", Some("redis"))]));
        assert_eq!(redis.status, Status::MajorOutage);
        assert!(redis.reason.contains("Error -3"), "{}", redis.reason);
        assert_eq!(
            redis.evidence[0].evidence.field,
            "/infrastructure_components/redis/error"
        );
        assert_eq!(redis.checked_at, Some(at(0)));
    }

    #[test]
    fn a_part_the_endpoint_does_not_report_defers_to_other_sources() {
        let mut board = Board::default();
        board.record(Format::Auto, response("infra", 503, V1_INFRA_OUTAGE, 0));
        board.record(
            Format::Auto,
            response("health", 200, r#"{"status":"healthy"}"#, 1),
        );
        let lb = board.component(&component(
            "lb",
            &[("infra", Some("load_balancer")), ("health", None)],
        ));
        assert_eq!(lb.status, Status::Operational);
        let only_missing = board.component(&component("lb", &[("infra", Some("load_balancer"))]));
        assert_eq!(only_missing.status, Status::Unknown);
        assert!(
            only_missing
                .reason
                .contains("does not report on load_balancer"),
            "{}",
            only_missing.reason
        );
    }

    #[test]
    fn a_failed_probe_never_hides_behind_a_green_source() {
        let mut board = Board::default();
        board.record(
            Format::Auto,
            response("ready", 200, r#"{"status":"ready"}"#, 0),
        );
        board.record(
            Format::Auto,
            ProbeResult {
                endpoint: "health".to_string(),
                at: at(1),
                latency_ms: 3,
                outcome: ProbeOutcome::Failed(ProbeFailure::CorsBlocked {
                    origin: "https://status.example".to_string(),
                }),
            },
        );
        let backend = board.component(&component("backend", &[("health", None), ("ready", None)]));
        assert_eq!(backend.status, Status::Unknown);
        assert!(backend.reason.contains("CORS"), "{}", backend.reason);
        assert!(
            backend.reason.contains("https://status.example"),
            "{}",
            backend.reason
        );

        board.record(
            Format::Auto,
            response(
                "ready",
                503,
                r#"{"status":"unhealthy","message":"Database dependency failed"}"#,
                2,
            ),
        );
        let backend = board.component(&component("backend", &[("health", None), ("ready", None)]));
        assert_eq!(
            backend.status,
            Status::MajorOutage,
            "a known problem wins over an unknown"
        );
    }

    #[test]
    fn ready_with_a_degraded_dependency_is_degraded() {
        let mut board = Board::default();
        board.record(
            Format::Auto,
            response("ready", 200, r#"{"status":"ready","core_db":"connected","redis_db":"vpc_connectivity_degraded","clickhouse_db":"skipped_optional"}"#, 0),
        );
        let backend = board.component(&component("backend", &[("ready", None)]));
        assert_eq!(backend.status, Status::Degraded);
        assert!(backend.reason.contains("redis"), "{}", backend.reason);
        let redis = board.component(&component("redis", &[("ready", Some("redis"))]));
        assert_eq!(redis.status, Status::Degraded);
    }

    #[test]
    fn overall_weighs_criticality_and_refuses_a_false_green() {
        let view = |id: &str, status: Status, critical: bool| ComponentView {
            id: id.to_string(),
            name: id.to_string(),
            description: String::new(),
            critical,
            status,
            reason: String::new(),
            evidence: Vec::new(),
            checked_at: None,
            observed_at: None,
            latency_ms: None,
        };
        let all_up = [
            view("a", Status::Operational, true),
            view("b", Status::Operational, false),
        ];
        assert_eq!(overall(&all_up).status, Status::Operational);
        assert_eq!(overall(&all_up).headline, "All systems operational");

        let non_critical_down = [
            view("a", Status::Operational, true),
            view("b", Status::MajorOutage, false),
        ];
        assert_eq!(overall(&non_critical_down).status, Status::PartialOutage);

        let critical_down = [
            view("a", Status::MajorOutage, true),
            view("b", Status::Degraded, false),
        ];
        let banner = overall(&critical_down);
        assert_eq!(banner.status, Status::MajorOutage);
        assert_eq!(banner.detail, "Affected: a, b.");

        let partly_unknown = [
            view("a", Status::Operational, true),
            view("b", Status::Unknown, true),
        ];
        let banner = overall(&partly_unknown);
        assert_eq!(banner.status, Status::Unknown);
        assert!(banner.detail.contains("1 of 2"), "{}", banner.detail);

        assert_eq!(overall(&[]).status, Status::Unknown);
    }
}
