//! Validation of the incident sections of the configuration and of the updates file: every
//! problem at once, each with its JSON path; unknown fields as warnings.

mod incident_support;

use incident_support::*;
use lookout_core::config::sections::{ImpactClock, Op, Rule};
use lookout_core::config::{Config, ConfigProblem};
use lookout_core::incident::updates;
use serde_json::{json, Value};

fn shipped() -> Value {
    value(DEFAULT_CONFIG)
}

fn paths(problems: &[ConfigProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.path.as_str()).collect()
}

fn find<'a>(problems: &'a [ConfigProblem], path: &str) -> &'a ConfigProblem {
    problems
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no problem at {path}: {problems:#?}"))
}

#[test]
fn the_shipped_config_has_the_whole_incident_and_no_warnings() {
    let (config, warnings) = Config::parse_with_warnings(DEFAULT_CONFIG).expect("valid");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(
        config.incident.started_at.unwrap().to_rfc3339(),
        "2025-09-16T08:00:00+00:00"
    );
    assert_eq!(config.incident.owner_teams.len(), 2);
    assert_eq!(config.components.len(), 7);
    let report = config
        .endpoints
        .iter()
        .find(|e| e.id == "validation_report")
        .unwrap();
    assert_eq!(
        config.endpoint_url(report).as_deref(),
        Some("https://storage.googleapis.com/netra-status/issue-1278/validate_infrastructure_fix.json")
    );
    let kinds: Vec<&str> = config
        .criteria
        .iter()
        .map(|c| lookout_core::incident::criteria::CriterionKind::of(&c.rule).as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "http_ok",
            "all_of",
            "threshold",
            "websocket",
            "validation_report"
        ]
    );
    match &config.criteria[2].rule {
        Rule::Threshold {
            checks, fallback, ..
        } => {
            assert_eq!(checks[0].op, Op::Lt);
            assert_eq!(checks[0].value, 5.0);
            assert!(fallback.is_some());
        }
        other => panic!("{other:?}"),
    }
    let impact = config.impact.as_ref().unwrap();
    assert_eq!(impact.arr_at_risk.as_ref().unwrap().amount, 500_000.0);
    assert_eq!(impact.clock, ImpactClock::IncidentStart);
    assert_eq!(impact.areas.len(), 4);
    let timeline = config.timeline.as_ref().unwrap();
    let phases: Vec<(&str, f64, f64)> = timeline
        .phases
        .iter()
        .map(|p| (p.id.as_str(), p.min_hours, p.max_hours))
        .collect();
    assert_eq!(
        phases,
        [
            ("diagnosis", 2.0, 4.0),
            ("resolution", 4.0, 8.0),
            ("validation", 1.0, 2.0)
        ]
    );
    assert_eq!(
        config.communication.as_ref().unwrap().update_every_minutes,
        120
    );
    assert_eq!(config.action_items.len(), 4);

    let shipped_updates = updates::parse(DEFAULT_UPDATES).expect("updates.json is valid");
    assert_eq!(shipped_updates.len(), 3);
    assert!(updates::problems(&shipped_updates, &config).is_empty());
}

#[test]
fn a_config_without_incident_sections_is_still_valid() {
    let mut doc = shipped();
    let object = doc.as_object_mut().unwrap();
    for key in [
        "criteria",
        "impact",
        "timeline",
        "communication",
        "action_items",
    ] {
        object.remove(key);
    }
    object["incident"]
        .as_object_mut()
        .unwrap()
        .remove("started_at");
    let config = Config::parse(&doc.to_string()).expect("older configs keep working");
    assert!(config.criteria.is_empty() && config.impact.is_none() && config.timeline.is_none());
}

