//! No reader panics or recurses without bound, whatever a server sends: arbitrary bytes,
//! arbitrary JSON (biased towards the keys and words the readers look for), a body over the
//! size limit, and JSON nested 10,000 deep all end as a clean reading.
#![cfg(not(target_arch = "wasm32"))]

use lookout_core::probe::{HttpResponse, ProbeOutcome, MAX_BODY_BYTES};
use lookout_core::read::timestamp;
use lookout_core::read::{parse_number_with_unit, read, Format, Problem, Reading, RuleBody};
use lookout_core::status::Status;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;

const RULE: &str = r#"{"rule": {"status": "/status", "components": "/components", "name": "name",
    "status_field": "health", "critical": "critical", "latency": "latency", "time": "/time",
    "words": {"green": "operational", "amber": "degraded"}}}"#;

/// A rule with every kind of selection: checks, levels, nesting, failures and a template name.
const RICH_RULE: &str = r#"{"rule": {"components": "/components", "name": "{name}/{id}",
    "checks": "checks", "check_name": "id", "nested": "*", "depth": 8, "failures": "/failures",
    "message": "message", "status_field": "/status", "rollup": "statuspage",
    "levels": [{"field": "id", "matches": "*main*", "level": "maintenance"}, {"equals": "ok", "level": "operational"}]}}"#;
/// A text rule with named lines.
const TEXT_RULE: &str = r#"{"rule": {"body": "text", "separator": ":", "rollup": "statuspage",
    "levels": [{"matches": "*fail*", "level": "major_outage"}]}}"#;

/// Every format, the rules included.
fn formats() -> Vec<Format> {
    let mut formats: Vec<Format> = Format::NAMES
        .iter()
        .map(|name| Format::from_name(name).unwrap())
        .collect();
    for rule in [RULE, RICH_RULE, TEXT_RULE] {
        formats.push(serde_json::from_str(rule).unwrap());
    }
    formats
}

/// Keys the readers look for, so generated objects reach deep into every reader.
const KEYS: &[&str] = &[
    "status",
    "checks",
    "components",
    "details",
    "infrastructure",
    "service_details",
    "circuit_breakers",
    "authentication",
    "golden_path_assessment",
    "golden_path_blocked",
    "diagnostics",
    "database_connections",
    "infrastructure_pressure_indicators",
    "infrastructure_components",
    "vpc_connectivity",
    "overall",
    "indicators",
    "service_availability",
    "critical_services",
    "optional_services",
    "capabilities",
    "degraded_services",
    "failed_services",
    "golden_path_ready",
    "readiness_score",
    "pool_status",
    "async_pool",
    "health",
    "connected",
    "core_db",
    "redis_db",
    "clickhouse_db",
    "database_status",
    "websocket_readiness",
    "error",
    "error_code",
    "message",
    "detail",
    "page",
    "indicator",
    "description",
    "group",
    "group_id",
    "id",
    "name",
    "incidents",
    "scheduled_maintenances",
    "observedValue",
    "observedUnit",
    "time",
    "timestamp",
    "output",
    "componentId",
    "state",
    "system",
    "memory",
    "disk",
    "percent",
    "note",
    "infrastructure_recommendations",
    "overall_status",
    "overall_health",
    "open_breaker_names",
    "metrics",
    "last_updated",
    "updated_at",
    "critical",
    "latency",
    "success_rate",
    "average_connection_time",
    "consecutive_failures",
    "response_time_ms",
    "phase",
];

/// Words the readers know, plus near misses.
const WORDS: &[&str] = &[
    "ok",
    "healthy",
    "ready",
    "UP",
    "DOWN",
    "OUT_OF_SERVICE",
    "UNKNOWN",
    "pass",
    "warn",
    "fail",
    "degraded",
    "critical",
    "error",
    "unknown",
    "none",
    "minor",
    "major",
    "maintenance",
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
    "vpc_connectivity_degraded",
    "not_ready",
    "green",
    "amber",
    "purple",
    "97.6%",
    "1.284s",
    "-3",
    "2025-09-17T14:05:12",
    "2025-09-17T14:05:12Z",
    "1758117912.5",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-z_:/~0-9]{0,12}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        proptest::sample::select(WORDS).prop_map(|w| Value::String(w.to_string())),
        ".{0,24}".prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON fixture, parsed: realistic shapes to break one field at a time.
fn fixture_values() -> &'static [Value] {
    static VALUES: OnceLock<Vec<Value>> = OnceLock::new();
    VALUES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut values = Vec::new();
        for dir in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
                let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
                if let Ok(value @ (Value::Object(_) | Value::Array(_))) =
                    serde_json::from_str::<Value>(&text)
                {
                    values.push(value);
                }
            }
        }
        values
    })
}

