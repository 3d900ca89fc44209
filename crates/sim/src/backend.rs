//! The Netra backend's HTTP endpoints: routing by generation, FastAPI's 404/405 defaults, the
//! unified error envelope, and the per-phase bodies of `/health`, `/health/ready`, `/health/live`,
//! `/health/startup`, `/health/backend`, the v1-only routes and the extended routes.
//! `/health/infrastructure` lives in `infra.rs`, `/ws*` in `ws.rs`, the report in `report.rs`.

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, Method};
use serde_json::{json, Value};

use crate::clock::{epoch, iso_offset, iso_z, uuid4};
use crate::reply::Reply;
use crate::scenario::{
    Ctx, Generation, Phase, BACKEND_SERVICE, DB_SLOW_ERROR, DB_TIMEOUT_ERROR, ENVIRONMENT,
    REDIS_ERROR, VERSION,
};
use crate::{cors, infra, report, ws};

/// Where the published validation report is served on the backend listener.
pub(crate) const REPORT_PATH: &str = "/reports/validate_infrastructure_fix.json";

/// The backend endpoints the simulator knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Health,
    Ready,
    Live,
    Startup,
    Backend,
    Infrastructure,
    DatabaseEnv,
    SchemaValidation,
    Agents,
    SystemComprehensive,
    CircuitBreakers,
    Resilience,
    Authentication,
    Database,
    CorsTest,
    WsHealth,
    Report,
}

impl Route {
    /// The route serving `path` in `generation`; v1-only paths are unknown to v2 and vice versa.
    fn lookup(generation: Generation, path: &str) -> Option<Route> {
        let route = match path {
            "/health" | "/health/" => Route::Health,
            "/health/ready" => Route::Ready,
            "/health/live" => Route::Live,
            "/health/startup" => Route::Startup,
            "/health/backend" => Route::Backend,
            "/health/infrastructure" => Route::Infrastructure,
            "/health/database-env" => Route::DatabaseEnv,
            "/health/schema-validation" => Route::SchemaValidation,
            "/health/agents" => Route::Agents,
            "/health/system/comprehensive" => Route::SystemComprehensive,
            "/health/circuit-breakers" => Route::CircuitBreakers,
            "/health/resilience" => Route::Resilience,
            "/health/authentication" => Route::Authentication,
            "/health/database" => Route::Database,
            "/health/cors/test" => Route::CorsTest,
            "/ws/health" => Route::WsHealth,
            REPORT_PATH => Route::Report,
            _ => return None,
        };
        let available = match route {
            Route::DatabaseEnv
            | Route::SchemaValidation
            | Route::Agents
            | Route::SystemComprehensive => generation == Generation::V1,
            Route::CircuitBreakers | Route::Resilience | Route::Authentication => {
                generation == Generation::V2
            }
            _ => true,
        };
        available.then_some(route)
    }

    /// Routes declared with an OPTIONS handler (a non-preflight OPTIONS reaches them).
    fn answers_options(self) -> bool {
        matches!(
            self,
            Route::Health | Route::Ready | Route::Live | Route::WsHealth
        )
    }
}

/// Answers one backend HTTP request (the WebSocket upgrade is handled in `ws.rs`).
pub(crate) fn respond(ctx: &Ctx, req: &Parts) -> Reply {
    let path = req.uri.path();
    let get_like = req.method == Method::GET || req.method == Method::HEAD;
    // The GCP readiness middleware is outermost and rejects plain GETs to any /ws* path.
    if get_like
        && ctx.phase.vpc_broken()
        && (path.starts_with("/ws") || path.contains("/websocket"))
    {
        return ws::not_ready_reply(ctx);
    }
    let Some(route) = Route::lookup(ctx.generation, path) else {
        return Reply::not_found();
    };
    if req.method == Method::OPTIONS && route.answers_options() {
        return match ctx.generation {
            Generation::V1 => Reply::ok(json!({"status": "ok", "message": "CORS preflight"})),
            Generation::V2 => Reply::ok(json!({"status": "ok"})),
        };
    }
    if !get_like {
        return Reply::method_not_allowed(if route.answers_options() {
            "GET, HEAD, OPTIONS"
        } else {
            "GET, HEAD"
        });
    }
    render(route, ctx, &req.headers)
}

