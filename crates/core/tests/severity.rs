//! Banner severity from the evidence: the VPC connector's indicators decide how much of it is
//! down, the banner never claims worse than the evidence supports nor better, and an unknown
//! part never turns it green. Payloads follow the v1 `/health/infrastructure` and
//! `/health/ready` shapes of the Netra research notes (§2.2).

use chrono::{TimeZone, Utc};
use lookout_core::board::{overall, Board, ComponentView};
use lookout_core::config::{ComponentConfig, Source};
use lookout_core::probe::{HttpResponse, ProbeOutcome, ProbeResult};
use lookout_core::read::Format;
use lookout_core::status::Status;
use serde_json::{json, Value};

fn probe(endpoint: &str, status: u16, body: &Value) -> ProbeResult {
    ProbeResult {
        endpoint: endpoint.to_string(),
        at: Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, 0).unwrap(),
        latency_ms: 50,
        outcome: ProbeOutcome::Response(HttpResponse {
            status,
            content_type: Some("application/json".to_string()),
            body: body.to_string(),
        }),
    }
}

fn row(id: &str, endpoint: &str, part: Option<&str>) -> ComponentConfig {
    ComponentConfig {
        id: id.to_string(),
        name: id.to_string(),
        description: String::new(),
        critical: true,
        sources: vec![Source {
            endpoint: endpoint.to_string(),
            part: part.map(str::to_string),
        }],
    }
}

/// The rows the shipped config reads from v1 `/health/infrastructure`, all critical.
fn infra_rows() -> Vec<ComponentConfig> {
    vec![
        row("vpc_connector", "infra", Some("vpc_connector")),
        row("cloud_sql", "infra", Some("database")),
        row("redis", "infra", Some("redis")),
        row("websocket", "infra", Some("websocket")),
    ]
}

/// v1 `/health/infrastructure` in staging's degraded branch (200, `status: degraded`), with
/// the given VPC indicators (`redis`, `database`, `websocket`) and overall flag.
fn v1_degraded(indicators: [Value; 3], overall: Value) -> Value {
    let [redis, database, websocket] = indicators;
    let failing = [&redis, &database, &websocket]
        .iter()
        .filter(|v| ***v == Value::Bool(false))
        .count();
    json!({
        "service": "infrastructure-monitoring", "environment": "staging", "status": "degraded",
        "timestamp": "2025-09-16T12:00:00+00:00",
        "infrastructure_components": {
            "database": {"status": "degraded", "component": "PostgreSQL", "critical": true, "issue_type": "connectivity"},
            "redis": {"status": "degraded", "component": "Redis", "critical": false, "issue_type": "vpc_connectivity"},
            "websocket": {"status": "healthy", "component": "WebSocket Infrastructure", "critical": true, "issue_type": null}
        },
        "degraded_components": ["database", "redis"],
        "infrastructure_ready": false,
        "vpc_connectivity": {
            "overall": overall,
            "indicators": {"redis_connectivity": redis, "database_connectivity": database, "websocket_readiness": websocket},
            "degraded_count": failing
        }
    })
}

fn board_of(results: &[ProbeResult]) -> Board {
    let mut board = Board::default();
    for result in results {
        board.record(Format::Auto, result.clone());
    }
    board
}

fn views(board: &Board, rows: &[ComponentConfig]) -> Vec<ComponentView> {
    rows.iter().map(|row| board.component(row)).collect()
}

fn status_of(views: &[ComponentView], id: &str) -> Status {
    views.iter().find(|v| v.id == id).unwrap().status
}

#[test]
fn some_indicators_failing_while_the_payload_says_degraded_is_a_partial_outage_never_major() {
    let body = v1_degraded([json!(false), json!(true), json!(true)], json!(false));
    let board = board_of(&[probe("infra", 200, &body)]);
    let rows = views(&board, &infra_rows());
    let vpc = rows.iter().find(|v| v.id == "vpc_connector").unwrap();
    assert_eq!(vpc.status, Status::PartialOutage, "{}", vpc.reason);
    // Lookout's reading next to the backend's own words.
    assert!(
        vpc.reason.contains("1 of 3 indicators failing"),
        "{}",
        vpc.reason
    );
    assert!(
        vpc.reason.contains("redis_connectivity: false"),
        "{}",
        vpc.reason
    );
    assert!(vpc.reason.contains("overall: false"), "{}", vpc.reason);
    let banner = overall(&rows);
    assert_eq!(banner.status, Status::PartialOutage, "{banner:?}");
    assert_eq!(banner.headline, "Partial outage");
    assert_ne!(banner.status, Status::MajorOutage);

    // Two of three is still partly down.
    let body = v1_degraded([json!(false), json!(false), json!(true)], json!(false));
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(status_of(&rows, "vpc_connector"), Status::PartialOutage);
    assert_eq!(overall(&rows).status, Status::PartialOutage);
}

