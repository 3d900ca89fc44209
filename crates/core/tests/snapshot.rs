//! The published snapshot and its Statuspage summary: round trips, freshness, the stale banner,
//! the config section, and `summary.json` checked against the documented fields and values.

mod incident_support;

use incident_support::*;
use lookout_core::board::Board;
use lookout_core::config::{Config, LiveMode};
use lookout_core::incident::updates::parse_lenient;
use lookout_core::monitor::engine::Monitor;
use lookout_core::monitor::snapshot::{self, Prober, Snapshot, SnapshotRejected, SnapshotState};
use lookout_core::probe::{ProbeFailure, ProbeOutcome, ProbeResult};
use lookout_core::publish::summary::{
    self as statuspage, Inputs, COMPONENT_STATUSES, INCIDENT_STATUSES, INDICATORS,
};
use lookout_core::read::{read, Format};
use lookout_core::status::Status;
use serde_json::Value;

fn config() -> Config {
    Config::parse(DEFAULT_CONFIG).expect("the shipped config is valid")
}

/// The probes of the shipped config in the outage phase, one of them failed.
fn outage_board(_config: &Config) -> Vec<ProbeResult> {
    vec![
        http("backend_health", 503, ENVELOPE_503, sec(0)),
        http("backend_ready", 503, ENVELOPE_503, sec(1)),
        http("backend_infrastructure", 503, V1_INFRA_OUTAGE, sec(2)),
        http("auth_health", 200, r#"{"status":"healthy"}"#, sec(3)),
        ws("ws_handshake", false, Some(1006), "", sec(4)),
        failed(
            "ws_health",
            ProbeFailure::Timeout { after_ms: 10_000 },
            sec(5),
        ),
    ]
}

/// What a prober's monitor publishes at 10 s after taking `probes`.
fn snapshot_of(config: &Config, probes: Vec<ProbeResult>) -> Snapshot {
    let mut monitor = Monitor::for_prober(config.clone());
    monitor.resume(probes, &[]);
    let prober = Prober {
        id: "lookout-probe@test".to_string(),
        version: "0.1.0".to_string(),
    };
    monitor.snapshot(sec(10), 10_000.0, prober, Some(30))
}

#[test]
fn a_snapshot_round_trips_and_its_board_gives_the_same_components() {
    let config = config();
    let original = snapshot_of(&config, outage_board(&config));
    let text = original.to_json();
    let back = Snapshot::from_json(&text, &config.incident.id).expect("reads back");
    assert_eq!(back, original);
    // The page re-evaluates the board with its own config: the same statuses.
    assert_eq!(back.board.components(&config), original.model.components());
    assert_eq!(original.model.banner.status, Status::MajorOutage);
    // A failed probe is recorded as failed, with its reason, never as a previous value.
    let ws_health = back.board.endpoint("ws_health").expect("recorded");
    assert!(matches!(
        ws_health.result.outcome,
        ProbeOutcome::Failed(ProbeFailure::Timeout { after_ms: 10_000 })
    ));
    assert_eq!(ws_health.reading.overall.status, Status::Unknown);
    assert!(
        ws_health.reading.overall.reason.contains("timeout"),
        "{}",
        ws_health.reading.overall.reason
    );
    assert_eq!(back.model.criteria.len(), config.criteria.len());
}

#[test]
fn a_snapshot_of_another_schema_or_incident_or_shape_is_refused() {
    let config = config();
    let original = snapshot_of(&config, outage_board(&config));
    let mut value: Value = serde_json::from_str(&original.to_json()).unwrap();
    assert_eq!(
        Snapshot::from_json(&value.to_string(), "9999"),
        Err(SnapshotRejected::OtherIncident("1278".to_string()))
    );
    value["schema"] = Value::from(1);
    assert_eq!(
        Snapshot::from_json(&value.to_string(), "1278"),
        Err(SnapshotRejected::OtherSchema(1))
    );
    assert!(matches!(
        Snapshot::from_json("<html>Not Found</html>", "1278"),
        Err(SnapshotRejected::Corrupt(_))
    ));
    assert!(matches!(
        Snapshot::from_json(r#"{"schema":2,"incident":"1278"}"#, "1278"),
        Err(SnapshotRejected::Corrupt(_))
    ));
    let message = SnapshotRejected::OtherSchema(2).to_string();
    assert!(message.contains("schema 2"), "{message}");
}

#[test]
fn an_old_snapshot_is_stale_and_its_banner_is_never_current() {
    let config = config();
    let mut recovered = snapshot_of(&config, outage_board(&config));
    recovered.model.banner = lookout_core::board::OverallView {
        status: Status::Operational,
        headline: "All systems operational".to_string(),
        detail: "All 7 components are operational.".to_string(),
    };
    let generated = recovered.generated_at;
    let at = |s: i64| generated + chrono::Duration::seconds(s);
    assert_eq!(
        snapshot::state(Some(&recovered), false, at(120), 120),
        SnapshotState::Current
    );
    assert_eq!(
        snapshot::state(Some(&recovered), true, at(121), 120),
        SnapshotState::Stale
    );
    // Clock skew: a snapshot from the future is 0 s old, not negative.
    assert_eq!(recovered.age_seconds(at(-30)), 0);
    assert_eq!(
        snapshot::state(None, false, at(0), 120),
        SnapshotState::Loading
    );
    assert_eq!(
        snapshot::state(None, true, at(0), 120),
        SnapshotState::Unavailable
    );

    let current = snapshot::banner(&recovered, SnapshotState::Current);
    assert_eq!(current.status, Status::Operational);
    let stale = snapshot::banner(&recovered, SnapshotState::Stale);
    assert_eq!(stale.status, Status::Unknown, "stale data is never green");
    assert!(stale.detail.contains("12:00 UTC"), "{}", stale.detail);
    assert!(
        stale.detail.contains("All systems operational"),
        "{}",
        stale.detail
    );
    let described = snapshot::describe(recovered.generated_at, &recovered.prober, at(40));
    assert_eq!(
        described,
        "Snapshot from 12:00 UTC (40 s ago) by lookout-probe@test"
    );
    for state in [
        SnapshotState::Loading,
        SnapshotState::Current,
        SnapshotState::Stale,
        SnapshotState::Unavailable,
    ] {
        let id = serde_json::to_value(state).unwrap();
        assert_eq!(id, Value::from(state.as_str()));
    }
}

#[test]
fn the_page_rereads_at_the_probers_pace_within_bounds() {
    assert_eq!(snapshot::refresh_seconds(Some(30)), 30);
    assert_eq!(
        snapshot::refresh_seconds(Some(1)),
        snapshot::MIN_REFRESH_SECONDS
    );
    assert_eq!(
        snapshot::refresh_seconds(Some(86_400)),
        snapshot::MAX_REFRESH_SECONDS
    );
    assert_eq!(
        snapshot::refresh_seconds(None),
        snapshot::DEFAULT_REFRESH_SECONDS
    );
}

#[test]
fn live_probes_overlay_the_snapshot_where_they_are_newer() {
    let config = config();
    let published = snapshot_of(&config, outage_board(&config)).board;
    let mut live = Board::default();
    live.record(
        Format::Auto,
        http("auth_health", 503, ENVELOPE_503, sec(60)),
    );
    live.record(
        Format::Auto,
        http("backend_health", 200, r#"{"status":"healthy"}"#, sec(-60)),
    );
    let merged = published.overlaid(&live);
    assert_eq!(merged.endpoint("auth_health").unwrap().result.at, sec(60));
    assert_eq!(
        merged.endpoint("backend_health").unwrap().result.at,
        sec(0),
        "an older live probe does not replace a newer published one"
    );
    assert_eq!(
        merged.states().count(),
        published.states().count(),
        "every endpoint kept"
    );
    assert!(Board::default().is_empty());
}

fn with_snapshot(section: &str) -> Result<Config, Vec<lookout_core::config::ConfigProblem>> {
    let mut value: Value = serde_json::from_str(DEFAULT_CONFIG).unwrap();
    value["snapshot"] = serde_json::from_str(section).unwrap();
    Config::parse(&value.to_string())
}

#[test]
fn the_snapshot_section_is_validated_with_json_paths() {
    let config = with_snapshot(r#"{"url": "snapshot.json"}"#).expect("valid");
    let source = config.snapshot.expect("present");
    assert_eq!(source.max_age_seconds, 120);
    assert_eq!(source.live, LiveMode::OptIn);
    let config = with_snapshot(
        r#"{"url": "https://cdn.example/s.json", "max_age_seconds": 300, "live": "off"}"#,
    )
    .expect("valid");
    assert_eq!(config.snapshot.unwrap().live, LiveMode::Off);
    assert!(Config::parse(DEFAULT_CONFIG).unwrap().snapshot.is_none());

    let problems = with_snapshot(
        r#"{"url": "javascript:alert(1)", "max_age_seconds": 5, "live": "sometimes"}"#,
    )
    .expect_err("invalid");
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"$.snapshot.live"), "{problems:?}");
    let problems = with_snapshot(r#"{"url": "javascript:alert(1)", "max_age_seconds": 5}"#)
        .expect_err("invalid");
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"$.snapshot.url"), "{problems:?}");
    assert!(
        paths.contains(&"$.snapshot.max_age_seconds"),
        "{problems:?}"
    );
    let problems = with_snapshot(r#"{"max_age_seconds": 60}"#).expect_err("no url");
    assert!(
        problems.iter().any(|p| p.path == "$.snapshot.url"),
        "{problems:?}"
    );
    for mode in [LiveMode::Off, LiveMode::OptIn, LiveMode::On] {
        assert_eq!(
            serde_json::to_value(mode).unwrap(),
            Value::from(mode.as_str())
        );
    }
}

fn summary_of(config: &Config, snapshot: &Snapshot) -> Value {
    let updates = parse_lenient(DEFAULT_UPDATES).updates;
    let summary = statuspage::summary(
        config,
        &Inputs {
            components: &snapshot.model.components(),
            overall: &snapshot.model.banner,
            updates: &updates,
            generated_at: snapshot.generated_at,
            page_url: "https://storage.googleapis.com/bucket/status/",
        },
    );
    serde_json::to_value(&summary).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn is_iso(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
}

#[test]
fn summary_json_has_the_documented_fields_and_values() {
    let config = config();
    let snapshot = snapshot_of(&config, outage_board(&config));
    let summary = summary_of(&config, &snapshot);
    assert_eq!(
        keys(&summary),
        [
            "components",
            "incidents",
            "page",
            "scheduled_maintenances",
            "status"
        ]
    );
    assert_eq!(
        keys(&summary["page"]),
        ["id", "name", "time_zone", "updated_at", "url"]
    );
    assert!(is_iso(&summary["page"]["updated_at"]));
    assert_eq!(keys(&summary["status"]), ["description", "indicator"]);
    assert_eq!(summary["status"]["indicator"], "critical");
    assert!(INDICATORS.contains(&summary["status"]["indicator"].as_str().unwrap()));

    let components = summary["components"].as_array().unwrap();
    assert_eq!(components.len(), config.components.len());
    for (index, component) in components.iter().enumerate() {
        assert_eq!(
            keys(component),
            [
                "created_at",
                "description",
                "group",
                "group_id",
                "id",
                "name",
                "only_show_if_degraded",
                "page_id",
                "position",
                "showcase",
                "start_date",
                "status",
                "updated_at"
            ]
        );
        assert!(COMPONENT_STATUSES.contains(&component["status"].as_str().unwrap()));
        assert_eq!(component["position"], index + 1);
        assert_eq!(component["page_id"], summary["page"]["id"]);
        assert!(is_iso(&component["created_at"]) && is_iso(&component["updated_at"]));
        assert_eq!(component["group"], false);
        assert!(component["group_id"].is_null() && component["start_date"].is_null());
    }

    let incidents = summary["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "the incident is unresolved");
    let incident = &incidents[0];
    for key in [
        "id",
        "name",
        "status",
        "impact",
        "created_at",
        "updated_at",
        "started_at",
        "monitoring_at",
        "resolved_at",
        "shortlink",
        "page_id",
        "incident_updates",
        "components",
    ] {
        assert!(incident.get(key).is_some(), "incident lacks {key}");
    }
    assert!(INCIDENT_STATUSES.contains(&incident["status"].as_str().unwrap()));
    assert_eq!(incident["impact"], "critical");
    let updates = incident["incident_updates"].as_array().unwrap();
    assert_eq!(updates.len(), parse_lenient(DEFAULT_UPDATES).updates.len());
    let times: Vec<&str> = updates
        .iter()
        .map(|u| u["created_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    for update in updates {
        assert!(INCIDENT_STATUSES.contains(&update["status"].as_str().unwrap()));
        assert_eq!(update["incident_id"], incident["id"]);
        assert!(is_iso(&update["display_at"]));
    }
    assert_eq!(summary["scheduled_maintenances"], Value::Array(Vec::new()));
}

#[test]
fn summary_json_reads_back_as_the_same_statuses_and_unknown_is_never_green() {
    let config = config();
    let snapshot = snapshot_of(&config, outage_board(&config));
    let summary = summary_of(&config, &snapshot);
    // Lookout's own Statuspage reader (the one that reads other vendors' pages) agrees.
    let reading = read(
        "summary",
        Format::Statuspage,
        &ProbeOutcome::Response(lookout_core::probe::HttpResponse {
            status: 200,
            content_type: Some("application/json".to_string()),
            body: summary.to_string(),
        }),
    );
    assert_eq!(reading.overall.status, Status::MajorOutage);
    for view in &snapshot.model.components() {
        let published = reading
            .parts
            .get(&view.name)
            .or_else(|| reading.parts.get(&view.id))
            .unwrap_or_else(|| panic!("{} not read back: {:?}", view.id, reading.parts.keys()));
        let expected = match view.status {
            Status::Unknown => Status::Degraded,
            other => other,
        };
        assert_eq!(published.status, expected, "{}", view.id);
    }
    for status in Status::ALL {
        assert_ne!(
            statuspage::summary_component_status(status) == "operational",
            status != Status::Operational,
            "{status:?}"
        );
    }
    assert_eq!(statuspage::indicator(Status::Unknown), "minor");
    assert_eq!(statuspage::indicator(Status::PartialOutage), "major");
}

#[test]
fn the_incident_status_follows_the_updates_and_the_banner() {
    let updates = parse_lenient(DEFAULT_UPDATES).updates;
    assert_eq!(
        statuspage::incident_status(Status::MajorOutage, &[]),
        "investigating"
    );
    let moved = updates.iter().any(|u| u.phase.is_some());
    assert_eq!(
        statuspage::incident_status(Status::MajorOutage, &updates),
        if moved { "identified" } else { "investigating" }
    );
    assert_eq!(
        statuspage::incident_status(Status::Operational, &updates),
        "monitoring"
    );
    let mut closed = updates.clone();
    let mut last = updates
        .last()
        .cloned()
        .expect("the shipped file has updates");
    last.at += chrono::Duration::hours(1);
    last.phase = Some("resolved".to_string());
    closed.push(last);
    assert_eq!(
        statuspage::incident_status(Status::Operational, &closed),
        "resolved"
    );

    let config = config();
    let mut snapshot = snapshot_of(&config, outage_board(&config));
    snapshot.model.banner.status = Status::Operational;
    let summary = statuspage::summary(
        &config,
        &Inputs {
            components: &snapshot.model.components(),
            overall: &snapshot.model.banner,
            updates: &closed,
            generated_at: snapshot.generated_at,
            page_url: "",
        },
    );
    assert!(
        summary.incidents.is_empty(),
        "summary lists unresolved incidents only"
    );
    assert_eq!(summary.status.indicator, "none");
}

#[test]
fn a_read_of_a_probe_result_is_what_the_board_records() {
    // The snapshot's readings are recomputable: the page could re-read the raw probe.
    let config = config();
    let board = snapshot_of(&config, outage_board(&config)).board;
    let state = board.endpoint("backend_infrastructure").unwrap();
    assert_eq!(
        read(&state.result.endpoint, Format::Auto, &state.result.outcome),
        state.reading
    );
}