/// What the v1 backend answers on `route` in `ctx`'s phase (the validation report quotes it).
pub(crate) fn v1_reply(route: Route, ctx: &Ctx) -> Reply {
    render(
        route,
        &Ctx {
            generation: Generation::V1,
            ..ctx.clone()
        },
        &HeaderMap::new(),
    )
}

fn render(route: Route, ctx: &Ctx, headers: &HeaderMap) -> Reply {
    match (ctx.generation, route) {
        (_, Route::Report) => Reply::ok(report::build(ctx)),
        (_, Route::WsHealth) => ws::health_reply(ctx),
        (_, Route::Database) => database(ctx),
        (_, Route::CorsTest) => cors_test(ctx),
        (Generation::V1, Route::Infrastructure) => infra::v1(ctx),
        (Generation::V2, Route::Infrastructure) => infra::v2(ctx),
        (Generation::V1, Route::Health) => v1_health(ctx, headers),
        (Generation::V1, Route::Ready) => v1_ready(ctx),
        (Generation::V1, Route::Live) => v1_live(ctx),
        (Generation::V1, Route::Startup) => v1_startup(ctx),
        (Generation::V1, Route::Backend) => v1_backend(ctx),
        (Generation::V1, Route::DatabaseEnv) => v1_database_env(ctx),
        (Generation::V1, Route::SchemaValidation) => v1_schema_validation(ctx),
        (Generation::V1, Route::Agents) => v1_agents(ctx),
        (Generation::V1, Route::SystemComprehensive) => v1_comprehensive(ctx),
        (Generation::V2, Route::CircuitBreakers) => Reply::ok(json!({
            "health_summary": infra::circuit_breakers(ctx),
            "all_statuses": infra::breaker_statuses(ctx),
        })),
        (Generation::V2, Route::Resilience) => Reply::ok(infra::resilience(ctx)),
        (Generation::V2, Route::Authentication) => Reply::ok(infra::authentication(ctx)),
        (Generation::V2, Route::Ready) => v2_constant(ctx, json!({"status": "ready"})),
        (Generation::V2, Route::Live) => Reply::ok(json!({"status": "ok"})),
        (Generation::V2, _) => v2_constant(ctx, json!({"status": "ok"})),
        // Route::lookup never yields a v2-only route for v1.
        (Generation::V1, _) => Reply::not_found(),
    }
}

/// The unified error handler's body for a raised `HTTPException`, with staging's debug fields.
pub(crate) fn envelope(ctx: &Ctx, status: u16, message: &str, source: (&str, u32)) -> Value {
    let (file, line) = source;
    let code = match status {
        503 => "SERVICE_UNAVAILABLE",
        404 => "DB_RECORD_NOT_FOUND",
        401 => "AUTH_FAILED",
        _ => "INTERNAL_ERROR",
    };
    let source_file = format!("/app/netra_backend/app/routes/{file}");
    json!({
        "error": true,
        "error_code": code,
        "message": message,
        "user_message": message,
        "details": {"status_code": status},
        "trace_id": uuid4(),
        "timestamp": iso_offset(ctx.now),
        "request_id": null,
        "line_number": line,
        "source_file": source_file,
        "stack_trace": format!(
            "Traceback (most recent call last):\n  File \"{source_file}\", line {line}, in wrapper\n    \
             raise HTTPException(status_code={status}, detail=\"{message}\")\n\
             fastapi.exceptions.HTTPException: {status}: {message}\n"
        ),
        "debug_info": {
            "exception_type": "HTTPException",
            "environment": ENVIRONMENT,
            "handler": "unified_error_handler",
        },
    })
}

fn envelope_reply(ctx: &Ctx, status: u16, message: &str, source: (&str, u32)) -> Reply {
    Reply::json(status, envelope(ctx, status, message, source))
}