#[test]
fn all_indicators_failing_is_a_major_outage() {
    let body = v1_degraded([json!(false), json!(false), json!(false)], json!(false));
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    let vpc = rows.iter().find(|v| v.id == "vpc_connector").unwrap();
    assert_eq!(vpc.status, Status::MajorOutage, "{}", vpc.reason);
    assert!(
        vpc.reason.contains("all 3 indicators failing"),
        "{}",
        vpc.reason
    );
    let banner = overall(&rows);
    assert_eq!(banner.status, Status::MajorOutage);
    assert_eq!(banner.headline, "Major outage");
}

#[test]
fn overall_false_without_indicators_is_partial_and_indicators_outrank_a_true_overall() {
    let mut body = v1_degraded([json!(true), json!(true), json!(true)], json!(false));
    body["vpc_connectivity"]
        .as_object_mut()
        .unwrap()
        .remove("indicators");
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(
        status_of(&rows, "vpc_connector"),
        Status::PartialOutage,
        "down, but how much is not said: never claimed as all down"
    );

    // An indicator failing under `overall: true` is evidence of a problem all the same.
    let body = v1_degraded([json!(true), json!(false), json!(true)], json!(true));
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(status_of(&rows, "vpc_connector"), Status::PartialOutage);

    let body = v1_degraded([json!(true), json!(true), json!(true)], json!(true));
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(status_of(&rows, "vpc_connector"), Status::Operational);
}

#[test]
fn an_unknown_part_never_turns_the_banner_green() {
    // Every indicator unreadable and no overall flag: the VPC connector cannot be read.
    let mut body = v1_degraded([json!("up"), json!(null), json!(1)], json!(null));
    body["vpc_connectivity"]
        .as_object_mut()
        .unwrap()
        .remove("overall");
    for component in ["database", "redis"] {
        body["infrastructure_components"][component]["status"] = json!("healthy");
    }
    body["status"] = json!("healthy");
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(status_of(&rows, "vpc_connector"), Status::Unknown);
    for id in ["cloud_sql", "redis", "websocket"] {
        assert_eq!(status_of(&rows, id), Status::Operational, "{id}");
    }
    let banner = overall(&rows);
    assert_eq!(banner.status, Status::Unknown, "{banner:?}");
    assert_ne!(banner.headline, "All systems operational");

    // Some unreadable, the rest up, no overall flag: still not green.
    let mut body = v1_degraded([json!(true), json!("ok"), json!(true)], json!(null));
    body["vpc_connectivity"]
        .as_object_mut()
        .unwrap()
        .remove("overall");
    let rows = views(&board_of(&[probe("infra", 200, &body)]), &infra_rows());
    assert_eq!(status_of(&rows, "vpc_connector"), Status::Unknown);

    // A part whose word Lookout does not know keeps its row, and so the banner, unknown.
    let ready = json!({"status": "ready", "core_db": "connected", "redis_db": "purple"});
    let board = board_of(&[probe("ready", 200, &ready)]);
    let rows = views(
        &board,
        &[
            row("backend_service", "ready", None),
            row("cloud_sql", "ready", Some("database")),
            row("redis", "ready", Some("redis")),
        ],
    );
    assert_eq!(status_of(&rows, "redis"), Status::Unknown);
    assert_ne!(overall(&rows).status, Status::Operational);
}

#[test]
fn readiness_shows_the_backends_own_words_next_to_lookouts_reading() {
    let ready = json!({
        "status": "ready", "service": "netra-ai-platform", "timestamp": 1758117912.5,
        "core_db": "connected", "clickhouse_db": "skipped_optional", "redis_db": "vpc_connectivity_degraded",
        "websocket_readiness": {"status": "healthy", "websocket_ready": true,
            "details": {"websocket_ready": true, "state": "degraded_but_functional",
                "graceful_degradation": true, "original_ready": false, "degradation_reason": "redis"}}
    });
    let board = board_of(&[probe("ready", 200, &ready)]);
    let rows = views(
        &board,
        &[
            row("backend_service", "ready", None),
            row("websocket", "ready", Some("websocket")),
        ],
    );
    let backend = &rows[0];
    assert_eq!(backend.status, Status::Degraded);
    for words in [
        "redis degraded (redis_db: vpc_connectivity_degraded)",
        "details.state: \"degraded_but_functional\"",
        "graceful_degradation: true, original_ready: false, degradation_reason: \"redis\"",
    ] {
        assert!(
            backend.reason.contains(words),
            "{words} in {}",
            backend.reason
        );
    }
    // "healthy" only by the override is degraded at best.
    assert_eq!(rows[1].status, Status::Degraded, "{}", rows[1].reason);
    assert!(
        rows[1].reason.contains("graceful-degradation override"),
        "{}",
        rows[1].reason
    );
    // Degraded parts degrade a "ready" endpoint; they never take it down.
    assert_eq!(overall(&rows).status, Status::Degraded);
}
