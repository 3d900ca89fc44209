//! Status codes and top-level status words of every phase, for both backend generations and
//! the auth service, plus the timestamp formats and FastAPI's 404s.

use lookout_sim::{Generation, Phase};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::Sim;

/// (path, expected HTTP status, expected top-level `status`, or None when the body has none).
type Expect = (&'static str, u16, Option<&'static str>);

async fn check(sim: &Sim, url_of: impl Fn(&str) -> String, expected: &[Expect]) {
    for (path, code, status) in expected {
        let got = sim.get(&url_of(path)).await;
        assert_eq!(got.status.as_u16(), *code, "{path}: {}", got.text);
        assert_eq!(
            got.header("content-type"),
            Some("application/json"),
            "{path}"
        );
        let body = got.json();
        assert_eq!(body["status"].as_str(), *status, "{path}: {body}");
    }
}

#[tokio::test]
async fn v1_phases() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    let table: [(Phase, [Expect; 5]); 4] = [
        (
            Phase::Outage,
            [
                ("/health", 503, Some("unhealthy")),
                ("/health/ready", 503, None),
                ("/health/infrastructure", 503, Some("unhealthy")),
                ("/health/live", 200, Some("healthy")),
                ("/health/startup", 503, Some("not_ready")),
            ],
        ),
        (
            Phase::Diagnosis,
            [
                ("/health", 200, Some("healthy")),
                ("/health/ready", 503, Some("unhealthy")),
                ("/health/infrastructure", 200, Some("degraded")),
                ("/health/backend", 200, Some("degraded")),
                ("/health/startup", 503, Some("not_ready")),
            ],
        ),
        (
            Phase::PartialRecovery,
            [
                ("/health", 200, Some("healthy")),
                ("/health/ready", 200, Some("ready")),
                ("/health/infrastructure", 200, Some("degraded")),
                ("/health/backend", 200, Some("degraded")),
                ("/health/startup", 200, Some("ready")),
            ],
        ),
        (
            Phase::Recovered,
            [
                ("/health", 200, Some("healthy")),
                ("/health/ready", 200, Some("ready")),
                ("/health/infrastructure", 200, Some("healthy")),
                ("/health/backend", 200, Some("healthy")),
                ("/health/startup", 200, Some("ready")),
            ],
        ),
    ];
    for (phase, expected) in table {
        sim.scenario(serde_json::json!({"phase": phase.as_str()}))
            .await;
        check(&sim, |p| sim.backend(p), &expected).await;
    }
}

#[tokio::test]
async fn v1_outage_bodies() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    let health = sim.get(&sim.backend("/health")).await.json();
    assert_eq!(health["startup_failed"], true);
    assert_eq!(
        health["message"],
        "Startup failed: Database connection timeout (VPC connector staging-connector)"
    );

    let ready = sim.get(&sim.backend("/health/ready")).await.json();
    assert_eq!(ready["error"], true);
    assert_eq!(ready["error_code"], "SERVICE_UNAVAILABLE");
    assert_eq!(ready["message"], "Core database unavailable");
    assert_eq!(ready["details"]["status_code"], 503);
    assert!(ready["source_file"].is_string() && ready["line_number"].is_u64());
    assert_eq!(ready["trace_id"].as_str().unwrap().len(), 36);

    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    assert_eq!(infra["issue_reference"], "#1278");
    assert_eq!(infra["infrastructure_ready"], false);
    assert_eq!(
        infra["degraded_components"],
        serde_json::json!(["database", "redis", "websocket"])
    );
    let components = &infra["infrastructure_components"];
    assert_eq!(components["database"]["status"], "error");
    assert_eq!(components["database"]["issue_type"], "vpc_connectivity");
    assert!(components["redis"]["error"]
        .as_str()
        .unwrap()
        .starts_with("Error -3 connecting to 10.166.204.83:6379"));
    assert_eq!(components["websocket"]["status"], "degraded");
    assert_eq!(components["websocket"]["issue_type"], "load_balancer");
    assert_eq!(infra["vpc_connectivity"]["overall"], false);
    assert_eq!(infra["vpc_connectivity"]["degraded_count"], 3);
    assert_eq!(
        infra["vpc_connectivity"]["indicators"]["redis_connectivity"],
        false
    );
    assert!(infra["infrastructure_team_actions"]["vpc_connector"].is_string());

    let ws = sim.get(&sim.backend("/ws/health")).await;
    assert_eq!(ws.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ws.header("retry-after"), Some("10"));
    let ws = ws.json();
    assert_eq!(ws["error"], "service_not_ready");
    assert_eq!(ws["details"]["state"], "failed");
    assert_eq!(ws["details"]["retry_after_seconds"], 10);
    assert_eq!(ws["details"]["issue_reference"], "#449");

    // HEAD: same status, no body.
    let head = sim.send(Method::HEAD, &sim.backend("/health"), &[]).await;
    assert_eq!(head.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(head.text.is_empty());
}

