//! Shared builders for the incident tests: probe results, canned payloads written from the
//! documented Netra shapes (research notes §2, §4, §6), and a small configuration.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use lookout_core::board::ComponentView;
use lookout_core::config::Config;
use lookout_core::incident::criteria::CriteriaTracker;
use lookout_core::incident::criteria::{CriterionKind, CriterionState, CriterionView};
use lookout_core::probe::{
    HttpResponse, ProbeFailure, ProbeOutcome, ProbeResult, WebSocketSession,
};
use lookout_core::read::{read, Format};
use lookout_core::status::Status;
use serde_json::{json, Value};

/// The shipped configuration.
pub const DEFAULT_CONFIG: &str = include_str!("../../../../config/lookout.json");
/// The shipped updates.
pub const DEFAULT_UPDATES: &str = include_str!("../../../../config/updates.json");

/// 2025-09-16 12:00 UTC plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// 2025-09-16 `hour`:`minute` UTC.
pub fn hm(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 16, hour, minute, 0).unwrap()
}

/// 2025-09-16 12:00 UTC plus `seconds`.
pub fn sec(seconds: i64) -> DateTime<Utc> {
    at(0) + Duration::seconds(seconds)
}

pub fn http(endpoint: &str, status: u16, body: &str, at: DateTime<Utc>) -> ProbeResult {
    ProbeResult {
        endpoint: endpoint.to_string(),
        at,
        latency_ms: 80,
        outcome: ProbeOutcome::Response(HttpResponse {
            status,
            content_type: Some("application/json".to_string()),
            body: body.to_string(),
        }),
    }
}

pub fn ws(
    endpoint: &str,
    opened: bool,
    code: Option<u16>,
    reason: &str,
    at: DateTime<Utc>,
) -> ProbeResult {
    ProbeResult {
        endpoint: endpoint.to_string(),
        at,
        latency_ms: 120,
        outcome: ProbeOutcome::WebSocket(WebSocketSession {
            opened,
            close_code: code,
            close_reason: reason.to_string(),
        }),
    }
}

pub fn failed(endpoint: &str, failure: ProbeFailure, at: DateTime<Utc>) -> ProbeResult {
    ProbeResult {
        endpoint: endpoint.to_string(),
        at,
        latency_ms: 10_000,
        outcome: ProbeOutcome::Failed(failure),
    }
}

/// Reads the result as the board would and hands both to the tracker.
/// The one criterion `tracker` holds, evaluated at `now`.
pub fn one(tracker: &mut CriteriaTracker, now: DateTime<Utc>) -> CriterionView {
    let mut views = tracker.evaluate(now);
    assert_eq!(views.len(), 1);
    views.remove(0)
}

pub fn feed(tracker: &mut CriteriaTracker, result: ProbeResult) {
    let reading = read(&result.endpoint, Format::Auto, &result.outcome);
    tracker.observe(&result, &reading);
}

/// A configuration with the usual endpoints, the components `backend` (from `health`),
/// `vpc_connector` (part of `infra`) and `redis` (parts of `infra` and `ready`), and the given
/// `criteria` array (JSON text).
pub fn mini(criteria: &str) -> Config {
    let text = format!(
        r#"{{
  "schema_version": 1,
  "incident": {{"id": "1", "title": "Test", "started_at": "2025-09-16T08:00:00Z"}},
  "services": {{
    "backend": {{"base_url": "https://staging.example.com"}},
    "ws": {{"base_url": "wss://api.example.com"}},
    "reports": {{"base_url": "https://reports.example.com"}}
  }},
  "probing": {{"interval_seconds": 30, "timeout_seconds": 10}},
  "endpoints": [
    {{"id": "health", "service": "backend", "path": "/health"}},
    {{"id": "ready", "service": "backend", "path": "/health/ready"}},
    {{"id": "infra", "service": "backend", "path": "/health/infrastructure"}},
    {{"id": "socket", "service": "ws", "path": "/ws", "kind": "websocket"}},
    {{"id": "report", "service": "reports", "path": "/validate_infrastructure_fix.json"}}
  ],
  "components": [
    {{"id": "backend", "name": "Backend", "sources": [{{"endpoint": "health"}}]}},
    {{"id": "vpc_connector", "name": "VPC connector", "sources": [{{"endpoint": "infra", "part": "vpc_connector"}}]}},
    {{"id": "redis", "name": "Redis", "sources": [{{"endpoint": "infra", "part": "redis"}}, {{"endpoint": "ready", "part": "redis"}}]}}
  ],
  "criteria": {criteria}
}}"#
    );
    Config::parse(&text).unwrap_or_else(|problems| {
        panic!(
            "test config invalid: {}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    })
}

// --- canned payloads ---------------------------------------------------------------------------

/// v1 `/health/infrastructure` in the outage (served with 503).
pub const V1_INFRA_OUTAGE: &str = r#"{"service":"infrastructure-monitoring","environment":"staging",
 "status":"unhealthy",
 "infrastructure_components":{
   "database":{"status":"error","component":"PostgreSQL","critical":true,"issue_type":"vpc_connectivity","error":"connection timed out after 8.0s"},
   "redis":{"status":"error","component":"Redis","critical":false,"issue_type":"vpc_connectivity","error":"Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution."},
   "websocket":{"status":"degraded","component":"WebSocket Infrastructure","critical":true,"issue_type":"load_balancer"}},
 "degraded_components":["database","redis","websocket"],"infrastructure_ready":false,
 "vpc_connectivity":{"overall":false,"indicators":{"redis_connectivity":false,"database_connectivity":false,"websocket_readiness":false},"degraded_count":3}}"#;

/// v1 `/health/infrastructure` in partial recovery (200): VPC fixed, Cloud SQL slow.
pub const V1_INFRA_PARTIAL: &str = r#"{"service":"infrastructure-monitoring","status":"degraded",
 "infrastructure_components":{
   "database":{"status":"degraded","component":"PostgreSQL","critical":true,"issue_type":"connectivity","error":"slow responses: 4.8s"},
   "redis":{"status":"healthy","component":"Redis","critical":false,"issue_type":null},
   "websocket":{"status":"healthy","component":"WebSocket Infrastructure","critical":true,"issue_type":null}},
 "degraded_components":["database"],"infrastructure_ready":false,
 "vpc_connectivity":{"overall":true,"indicators":{"redis_connectivity":true,"database_connectivity":true,"websocket_readiness":true},"degraded_count":0}}"#;

