//! Every health format Lookout reads, one fixture file per case under `tests/fixtures/`, with
//! the normalised result each must give: status, reason, shape, problem, parts, metrics and the
//! payload's own time. The table is the specification; the fixtures are written from the
//! documented shapes (Netra's research notes, the IETF draft, Spring Boot, Statuspage and
//! Kubernetes documentation).

use std::path::Path;

use lookout_core::probe::{HttpResponse, ProbeFailure, ProbeOutcome};
use lookout_core::read::{read, Format, Problem, Reading};
use lookout_core::status::Status;

use Status::{Degraded, Maintenance, MajorOutage, Operational, PartialOutage, Unknown};

/// One fixture and what reading it must give.
struct Case {
    file: &'static str,
    http: u16,
    content_type: Option<&'static str>,
    format: &'static str,
    status: Status,
    reason: &'static [&'static str],
    shape: &'static str,
    problem: Option<Problem>,
    parts: &'static [(&'static str, Status)],
    metrics: &'static [(&'static str, f64, &'static str)],
    time: Option<(&'static str, bool)>,
    notes: &'static [&'static str],
}

/// A case read with `auto`, expecting no parts, metrics, time, notes or problem unless told.
fn case(
    file: &'static str,
    http: u16,
    status: Status,
    reason: &'static [&'static str],
    shape: &'static str,
) -> Case {
    Case {
        file,
        http,
        content_type: None,
        format: "\"auto\"",
        status,
        reason,
        shape,
        problem: None,
        parts: &[],
        metrics: &[],
        time: None,
        notes: &[],
    }
}

impl Case {
    fn format(mut self, format: &'static str) -> Case {
        self.format = format;
        self
    }
    fn content_type(mut self, content_type: &'static str) -> Case {
        self.content_type = Some(content_type);
        self
    }
    fn problem(mut self, problem: Problem) -> Case {
        self.problem = Some(problem);
        self
    }
    fn parts(mut self, parts: &'static [(&'static str, Status)]) -> Case {
        self.parts = parts;
        self
    }
    fn metrics(mut self, metrics: &'static [(&'static str, f64, &'static str)]) -> Case {
        self.metrics = metrics;
        self
    }
    fn time(mut self, field: &'static str, zone_assumed: bool) -> Case {
        self.time = Some((field, zone_assumed));
        self
    }
    fn notes(mut self, notes: &'static [&'static str]) -> Case {
        self.notes = notes;
        self
    }
}

const TRAFFIC_RULE: &str = r#"{"rule": {"status": "/state", "components": "/services", "name": "name",
    "status_field": "health", "critical": "critical", "latency": "latency_ms",
    "time": "/checked_at", "words": {"green": "operational", "amber": "degraded", "red": "major_outage"},
    "only_words": true}}"#;
const MAP_RULE: &str = r#"{"rule": {"components": "/checks", "status_field": "health",
    "critical": "critical", "latency": "/t/ms", "time": "/generated"}}"#;
const NUMERIC_RULE: &str = r#"{"rule": {"status": "/code", "components": "/subsystems",
    "status_field": "code", "words": {"1": "operational", "0": "major_outage"}}}"#;

