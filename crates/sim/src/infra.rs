//! `/health/infrastructure` in both generations, and the v2 building blocks it aggregates
//! (resilience service details, circuit breakers, authentication health, connection
//! diagnostics, recommendations), which v2 also serves on their own routes.

use serde_json::{json, Value};

use crate::backend::websocket_readiness;
use crate::clock::{epoch, iso_naive, iso_offset};
use crate::reply::Reply;
use crate::scenario::{
    Ctx, Phase, CLOUD_SQL_INSTANCE, DB_SLOW_ERROR, DB_TIMEOUT_ERROR, ENVIRONMENT, VPC_CONNECTOR,
};

/// v1 `/health/infrastructure`: 503 `unhealthy` in the outage, 200 `degraded` (staging's
/// "expected during #1278" branch) in diagnosis and partial recovery, 200 `healthy` after.
pub(crate) fn v1(ctx: &Ctx) -> Reply {
    let ws_details = websocket_readiness(ctx)["details"].clone();
    let (database, redis, websocket) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => (
            json!({"status": "error", "component": "PostgreSQL", "critical": true,
                   "error": DB_TIMEOUT_ERROR, "issue_type": "vpc_connectivity"}),
            json!({"status": "error", "component": "Redis", "critical": false,
                   "error": crate::scenario::REDIS_ERROR, "issue_type": "vpc_connectivity"}),
            json!({"status": "degraded", "component": "WebSocket Infrastructure", "critical": true,
                   "details": ws_details, "issue_type": "load_balancer"}),
        ),
        Phase::PartialRecovery => (
            json!({"status": "degraded", "component": "PostgreSQL", "critical": true,
                   "error": DB_SLOW_ERROR, "issue_type": "connectivity"}),
            json!({"status": "healthy", "component": "Redis", "critical": false, "issue_type": null}),
            json!({"status": "healthy", "component": "WebSocket Infrastructure", "critical": true,
                   "details": ws_details, "issue_type": null}),
        ),
        Phase::Recovered => (
            json!({"status": "healthy", "component": "PostgreSQL", "critical": true, "issue_type": null}),
            json!({"status": "healthy", "component": "Redis", "critical": false, "issue_type": null}),
            json!({"status": "healthy", "component": "WebSocket Infrastructure", "critical": true,
                   "details": ws_details, "issue_type": null}),
        ),
    };
    let (status, code, degraded): (&str, u16, &[&str]) = match ctx.phase {
        Phase::Outage => ("unhealthy", 503, &["database", "redis", "websocket"]),
        Phase::Diagnosis => ("degraded", 200, &["database", "redis", "websocket"]),
        Phase::PartialRecovery => ("degraded", 200, &["database"]),
        Phase::Recovered => ("healthy", 200, &[]),
    };
    // The VPC path works again once the connector is fixed, even while Cloud SQL is slow.
    let vpc_ok = !ctx.phase.vpc_broken();
    let mut body = json!({
        "service": "infrastructure-monitoring",
        "environment": ENVIRONMENT,
        "timestamp": iso_offset(ctx.now),
        "issue_reference": "#1278",
        "purpose": "Infrastructure monitoring during VPC/connectivity issues",
        "status": status,
        "infrastructure_components": {"database": database, "redis": redis, "websocket": websocket},
        "degraded_components": degraded,
        "infrastructure_ready": degraded.is_empty(),
        "vpc_connectivity": {
            "overall": vpc_ok,
            "indicators": {
                "redis_connectivity": vpc_ok,
                "database_connectivity": vpc_ok,
                "websocket_readiness": vpc_ok,
            },
            "degraded_count": if vpc_ok { 0 } else { 3 },
        },
    });
    if !degraded.is_empty() {
        body["infrastructure_team_actions"] = json!({
            "vpc_connector": "Check staging-connector configuration and egress settings",
            "cloud_sql": "Verify timeout settings and connection pooling",
            "ssl_certificates": "Validate *.netrasystems.ai certificate configuration",
            "load_balancer": "Review health check configuration for extended startup times",
        });
    }
    Reply::json(code, body)
}