/// Every JSON pointer inside `value`, the root included.
fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(inner, format!("{at}/{escaped}"), into);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                pointers(inner, format!("{at}/{index}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

/// A fixture with up to three of its fields (at any depth) replaced by arbitrary JSON.
fn mutated_fixture() -> impl Strategy<Value = Value> {
    (
        any::<proptest::sample::Index>(),
        proptest::collection::vec((any::<proptest::sample::Index>(), json()), 1..4),
    )
        .prop_map(|(which, changes)| {
            let mut value = which.get(fixture_values()).clone();
            for (at, replacement) in changes {
                let mut all = Vec::new();
                pointers(&value, String::new(), &mut all);
                let pointer = at.get(&all).clone();
                if pointer.is_empty() {
                    continue;
                }
                if let Some(slot) = value.pointer_mut(&pointer) {
                    *slot = replacement;
                }
            }
            value
        })
}

/// Actuator-like component trees, deeper than [`json`] reaches by chance.
fn component_tree() -> impl Strategy<Value = Value> {
    leaf()
        .prop_map(|status| serde_json::json!({ "status": status }))
        .prop_recursive(10, 64, 4, |inner| {
            (
                leaf(),
                proptest::sample::select(vec!["components", "details"]),
                proptest::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4),
            )
                .prop_map(|(status, key, children)| {
                    let children: serde_json::Map<String, Value> = children.into_iter().collect();
                    serde_json::json!({ "status": status, key: children })
                })
        })
}

/// Kubernetes-like text: check lines, verdicts and noise.
fn health_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "\\[\\+\\][a-z/-]{0,12}( ok| excluded: ok)?",
        "\\[-\\][a-z/-]{0,12}( failed: [a-z ]{0,12})?",
        "(readyz|livez|healthz) check (passed|failed)",
        ".{0,20}",
    ];
    proptest::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n"))
}

fn response(http: u16, content_type: Option<&str>, body: String) -> ProbeOutcome {
    ProbeOutcome::Response(HttpResponse {
        status: http,
        content_type: content_type.map(str::to_string),
        body,
    })
}

