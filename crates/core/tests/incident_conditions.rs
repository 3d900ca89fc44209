//! Criteria over a component's status and compositions of conditions (`all_of`, `any_of`),
//! and the rule every criterion naming a component obeys: never met while that component is
//! in an outage, even where its conditions alone would be met.

mod incident_support;

use incident_support::*;
use lookout_core::config::Config;
use lookout_core::incident::criteria::{CriteriaTracker, CriterionKind, CriterionState};
use lookout_core::monitor::Monitor;
use lookout_core::probe::ProbeFailure;
use lookout_core::status::Status;
use serde_json::json;

/// v1 `/health/infrastructure` in staging's degraded branch (200) with the given VPC
/// indicators (redis, database, websocket connectivity), and "error -3" in Redis' error only
/// when `error_3`: the shape of the issue's misleading "Met".
fn v1_vpc(indicators: [bool; 3], error_3: bool) -> String {
    let [redis, database, websocket] = indicators;
    let failing = indicators.iter().filter(|up| !**up).count();
    let redis_error = if error_3 {
        "Error -3 connecting to 10.166.204.83:6379. Temporary failure in name resolution."
    } else {
        "connection timed out"
    };
    json!({
        "service": "infrastructure-monitoring", "environment": "staging", "status": "degraded",
        "infrastructure_components": {
            "database": {"status": "degraded", "component": "PostgreSQL", "critical": true, "issue_type": "connectivity"},
            "redis": {"status": "degraded", "component": "Redis", "critical": false, "issue_type": "vpc_connectivity", "error": redis_error}
        },
        "degraded_components": ["database", "redis"], "infrastructure_ready": false,
        "vpc_connectivity": {"overall": redis && database && websocket,
            "indicators": {"redis_connectivity": redis, "database_connectivity": database, "websocket_readiness": websocket},
            "degraded_count": failing}
    })
    .to_string()
}

// --- component_status --------------------------------------------------------------------------

const VPC_OPERATIONAL: &str = r#"[{"id": "vpc", "title": "VPC connector operational", "kind": "component_status",
    "component": "vpc_connector", "window": {"probes": 3}}]"#;

#[test]
fn component_status_needs_the_accepted_level_on_each_probe_of_the_window() {
    let mut tracker = CriteriaTracker::new(&mini(VPC_OPERATIONAL));
    let view = one(&mut tracker, sec(0));
    assert_eq!(view.kind, CriterionKind::ComponentStatus);
    assert_eq!(view.state, CriterionState::Unknown);
    assert_eq!(view.summary, "VPC connector not checked yet.");

    feed(&mut tracker, http("infra", 503, V1_INFRA_OUTAGE, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.summary
            .starts_with("VPC connector major outage at 12:00 UTC (VPC connectivity down"),
        "{}",
        view.summary
    );
    assert!(
        view.summary.ends_with("needs operational."),
        "{}",
        view.summary
    );
    assert_eq!(view.evidence[0].field, "/vpc_connectivity/indicators");
    assert_eq!(view.evidence[0].endpoint, "infra");

    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 33);
    assert!(
        view.summary
            .contains("operational on 1 probe in a row since 12:00 UTC; needs the last 3 probes"),
        "{}",
        view.summary
    );
    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(60)),
    );
    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(90)),
    );
    let view = one(&mut tracker, sec(91));
    assert!(view.met, "{}", view.summary);
    assert_eq!(view.met_since, Some(sec(90)));

    feed(
        &mut tracker,
        http("infra", 200, &v1_vpc([false, true, true], false), sec(120)),
    );
    let view = one(&mut tracker, sec(121));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 0);
    assert!(view.summary.contains("partial outage"), "{}", view.summary);
}

#[test]
fn component_status_is_unknown_when_the_component_cannot_be_checked_or_is_stale() {
    let once = r#"[{"id": "vpc", "title": "t", "kind": "component_status",
        "component": "vpc_connector", "window": {"probes": 1}}]"#;
    let mut tracker = CriteriaTracker::new(&mini(once));
    feed(
        &mut tracker,
        failed("infra", ProbeFailure::Timeout { after_ms: 10_000 }, sec(0)),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(
        view.summary.contains("cannot be checked"),
        "{}",
        view.summary
    );

    // An answer that does not report on the part leaves the row, and so the criterion, unknown.
    feed(
        &mut tracker,
        http("infra", 200, r#"{"status": "ok"}"#, sec(30)),
    );
    assert_eq!(one(&mut tracker, sec(31)).state, CriterionState::Unknown);

    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(60)),
    );
    assert!(one(&mut tracker, sec(61)).met);
    let view = one(&mut tracker, at(10));
    assert_eq!(
        view.state,
        CriterionState::Unknown,
        "ten minutes without a probe"
    );
    assert!(view.summary.contains("No fresh data"), "{}", view.summary);
}