/// v2's constant bodies, except while the outage keeps the app from serving them.
fn v2_constant(ctx: &Ctx, body: Value) -> Reply {
    if ctx.phase == Phase::Outage {
        envelope_reply(ctx, 503, "Service Unavailable", ("health.py", 41))
    } else {
        Reply::ok(body)
    }
}

/// The BASIC health body of v1 `/health`.
fn basic_health(ctx: &Ctx) -> Value {
    json!({
        "status": "healthy",
        "service": BACKEND_SERVICE,
        "version": VERSION,
        "timestamp": epoch(ctx.now),
    })
}

fn startup_failed_body() -> Value {
    json!({
        "status": "unhealthy",
        "message": "Startup failed: Database connection timeout (VPC connector staging-connector)",
        "startup_failed": true,
    })
}

fn v1_health(ctx: &Ctx, headers: &HeaderMap) -> Reply {
    if ctx.phase == Phase::Outage {
        return Reply::json(503, startup_failed_body());
    }
    let requested = ["accept-version", "api-version"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .unwrap_or("current")
        .to_owned();
    let mut body = basic_health(ctx);
    if requested == "1.0" || requested == "2024-08-01" {
        body["version_info"] = json!({
            "api_version": requested,
            "service_version": VERSION,
            "supported_versions": ["current", "1.0", "2024-08-01"],
        });
    }
    Reply::ok(body).with_header(HeaderName::from_static("api-version"), &requested)
}

/// `websocket_readiness` of v1 `/health/ready` (also quoted by startup and infrastructure).
pub(crate) fn websocket_readiness(ctx: &Ctx) -> Value {
    let gcp = json!({
        "gcp_environment": true,
        "cloud_run": true,
        "bypass_active": false,
        "environment": ENVIRONMENT,
    });
    let mut details = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => json!({
            "websocket_ready": false,
            "state": "failed",
            "elapsed_time": 30.004,
            "failed_services": ["database_postgres", "database_redis"],
            "warnings": ["Redis VPC connectivity failed: error -3", "PostgreSQL connection timeout"],
        }),
        Phase::PartialRecovery => json!({
            "websocket_ready": true,
            "state": "degraded_but_functional",
            "elapsed_time": 4.873,
            "failed_services": [],
            "warnings": ["database_postgres slow: average connection time 4.8s"],
            "graceful_degradation": true,
            "original_ready": false,
            "degradation_reason": "database latency",
        }),
        Phase::Recovered => json!({
            "websocket_ready": true,
            "state": "websocket_ready",
            "elapsed_time": 0.412,
            "failed_services": [],
            "warnings": [],
        }),
    };
    if let (Some(d), Some(g)) = (details.as_object_mut(), gcp.as_object()) {
        d.extend(g.clone());
    }
    let (status, ready) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => ("unhealthy", false),
        Phase::PartialRecovery => ("degraded", true),
        Phase::Recovered => ("healthy", true),
    };
    json!({"status": status, "websocket_ready": ready, "details": details})
}

fn v1_ready(ctx: &Ctx) -> Reply {
    match ctx.phase {
        Phase::Outage => envelope_reply(ctx, 503, "Core database unavailable", ("health.py", 392)),
        Phase::Diagnosis => Reply::json(
            503,
            json!({"status": "unhealthy", "message": "Database dependency failed", "error": "timeout"}),
        ),
        Phase::PartialRecovery | Phase::Recovered => {
            let clickhouse = if ctx.phase == Phase::Recovered {
                "connected"
            } else {
                "skipped_optional"
            };
            Reply::ok(json!({
                "status": "ready",
                "service": BACKEND_SERVICE,
                "timestamp": epoch(ctx.now),
                "environment": ENVIRONMENT,
                "core_db": "connected",
                "clickhouse_db": clickhouse,
                "redis_db": "connected",
                "websocket_readiness": websocket_readiness(ctx),
                "details": basic_health(ctx),
            }))
        }
    }
}