#[tokio::test]
async fn v1_diagnosis_and_recovery_bodies() {
    let sim = Sim::at(Generation::V1, Phase::Diagnosis).await;
    let health = sim.get(&sim.backend("/health")).await.json();
    assert!(health["timestamp"].is_f64(), "epoch float: {health}");
    assert_eq!(health["service"], "netra-ai-platform");
    let ready = sim.get(&sim.backend("/health/ready")).await.json();
    assert_eq!(
        ready,
        serde_json::json!({"status": "unhealthy", "message": "Database dependency failed", "error": "timeout"})
    );

    sim.scenario(serde_json::json!({"phase": "partial_recovery"}))
        .await;
    let ready = sim.get(&sim.backend("/health/ready")).await.json();
    assert_eq!(ready["core_db"], "connected");
    assert_eq!(ready["redis_db"], "connected");
    assert_eq!(ready["clickhouse_db"], "skipped_optional");
    let wsr = &ready["websocket_readiness"];
    assert_eq!(wsr["status"], "degraded");
    assert_eq!(wsr["websocket_ready"], true);
    assert_eq!(wsr["details"]["state"], "degraded_but_functional");
    assert_eq!(wsr["details"]["graceful_degradation"], true);
    assert_eq!(wsr["details"]["degradation_reason"], "database latency");
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    assert_eq!(
        infra["infrastructure_components"]["database"]["error"],
        "average connection time 4.8s exceeds 2.0s budget"
    );
    assert_eq!(
        infra["infrastructure_components"]["redis"]["status"],
        "healthy"
    );
    assert_eq!(infra["vpc_connectivity"]["overall"], true);
    let ws = sim.get(&sim.backend("/ws/health")).await;
    assert_eq!(ws.status, StatusCode::OK);
    let ws = ws.json();
    assert_eq!(ws["status"], "degraded");
    assert_eq!(ws["mode"], "ssot_consolidated");
    assert_eq!(ws["service_availability"]["summary"]["total_services"], 7);

    // The VPC connector is fixed: "error -3" must be gone from every answer.
    for path in [
        "/health",
        "/health/ready",
        "/health/infrastructure",
        "/health/backend",
        "/health/startup",
        "/ws/health",
        "/reports/validate_infrastructure_fix.json",
    ] {
        let text = sim.get(&sim.backend(path)).await.text;
        assert!(
            !text.contains("error -3") && !text.contains("Error -3"),
            "{path} still mentions error -3: {text}"
        );
    }
    sim.scenario(serde_json::json!({"generation": "v2"})).await;
    let text = sim.get(&sim.backend("/health/infrastructure")).await.text;
    assert!(!text.contains("error -3") && !text.contains("Error -3"));

    sim.scenario(serde_json::json!({"phase": "recovered", "generation": "v1"}))
        .await;
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    assert_eq!(infra["infrastructure_ready"], true);
    assert_eq!(infra["degraded_components"], serde_json::json!([]));
    assert!(infra.get("infrastructure_team_actions").is_none());
    let ws = sim.get(&sim.backend("/ws/health")).await.json();
    assert_eq!(ws["status"], "healthy");
}