/// v2 `/health/infrastructure`: always 200. `critical` in the outage, the unreachable
/// success path's `error` body in diagnosis, `degraded` in partial recovery, `ok` after.
pub(crate) fn v2(ctx: &Ctx) -> Reply {
    let status = match ctx.phase {
        Phase::Outage => "critical",
        Phase::Diagnosis => return Reply::ok(v2_error_body()),
        Phase::PartialRecovery => "degraded",
        Phase::Recovered => "ok",
    };
    let impacted = ctx.phase == Phase::Outage;
    Reply::ok(json!({
        "status": status,
        "infrastructure": resilience(ctx),
        "circuit_breakers": circuit_breakers(ctx),
        "authentication": authentication(ctx),
        "diagnostics": diagnostics(ctx),
        "chat_functionality_impact": impacted,
        "infrastructure_recommendations": recommendations(ctx),
    }))
}

/// The body of the `except` branch that, as written, v2 always takes.
fn v2_error_body() -> Value {
    json!({
        "status": "error",
        "error": "'DatabaseConnectionMonitor' object has no attribute 'get_metrics'",
        "note": "Infrastructure health check failed - this may indicate infrastructure issues",
        "infrastructure_recommendations": {
            "immediate_action": "Check VPC connector and Cloud SQL connectivity",
            "likely_causes": [
                format!("VPC connector {VPC_CONNECTOR} capacity or egress misconfiguration"),
                format!("Cloud SQL instance {CLOUD_SQL_INSTANCE} connection timeouts"),
                "Redis Memorystore 10.166.204.83:6379 unreachable (error -3)",
            ],
        },
    })
}

/// One resilience service entry: status, failures, average seconds, success rate, chat-critical.
type ServiceRow = (&'static str, &'static str, u32, f64, Value, bool);

fn service_rows(phase: Phase) -> Vec<ServiceRow> {
    match phase {
        Phase::Outage | Phase::Diagnosis => vec![
            (
                "database",
                "critical",
                12,
                8.004,
                json!(41.17647058823529),
                true,
            ),
            ("redis", "critical", 15, 5.003, json!(0.0), false),
            // Never monitored: still `unknown`, with the integer 0 of "no check yet".
            ("clickhouse", "unknown", 0, 0.0, json!(0), false),
            ("websocket", "critical", 9, 0.0, json!(0.0), true),
            ("auth_service", "critical", 7, 10.002, json!(12.5), true),
            ("vpc_connector", "critical", 15, 8.001, json!(0.0), true),
            (
                "cloud_sql",
                "critical",
                12,
                8.731,
                json!(41.17647058823529),
                true,
            ),
            (
                "load_balancer",
                "degraded",
                3,
                1.204,
                json!(78.57142857142857),
                false,
            ),
        ],
        Phase::PartialRecovery => vec![
            ("database", "degraded", 1, 4.812, json!(94.0), true),
            ("redis", "healthy", 0, 0.004, json!(100.0), false),
            ("clickhouse", "healthy", 0, 0.021, json!(100.0), false),
            ("websocket", "healthy", 0, 0.012, json!(100.0), true),
            ("auth_service", "healthy", 0, 0.087, json!(100.0), true),
            ("vpc_connector", "healthy", 0, 0.003, json!(100.0), true),
            ("cloud_sql", "degraded", 1, 4.812, json!(94.0), true),
            ("load_balancer", "healthy", 0, 0.045, json!(100.0), false),
        ],
        Phase::Recovered => vec![
            ("database", "healthy", 0, 0.284, json!(100.0), true),
            ("redis", "healthy", 0, 0.003, json!(100.0), false),
            ("clickhouse", "healthy", 0, 0.019, json!(100.0), false),
            ("websocket", "healthy", 0, 0.011, json!(100.0), true),
            ("auth_service", "healthy", 0, 0.052, json!(100.0), true),
            ("vpc_connector", "healthy", 0, 0.002, json!(100.0), true),
            ("cloud_sql", "healthy", 0, 0.284, json!(100.0), true),
            ("load_balancer", "healthy", 0, 0.041, json!(100.0), false),
        ],
    }
}