/// v1 `/health/infrastructure` recovered (200).
pub const V1_INFRA_RECOVERED: &str = r#"{"service":"infrastructure-monitoring","status":"healthy",
 "infrastructure_components":{
   "database":{"status":"healthy","component":"PostgreSQL","critical":true,"issue_type":null},
   "redis":{"status":"healthy","component":"Redis","critical":false,"issue_type":null},
   "websocket":{"status":"healthy","component":"WebSocket Infrastructure","critical":true,"issue_type":null}},
 "degraded_components":[],"infrastructure_ready":true,
 "vpc_connectivity":{"overall":true,"indicators":{"redis_connectivity":true,"database_connectivity":true,"websocket_readiness":true},"degraded_count":0}}"#;

/// v2 `/health/infrastructure` (always 200) with the given database numbers and status.
pub fn v2_infra(status: &str, average: &str, violation_rate: &str, error_3: bool) -> String {
    let errors = if error_3 {
        json!(["Redis session store unreachable: Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution."])
    } else {
        json!([])
    };
    json!({
        "status": status,
        "infrastructure": {"overall_status": status, "total_services": 8, "healthy_services": 0,
            "critical_services": [], "chat_functionality_impacted": error_3, "environment": "staging",
            "last_updated": "2025-09-17T14:05:12.001100",
            "service_details": {"cloud_sql": {"status": if error_3 {"critical"} else {"healthy"},
                "consecutive_failures": 0, "average_response_time": 0.3, "success_rate": 100.0, "critical_to_chat": true},
              "vpc_connector": {"status": if error_3 {"critical"} else {"healthy"},
                "consecutive_failures": 0, "average_response_time": 0.002, "success_rate": 100.0, "critical_to_chat": true}}},
        "circuit_breakers": {"overall_health": "healthy"},
        "authentication": {"overall_status": "healthy", "issues": {"errors": errors, "warnings": [], "error_count": 0, "warning_count": 0}},
        "diagnostics": {"environment": "staging", "timestamp": 1758117912.0019,
            "database_connections": {"total_attempts": 42, "success_rate": "97.6%",
                "average_connection_time": average, "timeout_violations": 1, "timeout_violation_rate": violation_rate},
            "infrastructure_pressure_indicators": {"slow_connections": false, "high_timeout_rate": false, "low_success_rate": false}},
        "chat_functionality_impact": false,
        "infrastructure_recommendations": {"database": "Database connections healthy",
            "auth_service": "Verify auth service port 8081 availability", "backend_service": "Backend service operational"}
    })
    .to_string()
}

/// v2 `/health/infrastructure`'s `except` branch (200), which has no diagnostics at all.
pub const V2_INFRA_ERROR: &str = r#"{"status":"error","error":"'DatabaseConnectionMonitor' object has no attribute 'get_metrics'",
 "note":"Infrastructure health check failed - this may indicate infrastructure issues",
 "infrastructure_recommendations":{"immediate_action":"Check VPC connector and Cloud SQL connectivity",
   "likely_causes":["Redis Memorystore 10.166.204.83:6379 unreachable (error -3)"]}}"#;

