//! Success criteria evaluated from canned probe results, with the time passed in.

mod incident_support;

use incident_support::*;
use lookout_core::config::sections::Op;
use lookout_core::incident::criteria::{
    closeness, read_number, summarize_report, tally, CriteriaTracker, CriterionKind, CriterionState,
};
use lookout_core::probe::ProbeFailure;

// --- 1. HTTP 200 consistently ----------------------------------------------------------------

const HTTP_OK: &str = r#"[{"id": "c1", "title": "Health 200", "kind": "http_ok",
    "endpoints": ["health", "ready"], "window": {"probes": 3}}]"#;

#[test]
fn http_ok_needs_every_endpoint_on_each_of_the_last_n_probes() {
    let mut tracker = CriteriaTracker::new(&mini(HTTP_OK));
    let view = one(&mut tracker, sec(0));
    assert_eq!(view.state, CriterionState::Unknown);
    assert_eq!(view.kind, CriterionKind::HttpOk);
    assert!(view.summary.contains("not probed yet"), "{}", view.summary);

    for i in 0..3 {
        feed(
            &mut tracker,
            http("health", 200, r#"{"status":"ok"}"#, sec(30 * i)),
        );
    }
    feed(
        &mut tracker,
        http("ready", 200, r#"{"status":"ready"}"#, sec(1)),
    );
    let view = one(&mut tracker, sec(61));
    assert_eq!(view.state, CriterionState::NotMet, "{}", view.summary);
    assert_eq!(view.progress, 50, "one of two endpoints meets it");
    assert!(
        view.evidence[1].text.contains("1 probe in a row"),
        "{:?}",
        view.evidence[1]
    );
    assert!(
        view.evidence[1].text.contains("needs the last 3 probes"),
        "{:?}",
        view.evidence[1]
    );

    feed(&mut tracker, http("ready", 200, "{}", sec(31)));
    feed(&mut tracker, http("ready", 200, "{}", sec(61)));
    let view = one(&mut tracker, sec(62));
    assert!(view.met, "{}", view.summary);
    assert_eq!(view.progress, 100);
    assert_eq!(
        view.met_since,
        Some(sec(61)),
        "met when the last needed probe came back"
    );
    assert_eq!(
        view.evidence[0].text,
        "HTTP 200 on 3 probes in a row since 12:00 UTC"
    );

    feed(&mut tracker, http("ready", 503, ENVELOPE_503, sec(91)));
    let view = one(&mut tracker, sec(92));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(view.summary.contains("ready (HTTP 503"), "{}", view.summary);
    assert_eq!(view.evidence[1].state, CriterionState::NotMet);
}

#[test]
fn http_ok_with_minutes_needs_the_run_to_reach_back_that_far() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c1", "title": "t", "kind": "http_ok", "endpoints": ["health"], "window": {"minutes": 2}}]"#,
    ));
    for i in 0..4 {
        feed(&mut tracker, http("health", 200, "{}", sec(30 * i)));
    }
    let view = one(&mut tracker, sec(95));
    assert_eq!(view.state, CriterionState::NotMet, "only 95 s of 200s");
    assert!(
        view.summary.contains("not yet for the last 2 min"),
        "{}",
        view.summary
    );
    feed(&mut tracker, http("health", 200, "{}", sec(120)));
    let view = one(&mut tracker, sec(121));
    assert!(view.met, "{}", view.summary);
}