/// The resilience summary (`infrastructure` key; also `/health/resilience`).
pub(crate) fn resilience(ctx: &Ctx) -> Value {
    let rows = service_rows(ctx.phase);
    let mut details = serde_json::Map::new();
    for (name, status, failures, avg, success, chat) in &rows {
        details.insert(
            (*name).to_owned(),
            json!({
                "status": status,
                "consecutive_failures": failures,
                "average_response_time": avg,
                "success_rate": success,
                "critical_to_chat": chat,
            }),
        );
    }
    let healthy = rows.iter().filter(|r| r.1 == "healthy").count();
    let critical: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 == "critical")
        .map(|r| r.0)
        .collect();
    let overall = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => "critical",
        Phase::PartialRecovery => "degraded",
        Phase::Recovered => "healthy",
    };
    json!({
        "overall_status": overall,
        "total_services": rows.len(),
        "healthy_services": healthy,
        "critical_services": critical,
        "chat_functionality_impacted": ctx.phase.vpc_broken(),
        "environment": ENVIRONMENT,
        "last_updated": iso_naive(ctx.now),
        "service_details": details,
    })
}

/// Each breaker's state name, for `/health/circuit-breakers`' `all_statuses`.
pub(crate) fn breaker_statuses(ctx: &Ctx) -> Value {
    match ctx.phase {
        Phase::Outage | Phase::Diagnosis => json!({
            "database": "open", "redis": "open", "auth_service": "open", "clickhouse": "closed",
        }),
        Phase::PartialRecovery => json!({
            "database": "half_open", "redis": "closed", "auth_service": "closed", "clickhouse": "closed",
        }),
        Phase::Recovered => json!({
            "database": "closed", "redis": "closed", "auth_service": "closed", "clickhouse": "closed",
        }),
    }
}

/// The circuit-breaker summary.
pub(crate) fn circuit_breakers(ctx: &Ctx) -> Value {
    let (overall, open, half_open): (&str, &[&str], &[&str]) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => {
            ("critical", &["database", "redis", "auth_service"], &[])
        }
        Phase::PartialRecovery => ("recovering", &[], &["database"]),
        Phase::Recovered => ("healthy", &[], &[]),
    };
    let total = 4;
    json!({
        "overall_health": overall,
        "total_circuit_breakers": total,
        "closed_breakers": total - open.len() - half_open.len(),
        "open_breakers": open.len(),
        "half_open_breakers": half_open.len(),
        "open_breaker_names": open,
        "half_open_breaker_names": half_open,
        "timestamp": iso_naive(ctx.now),
    })
}