fn cases() -> Vec<Case> {
    vec![
        // ---- Netra backend /health ----
        case("netra/health_v2_ok.json", 200, Operational, &["service: ok"], "status word"),
        case("netra/health_v1_healthy.json", 200, Operational, &["healthy"], "status word")
            .time("/timestamp", false),
        case(
            "netra/health_v1_startup_in_progress_503.json",
            503,
            MajorOutage,
            &["unhealthy: Startup in progress", "startup phase database", "HTTP 503"],
            "Netra /health startup gate",
        ),
        case(
            "netra/health_v1_startup_failed_503.json",
            503,
            MajorOutage,
            &["Startup failed: could not connect to Cloud SQL"],
            "Netra /health startup gate",
        ),
        case(
            "netra/health_v1_startup_slow_503.json",
            503,
            MajorOutage,
            &["Startup taking too long"],
            "Netra /health startup gate",
        )
        .metrics(&[("startup_duration", 312.4, "s")]),
        case("netra/health_v1_options.json", 200, Operational, &["CORS preflight"], "status word"),
        // ---- /health/live ----
        case("netra/live_v1.json", 200, Operational, &["healthy"], "status word")
            .time("/timestamp", false),
        // ---- /health/ready ----
        case("netra/ready_v1_ok.json", 200, Operational, &["service: ready"], "Netra /health/ready")
            .parts(&[
                ("database", Operational),
                ("redis", Operational),
                ("clickhouse", Operational),
                ("websocket", Operational),
            ])
            .time("/timestamp", false),
        case(
            "netra/ready_v1_redis_vpc_degraded.json",
            200,
            Degraded,
            &[
                "ready, but",
                "redis degraded (redis_db: vpc_connectivity_degraded)",
                "details.state: \"degraded_but_functional\"",
                "graceful_degradation: true, original_ready: false",
            ],
            "Netra /health/ready",
        )
        .parts(&[
            ("database", Operational),
            ("redis", Degraded),
            ("clickhouse", Degraded),
            ("websocket", Degraded),
        ])
        .time("/timestamp", false),
        case(
            "netra/ready_v1_timeout_503.json",
            503,
            MajorOutage,
            &["Readiness check timeout"],
            "status word",
        ),
        case(
            "netra/ready_v1_db_failed_503.json",
            503,
            MajorOutage,
            &["Database dependency failed"],
            "status word",
        ),
        case(
            "netra/ready_envelope_503.json",
            503,
            MajorOutage,
            &["HTTP 503", "Core database unavailable", "SERVICE_UNAVAILABLE"],
            "Netra error envelope",
        )
        .problem(Problem::HttpError)
        .time("/timestamp", false),
        case(
            "netra/internal_error_envelope_500.json",
            500,
            MajorOutage,
            &["Service readiness check failed", "INTERNAL_ERROR"],
            "Netra error envelope",
        )
        .problem(Problem::HttpError)
        .time("/timestamp", false),
        // ---- /health/startup ----
        case(
            "netra/startup_v1_ready.json",
            200,
            Operational,
            &["ready: Service fully initialized"],
            "Netra /health/startup",
        )
        .parts(&[
            ("database", Operational),
            ("redis", Operational),
            ("websocket", Operational),
            ("startup_module", Operational),
        ])
        .time("/timestamp", false),
        case(
            "netra/startup_v1_not_ready_503.json",
            503,
            MajorOutage,
            &["not_ready: Service initialization in progress"],
            "Netra /health/startup",
        )
        .parts(&[
            ("database", Operational),
            ("redis", MajorOutage),
            ("websocket", Unknown),
        ])
        .time("/timestamp", false),
        case(
            "netra/startup_v1_basic_health_failed_503.json",
            503,
            MajorOutage,
            &["not_ready: basic_health_failed"],
            "status word",
        )
        .time("/timestamp", false),
        case(
            "netra/startup_v1_error_503.json",
            503,
            MajorOutage,
            &["error: Startup health check failed"],
            "status word",
        )
        .time("/timestamp", false),
        // ---- /health/backend ----
        case(
            "netra/backend_v1_degraded.json",
            200,
            Degraded,
            &["service: degraded"],
            "Netra /health/backend",
        )
        .parts(&[
            ("agent_execution", Operational),
            ("tool_system", Operational),
            ("llm_integration", Operational),
            ("websocket_integration", Operational),
            ("database_connectivity", MajorOutage),
            ("llm", Degraded),
            ("golden_path", Operational),
        ])
        .metrics(&[("readiness_score", 0.8, "")])
        .time("/timestamp", false),
        case(
            "netra/backend_v1_unhealthy_503.json",
            503,
            MajorOutage,
            &["unhealthy: Critical services failed: database_postgres"],
            "Netra /health/backend",
        )
        .parts(&[
            ("agent_execution", MajorOutage),
            ("tool_system", Operational),
            ("llm_integration", Operational),
            ("websocket_integration", MajorOutage),
            ("database_connectivity", MajorOutage),
            ("database", MajorOutage),
            ("golden_path", MajorOutage),
        ])
        .metrics(&[("readiness_score", 0.4, "")])
        .time("/timestamp", false),
        // ---- /health/infrastructure v1 ----
        case(
            "netra/infra_v1_degraded.json",
            200,
            Degraded,
            &["infrastructure: degraded"],
            "Netra /health/infrastructure v1",
        )
        .parts(&[
            ("database", Degraded),
            ("redis", Operational),
            ("websocket", Operational),
            ("vpc_connector", Operational),
        ])
        .metrics(&[("vpc_connectivity.degraded_count", 0.0, "")])
        .time("/timestamp", false),
        case(
            "netra/infra_v1_unhealthy_503.json",
            503,
            MajorOutage,
            &["infrastructure: unhealthy", "HTTP 503"],
            "Netra /health/infrastructure v1",
        )
        .parts(&[
            ("database", MajorOutage),
            ("redis", MajorOutage),
            ("websocket", Operational),
            // Two of three indicators failing: partly down, not all of it.
            ("vpc_connector", PartialOutage),
        ])
        .metrics(&[("vpc_connectivity.degraded_count", 2.0, "")])
        .time("/timestamp", false),
        case(
            "netra/infra_v1_error_503.json",
            503,
            MajorOutage,
            &["error: 'NoneType' object has no attribute 'check_vpc'"],
            "status word",
        )
        .time("/timestamp", false),
        // ---- /health/infrastructure v2 ----
        case(
            "netra/infra_v2_degraded.json",
            200,
            Degraded,
            &["infrastructure: degraded"],
            "Netra /health/infrastructure v2",
        )
        .parts(&[
            ("redis", MajorOutage),
            ("cloud_sql", Unknown),
            ("resilience", Degraded),
            ("circuit_breakers", Operational),
            ("authentication", Operational),
            ("golden_path", Operational),
            ("database_connections", Operational),
        ])
        .metrics(&[
            ("database_connections.success_rate", 97.6, "%"),
            ("database_connections.average_connection_time", 1.284, "s"),
            ("database_connections.timeout_violation_rate", 2.4, "%"),
            ("database_connections.timeout_violations", 1.0, ""),
            ("database_connections.total_attempts", 42.0, ""),
            ("redis.success_rate", 33.33333333333333, "%"),
            ("redis.average_response_time", 5.003, "s"),
            ("redis.consecutive_failures", 4.0, ""),
            ("cloud_sql.success_rate", 0.0, "%"),
            ("cloud_sql.average_response_time", 0.0, "s"),
            ("cloud_sql.consecutive_failures", 0.0, ""),
            ("infrastructure.healthy_services", 0.0, ""),
            ("infrastructure.total_services", 8.0, ""),
            ("circuit_breakers.open_breakers", 0.0, ""),
            ("circuit_breakers.half_open_breakers", 0.0, ""),
            ("circuit_breakers.closed_breakers", 2.0, ""),
        ])
        .time("/diagnostics/timestamp", false),
        case(
            "netra/infra_v2_error.json",
            200,
            MajorOutage,
            &[
                "infrastructure check failed",
                "'DatabaseConnectionMonitor' object has no attribute 'get_metrics'",
            ],
            "Netra /health/infrastructure v2 error",
        ),
        case(
            "netra/infra_v2_not_initialized.json",
            200,
            Operational,
            &["ok: Infrastructure resilience not initialized"],
            "status word",
        ),
        case(
            "netra/infra_v2_critical.json",
            200,
            MajorOutage,
            &["infrastructure: critical"],
            "Netra /health/infrastructure v2",
        )
        .parts(&[
            ("redis", MajorOutage),
            ("cloud_sql", Unknown),
            ("resilience", MajorOutage),
            ("circuit_breakers", MajorOutage),
            ("authentication", MajorOutage),
            ("golden_path", MajorOutage),
            ("database_connections", Degraded),
        ])
        .metrics(&[
            ("database_connections.success_rate", 55.0, "%"),
            ("database_connections.average_connection_time", 6.912, "s"),
            ("database_connections.timeout_violation_rate", 45.0, "%"),
            ("database_connections.timeout_violations", 18.0, ""),
            ("database_connections.total_attempts", 40.0, ""),
            ("authentication.success_rate_percent", 12.5, "%"),
            ("authentication.failure_rate_percent", 87.5, "%"),
            ("authentication.average_response_time_ms", 4210.0, "ms"),
            ("redis.success_rate", 33.33333333333333, "%"),
            ("redis.average_response_time", 5.003, "s"),
            ("redis.consecutive_failures", 4.0, ""),
            ("cloud_sql.success_rate", 0.0, "%"),
            ("cloud_sql.average_response_time", 0.0, "s"),
            ("cloud_sql.consecutive_failures", 0.0, ""),
            ("infrastructure.healthy_services", 0.0, ""),
            ("infrastructure.total_services", 8.0, ""),
            ("circuit_breakers.open_breakers", 2.0, ""),
            ("circuit_breakers.half_open_breakers", 0.0, ""),
            ("circuit_breakers.closed_breakers", 0.0, ""),
        ])
        .time("/diagnostics/timestamp", false),
        case(
            "netra/infra_v2_no_metrics.json",
            200,
            Degraded,
            &["infrastructure: degraded"],
            "Netra /health/infrastructure v2",
        )
        .parts(&[
            ("redis", MajorOutage),
            ("cloud_sql", Unknown),
            ("resilience", Degraded),
            ("circuit_breakers", Operational),
            ("authentication", Operational),
            ("golden_path", Operational),
            ("database_connections", Unknown),
        ])
        .metrics(&[
            ("redis.success_rate", 33.33333333333333, "%"),
            ("redis.average_response_time", 5.003, "s"),
            ("redis.consecutive_failures", 4.0, ""),
            ("cloud_sql.success_rate", 0.0, "%"),
            ("cloud_sql.average_response_time", 0.0, "s"),
            ("cloud_sql.consecutive_failures", 0.0, ""),
            ("infrastructure.healthy_services", 0.0, ""),
            ("infrastructure.total_services", 8.0, ""),
            ("circuit_breakers.open_breakers", 0.0, ""),
            ("circuit_breakers.half_open_breakers", 0.0, ""),
            ("circuit_breakers.closed_breakers", 2.0, ""),
        ])
        .time("/diagnostics/timestamp", false),
        case(
            "netra/infra_v2_wrong_types.json",
            200,
            Unknown,
            &["a number where a status word was expected"],
            "Netra /health/infrastructure v2",
        )
        .problem(Problem::UnexpectedShape)
        .parts(&[("resilience", Unknown), ("authentication", Unknown)])
        .notes(&[
            "/infrastructure/service_details is an array where an object was expected",
            "/circuit_breakers is a string where an object was expected",
            "golden_path_blocked is a string where a boolean was expected",
            "/diagnostics/database_connections/success_rate is a boolean where a number was expected",
            "/diagnostics/database_connections/average_connection_time is a string where a number was expected",
            "/diagnostics/infrastructure_pressure_indicators is an array where an object was expected",
        ]),
        // ---- /health/database ----
        case(
            "netra/database_healthy.json",
            200,
            Operational,
            &["service: healthy"],
            "Netra /health/database",
        )
        .parts(&[("database", Operational), ("pool", Operational)])
        .metrics(&[
            ("pool.size", 10.0, ""),
            ("pool.checked_in", 13.0, ""),
            ("pool.checked_out", 0.0, ""),
            ("pool.overflow", -3.0, ""),
            ("pool.total_connections", 7.0, ""),
            ("pool.utilization_percent", 0.0, "%"),
            ("pool.overflow_percent", -30.0, "%"),
        ])
        .time("/timestamp", false),
        case(
            "netra/database_pool_warning.json",
            200,
            Degraded,
            &["healthy, but pool degraded"],
            "Netra /health/database",
        )
        .parts(&[("database", Operational), ("pool", Degraded)])
        .metrics(&[
            ("pool.size", 10.0, ""),
            ("pool.checked_in", 0.0, ""),
            ("pool.checked_out", 18.0, ""),
            ("pool.overflow", 8.0, ""),
            ("pool.total_connections", 18.0, ""),
            ("pool.utilization_percent", 90.0, "%"),
            ("pool.overflow_percent", 80.0, "%"),
        ])
        .time("/timestamp", false),
        case(
            "netra/database_unhealthy.json",
            200,
            MajorOutage,
            &["unhealthy"],
            "Netra /health/database",
        )
        .parts(&[("database", MajorOutage), ("pool", Unknown)])
        .notes(&["/pool_status/async_pool is null where an object was expected"])
        .time("/timestamp", false),
        case(
            "netra/database_envelope_503.json",
            503,
            MajorOutage,
            &["Database unavailable"],
            "Netra error envelope",
        )
        .problem(Problem::HttpError)
        .time("/timestamp", false),
        // ---- FastAPI ----
        case(
            "netra/fastapi_404.json",
            404,
            Unknown,
            &["no such endpoint", "Not Found"],
            "FastAPI error",
        )
        .problem(Problem::HttpError),
        case(
            "netra/fastapi_422.json",
            422,
            Unknown,
            &["HTTP 422", "field required"],
            "FastAPI error",
        )
        .problem(Problem::HttpError)
        .notes(&["/detail is an array where a string was expected"]),
        // ---- /health/system ----
        case(
            "netra/system_error.json",
            200,
            MajorOutage,
            &["error: No module named 'psutil'"],
            "status word",
        )
        .time("/timestamp", false),
        case(
            "netra/system_healthy.json",
            200,
            Operational,
            &["healthy"],
            "Netra /health/system",
        )
        .metrics(&[
            ("system.cpu_percent", 37.5, "%"),
            ("system.memory_percent", 75.0, "%"),
            ("system.disk_percent", 50.0, "%"),
        ])
        .time("/timestamp", false),
        // ---- auth service ----
        case("auth/health_healthy.json", 200, Operational, &["healthy"], "Netra auth service")
            .parts(&[("database", Operational)])
            .metrics(&[("uptime_seconds", 3600.5, "s")])
            .time("/timestamp", false),
        case("auth/health_dev.json", 200, Operational, &["healthy"], "Netra auth service")
            .metrics(&[("uptime_seconds", 12.0, "s")])
            .time("/timestamp", false),
        case(
            "auth/health_unhealthy_503.json",
            503,
            MajorOutage,
            &["unhealthy: Database connectivity failed"],
            "Netra auth service",
        )
        .time("/timestamp", false),
        case("auth/ready_ok.json", 200, Operational, &["ready"], "Netra auth service")
            .parts(&[("database", Operational)])
            .time("/timestamp", false),
        case(
            "auth/ready_not_ready_503.json",
            503,
            MajorOutage,
            &["not_ready: Database not initialized"],
            "Netra auth service",
        )
        .time("/timestamp", false),
        case(
            "auth/health_auth_degraded.json",
            200,
            Degraded,
            &["degraded"],
            "Netra auth /health/auth",
        )
        .parts(&[
            ("jwt_validation", Operational),
            ("session_management", MajorOutage),
            ("oauth_configured", Operational),
            ("database_connected", MajorOutage),
            ("golden_path", Operational),
        ])
        .time("/timestamp", false),
        case(
            "auth/health_auth_unhealthy_503.json",
            503,
            MajorOutage,
            &["Missing critical capabilities: jwt_validation"],
            "Netra auth /health/auth",
        )
        .parts(&[
            ("jwt_validation", MajorOutage),
            ("session_management", MajorOutage),
            ("oauth_configured", Operational),
            ("database_connected", MajorOutage),
            ("golden_path", MajorOutage),
        ])
        .time("/timestamp", false),
        case(
            "auth/api_401.json",
            401,
            Unknown,
            &["HTTP 401", "authentication_failed", "Authentication required"],
            "Netra error",
        )
        .problem(Problem::HttpError),
        case(
            "auth/auth_health_db_error.json",
            200,
            MajorOutage,
            &["unhealthy"],
            "Netra auth service",
        )
        .parts(&[("database", MajorOutage)])
        .time("/timestamp", false),
        // ---- /ws/health and the WebSocket readiness middleware ----
        case(
            "ws/health_healthy.json",
            200,
            Operational,
            &["WebSocket service: healthy"],
            "Netra /ws/health",
        )
        .parts(&[
            ("authentication", Operational),
            ("database", Operational),
            ("agent_bridge", Operational),
            ("thread_service", Operational),
            ("redis", Operational),
            ("agent_supervisor", Operational),
            ("tool_classes", Operational),
        ])
        .metrics(&[
            ("authentication.response_time_ms", 12.5, "ms"),
            ("database.response_time_ms", 4.2, "ms"),
            ("agent_bridge.response_time_ms", 12.5, "ms"),
            ("thread_service.response_time_ms", 12.5, "ms"),
            ("redis.response_time_ms", 1.1, "ms"),
            ("agent_supervisor.response_time_ms", 12.5, "ms"),
            ("tool_classes.response_time_ms", 12.5, "ms"),
        ])
        .time("/timestamp", true),
        case(
            "ws/health_degraded.json",
            200,
            Degraded,
            &["WebSocket service: degraded"],
            "Netra /ws/health",
        )
        .parts(&[
            ("authentication", Operational),
            ("database", Operational),
            ("redis", PartialOutage),
            ("agent_supervisor", Unknown),
        ])
        .metrics(&[
            ("authentication.response_time_ms", 12.5, "ms"),
            ("database.response_time_ms", 12.5, "ms"),
            ("redis.response_time_ms", 5003.0, "ms"),
        ])
        .time("/timestamp", true),
        case(
            "ws/readiness_rejection_503.json",
            503,
            MajorOutage,
            &["service_not_ready", "failed: redis, database_postgres"],
            "Netra WebSocket readiness rejection",
        )
        .problem(Problem::HttpError)
        .parts(&[("redis", MajorOutage), ("database", MajorOutage)])
        .metrics(&[("retry_after_seconds", 10.0, "s")]),
        case(
            "ws/readiness_timeout_408.json",
            408,
            Degraded,
            &["cloud_run_timeout"],
            "Netra WebSocket readiness rejection",
        )
        .problem(Problem::HttpError)
        .metrics(&[("retry_after_seconds", 5.0, "s")]),
        case(
            "ws/middleware_error_500.json",
            500,
            MajorOutage,
            &["uvicorn_middleware_error"],
            "Netra error",
        )
        .problem(Problem::HttpError)
        .time("/timestamp", true),
        // ---- IETF health+json ----
        case("ietf/pass.json", 200, Operational, &["orders: pass"], "IETF health+json")
            .content_type("application/health+json")
            .parts(&[
                ("uptime", Operational),
                ("cassandra", Operational),
                ("memory", Operational),
            ])
            .metrics(&[
                ("uptime", 1_209_600.245, "s"),
                ("cassandra:responseTime[dfd6cf2b]", 22.0, "ms"),
                ("cassandra:responseTime[6fd416e0]", 35.0, "ms"),
                ("memory:utilization", 85.0, "%"),
            ])
            .time("/checks/uptime/0/time", false),
        case(
            "ietf/pass.json",
            200,
            Operational,
            &["orders: pass"],
            "IETF health+json",
        )
        .format("\"ietf\"")
        .parts(&[
            ("uptime", Operational),
            ("cassandra", Operational),
            ("memory", Operational),
        ])
        .metrics(&[
            ("uptime", 1_209_600.245, "s"),
            ("cassandra:responseTime[dfd6cf2b]", 22.0, "ms"),
            ("cassandra:responseTime[6fd416e0]", 35.0, "ms"),
            ("memory:utilization", 85.0, "%"),
        ])
        .time("/checks/uptime/0/time", false),
        case(
            "ietf/warn.json",
            200,
            Degraded,
            &["orders: warn: cache latency high"],
            "IETF health+json",
        )
        .parts(&[("redis", Degraded), ("db", Operational)])
        .metrics(&[
            ("redis:responseTime", 480.0, "ms"),
            ("db:connections", 12.0, ""),
        ])
        .time("/checks/redis:responseTime/0/time", false),
        case(
            "ietf/fail.json",
            503,
            MajorOutage,
            &["fail: database unreachable", "HTTP 503"],
            "IETF health+json",
        )
        .parts(&[("db", MajorOutage)])
        .time("/checks/db:connections/0/time", false),
        case(
            "ietf/check_object_not_array.json",
            200,
            Operational,
            &["pass"],
            "IETF health+json",
        )
        .format("\"ietf\"")
        .parts(&[("db", Operational)])
        .metrics(&[("db:responseTime", 3.0, "ms")])
        .notes(&[
            "/checks/db:responseTime is an object where an array was expected",
            "/checks/broken is a string where an array was expected",
        ]),
        case(
            "ietf/status_number.json",
            200,
            Unknown,
            &["a number where a status word was expected"],
            "IETF health+json",
        )
        .format("\"ietf\"")
        .problem(Problem::UnexpectedShape)
        .parts(&[("db", Operational)]),
        case("ietf/up_word.json", 200, Operational, &["up"], "IETF health+json")
            .format("\"ietf\""),
        // ---- Spring Boot Actuator ----
        case(
            "spring/up.json",
            200,
            Operational,
            &["application: UP"],
            "Spring Boot Actuator health",
        )
        .parts(&[
            ("db", Operational),
            ("diskSpace", Operational),
            ("ping", Operational),
            ("redis", Operational),
        ])
        .metrics(&[
            ("diskSpace.total", 499_963_174_912.0, "bytes"),
            ("diskSpace.free", 91_294_093_312.0, "bytes"),
            ("diskSpace.threshold", 10_485_760.0, "bytes"),
        ]),
        case(
            "spring/down.json",
            503,
            MajorOutage,
            &["application: DOWN", "HTTP 503"],
            "Spring Boot Actuator health",
        )
        .parts(&[
            ("db", MajorOutage),
            ("diskSpace", Operational),
            ("ping", Operational),
        ])
        .metrics(&[
            ("diskSpace.total", 499_963_174_912.0, "bytes"),
            ("diskSpace.free", 91_294_093_312.0, "bytes"),
            ("diskSpace.threshold", 10_485_760.0, "bytes"),
        ]),
        case(
            "spring/out_of_service.json",
            503,
            Maintenance,
            &["OUT_OF_SERVICE"],
            "Spring Boot Actuator health",
        )
        .parts(&[("ping", Operational), ("readinessState", Maintenance)]),
        case(
            "spring/nested.json",
            200,
            Degraded,
            &["UP, but db.replica major outage"],
            "Spring Boot Actuator health",
        )
        .parts(&[
            ("db", Operational),
            ("db.primary", Operational),
            ("db.replica", MajorOutage),
            ("ping", Operational),
        ]),
        case(
            "spring/boot1.json",
            200,
            Operational,
            &["UP"],
            "Spring Boot Actuator health",
        )
        .parts(&[("diskSpace", Operational), ("db", Operational)])
        .metrics(&[
            ("diskSpace.total", 499_963_174_912.0, "bytes"),
            ("diskSpace.free", 91_294_093_312.0, "bytes"),
            ("diskSpace.threshold", 10_485_760.0, "bytes"),
            ("db.hello", 1.0, ""),
        ]),
        case(
            "spring/boot20_details.json",
            200,
            Operational,
            &["UP"],
            "Spring Boot Actuator health",
        )
        .parts(&[("db", Operational), ("diskSpace", Operational)])
        .metrics(&[
            ("db.hello", 1.0, ""),
            ("diskSpace.total", 1000.0, "bytes"),
            ("diskSpace.free", 500.0, "bytes"),
            ("diskSpace.threshold", 10.0, "bytes"),
        ]),
        case(
            "spring/custom_word.json",
            200,
            Unknown,
            &["unrecognised status word \"FATAL\""],
            "Spring Boot Actuator health",
        )
        .format("\"spring\"")
        .problem(Problem::UnknownWord),
        case(
            "spring/readiness_group.json",
            200,
            Operational,
            &["UP"],
            "Spring Boot Actuator health",
        ),
        // ---- Statuspage ----
        case(
            "statuspage/summary_operational.json",
            200,
            Operational,
            &["All Systems Operational: none"],
            "Statuspage summary",
        )
        .parts(&[("API", Operational), ("Website", Operational)])
        .time("/page/updated_at", false),
        case(
            "statuspage/summary_minor_group.json",
            200,
            Degraded,
            &["Minor Service Outage: minor", "incident \"Elevated database latency\" (investigating, impact minor)"],
            "Statuspage summary",
        )
        .parts(&[
            ("Postgres", Degraded),
            ("Redis", Operational),
            ("API", Operational),
            // A group is a part too: its members counted as a status page counts them.
            ("Data stores", Degraded),
        ])
        .time("/page/updated_at", false),
        case(
            "statuspage/summary_critical.json",
            200,
            MajorOutage,
            &["critical", "incident \"API down\"", "maintenance \"Docs migration\" (in_progress"],
            "Statuspage summary",
        )
        .parts(&[
            ("API", MajorOutage),
            ("Website", PartialOutage),
            ("Docs", Maintenance),
        ])
        .time("/page/updated_at", false),
        case(
            "statuspage/status_maintenance.json",
            200,
            Maintenance,
            &["Service Under Maintenance"],
            "Statuspage status",
        )
        .time("/page/updated_at", false),
        case(
            "statuspage/components_only.json",
            200,
            PartialOutage,
            &["worst of 2 components: Search partial outage"],
            "Statuspage components",
        )
        .format("\"statuspage\"")
        .parts(&[("API", Operational), ("Search", PartialOutage)])
        .time("/page/updated_at", false),
        case(
            "statuspage/duplicate_names.json",
            200,
            PartialOutage,
            &["Partial System Outage: major"],
            "Statuspage summary",
        )
        .parts(&[
            ("API", Operational),
            ("US / API", MajorOutage),
            ("EU", Operational),
            ("US", MajorOutage),
        ])
        .time("/page/updated_at", false),
        case(
            "statuspage/unknown_indicator.json",
            200,
            Unknown,
            &["unrecognised status word \"apocalyptic\""],
            "Statuspage summary",
        )
        .problem(Problem::UnknownWord)
        .parts(&[("API", Unknown)])
        .time("/page/updated_at", false),
        // ---- Kubernetes ----
        case(
            "kubernetes/readyz_passed.txt",
            200,
            Operational,
            &["readyz check passed"],
            "Kubernetes health text",
        )
        .parts(&[
            ("ping", Operational),
            ("log", Operational),
            ("etcd", Operational),
            ("informer-sync", Operational),
            ("poststarthook/start-apiextensions-controllers", Operational),
            ("shutdown", Operational),
        ]),
        case(
            "kubernetes/readyz_failed.txt",
            500,
            MajorOutage,
            &["readyz check failed: etcd, poststarthook/crd-informer-synced"],
            "Kubernetes health text",
        )
        .format("\"kubernetes\"")
        .parts(&[
            ("ping", Operational),
            ("log", Operational),
            ("etcd", MajorOutage),
            ("informer-sync", Operational),
            ("poststarthook/crd-informer-synced", MajorOutage),
            ("shutdown", Operational),
        ]),
        case(
            "kubernetes/livez_excluded.txt",
            200,
            Operational,
            &["livez check passed"],
            "Kubernetes health text",
        )
        .format("\"kubernetes\"")
        .parts(&[("ping", Operational), ("etcd", Operational)]),
        case("kubernetes/ok.txt", 200, Operational, &["ok"], "Kubernetes health text")
            .format("\"kubernetes\""),
        case(
            "kubernetes/ok.txt",
            200,
            Operational,
            &["plain-text body: ok"],
            "plain-text status word",
        ),
        case(
            "kubernetes/no_verdict.txt",
            200,
            Unknown,
            &["no verdict line"],
            "Kubernetes health text",
        )
        .format("\"kubernetes\"")
        .problem(Problem::UnexpectedShape)
        .parts(&[("ping", Operational), ("log", Operational)]),
        case(
            "common/ok_on_503.json",
            200,
            Unknown,
            &["not Kubernetes health text"],
            "unexpected text",
        )
        .format("\"kubernetes\"")
        .problem(Problem::UnexpectedShape),
        // ---- plain HTTP ----
        case("common/html_200.html", 200, Operational, &["HTTP 200 OK"], "plain HTTP")
            .format("\"plain_http\""),
        case(
            "common/not_json_503.txt",
            503,
            MajorOutage,
            &["HTTP 503 Service Unavailable (server error)"],
            "plain HTTP",
        )
        .format("\"plain_http\"")
        .problem(Problem::HttpError),
        case(
            "common/empty.txt",
            404,
            Unknown,
            &["HTTP 404 Not Found (client error)"],
            "plain HTTP",
        )
        .format("\"plain_http\"")
        .problem(Problem::HttpError),
        // ---- bodies that cannot speak ----
        case(
            "common/html_200.html",
            200,
            Unknown,
            &["HTTP 200 OK with an HTML page"],
            "HTML page",
        )
        .problem(Problem::Html),
        case(
            "common/html_200.html",
            200,
            Unknown,
            &["HTML page"],
            "HTML page",
        )
        .format("\"netra\"")
        .content_type("text/html; charset=utf-8")
        .problem(Problem::Html),
        case(
            "common/html_502.html",
            502,
            MajorOutage,
            &["HTTP 502 Bad Gateway (server error) with an HTML page"],
            "HTML page",
        )
        .problem(Problem::Html),
        case(
            "common/truncated.json",
            200,
            Unknown,
            &["truncated JSON"],
            "truncated JSON",
        )
        .problem(Problem::TruncatedJson),
        case(
            "common/truncated.json",
            200,
            Unknown,
            &["truncated JSON"],
            "truncated JSON",
        )
        .format(TRAFFIC_RULE)
        .problem(Problem::TruncatedJson),
        case(
            "common/array.json",
            200,
            Unknown,
            &["the JSON is an array where an object was expected"],
            "unexpected JSON",
        )
        .problem(Problem::UnexpectedShape),
        case(
            "common/array.json",
            200,
            Unknown,
            &["an array where an object was expected"],
            "unexpected JSON",
        )
        .format("\"spring\"")
        .problem(Problem::UnexpectedShape),
        case(
            "common/string.json",
            200,
            Unknown,
            &["a string where an object was expected"],
            "unexpected JSON",
        )
        .problem(Problem::UnexpectedShape),
        case(
            "common/not_json_503.txt",
            503,
            MajorOutage,
            &["HTTP 503 Service Unavailable (server error) with a body that is not JSON"],
            "not JSON",
        )
        .problem(Problem::NotJson),
        case(
            "common/not_json_200.txt",
            200,
            Unknown,
            &["HTTP 200 OK with a body that is not JSON"],
            "not JSON",
        )
        .problem(Problem::NotJson),
        case(
            "common/empty.txt",
            200,
            Unknown,
            &["HTTP 200 OK with an empty body"],
            "empty body",
        )
        .problem(Problem::EmptyBody),
        case(
            "common/empty.txt",
            503,
            MajorOutage,
            &["HTTP 503 Service Unavailable (server error) with an empty body"],
            "empty body",
        )
        .problem(Problem::EmptyBody),
        case(
            "common/unexpected_object.json",
            200,
            Unknown,
            &["JSON of an unexpected shape", "no \"status\" field", "service, version"],
            "unexpected JSON",
        )
        .problem(Problem::UnexpectedShape),
        case(
            "common/unexpected_object.json",
            200,
            Unknown,
            &["JSON of an unexpected shape"],
            "IETF health+json",
        )
        .format("\"ietf\"")
        .problem(Problem::UnexpectedShape),
        case(
            "common/unexpected_object.json",
            200,
            Unknown,
            &["JSON of an unexpected shape"],
            "Statuspage summary",
        )
        .format("\"statuspage\"")
        .problem(Problem::UnexpectedShape),
        case(
            "common/status_number.json",
            200,
            Unknown,
            &["a number where a status word was expected"],
            "status word",
        )
        .problem(Problem::UnexpectedShape),
        case(
            "common/status_unknown_word.json",
            200,
            Unknown,
            &["unrecognised status word \"purple\""],
            "status word",
        )
        .problem(Problem::UnknownWord),
        case(
            "common/status_unknown.json",
            200,
            Unknown,
            &["service: unknown"],
            "status word",
        ),
        case(
            "common/json_labelled_html.json",
            200,
            Operational,
            &["service: ok"],
            "status word",
        )
        .content_type("text/html; charset=utf-8"),
        case(
            "common/plain_ok.txt",
            200,
            Operational,
            &["plain-text body: OK"],
            "plain-text status word",
        ),
        case(
            "common/ok_on_503.json",
            503,
            MajorOutage,
            &["HTTP 503 Service Unavailable although the body says service: ok"],
            "status word",
        ),
        // ---- the generic rule ----
        case(
            "rule/traffic_light.json",
            200,
            Degraded,
            &["status: green, but search degraded"],
            "rule",
        )
        .format(TRAFFIC_RULE)
        .parts(&[("db", Operational), ("search", Degraded)])
        .metrics(&[("db.latency", 12.0, "ms"), ("search.latency", 340.0, "ms")])
        .time("/checked_at", false),
        case(
            "rule/unknown_word.json",
            200,
            Unknown,
            &["\"purple\" is not a word this rule knows"],
            "rule",
        )
        .format(TRAFFIC_RULE)
        .problem(Problem::UnknownWord)
        .parts(&[("db", Operational)])
        .time("/checked_at", false),
        case(
            "rule/map_no_status.json",
            200,
            PartialOutage,
            &["worst of 3 components: search partial outage"],
            "rule",
        )
        .format(MAP_RULE)
        .parts(&[
            ("api", Operational),
            ("search", MajorOutage),
            ("db", Operational),
        ])
        .metrics(&[("db.latency", 4.0, "ms")])
        .time("/generated", true),
        case(
            "rule/missing_status.json",
            200,
            Unknown,
            &["no status at /state"],
            "rule",
        )
        .format(TRAFFIC_RULE)
        .problem(Problem::UnexpectedShape)
        .notes(&["no components at /services"]),
        case(
            "rule/numeric_words.json",
            200,
            Degraded,
            &["status: 1, but cache major outage"],
            "rule",
        )
        .format(NUMERIC_RULE)
        .parts(&[("cache", MajorOutage), ("queue", Operational)]),
        case(
            "rule/wrong_types.json",
            200,
            Unknown,
            &["an object where a status was expected"],
            "rule",
        )
        .format(TRAFFIC_RULE)
        .problem(Problem::UnexpectedShape)
        .notes(&["/services is a string where an object or an array of components was expected"]),
    ]
}