#[test]
fn a_criterion_that_flaps_loses_met_since_and_says_since_when_it_is_not_met() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c1", "title": "t", "kind": "http_ok", "endpoints": ["health"], "window": {"probes": 2}}]"#,
    ));
    feed(&mut tracker, http("health", 200, "{}", at(0)));
    feed(&mut tracker, http("health", 200, "{}", at(1)));
    let view = one(&mut tracker, at(1));
    assert_eq!(view.met_since, Some(at(1)));

    feed(&mut tracker, http("health", 503, ENVELOPE_503, at(7)));
    let view = one(&mut tracker, at(8));
    assert!(!view.met);
    assert_eq!(view.met_since, None);
    assert_eq!(view.since, Some(at(7)));
    let span = view.last_met.expect("remembers the met period");
    assert_eq!((span.from, span.to), (at(1), at(7)));
    assert!(
        view.summary
            .ends_with("Not met since 12:07 UTC (was met from 12:01 UTC)."),
        "{}",
        view.summary
    );

    feed(&mut tracker, http("health", 200, "{}", at(9)));
    feed(&mut tracker, http("health", 200, "{}", at(10)));
    let view = one(&mut tracker, at(10));
    assert!(view.met);
    assert_eq!(view.met_since, Some(at(10)), "a new met period starts");
    assert_eq!(view.last_met, None);
}

#[test]
fn stale_data_and_offline_probes() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c1", "title": "t", "kind": "http_ok", "endpoints": ["health"], "window": {"probes": 1}}]"#,
    ));
    feed(&mut tracker, http("health", 200, "{}", at(0)));
    feed(&mut tracker, failed("health", ProbeFailure::Offline, at(1)));
    assert!(
        one(&mut tracker, at(2)).met,
        "an offline probe says nothing"
    );
    let view = one(&mut tracker, at(6));
    assert_eq!(view.state, CriterionState::Unknown, "no probe for 6 min");
    assert!(
        view.summary.contains("last probed 6 min ago"),
        "{}",
        view.summary
    );
}

// --- 2. No "error -3" ------------------------------------------------------------------------

const NO_ERROR_3: &str = r#"[{"id": "c2", "title": "No error -3", "kind": "absent_pattern",
    "patterns": ["error -3"], "window": {"probes": 3},
    "watch": [{"endpoint": "infra", "fields": [""]}, {"endpoint": "ready", "fields": ["/details", "/message"]}]}]"#;

#[test]
fn the_pattern_is_found_below_a_pointer_case_insensitively() {
    let mut tracker = CriteriaTracker::new(&mini(NO_ERROR_3));
    feed(&mut tracker, http("infra", 503, V1_INFRA_OUTAGE, sec(0)));
    feed(
        &mut tracker,
        http("ready", 200, r#"{"status":"ready"}"#, sec(1)),
    );
    let view = one(&mut tracker, sec(2));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.kind.as_str(), "absent_pattern");
    let found = &view.evidence[0];
    assert_eq!(found.field, "/infrastructure_components/redis/error");
    assert!(
        found
            .raw
            .starts_with("Error -3 connecting to 10.166.204.83"),
        "{}",
        found.raw
    );
    assert!(
        view.summary
            .contains("\"error -3\" still appears: infra at 12:00 UTC"),
        "{}",
        view.summary
    );
    assert_eq!(view.progress, 50);
}

#[test]
fn the_pattern_must_be_absent_from_every_read_of_the_window() {
    let mut tracker = CriteriaTracker::new(&mini(NO_ERROR_3));
    feed(
        &mut tracker,
        http(
            "infra",
            200,
            &v2_infra("critical", "8.731s", "58.8%", true),
            sec(0),
        ),
    );
    feed(
        &mut tracker,
        http("ready", 200, r#"{"status":"ready"}"#, sec(0)),
    );
    for i in 1..=2 {
        feed(
            &mut tracker,
            http("infra", 200, V1_INFRA_RECOVERED, sec(30 * i)),
        );
    }
    let view = one(&mut tracker, sec(61));
    assert_eq!(
        view.state,
        CriterionState::NotMet,
        "the sighting is still among the last 3 probes"
    );
    assert_eq!(view.evidence[0].field, "/authentication/issues/errors/0");
    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(90)),
    );
    let view = one(&mut tracker, sec(91));
    assert!(view.met, "{}", view.summary);
    assert_eq!(
        view.summary,
        "No \"error -3\" in 4 reads of 2 payloads over the last 3 probes."
    );
}