/// The WebSocket authentication health (`authentication` key; also `/health/authentication`).
pub(crate) fn authentication(ctx: &Ctx) -> Value {
    let now = epoch(ctx.now);
    let (overall, attempts, ok, timeouts, trips, avg_ms) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => ("critical", 48, 6, 31, 4, 8123.4),
        Phase::PartialRecovery => ("degraded", 212, 199, 4, 0, 1843.9),
        Phase::Recovered => ("healthy", 530, 530, 0, 0, 84.2),
    };
    let failed = attempts - ok;
    let success_pct = ok as f64 / attempts as f64 * 100.0;
    let (errors, warnings, assessment) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => (
            json!([
                "Redis session store unreachable: Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution.",
                "Auth service health check failed: HTTP 503 from auth-service /health",
            ]),
            json!(["31 of 48 authentication attempts timed out"]),
            json!({
                "impact_level": "critical",
                "impact_description": "Users cannot sign in; chat (the golden path) is blocked",
                "golden_path_blocked": true,
                "blockers": [
                    "redis vpc connectivity error -3",
                    "cloud sql connection timeouts",
                    "auth service unavailable",
                ],
                "user_authentication_available": false,
                "chat_functionality_impacted": true,
            }),
        ),
        Phase::PartialRecovery => (
            json!([]),
            json!(["Authentication latency elevated (1.8s average) while Cloud SQL is slow"]),
            json!({
                "impact_level": "minor",
                "impact_description": "Sign-in works but is slow",
                "golden_path_blocked": false,
                "blockers": [],
                "user_authentication_available": true,
                "chat_functionality_impacted": false,
            }),
        ),
        Phase::Recovered => (
            json!([]),
            json!([]),
            json!({
                "impact_level": "none",
                "impact_description": "Authentication healthy",
                "golden_path_blocked": false,
                "blockers": [],
                "user_authentication_available": true,
                "chat_functionality_impacted": false,
            }),
        ),
    };
    let mut assessment = assessment;
    assessment["assessment_timestamp"] = json!(iso_offset(ctx.now));
    let error_count = errors.as_array().map_or(0, Vec::len);
    let warning_count = warnings.as_array().map_or(0, Vec::len);
    json!({
        "overall_status": overall,
        "authentication_status": overall,
        "metrics": {
            "total_attempts": attempts,
            "successful_authentications": ok,
            "failed_authentications": failed,
            "authentication_timeouts": timeouts,
            "circuit_breaker_trips": trips,
            "average_response_time_ms": avg_ms,
            "success_rate_percent": success_pct,
            "failure_rate_percent": 100.0 - success_pct,
            "last_success_timestamp": now - 41.7,
            "last_failure_timestamp": if failed > 0 { json!(now - 2.3) } else { Value::Null },
            "uptime_seconds": ctx.uptime,
        },
        "connections": {
            "active_connections": if ctx.phase.vpc_broken() { 0 } else { 14 },
            "unhealthy_connections": 0,
            "health_ratio": if ctx.phase.vpc_broken() { 0.0 } else { 1.0 },
        },
        "monitoring": {"enabled": true, "last_check": iso_offset(ctx.now)},
        "issues": {
            "errors": errors,
            "warnings": warnings,
            "error_count": error_count,
            "warning_count": warning_count,
        },
        "golden_path_assessment": assessment,
        "health_check_timestamp": iso_offset(ctx.now),
        "ssot_compliant": true,
        "service_info": {
            "service": "websocket_auth_health_provider",
            "version": "1.0.0",
            "environment": ENVIRONMENT,
        },
    })
}

/// Connection diagnostics; the database numbers are strings, as the real code formats them.
fn diagnostics(ctx: &Ctx) -> Value {
    let (attempts, success, average, violations, rate, pressure) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => {
            (34, "41.2%", "8.731s", 20, "58.8%", [true, true, true])
        }
        Phase::PartialRecovery => (50, "94.0%", "4.812s", 3, "6.0%", [true, true, false]),
        Phase::Recovered => (120, "100.0%", "0.284s", 0, "0.0%", [false, false, false]),
    };
    json!({
        "environment": ENVIRONMENT,
        "timestamp": epoch(ctx.now),
        "database_connections": {
            "total_attempts": attempts,
            "success_rate": success,
            "average_connection_time": average,
            "timeout_violations": violations,
            "timeout_violation_rate": rate,
        },
        "infrastructure_pressure_indicators": {
            "slow_connections": pressure[0],
            "high_timeout_rate": pressure[1],
            "low_success_rate": pressure[2],
        },
    })
}

fn recommendations(ctx: &Ctx) -> Value {
    // The auth text never changes: the code compares against "ok", which auth never reports.
    let auth = "Verify auth service port 8081 availability";
    match ctx.phase {
        Phase::Outage | Phase::Diagnosis => json!({
            "database": format!(
                "CRITICAL: 58.8% of connections time out (average 8.731s); check VPC connector \
                 {VPC_CONNECTOR} egress and Cloud SQL {CLOUD_SQL_INSTANCE}"
            ),
            "auth_service": auth,
            "backend_service": "Redis unreachable (Error -3 connecting to 10.166.204.83:6379): \
                 restore VPC connector staging-connector before redeploying the backend",
        }),
        Phase::PartialRecovery => json!({
            "database": "Database connections slow (average 4.812s, 6.0% timeouts): review Cloud SQL \
                 instance load and connection pool sizing",
            "auth_service": auth,
            "backend_service": "Backend service operational",
        }),
        Phase::Recovered => json!({
            "database": "Database connections healthy",
            "auth_service": auth,
            "backend_service": "Backend service operational",
        }),
    }
}