fn fixture(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn response(http: u16, content_type: Option<&str>, body: String) -> ProbeOutcome {
    ProbeOutcome::Response(HttpResponse {
        status: http,
        content_type: content_type.map(str::to_string),
        body,
    })
}

/// Every difference between a reading and its case, in words.
fn check(case: &Case, reading: &Reading) -> Vec<String> {
    let mut wrong = Vec::new();
    if reading.overall.status != case.status {
        wrong.push(format!(
            "status {:?}, expected {:?}",
            reading.overall.status, case.status
        ));
    }
    for needle in case.reason {
        if !reading.overall.reason.contains(needle) {
            wrong.push(format!("reason lacks {needle:?}"));
        }
    }
    if reading.shape != case.shape {
        wrong.push(format!(
            "shape {:?}, expected {:?}",
            reading.shape, case.shape
        ));
    }
    if reading.problem != case.problem {
        wrong.push(format!(
            "problem {:?}, expected {:?}",
            reading.problem, case.problem
        ));
    }
    if reading.overall.evidence.endpoint != "ep"
        || reading.overall.evidence.http_status != Some(case.http)
    {
        wrong.push(format!("evidence {:?}", reading.overall.evidence));
    }
    for (name, status) in case.parts {
        match reading.parts.get(*name) {
            Some(part) if part.status == *status => {
                if part.evidence.field.is_empty() || part.evidence.endpoint != "ep" {
                    wrong.push(format!("part {name} lacks evidence: {:?}", part.evidence));
                }
            }
            Some(part) => wrong.push(format!(
                "part {name} is {:?} ({}), expected {status:?}",
                part.status, part.reason
            )),
            None => wrong.push(format!("no part {name}")),
        }
    }
    for name in reading.parts.keys() {
        if !case.parts.iter().any(|(n, _)| n == name) {
            wrong.push(format!("unexpected part {name}"));
        }
    }
    for (name, value, unit) in case.metrics {
        match reading.metrics.get(*name) {
            Some(metric) => {
                if (metric.value - value).abs() > 1e-9 || metric.unit != *unit {
                    wrong.push(format!(
                        "metric {name} is {} {:?}, expected {value} {unit:?}",
                        metric.value, metric.unit
                    ));
                }
                if !metric.field.starts_with('/') || metric.raw.is_empty() {
                    wrong.push(format!("metric {name} lacks evidence: {metric:?}"));
                }
            }
            None => wrong.push(format!("no metric {name}")),
        }
    }
    for name in reading.metrics.keys() {
        if !case.metrics.iter().any(|(n, _, _)| n == name) {
            wrong.push(format!("unexpected metric {name}"));
        }
    }
    match (&reading.reported_at, case.time) {
        (None, None) => {}
        (Some(time), Some((field, assumed))) => {
            if time.field != field || time.zone_assumed != assumed {
                wrong.push(format!(
                    "time from {} (zone assumed {}), expected {field} ({assumed})",
                    time.field, time.zone_assumed
                ));
            }
        }
        (got, expected) => wrong.push(format!("time {got:?}, expected {expected:?}")),
    }
    for needle in case.notes {
        if !reading.notes.iter().any(|n| n.contains(needle)) {
            wrong.push(format!("notes lack {needle:?}: {:?}", reading.notes));
        }
    }
    if case.notes.is_empty() && !reading.notes.is_empty() {
        wrong.push(format!("unexpected notes {:?}", reading.notes));
    }
    wrong
}

#[test]
fn every_fixture_reads_as_specified() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let format: Format = serde_json::from_str(case.format)
            .unwrap_or_else(|e| panic!("{}: format {}: {e}", case.file, case.format));
        let outcome = response(case.http, case.content_type, fixture(case.file));
        let reading = read("ep", format, &outcome);
        let wrong = check(case, &reading);
        if !wrong.is_empty() {
            failures.push(format!(
                "{} (HTTP {}, {}):\n    {}\n    reading: {} / {}",
                case.file,
                case.http,
                case.format.split_whitespace().collect::<Vec<_>>().join(" "),
                wrong.join("\n    "),
                reading.overall.reason,
                reading.shape
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_is_in_the_table() {
    let cases = cases();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut unused = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if dir.ends_with("formats") {
            // The documented recipes' fixtures, tested in tests/recipes.rs.
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let path = file.unwrap().path();
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            if !cases.iter().any(|c| c.file == relative) {
                unused.push(relative);
            }
        }
    }
    assert!(unused.is_empty(), "fixtures without a case: {unused:?}");
}

#[test]
fn probe_failures_keep_distinct_reasons() {
    let failures = [
        (
            ProbeFailure::Timeout { after_ms: 10_000 },
            Problem::Timeout,
            "timeout",
        ),
        (
            ProbeFailure::Unreachable {
                detail: "connection refused".into(),
            },
            Problem::Unreachable,
            "unreachable",
        ),
        (
            ProbeFailure::CorsBlocked {
                origin: "https://status.example.com".into(),
            },
            Problem::CorsBlocked,
            "CORS",
        ),
        (
            ProbeFailure::BodyTooLarge { limit: 1 << 20 },
            Problem::BodyTooLarge,
            "too large",
        ),
        (ProbeFailure::Offline, Problem::Offline, "offline"),
        (
            ProbeFailure::BodyTimeout {
                after_ms: 2_000,
                received: 40,
            },
            Problem::Timeout,
            "body did not finish",
        ),
        (
            ProbeFailure::InvalidUtf8 {
                status: 200,
                offset: 7,
                byte: 0xfe,
            },
            Problem::InvalidUtf8,
            "not valid UTF-8",
        ),
        (ProbeFailure::Redirected, Problem::Redirected, "redirect"),
    ];
    let mut reasons = std::collections::BTreeSet::new();
    for (failure, problem, needle) in failures {
        let reading = read("ep", Format::Auto, &ProbeOutcome::Failed(failure));
        assert_eq!(reading.overall.status, Unknown);
        assert_eq!(reading.problem, Some(problem));
        assert!(!reading.answered);
        assert!(
            reading.overall.reason.contains(needle),
            "{}",
            reading.overall.reason
        );
        reasons.insert(reading.overall.reason);
    }
    assert_eq!(reasons.len(), 8);
}

#[test]
fn formats_deserialize_from_names_and_rules() {
    for (text, name) in [
        ("\"auto\"", "auto"),
        ("\"netra\"", "netra"),
        ("\"ietf\"", "ietf"),
        ("\"spring\"", "spring"),
        ("\"statuspage\"", "statuspage"),
        ("\"kubernetes\"", "kubernetes"),
        ("\"plain_http\"", "plain_http"),
        (TRAFFIC_RULE, "rule"),
    ] {
        let format: Format = serde_json::from_str(text).unwrap();
        assert_eq!(format.name(), name);
        let again: Format = serde_json::from_value(serde_json::to_value(&format).unwrap()).unwrap();
        assert_eq!(again, format);
    }
    let Format::Rule(rule) = serde_json::from_str::<Format>(TRAFFIC_RULE).unwrap() else {
        panic!("not a rule");
    };
    assert_eq!(rule.status.as_deref(), Some("/state"));
    assert_eq!(rule.words.get("amber"), Some(&Degraded));
    let bad = [
        (r#""yaml""#, "unknown format \"yaml\""),
        (r#"{"rule": {}}"#, "needs \"status\""),
        (r#"{"rule": {"status": "state"}}"#, "JSON pointer"),
        (
            r#"{"rule": {"status": "/s", "words": {"x": "fine"}}}"#,
            "$.rule.words.x: \"fine\" is not one of",
        ),
        (
            r#"{"rule": {"status": "/s", "depth": 2}}"#,
            "$.rule.depth: needs \"nested\"",
        ),
        (r#"{"regex": "x"}"#, "missing field `rule`"),
        (r#"[1]"#, "an array where"),
    ];
    for (text, needle) in bad {
        let error = serde_json::from_str::<Format>(text)
            .unwrap_err()
            .to_string();
        assert!(error.contains(needle), "{text}: {error}");
    }
}

#[test]
fn endpoint_format_defaults_to_auto_and_accepts_rules() {
    use lookout_core::config::Endpoint;
    let plain: Endpoint =
        serde_json::from_str(r#"{"id": "a", "service": "s", "path": "/health"}"#).unwrap();
    assert_eq!(plain.format, Format::Auto);
    let text =
        format!(r#"{{"id": "a", "service": "s", "path": "/state", "format": {TRAFFIC_RULE}}}"#);
    let ruled: Endpoint = serde_json::from_str(&text).unwrap();
    assert_eq!(ruled.format.name(), "rule");
    let spring: Endpoint = serde_json::from_str(
        r#"{"id": "a", "service": "s", "path": "/actuator/health", "format": "spring"}"#,
    )
    .unwrap();
    assert_eq!(spring.format, Format::Spring);
}