#[test]
fn a_pointer_that_does_not_cover_the_text_does_not_see_it() {
    let mut tracker = CriteriaTracker::new(&mini(NO_ERROR_3));
    feed(&mut tracker, http("infra", 200, V1_INFRA_RECOVERED, sec(0)));
    // "error -3" only under /infrastructure_components, which the ready watch does not cover.
    feed(&mut tracker, http("ready", 200, V1_INFRA_OUTAGE, sec(0)));
    assert!(one(&mut tracker, sec(1)).met);
}

#[test]
fn without_a_read_of_each_payload_the_criterion_is_unknown() {
    let mut tracker = CriteriaTracker::new(&mini(NO_ERROR_3));
    feed(&mut tracker, http("infra", 200, V1_INFRA_RECOVERED, sec(0)));
    feed(
        &mut tracker,
        failed(
            "ready",
            ProbeFailure::CorsBlocked {
                origin: "https://status.example".into(),
            },
            sec(0),
        ),
    );
    feed(
        &mut tracker,
        http("ready", 502, "<html>Bad Gateway</html>", sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(!view.met);
    assert!(
        view.summary.contains("no readable ready payload"),
        "{}",
        view.summary
    );
    assert!(
        view.summary.contains("HTTP 502, no JSON payload"),
        "{}",
        view.summary
    );
}

#[test]
fn a_minutes_window_forgets_old_sightings() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c2", "title": "t", "kind": "absent_pattern", "patterns": ["ERROR -3"],
            "watch": [{"endpoint": "infra"}], "window": {"minutes": 5}}]"#,
    ));
    feed(&mut tracker, http("infra", 503, V1_INFRA_OUTAGE, at(0)));
    feed(&mut tracker, http("infra", 200, V1_INFRA_RECOVERED, at(4)));
    assert_eq!(one(&mut tracker, at(4)).state, CriterionState::NotMet);
    feed(
        &mut tracker,
        http(
            "infra",
            200,
            V1_INFRA_RECOVERED,
            at(5) + chrono::Duration::seconds(30),
        ),
    );
    assert!(
        one(&mut tracker, at(6)).met,
        "the sighting at 12:00 left the 5-minute window"
    );
}

// --- 3. Database connections within the timeout (v1 and v2) ------------------------------------

const DB: &str = r#"[{"id": "c3", "title": "DB within timeout", "kind": "threshold", "endpoint": "infra",
    "checks": [
      {"fields": ["/diagnostics/database_connections/average_connection_time"], "op": "<", "value": 5, "unit": "s", "label": "average connection time"},
      {"fields": ["/diagnostics/database_connections/timeout_violation_rate"], "op": "<=", "value": 1, "unit": "%", "label": "timeout violation rate"}],
    "fallback": {"fields": ["/infrastructure_components/database/status"], "equals": ["healthy"]}}]"#;