#[tokio::test]
async fn v2_phases() {
    let sim = Sim::at(Generation::V2, Phase::Outage).await;
    let table: [(Phase, [Expect; 3]); 4] = [
        (
            Phase::Outage,
            [
                ("/health", 503, None),
                ("/health/ready", 503, None),
                ("/health/infrastructure", 200, Some("critical")),
            ],
        ),
        (
            Phase::Diagnosis,
            [
                ("/health", 200, Some("ok")),
                ("/health/ready", 200, Some("ready")),
                ("/health/infrastructure", 200, Some("error")),
            ],
        ),
        (
            Phase::PartialRecovery,
            [
                ("/health", 200, Some("ok")),
                ("/health/ready", 200, Some("ready")),
                ("/health/infrastructure", 200, Some("degraded")),
            ],
        ),
        (
            Phase::Recovered,
            [
                ("/health", 200, Some("ok")),
                ("/health/ready", 200, Some("ready")),
                ("/health/infrastructure", 200, Some("ok")),
            ],
        ),
    ];
    for (phase, expected) in table {
        sim.scenario(serde_json::json!({"phase": phase.as_str()}))
            .await;
        check(&sim, |p| sim.backend(p), &expected).await;
    }
}

#[tokio::test]
async fn v2_infrastructure_bodies() {
    let sim = Sim::at(Generation::V2, Phase::Outage).await;
    let health = sim.get(&sim.backend("/health")).await.json();
    assert_eq!(health["error_code"], "SERVICE_UNAVAILABLE");
    assert_eq!(health["message"], "Service Unavailable");

    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    let details = infra["infrastructure"]["service_details"]
        .as_object()
        .unwrap();
    assert_eq!(details.len(), 8);
    for (name, status) in [
        ("vpc_connector", "critical"),
        ("redis", "critical"),
        ("database", "critical"),
        ("cloud_sql", "critical"),
        ("load_balancer", "degraded"),
        ("websocket", "critical"),
        ("auth_service", "critical"),
        ("clickhouse", "unknown"),
    ] {
        assert_eq!(details[name]["status"], status, "{name}");
    }
    assert!(details["clickhouse"]["success_rate"].is_u64(), "int 0");
    assert!(details["database"]["success_rate"].is_f64());
    assert!(infra["infrastructure"]["last_updated"]
        .as_str()
        .unwrap()
        .chars()
        .nth(26)
        .is_none());
    let critical = infra["infrastructure"]["critical_services"]
        .as_array()
        .unwrap();
    assert!(critical.contains(&Value::from("vpc_connector")));
    let db = &infra["diagnostics"]["database_connections"];
    assert_eq!(db["success_rate"], "41.2%");
    assert_eq!(db["average_connection_time"], "8.731s");
    assert_eq!(db["timeout_violation_rate"], "58.8%");
    assert!(infra["diagnostics"]["timestamp"].is_f64());
    let pressure = &infra["diagnostics"]["infrastructure_pressure_indicators"];
    assert_eq!(pressure["slow_connections"], true);
    let gp = &infra["authentication"]["golden_path_assessment"];
    assert_eq!(gp["impact_level"], "critical");
    assert_eq!(gp["golden_path_blocked"], true);
    assert!(gp["blockers"][0].as_str().unwrap().contains("error -3"));
    let errors = infra["authentication"]["issues"]["errors"].to_string();
    assert!(errors.contains("Error -3 connecting to 10.166.204.83:6379"));
    let recs = infra["infrastructure_recommendations"].as_object().unwrap();
    assert!(recs.values().all(Value::is_string));
    assert!(recs
        .values()
        .any(|r| r.as_str().unwrap().contains("Error -3")));

    sim.scenario(serde_json::json!({"phase": "diagnosis"}))
        .await;
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    assert_eq!(
        infra["error"],
        "'DatabaseConnectionMonitor' object has no attribute 'get_metrics'"
    );
    assert!(infra["note"].is_string());
    assert!(infra["infrastructure_recommendations"]["likely_causes"].is_array());

    sim.scenario(serde_json::json!({"phase": "partial_recovery"}))
        .await;
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    let db = &infra["diagnostics"]["database_connections"];
    assert_eq!(db["average_connection_time"], "4.812s");
    assert_eq!(db["timeout_violation_rate"], "6.0%");
    assert_eq!(db["success_rate"], "94.0%");
    let details = &infra["infrastructure"]["service_details"];
    assert_eq!(details["cloud_sql"]["status"], "degraded");
    assert_eq!(details["redis"]["status"], "healthy");

    sim.scenario(serde_json::json!({"phase": "recovered"}))
        .await;
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    let db = &infra["diagnostics"]["database_connections"];
    assert_eq!(db["average_connection_time"], "0.284s");
    assert_eq!(db["timeout_violation_rate"], "0.0%");
    assert_eq!(db["success_rate"], "100.0%");
    let details = infra["infrastructure"]["service_details"]
        .as_object()
        .unwrap();
    assert!(details.values().all(|d| d["status"] == "healthy"));
}