#[test]
fn component_status_accepts_the_listed_levels_over_minutes() {
    let degraded_ok = r#"[{"id": "redis", "title": "t", "kind": "component_status",
        "component": "redis", "levels": ["operational", "degraded"], "window": {"minutes": 1}}]"#;
    let mut tracker = CriteriaTracker::new(&mini(degraded_ok));
    let ready =
        r#"{"status": "ready", "core_db": "connected", "redis_db": "vpc_connectivity_degraded"}"#;
    feed(&mut tracker, http("ready", 200, ready, sec(0)));
    let view = one(&mut tracker, sec(30));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 50, "half of the minute: {}", view.summary);
    assert!(
        view.summary.contains("Redis degraded on 1 probe"),
        "{}",
        view.summary
    );
    feed(&mut tracker, http("ready", 200, ready, sec(30)));
    feed(&mut tracker, http("ready", 200, ready, sec(60)));
    assert!(one(&mut tracker, sec(61)).met);
}

// --- all_of / any_of ---------------------------------------------------------------------------

/// The shipped criterion's shape: no "error -3" and the VPC connector operational.
const NO_ERROR_3_AND_VPC: &str = r#"[{"id": "vpc", "title": "VPC restored", "kind": "all_of",
    "conditions": [
      {"title": "No error -3", "kind": "absent_pattern", "patterns": ["error -3"],
       "watch": [{"endpoint": "infra"}], "window": {"probes": 1}},
      {"kind": "component_status", "component": "vpc_connector", "window": {"probes": 1}}
    ]}]"#;

#[test]
fn all_of_is_met_only_when_every_condition_is() {
    let mut tracker = CriteriaTracker::new(&mini(NO_ERROR_3_AND_VPC));
    // The issue's case: no "error -3" anywhere, but the VPC connector partly down.
    feed(
        &mut tracker,
        http("infra", 200, &v1_vpc([false, true, true], false), sec(0)),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.kind, CriterionKind::AllOf);
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 0, "the least advanced condition's");
    assert!(
        view.summary.starts_with(
            "1 of 2 conditions hold. Not met: vpc_connector operational: VPC connector partial outage"
        ),
        "{}",
        view.summary
    );
    let lines: Vec<(&str, CriterionState)> = view
        .evidence
        .iter()
        .map(|e| (e.subject.as_str(), e.state))
        .collect();
    assert_eq!(
        lines,
        [
            ("No error -3", CriterionState::Met),
            ("vpc_connector operational", CriterionState::NotMet),
        ],
        "one line per condition; a condition's single line of its own folds into it"
    );
    assert_eq!(view.evidence[1].field, "/vpc_connectivity/indicators");
    assert_eq!(view.evidence[1].raw, "redis_connectivity");

    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert!(view.met, "{}", view.summary);
    assert_eq!(
        view.summary,
        "Every condition holds: No error -3; vpc_connector operational."
    );

    // One unknown and the other met: unknown. One not met: not met, whatever the other.
    feed(
        &mut tracker,
        http("infra", 200, r#"{"status": "ok"}"#, sec(60)),
    );
    let view = one(&mut tracker, sec(61));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(
        view.summary.contains("Cannot tell: vpc_connector"),
        "{}",
        view.summary
    );
    feed(
        &mut tracker,
        http(
            "infra",
            200,
            r#"{"status": "ok", "note": "error -3 again"}"#,
            sec(90),
        ),
    );
    assert_eq!(one(&mut tracker, sec(91)).state, CriterionState::NotMet);
}