#[test]
fn v2_numbers_are_read_from_strings_and_compared() {
    let mut tracker = CriteriaTracker::new(&mini(DB));
    feed(
        &mut tracker,
        http(
            "infra",
            200,
            &v2_infra("critical", "8.731s", "58.8%", true),
            sec(0),
        ),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(
        view.evidence[0].field,
        "/diagnostics/database_connections/average_connection_time"
    );
    assert_eq!(
        view.evidence[0].text,
        "average connection time 8.731 s at 12:00 UTC: needs < 5 s"
    );
    assert_eq!(
        view.evidence[1].text,
        "timeout violation rate 58.8% at 12:00 UTC: needs <= 1%"
    );
    assert_eq!(view.progress, 1, "the worst check: 1 / 58.8");

    feed(
        &mut tracker,
        http(
            "infra",
            200,
            &v2_infra("degraded", "4.812s", "6.0%", false),
            sec(30),
        ),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(view.evidence[0].state, CriterionState::Met);
    assert_eq!(view.evidence[1].state, CriterionState::NotMet);
    assert_eq!(view.progress, 16);
    assert!(
        view.summary
            .starts_with("Over threshold: timeout violation rate 6%"),
        "{}",
        view.summary
    );

    feed(
        &mut tracker,
        http(
            "infra",
            200,
            &v2_infra("ok", "0.284s", "0.0%", false),
            sec(60),
        ),
    );
    let view = one(&mut tracker, sec(61));
    assert!(view.met, "{}", view.summary);
    assert_eq!(view.progress, 100);
}

#[test]
fn v1_without_numbers_falls_back_to_the_database_status() {
    let mut tracker = CriteriaTracker::new(&mini(DB));
    feed(&mut tracker, http("infra", 503, V1_INFRA_OUTAGE, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 0);
    assert_eq!(
        view.evidence[0].field,
        "/infrastructure_components/database/status"
    );
    assert!(view.summary.contains("is \"error\""), "{}", view.summary);
    assert!(view.summary.contains("status fallback"), "{}", view.summary);

    feed(&mut tracker, http("infra", 200, V1_INFRA_PARTIAL, sec(30)));
    assert_eq!(one(&mut tracker, sec(31)).state, CriterionState::NotMet);
    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(60)),
    );
    let view = one(&mut tracker, sec(61));
    assert!(view.met, "{}", view.summary);
}

#[test]
fn a_payload_with_neither_numbers_nor_status_is_unknown() {
    let mut tracker = CriteriaTracker::new(&mini(DB));
    feed(&mut tracker, http("infra", 200, V2_INFRA_ERROR, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(
        view.summary.contains("reports none of /diagnostics"),
        "{}",
        view.summary
    );
    feed(
        &mut tracker,
        failed("infra", ProbeFailure::Timeout { after_ms: 10_000 }, sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(view.summary.contains("timeout"), "{}", view.summary);
}

#[test]
fn alternatives_and_units() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c3", "title": "t", "kind": "threshold", "endpoint": "infra",
            "checks": [{"fields": ["/missing", "/db/latency"], "op": "<", "value": 5, "unit": "s"}]}]"#,
    ));
    feed(
        &mut tracker,
        http("infra", 200, r#"{"db": {"latency": "4800 ms"}}"#, sec(0)),
    );
    let view = one(&mut tracker, sec(1));
    assert!(view.met, "4800 ms is 4.8 s: {}", view.summary);
    assert_eq!(view.evidence[0].field, "/db/latency");
    feed(
        &mut tracker,
        http("infra", 200, r#"{"db": {"latency": "12%"}}"#, sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(
        view.state,
        CriterionState::Unknown,
        "a percentage is not a time"
    );
    assert!(
        view.evidence[0].text.contains("cannot compare"),
        "{:?}",
        view.evidence
    );

    assert_eq!(
        read_number(&value(r#""1.284s""#)),
        Some((1.284, "s".into()))
    );
    assert_eq!(read_number(&value(r#""2.4%""#)), Some((2.4, "%".into())));
    assert_eq!(
        read_number(&value(r#""97.6""#)),
        Some((97.6, String::new()))
    );
    assert_eq!(read_number(&value("3")), Some((3.0, String::new())));
    assert_eq!(read_number(&value(r#""no_metrics_available""#)), None);
    assert_eq!(closeness(Op::Lt, 10.0, 5.0), 50);
    assert_eq!(closeness(Op::Ge, 40.0, 80.0), 50);
    assert_eq!(closeness(Op::Le, 1.0, 1.0), 100);
    assert_eq!(closeness(Op::Le, 2.4, 0.0), 0);
}

#[test]
fn the_fallback_reads_booleans_and_numbers_as_well_as_words() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "vpc", "title": "t", "kind": "threshold", "endpoint": "infra", "checks": [],
            "fallback": {"fields": ["/vpc_connectivity/overall"], "equals": [true]}}]"#,
    ));
    feed(&mut tracker, http("infra", 503, V1_INFRA_OUTAGE, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.summary
            .contains("/vpc_connectivity/overall is false at 12:00 UTC: needs true"),
        "{}",
        view.summary
    );
    assert_eq!(view.evidence[0].raw, "false");
    feed(
        &mut tracker,
        http("infra", 200, V1_INFRA_RECOVERED, sec(30)),
    );
    assert!(one(&mut tracker, sec(31)).met);

    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "code", "title": "t", "kind": "threshold", "endpoint": "infra", "checks": [],
            "fallback": {"fields": ["/code"], "equals": [200, "ok"]}}]"#,
    ));
    for (body, met) in [
        (r#"{"code": 200}"#, true),
        (r#"{"code": "200"}"#, true),
        (r#"{"code": " OK "}"#, true),
        (r#"{"code": 503}"#, false),
        (r#"{"code": true}"#, false),
    ] {
        feed(&mut tracker, http("infra", 200, body, sec(0)));
        assert_eq!(one(&mut tracker, sec(1)).met, met, "{body}");
    }
}

#[test]
fn a_number_check_reads_a_boolean_as_one_or_zero() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "ready", "title": "t", "kind": "threshold", "endpoint": "ready",
            "checks": [{"fields": ["/websocket_readiness/websocket_ready"], "op": ">=", "value": 1, "label": "websocket ready"}]}]"#,
    ));
    feed(
        &mut tracker,
        http(
            "ready",
            200,
            r#"{"websocket_readiness": {"websocket_ready": false}}"#,
            sec(0),
        ),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.evidence[0]
            .text
            .contains("websocket ready false (counts as 0)"),
        "{:?}",
        view.evidence
    );
    feed(
        &mut tracker,
        http(
            "ready",
            200,
            r#"{"websocket_readiness": {"websocket_ready": true}}"#,
            sec(30),
        ),
    );
    assert!(one(&mut tracker, sec(31)).met);
    assert_eq!(read_number(&value("true")), Some((1.0, String::new())));
}

// --- 4. WebSocket ------------------------------------------------------------------------------

const SOCKET: &str = r#"[{"id": "c4", "title": "WebSocket", "kind": "websocket", "endpoint": "socket", "consecutive": 3}]"#;

#[test]
fn a_1008_after_opening_proves_the_path_and_a_1006_does_not() {
    let mut tracker = CriteriaTracker::new(&mini(SOCKET));
    feed(&mut tracker, ws("socket", false, Some(1006), "", sec(0)));
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.summary
            .contains("closed before opening (1006 abnormal closure)"),
        "{}",
        view.summary
    );

    feed(
        &mut tracker,
        ws("socket", true, Some(1008), "Authentication failed", sec(30)),
    );
    let view = one(&mut tracker, sec(31));
    assert_eq!(view.progress, 33);
    assert!(view.summary.contains("1 of 3"), "{}", view.summary);
    assert!(
        view.evidence[0]
            .text
            .contains("1008 policy violation: Authentication failed"),
        "{:?}",
        view.evidence
    );
    assert!(
        view.evidence[1].text.contains("last failure at 12:00 UTC"),
        "{:?}",
        view.evidence
    );

    feed(&mut tracker, ws("socket", true, None, "", sec(60)));
    feed(
        &mut tracker,
        ws("socket", true, Some(1008), "Authentication failed", sec(90)),
    );
    let view = one(&mut tracker, sec(91));
    assert!(view.met, "{}", view.summary);

    feed(
        &mut tracker,
        ws(
            "socket",
            true,
            Some(1011),
            "Service not ready: database",
            sec(120),
        ),
    );
    let view = one(&mut tracker, sec(121));
    assert_eq!(view.state, CriterionState::NotMet);
    assert!(
        view.summary.contains("1011 server error"),
        "{}",
        view.summary
    );
    assert!(view.last_met.is_some());
}

// --- 5. Validation report ----------------------------------------------------------------------

const REPORT: &str = r#"[{"id": "c5", "title": "Validation 80%", "kind": "validation_report", "endpoint": "report", "min_pass_rate": 80}]"#;

#[test]
fn the_pass_rate_comes_from_the_entries_not_the_scripts_percentage() {
    // 26 of 27 requests: the script divides by 9 paths and says 288.9%.
    let text = report([12, 3, 6, 5]);
    let summary = summarize_report(&value(&text)).unwrap();
    assert_eq!((summary.passed, summary.entries), (26, 27));
    assert_eq!(summary.script_percentage, Some(288.9));

    let mut tracker = CriteriaTracker::new(&mini(REPORT));
    feed(&mut tracker, http("report", 200, &text, sec(0)));
    let view = one(&mut tracker, sec(1));
    assert!(view.met, "{}", view.summary);
    assert!(
        view.summary.starts_with("26 of 27 test requests passed (96.3%, needs 80%); the script's own summary says 288.9%"),
        "{}",
        view.summary
    );
    let disagreement = view
        .evidence
        .iter()
        .find(|e| e.field == "/summary/pass_percentage")
        .expect("the disagreement is shown");
    assert_eq!(disagreement.raw, "288.9");
}

#[test]
fn a_failing_critical_category_is_named_and_caps_progress() {
    // 22 of 27 (81.5%) but database_operations has 1 pass where it needs 2.
    let mut tracker = CriteriaTracker::new(&mini(REPORT));
    feed(
        &mut tracker,
        http("report", 200, &report([12, 3, 1, 6]), sec(0)),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::NotMet);
    assert_eq!(view.progress, 99);
    assert!(
        view.summary
            .contains("critical categories failing: database_operations"),
        "{}",
        view.summary
    );
    let db = view
        .evidence
        .iter()
        .find(|e| e.subject == "database_operations")
        .unwrap();
    assert_eq!(
        db.text,
        "database_operations (critical): 1 of 6 requests passed, needs 2: failing"
    );

    // The outage run: only /health passed, 3 of 27.
    feed(
        &mut tracker,
        http("report", 200, &report([3, 0, 0, 0]), sec(60)),
    );
    let view = one(&mut tracker, sec(61));
    assert_eq!(view.progress, 13, "11.1% of the 80% needed");
    assert!(
        view.summary
            .contains("connectivity, database_operations, startup_resilience"),
        "{}",
        view.summary
    );
}

#[test]
fn a_missing_or_unreachable_report_is_unknown_with_the_reason() {
    let mut tracker = CriteriaTracker::new(&mini(REPORT));
    assert!(one(&mut tracker, sec(0))
        .summary
        .contains("not fetched yet"));
    feed(
        &mut tracker,
        http(
            "report",
            404,
            "<Error><Code>NoSuchKey</Code></Error>",
            sec(0),
        ),
    );
    let view = one(&mut tracker, sec(1));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(!view.met);
    assert_eq!(view.summary, "Report not published (HTTP 404 Not Found).");
    feed(
        &mut tracker,
        failed(
            "report",
            ProbeFailure::Unreachable {
                detail: "connection refused".into(),
            },
            sec(30),
        ),
    );
    assert!(one(&mut tracker, sec(31))
        .summary
        .contains("Report not fetched: unreachable: connection refused"));
    feed(
        &mut tracker,
        http("report", 200, r#"{"status":"ok"}"#, sec(60)),
    );
    assert!(one(&mut tracker, sec(61))
        .summary
        .contains("Not a validation report"));
}

#[test]
fn an_old_report_does_not_count_when_a_maximum_age_is_set() {
    let mut tracker = CriteriaTracker::new(&mini(
        r#"[{"id": "c5", "title": "t", "kind": "validation_report", "endpoint": "report", "max_age_minutes": 30}]"#,
    ));
    // The canned report finished at 11:58.
    feed(
        &mut tracker,
        http("report", 200, &report([12, 3, 6, 6]), at(40)),
    );
    let view = one(&mut tracker, at(40));
    assert_eq!(view.state, CriterionState::Unknown);
    assert!(view.summary.contains("too old"), "{}", view.summary);
}

// --- all five, from the shipped configuration --------------------------------------------------

#[test]
fn the_shipped_criteria_evaluate_on_both_backend_generations() {
    let config = lookout_core::config::Config::parse(DEFAULT_CONFIG).unwrap();
    assert_eq!(config.criteria.len(), 5);

    // v2 outage: every criterion fails.
    let mut tracker = CriteriaTracker::new(&config);
    for round in 0..3 {
        let t = sec(30 * round);
        feed(&mut tracker, http("backend_health", 503, ENVELOPE_503, t));
        feed(&mut tracker, http("backend_ready", 503, ENVELOPE_503, t));
        feed(
            &mut tracker,
            http(
                "backend_infrastructure",
                200,
                &v2_infra("critical", "8.731s", "58.8%", true),
                t,
            ),
        );
        feed(
            &mut tracker,
            http(
                "auth_health",
                503,
                r#"{"status":"unhealthy","reason":"Database connectivity failed"}"#,
                t,
            ),
        );
        feed(&mut tracker, ws("ws_handshake", false, Some(1006), "", t));
        feed(
            &mut tracker,
            http("validation_report", 200, &report([3, 0, 0, 0]), t),
        );
    }
    let views = tracker.evaluate(sec(61));
    assert_eq!(tally(&views).to_string(), "0 of 5 success criteria met");
    assert!(
        views.iter().all(|v| v.state == CriterionState::NotMet),
        "{views:#?}"
    );

    // v1 partial recovery: VPC fixed, Cloud SQL slow, report at 20 of 27.
    let mut tracker = CriteriaTracker::new(&config);
    for round in 0..3 {
        let t = sec(30 * round);
        feed(
            &mut tracker,
            http("backend_health", 200, r#"{"status":"healthy"}"#, t),
        );
        feed(
            &mut tracker,
            http(
                "backend_ready",
                200,
                r#"{"status":"ready","core_db":"connected"}"#,
                t,
            ),
        );
        feed(
            &mut tracker,
            http("backend_infrastructure", 200, V1_INFRA_PARTIAL, t),
        );
        feed(
            &mut tracker,
            http("auth_health", 200, r#"{"status":"healthy"}"#, t),
        );
        feed(
            &mut tracker,
            ws("ws_handshake", true, Some(1008), "Authentication failed", t),
        );
        feed(
            &mut tracker,
            http("validation_report", 200, &report([12, 3, 1, 4]), t),
        );
    }
    let views = tracker.evaluate(sec(61));
    let states: Vec<(&str, &str)> = views
        .iter()
        .map(|v| (v.id.as_str(), v.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("health_200", "met"),
            ("vpc_no_error_3", "met"),
            ("db_within_timeout", "not_met"),
            ("websocket_connections", "met"),
            ("validation_report", "not_met"),
        ]
    );
    assert_eq!(tally(&views).to_string(), "3 of 5 success criteria met");

    // v2 recovered: all five.
    let mut tracker = CriteriaTracker::new(&config);
    for round in 0..3 {
        let t = sec(30 * round);
        feed(
            &mut tracker,
            http("backend_health", 200, r#"{"status":"ok"}"#, t),
        );
        feed(
            &mut tracker,
            http("backend_ready", 200, r#"{"status":"ready"}"#, t),
        );
        feed(
            &mut tracker,
            http(
                "backend_infrastructure",
                200,
                &v2_infra("ok", "0.284s", "0.0%", false),
                t,
            ),
        );
        feed(
            &mut tracker,
            http("auth_health", 200, r#"{"status":"healthy"}"#, t),
        );
        feed(&mut tracker, ws("ws_handshake", true, None, "", t));
        feed(
            &mut tracker,
            http("validation_report", 200, &report([12, 3, 6, 5]), t),
        );
    }
    let views = tracker.evaluate(sec(61));
    assert_eq!(
        tally(&views).to_string(),
        "5 of 5 success criteria met",
        "{views:#?}"
    );
}