#[tokio::test]
async fn auth_phases() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    for phase in [Phase::Outage, Phase::Diagnosis] {
        sim.scenario(serde_json::json!({"phase": phase.as_str()}))
            .await;
        check(
            &sim,
            |p| sim.auth(p),
            &[
                ("/health", 503, Some("unhealthy")),
                ("/health/ready", 503, Some("not_ready")),
                ("/health/auth", 503, Some("unhealthy")),
                ("/auth/health", 200, Some("unhealthy")),
            ],
        )
        .await;
    }
    let health = sim.get(&sim.auth("/health")).await.json();
    assert_eq!(health["reason"], "Database connectivity failed");
    assert_eq!(health["service"], "auth-service");
    assert!(health["timestamp"].as_str().unwrap().ends_with("+00:00"));
    let auth = sim.get(&sim.auth("/health/auth")).await.json();
    assert_eq!(
        auth["error"],
        "Missing critical capabilities: database_connected, session_management"
    );
    for phase in [Phase::PartialRecovery, Phase::Recovered] {
        sim.scenario(serde_json::json!({"phase": phase.as_str()}))
            .await;
        check(
            &sim,
            |p| sim.auth(p),
            &[
                ("/health", 200, Some("healthy")),
                ("/health/ready", 200, Some("ready")),
                ("/health/auth", 200, Some("healthy")),
            ],
        )
        .await;
        let health = sim.get(&sim.auth("/health")).await.json();
        assert_eq!(health["database_status"], "connected");
    }
    let missing = sim.get(&sim.auth("/nope")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fastapi_404s_and_generation_only_paths() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let origin = sim.site_origin();
    let env = sim.get(&sim.backend("/health/database-env")).await;
    assert_eq!(env.status, StatusCode::OK);
    let breakers = sim.get(&sim.backend("/health/circuit-breakers")).await;
    assert_eq!(breakers.status, StatusCode::NOT_FOUND);

    sim.scenario(serde_json::json!({"generation": "v2"})).await;
    for path in [
        "/health/database-env",
        "/health/schema-validation",
        "/health/agents",
        "/health/system/comprehensive",
        "/definitely/not/here",
    ] {
        let got = sim.get_from(&sim.backend(path), &origin).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(got.json(), serde_json::json!({"detail": "Not Found"}));
        assert_eq!(
            got.header("access-control-allow-origin"),
            Some(origin.as_str())
        );
    }
    let breakers = sim
        .get(&sim.backend("/health/circuit-breakers"))
        .await
        .json();
    assert_eq!(breakers["health_summary"]["overall_health"], "healthy");
    let post = sim.send(Method::POST, &sim.backend("/health"), &[]).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.json()["detail"], "Method Not Allowed");
}

#[tokio::test]
async fn timestamp_formats_follow_each_field() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let live = sim.get(&sim.backend("/health/live")).await.json();
    assert!(live["timestamp"].as_str().unwrap().ends_with('Z'));
    let ready = sim.get(&sim.backend("/health/ready")).await.json();
    assert!(ready["timestamp"].is_f64());
    let infra = sim.get(&sim.backend("/health/infrastructure")).await.json();
    assert!(infra["timestamp"].as_str().unwrap().ends_with("+00:00"));
    let ws = sim.get(&sim.backend("/health/database")).await.json();
    assert_eq!(ws["status"], "healthy");
    assert!(
        ws["pool_status"]["async_pool"]["overflow"]
            .as_i64()
            .unwrap()
            < 0
    );
    let ws = sim.get(&sim.backend("/ws/health")).await.json();
    let last_check = ws["service_availability"]["last_check"].as_str().unwrap();
    assert!(!last_check.ends_with('Z') && !last_check.contains('+'));
}

#[tokio::test]
async fn api_version_header_adds_version_info() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let got = sim
        .send(
            Method::GET,
            &sim.backend("/health"),
            &[("Accept-Version", "1.0")],
        )
        .await;
    assert_eq!(got.header("api-version"), Some("1.0"));
    assert_eq!(got.json()["version_info"]["api_version"], "1.0");
}
