//! The published output of `scripts/validate_infrastructure_fix.py --json` (research notes, §6),
//! regenerated for the current phase.
//!
//! Each of the 27 requests (9 paths × 3 identical base URLs) is either answered by the v1
//! backend of some phase, whose body is then validated with the script's own content rules, or
//! timed out. Which phase answers which request is the story's plan: the outage run saw only
//! `/health` pass (3 of 27), diagnosis 7, partial recovery 20 with `database_operations` still
//! failing, recovery 26 with one agent-system timeout. The summary keeps the script's quirk of
//! dividing per-request passes by the number of paths, so `pass_percentage` can exceed 100.

use chrono::Duration;
use serde_json::{json, Map, Value};

use crate::backend::{v1_reply, Route};
use crate::clock::iso_offset;
use crate::reply::Payload;
use crate::scenario::{Ctx, Phase};

/// The script's three HTTP targets: the same URL under three names.
const ENDPOINTS: [&str; 3] = ["backend", "auth", "frontend"];
const BASE_URL: &str = "https://staging.netrasystems.ai";

struct Category {
    name: &'static str,
    required_passing: u32,
    critical: bool,
    tests: &'static [Test],
}

struct Test {
    name: &'static str,
    path: &'static str,
    route: Route,
    timeout: f64,
    /// Typical response time in ms.
    base_ms: f64,
}

static CATEGORIES: [Category; 4] = [
    Category {
        name: "connectivity",
        required_passing: 4,
        critical: true,
        tests: &[
            Test {
                name: "basic_health",
                path: "/health",
                route: Route::Health,
                timeout: 10.0,
                base_ms: 142.0,
            },
            Test {
                name: "readiness",
                path: "/health/ready",
                route: Route::Ready,
                timeout: 60.0,
                base_ms: 1873.0,
            },
            Test {
                name: "infrastructure",
                path: "/health/infrastructure",
                route: Route::Infrastructure,
                timeout: 30.0,
                base_ms: 2412.0,
            },
            Test {
                name: "backend_health",
                path: "/health/backend",
                route: Route::Backend,
                timeout: 45.0,
                base_ms: 988.0,
            },
        ],
    },
    Category {
        name: "startup_resilience",
        required_passing: 1,
        critical: true,
        tests: &[Test {
            name: "startup_probe",
            path: "/health/startup",
            route: Route::Startup,
            timeout: 90.0,
            base_ms: 3104.0,
        }],
    },
    Category {
        name: "database_operations",
        required_passing: 2,
        critical: true,
        tests: &[
            Test {
                name: "schema_validation",
                path: "/health/schema-validation",
                route: Route::SchemaValidation,
                timeout: 30.0,
                base_ms: 1620.0,
            },
            Test {
                name: "database_env",
                path: "/health/database-env",
                route: Route::DatabaseEnv,
                timeout: 15.0,
                base_ms: 211.0,
            },
        ],
    },
    Category {
        name: "agent_systems",
        required_passing: 1,
        critical: false,
        tests: &[
            Test {
                name: "agent_health",
                path: "/health/agents",
                route: Route::Agents,
                timeout: 20.0,
                base_ms: 377.0,
            },
            Test {
                name: "system_comprehensive",
                path: "/health/system/comprehensive",
                route: Route::SystemComprehensive,
                timeout: 60.0,
                base_ms: 4231.0,
            },
        ],
    },
];

/// What happened to one request of the run.
#[derive(Clone, Copy)]
enum Outcome {
    /// The v1 backend answered as it does in this phase.
    Answered(Phase),
    /// No answer within the test's timeout.
    TimedOut,
}

/// The story's plan: how each test's three requests went in a run made during `phase`.
fn plan(phase: Phase, test: &str) -> [Outcome; 3] {
    use Outcome::{Answered as A, TimedOut as T};
    match (phase, test) {
        // Only the basic probe got through (it answered from a healthy replica).
        (Phase::Outage, "basic_health") => [A(Phase::Diagnosis); 3],
        (Phase::Diagnosis, "system_comprehensive") => [A(Phase::Diagnosis), T, T],
        // Cloud SQL latency hovers around the budget: one probe saw it healthy.
        (Phase::PartialRecovery, "infrastructure") => [
            A(Phase::PartialRecovery),
            A(Phase::Recovered),
            A(Phase::PartialRecovery),
        ],
        (Phase::PartialRecovery, "schema_validation") => [A(Phase::PartialRecovery), T, T],
        (Phase::PartialRecovery, "database_env") => [T, T, T],
        (Phase::Recovered, "system_comprehensive") => [A(Phase::Recovered), A(Phase::Recovered), T],
        (phase, _) => [A(phase); 3],
    }
}