/// What must hold of every reading, whatever the body.
fn invariants(format: &Format, http: u16, reading: &Reading) -> Result<(), TestCaseError> {
    prop_assert!(serde_json::to_string(reading).is_ok());
    prop_assert_eq!(&reading.overall.evidence.endpoint, "ep");
    prop_assert_eq!(reading.overall.evidence.http_status, Some(http));
    prop_assert!(!reading.overall.reason.is_empty());
    for (name, part) in &reading.parts {
        prop_assert_eq!(&part.evidence.endpoint, "ep", "part {}", name);
        prop_assert!(!part.reason.is_empty(), "part {}", name);
    }
    for metric in reading.metrics.values() {
        prop_assert!(metric.value.is_finite());
    }
    prop_assert!(reading.notes.len() <= 20);
    if *format != Format::PlainHttp && (200..300).contains(&http) {
        if let Some(problem) = reading.problem {
            prop_assert!(
                reading.overall.status != Status::Operational,
                "{:?} with problem {} read as operational: {}",
                format,
                problem.as_str(),
                reading.overall.reason
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn no_reader_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        http in proptest::sample::select(vec![200_u16, 204, 404, 429, 503]),
        html in any::<bool>(),
    ) {
        let body = String::from_utf8_lossy(&bytes).to_string();
        let content_type = html.then_some("text/html");
        for format in formats() {
            let reading = read("ep", format.clone(), &response(http, content_type, body.clone()));
            invariants(&format, http, &reading)?;
        }
    }

    #[test]
    fn no_reader_panics_on_arbitrary_json(
        value in json(),
        http in proptest::sample::select(vec![200_u16, 404, 503]),
    ) {
        let body = value.to_string();
        for format in formats() {
            let reading = read("ep", format.clone(), &response(http, None, body.clone()));
            invariants(&format, http, &reading)?;
            let json_format = !matches!(format, Format::PlainHttp | Format::Kubernetes | Format::Rule(_));
            if json_format && !value.is_object() && http == 200 {
                prop_assert_eq!(reading.overall.status, Status::Unknown, "{}", body);
            }
        }
    }

    #[test]
    fn no_reader_panics_on_fixtures_broken_anywhere(
        value in mutated_fixture(),
        http in proptest::sample::select(vec![200_u16, 503]),
    ) {
        let body = value.to_string();
        for format in formats() {
            let reading = read("ep", format.clone(), &response(http, None, body.clone()));
            invariants(&format, http, &reading)?;
        }
    }

    #[test]
    fn no_reader_panics_on_component_trees(tree in component_tree()) {
        let body = tree.to_string();
        for format in formats() {
            let reading = read("ep", format.clone(), &response(200, None, body.clone()));
            invariants(&format, 200, &reading)?;
        }
    }

    #[test]
    fn no_reader_panics_on_health_text(text in health_text(), http in proptest::sample::select(vec![200_u16, 500])) {
        for format in formats() {
            let reading = read("ep", format.clone(), &response(http, Some("text/plain"), text.clone()));
            invariants(&format, http, &reading)?;
        }
    }

    #[test]
    fn health_json_content_type_never_panics(value in json()) {
        let reading = read("ep", Format::Auto, &response(200, Some("application/health+json"), value.to_string()));
        invariants(&Format::Auto, 200, &reading)?;
    }

    #[test]
    fn rules_from_arbitrary_json_deserialize_or_refuse(value in json()) {
        let wrapped = serde_json::json!({"rule": value});
        if let Ok(format) = serde_json::from_value::<Format>(wrapped) {
            let reading = read("ep", format.clone(), &response(200, None, "{\"status\":\"ok\"}".into()));
            invariants(&format, 200, &reading)?;
        }
    }

    #[test]
    fn text_parsers_never_panic(text in ".{0,48}") {
        let _ = timestamp::parse_text(&text);
        let _ = parse_number_with_unit(&text);
    }
}

/// Actuator health with `depth` levels of components, each holding the next.
fn nested_components(depth: usize) -> String {
    let open = "{\"a\":{\"status\":\"UP\",\"components\":".repeat(depth);
    let close = "}}".repeat(depth);
    format!("{{\"status\":\"UP\",\"components\":{open}{{}}{close}}}")
}

/// Runs `body` on a thread with a small stack, so unbounded recursion would overflow it.
fn on_small_stack(body: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(body)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_ten_megabyte_body_is_too_large_for_every_format() {
    on_small_stack(|| {
        let body = format!("{{\"status\":\"ok\",\"pad\":\"{}\"}}", "x".repeat(10 << 20));
        assert!(body.len() > MAX_BODY_BYTES);
        for format in formats() {
            let reading = read("ep", format.clone(), &response(200, None, body.clone()));
            if format == Format::PlainHttp {
                // Plain HTTP never reads the body: 2xx is up whatever it holds.
                assert_eq!(reading.overall.status, Status::Operational);
                continue;
            }
            assert_eq!(reading.overall.status, Status::Unknown, "{format:?}");
            assert_eq!(reading.problem, Some(Problem::BodyTooLarge), "{format:?}");
            assert!(
                reading.overall.reason.contains("too large"),
                "{}",
                reading.overall.reason
            );
            assert!(reading.overall.evidence.raw.len() < 64);
        }
    });
}

#[test]
fn json_nested_ten_thousand_deep_is_an_unexpected_shape() {
    on_small_stack(|| {
        let depth = 10_000;
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"status\":".repeat(depth), "}".repeat(depth));
        let components = nested_components(depth);
        for body in [arrays, objects, components] {
            for format in formats() {
                let reading = read("ep", format.clone(), &response(200, None, body.clone()));
                if format == Format::PlainHttp {
                    assert_eq!(reading.overall.status, Status::Operational);
                    continue;
                }
                if matches!(&format, Format::Rule(rule) if rule.body == RuleBody::Text) {
                    // A text rule reads the text: one line it has no word for.
                    assert_eq!(reading.overall.status, Status::Unknown);
                    assert_eq!(reading.problem, Some(Problem::UnknownWord));
                    continue;
                }
                assert_eq!(reading.overall.status, Status::Unknown, "{format:?}");
                assert_eq!(
                    reading.problem,
                    Some(Problem::UnexpectedShape),
                    "{format:?}"
                );
                assert!(
                    reading.overall.reason.contains("unexpected")
                        || reading
                            .overall
                            .reason
                            .contains("not Kubernetes health text"),
                    "{format:?}: {}",
                    reading.overall.reason
                );
            }
        }
    });
}

#[test]
fn spring_nesting_is_read_to_a_fixed_depth() {
    on_small_stack(|| {
        // 40 levels (80 JSON objects) parse, as serde_json allows 128, but are read only to
        // the fixed depth.
        let depth = 40;
        let body = nested_components(depth);
        let reading = read("ep", Format::Spring, &response(200, None, body));
        assert_eq!(reading.overall.status, Status::Operational);
        assert_eq!(
            reading.parts.len(),
            lookout_core::read::formats::spring::MAX_DEPTH
        );
        assert!(
            reading
                .notes
                .iter()
                .any(|n| n.contains("nests deeper than")),
            "{:?}",
            reading.notes
        );
    });
}