fn v1_live(ctx: &Ctx) -> Reply {
    Reply::ok(json!({
        "status": "healthy",
        "service": BACKEND_SERVICE,
        "version": VERSION,
        "timestamp": iso_z(ctx.now),
        "environment": ENVIRONMENT,
    }))
}

fn v1_startup(ctx: &Ctx) -> Reply {
    match ctx.phase {
        Phase::Outage => Reply::json(
            503,
            json!({
                "status": "not_ready",
                "reason": "basic_health_failed",
                "details": startup_failed_body(),
                "timestamp": epoch(ctx.now),
            }),
        ),
        Phase::Diagnosis => Reply::json(
            503,
            json!({
                "status": "not_ready",
                "message": "Service initialization in progress",
                "timestamp": epoch(ctx.now),
                "checks": {
                    // A timed-out check stringifies asyncio.TimeoutError, which is empty.
                    "database": {"status": "not_ready", "error": ""},
                    "redis": {"status": "not_ready", "error": REDIS_ERROR},
                    "websocket": {"status": "not_ready", "details": websocket_readiness(ctx)},
                    "startup_module": {"status": "ready", "message": "Service startup complete"},
                },
            }),
        ),
        Phase::PartialRecovery | Phase::Recovered => Reply::ok(json!({
            "status": "ready",
            "message": "Service fully initialized and ready for traffic",
            "timestamp": epoch(ctx.now),
            "checks": {
                "database": {"status": "ready", "message": "Database connection and tables verified"},
                "redis": {"status": "ready", "message": "Redis connection stable"},
                "websocket": {"status": "ready", "message": "WebSocket services initialized"},
                "startup_module": {"status": "ready", "message": "Service startup complete"},
            },
            "version": VERSION,
        })),
    }
}

fn v1_backend(ctx: &Ctx) -> Reply {
    let environment_config = json!({"allow_partial_startup": true, "failure_threshold": 0.3});
    let base = |status: &str| {
        json!({
            "service": "backend-service",
            "version": VERSION,
            "timestamp": iso_offset(ctx.now),
            "status": status,
            "environment": ENVIRONMENT,
        })
    };
    let (status_code, mut body, rest) = match ctx.phase {
        Phase::Outage => (
            503,
            base("unhealthy"),
            json!({
                "capabilities": capabilities(false, false, true, false, false),
                "service_criticality": {
                    "database": "critical_failed", "redis": "optional_degraded",
                    "clickhouse": "optional", "llm": "important", "websocket": "critical_failed",
                },
                "degraded_services": [],
                "golden_path_ready": false,
                "readiness_score": 0.0,
                "failed_services": {"database": DB_TIMEOUT_ERROR, "redis": REDIS_ERROR},
                "failure_analysis": {
                    "should_fail": true,
                    "reason": "Critical service failed during startup: database",
                    "environment_config": environment_config,
                },
                "error": "Startup failed: Database connection timeout (VPC connector staging-connector)",
            }),
        ),
        Phase::Diagnosis => (
            200,
            base("degraded"),
            json!({
                "capabilities": capabilities(false, true, true, false, false),
                "service_criticality": {
                    "database": "critical_failed", "redis": "optional_degraded",
                    "clickhouse": "optional", "llm": "important", "websocket": "critical",
                },
                "degraded_services": [
                    {"service": "database", "status": "failed", "message": "Cloud SQL unreachable through VPC connector", "error": DB_TIMEOUT_ERROR},
                    {"service": "redis", "status": "degraded", "mode": "fallback", "message": "Running without Redis cache", "error": REDIS_ERROR},
                ],
                "golden_path_ready": false,
                "readiness_score": 0.4,
                "failed_services": {"database": DB_TIMEOUT_ERROR},
                "failure_analysis": {
                    "should_fail": false,
                    "reason": "Partial startup allowed in staging (1 of 5 services failed, threshold 0.3)",
                    "environment_config": environment_config,
                },
                "warnings": ["Running in partial startup mode: database unavailable"],
            }),
        ),
        Phase::PartialRecovery => (
            200,
            base("degraded"),
            json!({
                "capabilities": capabilities(true, true, true, true, true),
                "service_criticality": {
                    "database": "critical", "redis": "optional", "clickhouse": "optional",
                    "llm": "important", "websocket": "critical",
                },
                "degraded_services": [
                    {"service": "database", "status": "degraded", "mode": "slow", "message": DB_SLOW_ERROR},
                ],
                "golden_path_ready": true,
                "readiness_score": 0.9,
                "failed_services": {},
                "failure_analysis": {
                    "should_fail": false,
                    "reason": "All critical services available",
                    "environment_config": environment_config,
                },
                "warnings": ["database latency above budget"],
            }),
        ),
        Phase::Recovered => (
            200,
            base("healthy"),
            json!({
                "capabilities": capabilities(true, true, true, true, true),
                "service_criticality": {
                    "database": "critical", "redis": "optional", "clickhouse": "optional",
                    "llm": "important", "websocket": "critical",
                },
                "degraded_services": [],
                "golden_path_ready": true,
                "readiness_score": 1.0,
                "failed_services": {},
                "failure_analysis": {
                    "should_fail": false,
                    "reason": "All critical services available",
                    "environment_config": environment_config,
                },
            }),
        ),
    };
    if let (Some(b), Value::Object(r)) = (body.as_object_mut(), rest) {
        b.extend(r);
    }
    Reply::json(status_code, body)
}