/// The script's `_validate_response_content`.
fn validate(test: &str, data: &Value) -> Value {
    let mut issues: Vec<String> = Vec::new();
    let mut details = Map::new();
    let truthy = |v: &Value| match v {
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
    };
    match test {
        "infrastructure" => {
            if !truthy(&data["infrastructure_ready"]) {
                issues.push("Infrastructure not ready".into());
            }
            if let Some(degraded) = data["degraded_components"]
                .as_array()
                .filter(|d| !d.is_empty())
            {
                let names: Vec<&str> = degraded.iter().filter_map(Value::as_str).collect();
                issues.push(format!("Degraded components: {}", names.join(", ")));
            }
            if !truthy(&data["vpc_connectivity"]["overall"]) {
                issues.push("VPC connectivity issues detected".into());
            }
            let components = data.get("infrastructure_components").cloned();
            details.insert(
                "infrastructure_components".into(),
                components.unwrap_or_else(|| json!({})),
            );
        }
        "readiness" => {
            if data["status"] != "ready" {
                let status = data["status"].as_str().unwrap_or("unknown");
                issues.push(format!("Service not ready: {status}"));
            }
            if data["core_db"] != "connected" {
                issues.push("Core database not connected".into());
            }
            if !truthy(&data["websocket_readiness"]["websocket_ready"]) {
                issues.push("WebSocket services not ready".into());
            }
            details.insert("database_status".into(), data["core_db"].clone());
            details.insert("redis_status".into(), data["redis_db"].clone());
            details.insert("clickhouse_status".into(), data["clickhouse_db"].clone());
        }
        "backend_health" => {
            for capability in ["agent_execution", "database_connectivity"] {
                if !truthy(&data["capabilities"][capability]) {
                    issues.push(format!("Backend capability not ready: {capability}"));
                }
            }
            if !truthy(&data["golden_path_ready"]) {
                issues.push("Golden Path not ready".into());
            }
            details.insert("capabilities".into(), data["capabilities"].clone());
            let score = data.get("readiness_score").cloned().unwrap_or(json!(0));
            details.insert("readiness_score".into(), score);
        }
        "startup_probe" => {
            if data["status"] != "ready" {
                let status = data["status"].as_str().unwrap_or("unknown");
                issues.push(format!("Startup not complete: {status}"));
            }
            if let Some(checks) = data["checks"].as_object() {
                for (name, check) in checks {
                    if check["status"] != "ready" {
                        issues.push(format!("Startup check failed: {name}"));
                    }
                }
            }
            let checks = data.get("checks").cloned().unwrap_or_else(|| json!({}));
            details.insert("startup_checks".into(), checks);
        }
        _ => {}
    }
    if let Some(status @ ("unhealthy" | "error")) = data["status"].as_str() {
        issues.push(format!("Service reports unhealthy status: {status}"));
    }
    json!({"valid": issues.is_empty(), "issues": issues, "details": details})
}

fn round_to(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (value * factor).round() / factor
}