#[test]
fn any_of_is_met_by_one_condition_and_not_met_only_when_none_is() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "any", "title": "t", "kind": "any_of", "conditions": [
            {"kind": "http_ok", "endpoints": ["health"], "window": {"probes": 1}},
            {"kind": "http_ok", "endpoints": ["ready"], "window": {"probes": 1}}]}]"#,
    ));
    assert_eq!(one(&mut tracker, sec(0)).state, CriterionState::Unknown);
    feed(&mut tracker, http("health", 503, ENVELOPE_503, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::Unknown, "ready may still hold");
    assert!(
        view.summary
            .starts_with("No condition holds yet. Cannot tell: HTTP 200 from ready"),
        "{}",
        view.summary
    );
    feed(&mut tracker, http("ready", 503, ENVELOPE_503, sec(1)));
    let view = one(&mut tracker, sec(2));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.summary.starts_with("None of 2 conditions holds"),
        "{}",
        view.summary
    );
    feed(
        &mut tracker,
        http("ready", 200, r#"{"status": "ready"}"#, sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert!(view.met, "{}", view.summary);
    assert!(
        view.summary.starts_with("Met by HTTP 200 from ready"),
        "{}",
        view.summary
    );
}

// --- never met while a named component is in an outage -----------------------------------------

#[test]
fn a_criterion_naming_a_component_is_never_met_while_it_is_in_an_outage() {
    // "Met" by its pattern condition alone, but it names the VPC connector.
    let either = r#"[{"id": "vpc", "title": "t", "kind": "any_of", "conditions": [
        {"kind": "absent_pattern", "patterns": ["error -3"], "watch": [{"endpoint": "infra"}], "window": {"probes": 1}},
        {"kind": "component_status", "component": "vpc_connector", "window": {"probes": 1}}]}]"#;
    let nested = r#"[{"id": "vpc", "title": "t", "kind": "all_of", "conditions": [
        {"kind": "http_ok", "endpoints": ["health"], "window": {"probes": 1}},
        {"kind": "any_of", "conditions": [
            {"kind": "absent_pattern", "patterns": ["error -3"], "watch": [{"endpoint": "infra"}], "window": {"probes": 1}},
            {"kind": "component_status", "component": "vpc_connector", "window": {"probes": 1}}]}]}]"#;
    for (criteria, label) in [(either, "partial outage"), (nested, "partial outage")] {
        let mut tracker = CriteriaTracker::new(&mini(criteria));
        feed(
            &mut tracker,
            http("health", 200, r#"{"status": "ok"}"#, sec(0)),
        );
        feed(
            &mut tracker,
            http("infra", 200, &v1_vpc([true, false, true], false), sec(0)),
        );
        let view = one(&mut tracker, sec(1));
        assert_eq!(view.state, CriterionState::NotMet, "{}", view.summary);
        assert!(view.progress < 100);
        assert!(
            view.summary
                .contains(&format!("VPC connector is in a {label}")),
            "{}",
            view.summary
        );
        assert!(
            view.evidence
                .iter()
                .any(|e| e.subject.ends_with("VPC connector")
                    && e.state == CriterionState::NotMet
                    && e.text.starts_with("VPC connector is in a")),
            "{:#?}",
            view.evidence
        );

        feed(
            &mut tracker,
            http("infra", 503, &v1_vpc([false, false, false], false), sec(30)),
        );
        let view = one(&mut tracker, sec(31));
        assert_eq!(view.state, CriterionState::NotMet);
        assert!(
            view.summary.contains("is in a major outage"),
            "{}",
            view.summary
        );

        feed(
            &mut tracker,
            http("infra", 200, V1_INFRA_RECOVERED, sec(60)),
        );
        assert!(one(&mut tracker, sec(61)).met);
    }
}

#[test]
fn the_shipped_vpc_criterion_is_not_met_next_to_a_vpc_connector_in_an_outage() {
    let config = Config::parse(DEFAULT_CONFIG).unwrap();
    for (indicators, row) in [
        ([false, true, true], Status::PartialOutage),
        ([false, false, false], Status::MajorOutage),
    ] {
        let mut monitor = Monitor::new(config.clone());
        let probes = (0..3)
            .flat_map(|round| {
                let t = sec(30 * round);
                [
                    http("backend_infrastructure", 200, &v1_vpc(indicators, false), t),
                    http(
                        "backend_ready",
                        200,
                        r#"{"status": "ready", "core_db": "connected"}"#,
                        t,
                    ),
                ]
            })
            .collect();
        monitor.resume(probes, &[]);
        let model = monitor.view(sec(61), 61_000.0);
        let vpc = model
            .rows
            .iter()
            .find(|r| r.component.id == "vpc_connector")
            .unwrap();
        assert_eq!(vpc.component.status, row);
        let criterion = model
            .criteria
            .iter()
            .find(|c| c.id == "vpc_no_error_3")
            .unwrap();
        assert_eq!(
            criterion.state,
            CriterionState::NotMet,
            "{}",
            criterion.summary
        );
        assert!(!criterion.met);
        assert!(
            criterion.summary.contains("VPC connector"),
            "{}",
            criterion.summary
        );
    }
}