#[test]
fn unknown_fields_are_warnings_with_their_paths() {
    let mut doc = shipped();
    doc["colour"] = json!("red");
    doc["criteria"][0]["treshold"] = json!(3);
    doc["impact"]["areas"][1]["owner"] = json!("someone");
    doc["endpoints"][0]["headers"] = json!({});
    doc["timeline"]["phases"][0]["max-hours"] = json!(5);
    let (_, warnings) = Config::parse_with_warnings(&doc.to_string()).expect("warnings only");
    assert_eq!(
        paths(&warnings),
        [
            "$.endpoints[0].headers",
            "$.criteria[0].treshold",
            "$.impact.areas[1].owner",
            "$.timeline.phases[0][\"max-hours\"]",
            "$.colour",
        ]
    );
    let typo = find(&warnings, "$.criteria[0].treshold");
    assert!(
        typo.message.contains("unknown field `treshold` is ignored"),
        "{}",
        typo.message
    );
    assert!(
        typo.message.contains("endpoints, window"),
        "names the known fields: {}",
        typo.message
    );
}

#[test]
fn every_mistake_is_reported_at_once_with_its_path() {
    let mut doc = shipped();
    // Wrong types.
    doc["criteria"][0]["window"]["probes"] = json!("3");
    doc["impact"]["cost_of_delay"] = json!("yes");
    // Missing required fields.
    doc["communication"]
        .as_object_mut()
        .unwrap()
        .remove("update_every_minutes");
    doc["criteria"][3]
        .as_object_mut()
        .unwrap()
        .remove("endpoint");
    // Unknown kind and operator.
    doc["criteria"][1]["kind"] = json!("regex");
    doc["criteria"][2]["checks"][0]["op"] = json!("=<");
    // Bad timestamp.
    doc["incident"]["started_at"] = json!("16/09/2025 08:00");
    // Bad link scheme.
    doc["action_items"][0]["links"] = json!([{"label": "runbook", "url": "javascript:alert(1)"}]);
    // Thresholds out of range.
    doc["criteria"][4]["min_pass_rate"] = json!(120);
    doc["impact"]["pipeline_blocked_percent"] = json!(150);
    doc["timeline"]["phases"][1]["min_hours"] = json!(9);
    // Unknown references.
    doc["action_items"][1]["components"][0] = json!("cloud_sequel");

    let problems = Config::parse(&doc.to_string()).expect_err("invalid");
    let expected = [
        ("$.criteria[0].window.probes", "expected a whole number from 1 to 100, found the string \"3\""),
        ("$.impact.cost_of_delay", "expected true or false, found the string \"yes\""),
        ("$.communication.update_every_minutes", "missing field `update_every_minutes`: expected a whole number from 1 to 10080"),
        ("$.criteria[3].endpoint", "missing field `endpoint`: expected a string"),
        ("$.criteria[1].kind", "unknown kind \"regex\": expected one of \"http_ok\", \"absent_pattern\", \"threshold\", \"websocket\", \"validation_report\", \"component_status\", \"all_of\", \"any_of\""),
        ("$.criteria[2].checks[0].op", "\"=<\" is not one of \"<\", \"<=\", \">\", \">=\""),
        ("$.incident.started_at", "\"16/09/2025 08:00\" is not an RFC 3339 timestamp (expected e.g. \"2025-09-16T08:00:00Z\")"),
        ("$.action_items[0].links[0].url", "\"javascript:alert(1)\" is not an absolute URL starting with https://, http://"),
        ("$.criteria[4].min_pass_rate", "must be from 0 to 100, found 120"),
        ("$.impact.pipeline_blocked_percent", "must be from 0 to 100, found 150"),
        ("$.timeline.phases[1].min_hours", "the minimum (9 h) is above the maximum (8 h)"),
        ("$.action_items[1].components[0]", "no component \"cloud_sequel\" (known: auth_service, backend_service, cloud_sql, load_balancer, redis, vpc_connector, websocket)"),
    ];
    for (path, message) in expected {
        assert_eq!(find(&problems, path).message, message, "at {path}");
    }
    // The impact section refers into the unreadable criteria section: its references are not
    // checked (they would all look unknown), but nothing else about it is hidden.
    assert!(
        !paths(&problems)
            .iter()
            .any(|p| p.starts_with("$.impact.areas")),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn references_and_semantic_rules_of_readable_sections() {
    let mut doc = shipped();
    doc["impact"]["areas"][0]["components"][1] = json!("nope");
    doc["impact"]["areas"][2]["criteria"][0] = json!("health_201");
    doc["impact"]["subject_area"] = json!("staging");
    doc["criteria"][3]["endpoint"] = json!("backend_health");
    doc["criteria"][0]["endpoints"][1] = json!("ws_handshake");
    doc["criteria"][1]["conditions"][0]["watch"][0]["fields"] =
        json!(["infrastructure_components"]);
    doc["criteria"][2]["id"] = json!("health_200");
    doc["timeline"]["current_phase"] = json!("triage");
    doc["timeline"]["phases"][2]["id"] = json!("resolved");
    doc["communication"]["updates_file"] = json!("javascript:alert(1)");
    doc["action_items"][3]["components"] = json!([]);
    let problems = Config::parse(&doc.to_string()).expect_err("invalid");
    let expected = [
        ("$.impact.areas[0].components[1]", "no component \"nope\""),
        (
            "$.impact.areas[2].criteria[0]",
            "no criterion \"health_201\"",
        ),
        ("$.impact.subject_area", "no area \"staging\""),
        (
            "$.criteria[3].endpoint",
            "endpoint \"backend_health\" is a http endpoint; this criterion needs a websocket one",
        ),
        (
            "$.criteria[0].endpoints[1]",
            "endpoint \"ws_handshake\" is a websocket endpoint; this criterion needs a http one",
        ),
        (
            "$.criteria[1].conditions[0].watch[0].fields[0]",
            "is not a JSON pointer",
        ),
        (
            "$.criteria[2].id",
            "\"health_200\" is used by another criterion",
        ),
        ("$.timeline.current_phase", "no phase \"triage\""),
        ("$.timeline.phases[2].id", "\"resolved\" is reserved"),
        (
            "$.communication.updates_file",
            "must be a path relative to the page",
        ),
        (
            "$.action_items[3].components",
            "needs at least one component",
        ),
    ];
    for (path, message) in expected {
        let problem = find(&problems, path);
        assert!(
            problem.message.contains(message),
            "at {path}: {}",
            problem.message
        );
    }
}

/// The shipped config with its VPC criterion replaced by `criterion`.
fn with_vpc_criterion(criterion: Value) -> Result<Config, Vec<ConfigProblem>> {
    let mut doc = shipped();
    doc["criteria"][1] = criterion;
    Config::parse(&doc.to_string())
}

fn vpc_status(component: &str, levels: Value) -> Value {
    json!({"kind": "component_status", "component": component, "levels": levels, "window": {"probes": 3}})
}

#[test]
fn component_and_composition_criteria_are_checked_with_their_paths() {
    let problems = with_vpc_criterion(json!({
        "id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": [
            vpc_status("vpc_conector", json!(["operational"])),
            vpc_status("vpc_connector", json!(["operational", "major_outage", "unknown", "broken"])),
            {"kind": "component_status", "component": "redis", "levels": [], "window": {}},
            {"kind": "any_of", "conditions": []},
            {"kind": "all_of", "conditions": {"kind": "http_ok"}}
        ]
    }))
    .expect_err("invalid");
    let at = |i: usize, field: &str| format!("$.criteria[1].conditions[{i}].{field}");
    let expected = [
        (at(1, "levels[3]"), "\"broken\" is not one of \"operational\", \"degraded\", \"partial_outage\", \"major_outage\", \"maintenance\", \"unknown\"".to_string()),
        (at(4, "conditions"), "expected an array of conditions (objects with a \"kind\"), found an object".to_string()),
    ];
    for (path, message) in &expected {
        assert_eq!(&find(&problems, path).message, message, "at {path}");
    }
    // Readable values that are not allowed are reported once the section reads: here the
    // unreadable level stops the criteria section, so fix it and look again.
    let problems = with_vpc_criterion(json!({
        "id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": [
            vpc_status("vpc_conector", json!(["operational"])),
            vpc_status("vpc_connector", json!(["operational", "major_outage", "unknown"])),
            {"kind": "component_status", "component": "redis", "levels": [], "window": {}},
            {"kind": "any_of", "conditions": []}
        ]
    }))
    .expect_err("invalid");
    let expected = [
        (at(0, "component"), "no component \"vpc_conector\" (known: auth_service, backend_service, cloud_sql, load_balancer, redis, vpc_connector, websocket)"),
        (at(1, "levels[1]"), "\"major_outage\" cannot be accepted: a criterion is never met while its component is in an outage (accept operational, degraded or maintenance)"),
        (at(1, "levels[2]"), "\"unknown\" cannot be accepted: a criterion is never met on what Lookout cannot tell"),
        (at(2, "levels"), "needs at least one level, e.g. [\"operational\"]"),
        (at(2, "window"), "needs \"probes\", \"minutes\" or both"),
        (at(3, "conditions"), "needs at least one condition"),
    ];
    for (path, message) in &expected {
        assert_eq!(find(&problems, path).message, *message, "at {path}");
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn an_empty_composition_is_an_error_and_conditions_nest_at_most_three_deep() {
    let problems = with_vpc_criterion(
        json!({"id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": []}),
    )
    .expect_err("invalid");
    assert_eq!(
        find(&problems, "$.criteria[1].conditions").message,
        "needs at least one condition"
    );

    let leaf = vpc_status("vpc_connector", json!(["operational"]));
    let nest = |inner: Value| json!({"kind": "any_of", "conditions": [inner]});
    let three = nest(nest(leaf.clone()));
    let ok = json!({"id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": [three]});
    let config = with_vpc_criterion(ok).expect("three levels of conditions are fine");
    assert_eq!(config.criteria[1].rule.components(), ["vpc_connector"]);

    let four = nest(nest(nest(leaf)));
    let deep =
        json!({"id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": [four]});
    let problems = with_vpc_criterion(deep).expect_err("too deep");
    assert_eq!(
        paths(&problems),
        ["$.criteria[1].conditions[0].conditions[0].conditions[0].conditions"]
    );
    assert!(
        problems[0].message.contains("nest at most 3 levels deep"),
        "{}",
        problems[0]
    );

    // A hostile depth is refused with a message, never a stack overflow.
    let mut hostile =
        json!({"kind": "http_ok", "endpoints": ["backend_health"], "window": {"probes": 1}});
    for _ in 0..40 {
        hostile = nest(hostile);
    }
    let hostile =
        json!({"id": "vpc_no_error_3", "title": "t", "kind": "all_of", "conditions": [hostile]});
    let problems = with_vpc_criterion(hostile).expect_err("too deep");
    assert_eq!(problems.len(), 1, "{problems:#?}");
}

#[test]
fn conditions_warn_about_unknown_fields_and_fallbacks_accept_scalars_only() {
    let mut doc = shipped();
    doc["criteria"][1]["conditions"][1]["colour"] = json!("red");
    let (_, warnings) = Config::parse_with_warnings(&doc.to_string()).expect("warnings only");
    assert_eq!(paths(&warnings), ["$.criteria[1].conditions[1].colour"]);
    assert!(
        warnings[0]
            .message
            .contains("known here: kind, title, component, levels, window"),
        "{}",
        warnings[0].message
    );

    let mut doc = shipped();
    doc["criteria"][2]["fallback"]["equals"] = json!(["healthy", true, 200, {"word": "ok"}]);
    let problems = Config::parse(&doc.to_string()).expect_err("invalid");
    assert_eq!(
        find(&problems, "$.criteria[2].fallback.equals[3]").message,
        "expected a string, a boolean or a number, found an object"
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
}

#[test]
fn a_broken_endpoint_section_does_not_flood_the_references_into_it() {
    let mut doc = shipped();
    doc["endpoints"][0]["path"] = json!(7);
    doc["endpoints"][1]["format"] = json!("xml");
    doc["action_items"][0]["components"][0] = json!("nowhere");
    let problems = Config::parse(&doc.to_string()).expect_err("invalid");
    assert!(
        find(&problems, "$.endpoints[1].format")
            .message
            .contains("unknown format \"xml\""),
        "{problems:#?}"
    );
    assert_eq!(
        paths(&problems),
        [
            "$.endpoints[0].path",
            "$.endpoints[1].format",
            "$.action_items[0].components[0]"
        ],
        "components and criteria refer to endpoints and are not checked; action items are"
    );
}

// --- updates.json --------------------------------------------------------------------------

#[test]
fn every_bad_update_is_named_by_its_path_and_value() {
    let text = r#"{"updates": [
        {"at": "2025-09-16T10:00:00Z", "author": "Infra", "text": "Diagnosis started", "phase": "diagnosis"},
        {"at": "2025-09-16T11:00:00Z", "author": "Infra"},
        {"at": "2025-09-16T12:00:00Z", "author": 7, "text": "x", "mood": "tired"},
        {"at": "yesterday 14:00", "author": "Dev", "text": "Report published"},
        {"at": "2025-09-16T13:00:00Z", "author": "Dev", "text": "see", "links": [{"label": "x", "url": "javascript:alert(1)"}]},
        {"at": "2025-09-16T14:00:00Z", "author": "Dev", "text": "   "}
    ]}"#;
    let problems = updates::parse(text).expect_err("invalid");
    let expected = [
        ("$.updates[1].text", "missing field `text`: expected a string"),
        ("$.updates[2].author", "expected a string, found the number 7"),
        ("$.updates[3].at", "\"yesterday 14:00\" is not an RFC 3339 timestamp (expected e.g. \"2025-09-16T08:00:00Z\")"),
        ("$.updates[4].links[0].url", "\"javascript:alert(1)\" is not an absolute URL starting with https://, http://"),
        ("$.updates[5].text", "must not be empty"),
    ];
    for (path, message) in expected {
        assert_eq!(find(&problems, path).message, message);
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");

    let lenient = updates::parse_lenient(text);
    assert_eq!(lenient.updates.len(), 1, "only the good entry is kept");
    assert_eq!(lenient.updates[0].text, "Diagnosis started");
    assert_eq!(paths(&lenient.warnings), ["$.updates[2].mood"]);
}

#[test]
fn updates_file_shapes_and_phase_references() {
    assert!(updates::parse("[]").unwrap_err()[0]
        .message
        .contains("expected an object {\"updates\": [...]}"));
    assert!(updates::parse("{").unwrap_err()[0]
        .message
        .starts_with("not valid JSON"));
    assert_eq!(
        updates::parse(r#"{"updates": {}}"#).unwrap_err()[0].to_string(),
        "$.updates: expected an array of objects, found an object"
    );
    let config = Config::parse(DEFAULT_CONFIG).unwrap();
    let list = updates::parse(
        r#"{"updates": [
            {"at": "2025-09-16T10:00:00Z", "author": "a", "text": "t", "phase": "diagnosis"},
            {"at": "2025-09-16T11:00:00Z", "author": "a", "text": "t", "phase": "fixing"},
            {"at": "2025-09-16T12:00:00Z", "author": "a", "text": "t", "phase": "resolved"}
        ]}"#,
    )
    .unwrap();
    let problems = updates::problems(&list, &config);
    assert_eq!(paths(&problems), ["$.updates[1].phase"]);
    assert_eq!(
        problems[0].message,
        "no phase \"fixing\" in the timeline (known: diagnosis, resolution, validation, resolved)"
    );
}

#[test]
fn only_http_and_relative_urls_become_hrefs() {
    use lookout_core::config::sections::safe_href;
    for good in [
        "https://github.com/x/y/issues/1278",
        "HTTP://example.com/a",
        "runbook.html#vpc",
        "/status/",
        "?config=other.json",
    ] {
        assert_eq!(safe_href(good), Some(good), "{good}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "https://",
    ] {
        assert_eq!(safe_href(bad), None, "{bad:?}");
    }
}