/// The full report for a validation run that just finished at `ctx.now`.
pub(crate) fn build(ctx: &Ctx) -> Value {
    // First pass: outcomes and durations, so timestamps can run forward from the start.
    let mut runs: Vec<(&Category, Vec<Row>, f64)> = Vec::new();
    for (ci, category) in CATEGORIES.iter().enumerate() {
        let mut rows = Vec::new();
        for (ti, test) in category.tests.iter().enumerate() {
            for (ei, (endpoint, outcome)) in
                ENDPOINTS.iter().zip(plan(ctx.phase, test.name)).enumerate()
            {
                let elapsed = match outcome {
                    Outcome::TimedOut => test.timeout,
                    Outcome::Answered(phase) => {
                        let slow = match phase {
                            Phase::Outage | Phase::Diagnosis => 3.1,
                            Phase::PartialRecovery => 1.9,
                            Phase::Recovered => 1.0,
                        };
                        let jitter = ((ci * 31 + ti * 7 + ei * 13) % 17) as f64 * 3.71;
                        round_to(test.base_ms * slow + jitter, 2) / 1000.0
                    }
                };
                rows.push(Row {
                    test,
                    endpoint,
                    outcome,
                    elapsed,
                });
            }
        }
        // The script gathers a category's requests concurrently, categories one after another.
        let duration = rows.iter().map(|r| r.elapsed).fold(0.0, f64::max);
        runs.push((category, rows, duration));
    }
    let total_duration: f64 = runs.iter().map(|r| r.2).sum();
    let start = ctx.now - Duration::milliseconds((total_duration * 1000.0) as i64);

    let mut categories = Map::new();
    let mut offset = 0.0;
    let (mut total_tests, mut total_passed, mut total_failed) = (0u32, 0u32, 0u32);
    let mut critical_passed = true;
    let mut failed_critical = Vec::new();
    for (category, rows, duration) in runs {
        let mut tests = Map::new();
        let (mut passed, mut failed) = (0u32, 0u32);
        for row in rows {
            let at = start + Duration::milliseconds(((offset + row.elapsed) * 1000.0) as i64);
            let entry = entry(ctx, &row, iso_offset(at));
            if entry["status"] == "passed" {
                passed += 1;
            } else {
                failed += 1;
            }
            tests.insert(format!("{}_{}", row.endpoint, row.test.name), entry);
        }
        offset += duration;
        let success = passed >= category.required_passing;
        if category.critical && !success {
            critical_passed = false;
            failed_critical.push(category.name);
        }
        total_tests += category.tests.len() as u32;
        total_passed += passed;
        total_failed += failed;
        categories.insert(
            category.name.into(),
            json!({
                "tests": tests,
                "passed": passed,
                "failed": failed,
                // Counts paths while passed/failed count requests: the script's quirk.
                "total": category.tests.len(),
                "success": success,
                "critical": category.critical,
                "required_passing": category.required_passing,
            }),
        );
    }

    let pass_percentage = round_to(total_passed as f64 / total_tests as f64 * 100.0, 1);
    let validation_passed = critical_passed && pass_percentage >= 80.0;
    let signoff = if validation_passed {
        json!({
            "recommendation": "APPROVED",
            "message": "All critical infrastructure components validated successfully",
            "ready_for_production": true,
        })
    } else {
        json!({
            "recommendation": "REQUIRES_ATTENTION",
            "message": format!("Critical infrastructure issues remain: {}", failed_critical.join(", ")),
            "ready_for_production": false,
            "action_required": "Address failed critical components before production deployment",
        })
    };
    json!({
        "validation_run_id": format!("infra_fix_validation_{}", start.timestamp()),
        "start_time": iso_offset(start),
        "issue_reference": "#1278",
        "purpose": "Validate infrastructure fixes after VPC/Cloud SQL resolution",
        "test_categories": categories,
        "summary": {
            "total_tests": total_tests,
            "total_passed": total_passed,
            "total_failed": total_failed,
            "pass_percentage": pass_percentage,
            "critical_categories_passed": critical_passed,
            "validation_duration_seconds": round_to(total_duration, 2),
            "end_time": iso_offset(ctx.now),
        },
        "validation_passed": validation_passed,
        "infrastructure_team_signoff": signoff,
    })
}

/// One request of the run.
struct Row {
    test: &'static Test,
    endpoint: &'static str,
    outcome: Outcome,
    /// Seconds until it answered or timed out.
    elapsed: f64,
}

/// The script's result entry for one request.
fn entry(ctx: &Ctx, row: &Row, timestamp: String) -> Value {
    let test = row.test;
    let url = format!("{BASE_URL}{}", test.path);
    let phase = match row.outcome {
        Outcome::TimedOut => {
            return json!({
                "test_name": test.name,
                "status": "timeout",
                "endpoint": row.endpoint,
                "url": url,
                "timeout_seconds": test.timeout,
                "timestamp": timestamp,
                "infrastructure_issue": true,
                "message": format!("Test timed out after {}s - possible infrastructure issue", test.timeout),
            })
        }
        Outcome::Answered(phase) => phase,
    };
    let reply = v1_reply(test.route, &ctx.in_phase(phase));
    let data = match &reply.payload {
        Payload::Json(value) => value.clone(),
        _ => json!({"message": reply.body_text().1}),
    };
    let response_time_ms = round_to(row.elapsed * 1000.0, 2);
    let code = reply.status.as_u16();
    if code != 200 {
        return json!({
            "test_name": test.name,
            "status": "failed_http",
            "endpoint": row.endpoint,
            "url": url,
            "response_time_ms": response_time_ms,
            "http_status": code,
            "error_data": data,
            "timestamp": timestamp,
            "infrastructure_issue": matches!(code, 500 | 502 | 503 | 504),
        });
    }
    let validation = validate(test.name, &data);
    let status = if validation["valid"] == true {
        "passed"
    } else {
        "failed_validation"
    };
    json!({
        "test_name": test.name,
        "status": status,
        "endpoint": row.endpoint,
        "url": url,
        "response_time_ms": response_time_ms,
        "http_status": code,
        "response_data": data,
        "validation": validation,
        "timestamp": timestamp,
    })
}