fn capabilities(agents: bool, tools: bool, llm: bool, websocket: bool, database: bool) -> Value {
    json!({
        "agent_execution": agents,
        "tool_system": tools,
        "llm_integration": llm,
        "websocket_integration": websocket,
        "database_connectivity": database,
    })
}

fn v1_database_env(ctx: &Ctx) -> Reply {
    if ctx.phase.vpc_broken() {
        let message = format!("Database environment validation failed: {DB_TIMEOUT_ERROR}");
        return envelope_reply(ctx, 500, &message, ("health.py", 611));
    }
    Reply::ok(json!({
        "environment": ENVIRONMENT,
        "database_name": "netra_staging",
        "validation": {"valid": true, "errors": [], "warnings": []},
        "debug_mode": false,
        "safe_database_name": "netra_staging",
    }))
}

fn v1_schema_validation(ctx: &Ctx) -> Reply {
    if ctx.phase.vpc_broken() {
        let message = format!("Schema validation failed: {DB_TIMEOUT_ERROR}");
        return envelope_reply(ctx, 500, &message, ("health.py", 587));
    }
    let warnings = if ctx.phase == Phase::PartialRecovery {
        json!(["Schema validation took 9.4s (Cloud SQL latency)"])
    } else {
        json!([])
    };
    Reply::ok(json!({
        "passed": true,
        "missing_tables": [],
        "missing_columns": {},
        "type_mismatches": {},
        "warnings": warnings,
    }))
}

fn v1_agents(ctx: &Ctx) -> Reply {
    match ctx.phase {
        Phase::Outage => envelope_reply(
            ctx,
            503,
            "Agent system unavailable: startup failed",
            ("health.py", 902),
        ),
        Phase::Diagnosis => Reply::ok(json!({
            "status": "degraded",
            "message": "Agent system running in basic mode: Redis unavailable",
            "agents_count": 3,
            "fallback_mode": true,
            "basic_mode": true,
            "timestamp": iso_offset(ctx.now),
        })),
        Phase::PartialRecovery | Phase::Recovered => Reply::ok(json!({
            "status": "healthy",
            "message": "Agent system operational",
            "agents_count": 7,
            "fallback_mode": false,
            "system_overview": {
                "total_agents": 7,
                "active_agents": 7,
                "total_executions_24h": 1284,
                "error_rate": if ctx.phase == Phase::Recovered { 0.004 } else { 0.031 },
            },
            "timestamp": iso_offset(ctx.now),
        })),
    }
}