/// The error envelope a 503 carries.
pub const ENVELOPE_503: &str = r#"{"error":true,"error_code":"SERVICE_UNAVAILABLE","message":"Service Unavailable","user_message":"Service Unavailable","details":{"status_code":503},"trace_id":"5b0c","timestamp":"2025-09-16T12:00:00+00:00"}"#;

/// A `validate_infrastructure_fix.py --json` report. `passes` gives, per category in the order
/// connectivity (4 paths), startup_resilience (1), database_operations (2), agent_systems (2),
/// how many of its requests (3 per path) passed. `pass_percentage` keeps the script's quirk.
pub fn report(passes: [u32; 4]) -> String {
    let layout: [(&str, &[&str], u32, bool); 4] = [
        (
            "connectivity",
            &[
                "basic_health",
                "readiness",
                "infrastructure",
                "backend_health",
            ],
            4,
            true,
        ),
        ("startup_resilience", &["startup_probe"], 1, true),
        (
            "database_operations",
            &["schema_validation", "database_env"],
            2,
            true,
        ),
        (
            "agent_systems",
            &["agent_health", "system_comprehensive"],
            1,
            false,
        ),
    ];
    let mut categories = serde_json::Map::new();
    let (mut paths, mut passed_total, mut failed_total) = (0u32, 0u32, 0u32);
    let mut critical_ok = true;
    for ((name, tests, required, critical), passes) in layout.iter().zip(passes) {
        let mut entries = serde_json::Map::new();
        let mut left = passes;
        for test in tests.iter() {
            for target in ["backend", "auth", "frontend"] {
                let status = if left > 0 {
                    left -= 1;
                    "passed"
                } else {
                    "timeout"
                };
                entries.insert(
                    format!("{target}_{test}"),
                    json!({"test_name": test, "status": status, "endpoint": target}),
                );
            }
        }
        let total = tests.len() as u32 * 3;
        let success = passes >= *required;
        critical_ok &= success || !critical;
        paths += tests.len() as u32;
        passed_total += passes;
        failed_total += total - passes;
        categories.insert(
            name.to_string(),
            json!({"tests": entries, "passed": passes, "failed": total - passes, "total": tests.len(),
                   "success": success, "critical": critical, "required_passing": required}),
        );
    }
    let pct = (f64::from(passed_total) / f64::from(paths) * 1000.0).round() / 10.0;
    json!({
        "validation_run_id": "infra_fix_validation_1758031200",
        "issue_reference": "#1278",
        "test_categories": categories,
        "summary": {"total_tests": paths, "total_passed": passed_total, "total_failed": failed_total,
            "pass_percentage": pct, "critical_categories_passed": critical_ok,
            "validation_duration_seconds": 12.5, "end_time": "2025-09-16T11:58:00+00:00"},
        "validation_passed": critical_ok && pct >= 80.0,
        "infrastructure_team_signoff": {"recommendation": if critical_ok && pct >= 80.0 {"APPROVED"} else {"REQUIRES_ATTENTION"}}
    })
    .to_string()
}

/// Parses canned JSON, for tests that patch it.
pub fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

// --- views ------------------------------------------------------------------------------------

pub fn component(id: &str, status: Status) -> ComponentView {
    ComponentView {
        id: id.to_string(),
        name: id.replace('_', " "),
        description: String::new(),
        critical: true,
        status,
        reason: format!("{} because", status.label()),
        evidence: Vec::new(),
        checked_at: None,
        observed_at: None,
        latency_ms: None,
    }
}

pub fn criterion(id: &str, state: CriterionState, now: DateTime<Utc>) -> CriterionView {
    CriterionView {
        id: id.to_string(),
        title: id.replace('_', " "),
        description: String::new(),
        kind: CriterionKind::HttpOk,
        state,
        met: state == CriterionState::Met,
        progress: if state == CriterionState::Met {
            100
        } else {
            40
        },
        summary: String::new(),
        evidence: Vec::new(),
        evaluated_at: now,
        observed_at: None,
        since: None,
        met_since: None,
        last_met: None,
    }
}

pub const COMPONENTS: [&str; 7] = [
    "vpc_connector",
    "cloud_sql",
    "redis",
    "load_balancer",
    "backend_service",
    "auth_service",
    "websocket",
];
pub const CRITERIA: [&str; 5] = [
    "health_200",
    "vpc_no_error_3",
    "db_within_timeout",
    "websocket_connections",
    "validation_report",
];

pub fn components(status: Status) -> Vec<ComponentView> {
    COMPONENTS.iter().map(|id| component(id, status)).collect()
}

pub fn criteria(met: usize, now: DateTime<Utc>) -> Vec<CriterionView> {
    CRITERIA
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let state = if i < met {
                CriterionState::Met
            } else {
                CriterionState::NotMet
            };
            criterion(id, state, now)
        })
        .collect()
}