fn v1_comprehensive(ctx: &Ctx) -> Reply {
    let (status, checks) = match ctx.phase {
        Phase::Outage => {
            let message = format!("Comprehensive health check failed: {DB_TIMEOUT_ERROR}");
            return envelope_reply(ctx, 500, &message, ("health.py", 1013));
        }
        Phase::Diagnosis => ("degraded", [false, false, true, false, true]),
        Phase::PartialRecovery => ("degraded", [true, true, true, true, true]),
        Phase::Recovered => ("healthy", [true, true, true, true, true]),
    };
    let passing = checks.iter().filter(|c| **c).count();
    let availability = passing as f64 / checks.len() as f64 * 100.0;
    let db_ms = match ctx.phase {
        Phase::Diagnosis => 8004.2,
        Phase::PartialRecovery => 4812.7,
        _ => 284.1,
    };
    Reply::ok(json!({
        "status": status,
        "service": BACKEND_SERVICE,
        "version": VERSION,
        "timestamp": iso_offset(ctx.now),
        "environment": ENVIRONMENT,
        "uptime_seconds": ctx.uptime,
        "checks": {
            "postgres": checks[0], "redis": checks[1], "clickhouse": checks[2],
            "websocket": checks[3], "llm": checks[4],
        },
        "metrics": {"postgres_latency_ms": db_ms, "active_connections": 12, "requests_per_minute": 87},
        "sla_status": {"compliant": availability >= 99.9, "target": 99.9, "current": availability},
        "availability_percentage": availability,
        "sla_target": 99.9,
        "incident_count_24h": if ctx.phase == Phase::Recovered { 1 } else { 3 },
        "recovery_time_avg_ms": 5400000.0,
        "telemetry": {"enabled": true, "exporter": "cloud_trace"},
    }))
}

/// `/health/database` from `health_extended.py`, identical in both generations.
fn database(ctx: &Ctx) -> Reply {
    let (status, connected, out, overflow, health) = match ctx.phase {
        Phase::Outage => {
            return envelope_reply(ctx, 503, "Database unavailable", ("health_extended.py", 58))
        }
        Phase::Diagnosis => ("unhealthy", false, 10, 5, "critical"),
        Phase::PartialRecovery => ("healthy", true, 8, 2, "warning"),
        // QueuePool reports negative overflow while below its base size.
        Phase::Recovered => ("healthy", true, 3, -7, "healthy"),
    };
    let size = 10;
    let total = size + overflow.max(0);
    Reply::ok(json!({
        "status": status,
        "connected": connected,
        "pool_status": {
            "timestamp": iso_offset(ctx.now),
            "sync_pool": null,
            "async_pool": {
                "type": "AsyncAdaptedQueuePool",
                "pool_class": "AsyncAdaptedQueuePool",
                "size": size,
                "checked_in": size - out.min(size),
                "checked_out": out,
                "overflow": overflow,
                "total_connections": total,
                "utilization_percent": out as f64 / size as f64 * 100.0,
                "overflow_percent": overflow as f64 / size as f64 * 100.0,
            },
            "health": health,
        },
        "database_stats": {
            "active_connections": if connected { out } else { 0 },
            "last_activity": if connected { Value::String(iso_offset(ctx.now)) } else { Value::Null },
        },
        "timestamp": iso_offset(ctx.now),
    }))
}

/// `/health/cors/test`: the CORS configuration the backend runs with.
fn cors_test(ctx: &Ctx) -> Reply {
    let expose: Vec<&str> = cors::EXPOSE_HEADERS.split(", ").collect();
    Reply::ok(json!({
        "service": "netra-backend",
        "version": VERSION,
        "cors_status": "configured",
        "timestamp": iso_offset(ctx.now),
        "environment": ENVIRONMENT,
        "origins_count": ctx.origins.len(),
        "origins": ctx.origins.as_ref(),
        "allow_credentials": true,
        "methods": cors::ALLOW_METHODS,
        "headers_count": cors::ALLOW_HEADERS.len(),
        "expose_headers": expose,
        "max_age": 3600,
        "cors_env_override": false,
        "config_valid": true,
    }))
}
