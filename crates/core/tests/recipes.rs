//! The documented recipes of `docs/rules.md`: for each common health format, the `format`
//! snippet a configuration writes and a body written from that format's public documentation
//! (`tests/fixtures/formats/`), with what Lookout must read from it: the level, the reason and
//! every part with its level. Formats `auto` recognises must read the same with `auto` as with
//! their recipe. The docs must show every recipe's snippet and describe every rule field, and a
//! rule's mistakes are reported at their JSON path.

use std::path::Path;

use lookout_core::config::Config;
use lookout_core::probe::{HttpResponse, ProbeOutcome};
use lookout_core::read::{read, Format, Level, Reading, Rollup, Rule, RuleBody};
use lookout_core::status::Status;
use serde_json::Value;

use Status::{Degraded, Maintenance, MajorOutage, Operational, PartialOutage};

/// A recipe: a format snippet, a body, and what must be read.
struct Recipe {
    file: &'static str,
    http: u16,
    format: &'static str,
    status: Status,
    reason: &'static [&'static str],
    /// Every part: name, level and a piece of its reason (`""` for none).
    parts: &'static [(&'static str, Status, &'static str)],
    /// The shape `auto` recognises the body as, when `auto` reads it as this recipe does.
    auto: Option<&'static str>,
}

const GATUS_ENDPOINT: &str = r#"{"rule": {"status": "/results/-1/success", "components": "/results/-1/conditionResults", "name": "condition", "status_field": "success", "message": "/results/-1/errors/0", "time": "/results/-1/timestamp"}}"#;
const GATUS_LIST: &str = r#"{"rule": {"components": "", "name": "key", "status_field": "/results/-1/success", "message": "/results/-1/errors/0", "rollup": "statuspage"}}"#;
const CONSUL_CHECKS: &str = r#"{"rule": {"components": "", "name": "Node", "check_name": "CheckID", "status_field": "Status", "message": "Output", "levels": [{"field": "CheckID", "equals": "_node_maintenance", "level": "maintenance"}, {"field": "CheckID", "matches": "_service_maintenance:*", "level": "maintenance"}], "rollup": "statuspage"}}"#;
const CONSUL_SERVICE: &str = r#"{"rule": {"components": "", "name": "{/Node/Node}/{/Service/ID}", "checks": "Checks", "check_name": "CheckID", "status_field": "Status", "message": "Output", "levels": [{"field": "CheckID", "equals": "_node_maintenance", "level": "maintenance"}, {"field": "CheckID", "matches": "_service_maintenance:*", "level": "maintenance"}], "rollup": "statuspage"}}"#;
const ASPNET: &str =
    r#"{"rule": {"status": "/status", "components": "/entries", "message": "description"}}"#;
const TEXT: &str = r#"{"rule": {"body": "text"}}"#;
const ELASTICSEARCH: &str = r#"{"rule": {"status": "/status", "words": {"green": "operational", "yellow": "degraded", "red": "partial_outage"}, "only_words": true}}"#;
const TERMINUS: &str = r#"{"rule": {"status": "/status", "components": "/details", "message": "message", "words": {"ok": "operational", "error": "major_outage", "shutting_down": "maintenance"}}}"#;
const HEALTH_GO: &str = r#"{"rule": {"status": "/status", "failures": "/failures", "time": "/timestamp", "words": {"OK": "operational", "Partially Available": "partial_outage", "Unavailable": "major_outage"}}}"#;
const SPRING_1: &str =
    r#"{"rule": {"status": "/status", "components": "", "nested": "*", "message": "error"}}"#;
const SPRING_2: &str = r#"{"rule": {"status": "/status", "components": "/components", "nested": "components", "depth": 3, "message": "/details/error"}}"#;
const STATUSPAGE: &str = r#"{"rule": {"status": "/status/indicator", "components": "/components", "message": "description", "words": {"none": "operational", "minor": "degraded", "major": "partial_outage", "critical": "major_outage"}}}"#;

const SPRING_1_PARTS: &[(&str, Status, &str)] = &[
    ("diskSpace", Operational, ""),
    ("db", MajorOutage, ""),
    ("db.primary", Operational, ""),
    ("db.reporting", MajorOutage, "Connection refused"),
    ("redis", Operational, ""),
];
const SPRING_2_PARTS: &[(&str, Status, &str)] = &[
    ("db", Operational, ""),
    ("db.primary", Operational, ""),
    ("db.replica", Operational, ""),
    ("diskSpace", Operational, ""),
    ("ping", Operational, ""),
    ("redis", MajorOutage, "Unable to connect to Redis"),
];
const TERMINUS_PARTS: &[(&str, Status, &str)] = &[
    ("database", Operational, ""),
    ("memory_heap", Operational, ""),
    ("redis", MajorOutage, "ECONNREFUSED"),
];

fn recipes() -> Vec<Recipe> {
    vec![
        Recipe {
            file: "gatus_endpoint.json",
            http: 200,
            format: GATUS_ENDPOINT,
            status: MajorOutage,
            reason: &["status: success false"],
            parts: &[
                ("[STATUS] == 200 (503)", MajorOutage, "success false"),
                ("[RESPONSE_TIME] < 500 (612)", MajorOutage, ""),
            ],
            auto: Some("Gatus endpoint status"),
        },
        Recipe {
            file: "gatus_list.json",
            http: 200,
            format: GATUS_LIST,
            status: PartialOutage,
            reason: &["1 of 3 components down: core_frontend major outage"],
            parts: &[
                ("core_api", Operational, ""),
                ("core_frontend", MajorOutage, "connection refused"),
                ("external_docs", Operational, ""),
            ],
            auto: Some("Gatus endpoint statuses"),
        },
        Recipe {
            file: "consul_checks.json",
            http: 200,
            format: CONSUL_CHECKS,
            status: PartialOutage,
            reason: &["1 of 3 components down: node-2 major outage"],
            parts: &[
                ("node-1", Operational, "service:web: passing"),
                ("node-2", MajorOutage, "database unreachable"),
                (
                    "node-3",
                    Maintenance,
                    "CheckID \"_service_maintenance:web\": maintenance",
                ),
            ],
            auto: Some("Consul health checks"),
        },
        Recipe {
            file: "consul_checks_all_critical.json",
            http: 200,
            format: CONSUL_CHECKS,
            status: MajorOutage,
            reason: &["all 2 components down: node-1, node-2"],
            parts: &[
                ("node-1", MajorOutage, "connection refused"),
                ("node-2", MajorOutage, "connection refused"),
            ],
            auto: Some("Consul health checks"),
        },
        Recipe {
            file: "consul_service_maintenance.json",
            http: 200,
            format: CONSUL_SERVICE,
            status: Degraded,
            reason: &["1 of 3 components degraded: node-3/web"],
            parts: &[
                ("node-1/web", Operational, "all 2 operational"),
                ("node-2/web", Maintenance, "_node_maintenance"),
                ("node-3/web", Degraded, "429 Too Many Requests"),
            ],
            auto: Some("Consul service health"),
        },
        Recipe {
            file: "aspnet.json",
            http: 200,
            format: ASPNET,
            status: Degraded,
            reason: &["status: Degraded"],
            parts: &[
                ("sqlserver", Operational, ""),
                ("redis", Degraded, "above the 500 ms threshold"),
                ("self", Operational, ""),
            ],
            auto: Some("ASP.NET Core health"),
        },
        Recipe {
            file: "aspnet_plain_degraded.txt",
            http: 200,
            format: TEXT,
            status: Degraded,
            reason: &["body: Degraded"],
            parts: &[],
            auto: None,
        },
        Recipe {
            file: "aspnet_plain_unhealthy.txt",
            http: 503,
            format: TEXT,
            status: MajorOutage,
            reason: &["body: Unhealthy", "HTTP 503"],
            parts: &[],
            auto: None,
        },
        Recipe {
            file: "elasticsearch_red.json",
            http: 200,
            format: "\"auto\"",
            status: PartialOutage,
            reason: &[
                "cluster logs-prod: red",
                "partially functional",
                "6 unassigned shards",
            ],
            parts: &[],
            auto: None,
        },
        Recipe {
            file: "elasticsearch_red.json",
            http: 200,
            format: ELASTICSEARCH,
            status: PartialOutage,
            reason: &["status: red"],
            parts: &[],
            auto: None,
        },
        Recipe {
            file: "elasticsearch_yellow.json",
            http: 200,
            format: "\"auto\"",
            status: Degraded,
            reason: &[
                "cluster search: yellow",
                "some replicas not",
                "12 unassigned shards",
            ],
            parts: &[],
            auto: None,
        },
        Recipe {
            file: "terminus_error.json",
            http: 503,
            format: TERMINUS,
            status: MajorOutage,
            reason: &["status: error", "HTTP 503"],
            parts: TERMINUS_PARTS,
            auto: Some("NestJS Terminus health"),
        },
        Recipe {
            file: "terminus_shutting_down.json",
            http: 503,
            format: TERMINUS,
            status: Maintenance,
            reason: &["status: shutting_down"],
            parts: &[("database", Operational, "")],
            auto: Some("NestJS Terminus health"),
        },
        Recipe {
            file: "health_go_partial.json",
            http: 200,
            format: HEALTH_GO,
            status: PartialOutage,
            reason: &["status: Partially Available"],
            parts: &[(
                "rabbitmq",
                MajorOutage,
                "Failed during rabbitmq health check",
            )],
            auto: Some("health-go"),
        },
        Recipe {
            file: "health_go_unavailable.json",
            http: 503,
            format: HEALTH_GO,
            status: MajorOutage,
            reason: &["status: Unavailable"],
            parts: &[
                ("postgres", MajorOutage, "connection refused"),
                ("redis", MajorOutage, "Timeout during health check"),
            ],
            auto: Some("health-go"),
        },
        Recipe {
            file: "spring_boot1_nested.json",
            http: 200,
            format: "\"spring\"",
            status: MajorOutage,
            reason: &["application: DOWN"],
            parts: SPRING_1_PARTS,
            auto: None,
        },
        Recipe {
            file: "spring_boot1_nested.json",
            http: 200,
            format: SPRING_1,
            status: MajorOutage,
            reason: &["status: DOWN"],
            parts: SPRING_1_PARTS,
            auto: None,
        },
        Recipe {
            file: "spring_boot2.json",
            http: 200,
            format: "\"spring\"",
            status: MajorOutage,
            reason: &["application: DOWN"],
            parts: SPRING_2_PARTS,
            auto: None,
        },
        Recipe {
            file: "spring_boot2.json",
            http: 200,
            format: SPRING_2,
            status: MajorOutage,
            reason: &["status: DOWN"],
            parts: SPRING_2_PARTS,
            auto: None,
        },
        Recipe {
            file: "statuspage_groups.json",
            http: 200,
            format: "\"statuspage\"",
            status: PartialOutage,
            reason: &[
                "Partial System Outage: major",
                "incident \"Edge network unreachable\"",
            ],
            parts: &[
                (
                    "Data stores",
                    PartialOutage,
                    "1 of 2 components not operational: Postgres",
                ),
                ("Postgres", MajorOutage, "Primary database"),
                ("Redis", Operational, ""),
                ("Edge", MajorOutage, "2 of 2"),
                ("CDN", MajorOutage, ""),
                ("DNS", MajorOutage, ""),
                ("API", Operational, ""),
            ],
            auto: None,
        },
        Recipe {
            file: "statuspage_groups.json",
            http: 200,
            format: STATUSPAGE,
            status: PartialOutage,
            reason: &["status: major"],
            parts: &[
                ("Data stores", PartialOutage, ""),
                ("Postgres", MajorOutage, "Primary database"),
                ("Redis", Operational, ""),
                ("Edge", MajorOutage, ""),
                ("CDN", MajorOutage, ""),
                ("DNS", MajorOutage, ""),
                ("API", Operational, ""),
            ],
            auto: None,
        },
    ]
}

fn fixture(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn response(http: u16, body: String) -> ProbeOutcome {
    ProbeOutcome::Response(HttpResponse {
        status: http,
        content_type: Some("application/json".to_string()),
        body,
    })
}

fn format(text: &str) -> Format {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("format {text}: {e}"))
}

fn read_recipe(recipe: &Recipe, format_text: &str) -> Reading {
    read(
        "ep",
        format(format_text),
        &response(recipe.http, fixture(recipe.file)),
    )
}

/// What differs between a reading and its recipe.
fn differences(recipe: &Recipe, reading: &Reading) -> Vec<String> {
    let mut wrong = Vec::new();
    if reading.overall.status != recipe.status {
        wrong.push(format!(
            "status {:?}, expected {:?}",
            reading.overall.status, recipe.status
        ));
    }
    for needle in recipe.reason {
        if !reading.overall.reason.contains(needle) {
            wrong.push(format!("reason lacks {needle:?}"));
        }
    }
    if reading.problem.is_some() {
        wrong.push(format!("problem {:?}", reading.problem));
    }
    for (name, status, needle) in recipe.parts {
        match reading.parts.get(*name) {
            None => wrong.push(format!("no part {name}")),
            Some(part) => {
                if part.status != *status || !part.reason.contains(needle) {
                    wrong.push(format!(
                        "part {name} is {:?} ({}), expected {status:?} with {needle:?}",
                        part.status, part.reason
                    ));
                }
                if part.evidence.field.is_empty() {
                    wrong.push(format!("part {name} has no evidence field"));
                }
            }
        }
    }
    for name in reading.parts.keys() {
        if !recipe.parts.iter().any(|(n, _, _)| n == name) {
            wrong.push(format!("unexpected part {name}"));
        }
    }
    wrong
}

#[test]
fn every_recipe_reads_as_documented() {
    let mut failures = Vec::new();
    for recipe in recipes() {
        let reading = read_recipe(&recipe, recipe.format);
        let wrong = differences(&recipe, &reading);
        if !wrong.is_empty() {
            failures.push(format!(
                "{} with {}:\n    {}\n    reading: {} / {} / notes {:?}",
                recipe.file,
                recipe.format,
                wrong.join("\n    "),
                reading.overall.reason,
                reading.shape,
                reading.notes
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn auto_reads_the_formats_it_recognises_as_their_recipe() {
    for recipe in recipes() {
        let Some(shape) = recipe.auto else {
            continue;
        };
        let by_rule = read_recipe(&recipe, recipe.format);
        let by_auto = read_recipe(&recipe, "\"auto\"");
        assert_eq!(by_auto.shape, shape, "{}", recipe.file);
        assert_eq!(by_auto.overall, by_rule.overall, "{}", recipe.file);
        assert_eq!(by_auto.parts, by_rule.parts, "{}", recipe.file);
        assert_eq!(by_auto.reported_at, by_rule.reported_at, "{}", recipe.file);
    }
}

#[test]
fn the_newest_gatus_result_decides_and_its_time_is_kept() {
    let recipe = &recipes()[0];
    let reading = read_recipe(recipe, recipe.format);
    let time = reading.reported_at.expect("the result's own time");
    assert_eq!(time.field, "/results/2/timestamp");
    assert_eq!(reading.overall.evidence.field, "/results/2/success");
}

#[test]
fn elasticsearch_counts_are_metrics() {
    let recipe = recipes()
        .into_iter()
        .find(|r| r.file == "elasticsearch_red.json")
        .unwrap();
    let reading = read_recipe(&recipe, "\"auto\"");
    assert_eq!(reading.shape, "Elasticsearch cluster health");
    assert_eq!(reading.metric("unassigned_shards").unwrap().value, 6.0);
    let percent = reading.metric("active_shards_percent_as_number").unwrap();
    assert_eq!((percent.value, percent.unit.as_str()), (96.6, "%"));
}

#[test]
fn every_fixture_has_a_recipe() {
    let recipes = recipes();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    for file in std::fs::read_dir(root).unwrap() {
        let name = file.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            recipes.iter().any(|r| r.file == name),
            "{name} has no recipe"
        );
    }
}

/// Every JSON value in the code blocks of `docs/rules.md`, and every `format` inside them.
fn documented_formats() -> (String, Vec<Value>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let doc = std::fs::read_to_string(&path).expect("docs/rules.md");
    let mut found = Vec::new();
    for block in doc.split("```json").skip(1) {
        let text = block.split("```").next().unwrap_or("");
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            panic!("a json block of docs/rules.md is not JSON:\n{text}");
        };
        collect_formats(&value, &mut found);
        found.push(value);
    }
    (doc, found)
}

fn collect_formats(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "format" {
                    found.push(inner.clone());
                }
                collect_formats(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_formats(i, found)),
        _ => {}
    }
}

#[test]
fn the_docs_show_every_recipe() {
    let (doc, formats) = documented_formats();
    for recipe in recipes() {
        let snippet: Value = serde_json::from_str(recipe.format).unwrap();
        assert!(
            formats.contains(&snippet),
            "docs/rules.md does not show the recipe {}",
            recipe.format
        );
        assert!(
            doc.contains(recipe.file),
            "docs/rules.md does not name {}",
            recipe.file
        );
    }
    for block in formats.iter().filter(|f| f.get("rule").is_some()) {
        // Every rule the docs show is one the configuration accepts.
        let text = block.to_string();
        if let Err(error) = serde_json::from_str::<Format>(&text) {
            panic!("docs/rules.md shows a refused rule {text}: {error}");
        }
    }
}

/// A rule with every field set away from its default, so it serializes every field.
fn every_field() -> Rule {
    Rule {
        body: RuleBody::Json,
        status: Some("/status".into()),
        components: Some("/components".into()),
        name: Some("{name}".into()),
        status_field: "state".into(),
        levels: vec![Level {
            field: Some("id".into()),
            equals: None,
            matches: Some("_maint*".into()),
            level: Maintenance,
        }],
        words: [("green".to_string(), Operational)].into(),
        only_words: true,
        message: Some("error".into()),
        checks: Some("checks".into()),
        check_name: Some("id".into()),
        nested: Some("components".into()),
        depth: Some(2),
        failures: Some("/failures".into()),
        rollup: Rollup::Worst,
        critical: Some("critical".into()),
        latency: Some("latency".into()),
        latency_unit: Some("s".into()),
        time: Some("/time".into()),
        separator: None,
    }
}

#[test]
fn the_docs_describe_every_rule_field() {
    let (doc, _) = documented_formats();
    let mut rule = serde_json::to_value(every_field()).unwrap();
    // The fields a JSON rule cannot set together with the others.
    rule["body"] = Value::from("text");
    rule["separator"] = Value::from(":");
    rule["rollup"] = Value::from("statuspage");
    let fields = rule.as_object().unwrap();
    assert_eq!(fields.len(), 20, "{fields:?}");
    for name in fields.keys() {
        assert!(
            doc.contains(&format!("### `{name}`")),
            "docs/rules.md has no section for the rule field `{name}`"
        );
    }
    for name in rule["levels"][0].as_object().unwrap().keys() {
        assert!(doc.contains(&format!("`{name}`")), "level field {name}");
    }
}

#[test]
fn the_configuration_reads_every_rule_field_without_a_warning() {
    let rule = every_field();
    assert!(rule.problems().is_empty(), "{:?}", rule.problems());
    let format = serde_json::json!({ "rule": rule }).to_string();
    let (config, warnings) = Config::parse_with_warnings(&config_with(&format)).expect("valid");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.endpoints[0].format, Format::Rule(rule.into()));
}

#[cfg(feature = "schema")]
#[test]
fn the_json_schema_describes_every_rule_field() {
    let schema = Config::json_schema();
    let format = &schema["$defs"]["Format"];
    let rule = format["anyOf"]
        .as_array()
        .and_then(|branches| {
            branches
                .iter()
                .find(|b| b["properties"]["rule"].is_object())
        })
        .map(|b| &b["properties"]["rule"])
        .expect("the schema describes the rule object");
    let described = rule["properties"].as_object().expect("rule fields");
    let mut every = serde_json::to_value(every_field()).unwrap();
    every["separator"] = Value::from(":");
    every["body"] = Value::from("text");
    for name in every.as_object().unwrap().keys() {
        assert!(described.contains_key(name), "the schema lacks `{name}`");
    }
    assert_eq!(rule["properties"]["depth"]["maximum"], 8);
}

/// A configuration with one endpoint whose format is `format`.
fn config_with(format: &str) -> String {
    format!(
        r#"{{"schema_version": 1, "incident": {{"id": "1", "title": "t"}},
        "services": {{"s": {{"base_url": "https://example.com"}}}},
        "endpoints": [{{"id": "e", "service": "s", "path": "/health", "format": {format}}}],
        "components": [{{"id": "c", "name": "C", "sources": [{{"endpoint": "e"}}]}}]}}"#
    )
}

#[test]
fn rule_mistakes_are_reported_at_their_paths() {
    let cases = [
        (
            r#"{"rule": {"status": "state"}}"#,
            "$.endpoints[0].format.rule.status",
            "JSON pointer starting with '/'",
        ),
        (
            r#"{"rule": {"components": "", "depth": 9, "nested": "children"}}"#,
            "$.endpoints[0].format.rule.depth",
            "must be from 1 to 8, found 9",
        ),
        (
            r#"{"rule": {"components": "", "levels": [{"field": "id", "level": "maintenance"}]}}"#,
            "$.endpoints[0].format.rule.levels[0]",
            "needs \"equals\"",
        ),
        (
            r#"{"rule": {"components": "", "levels": [{"equals": "x", "level": "broken"}]}}"#,
            "$.endpoints[0].format.rule.levels[0].level",
            "\"broken\" is not one of",
        ),
        (
            r#"{"rule": {"status": "/s", "rollup": "statuspage"}}"#,
            "$.endpoints[0].format.rule.rollup",
            "only when the rule has no \"status\"",
        ),
        (
            r#"{"rule": {"body": "text", "components": "/x"}}"#,
            "$.endpoints[0].format.rule.components",
            "applies to JSON bodies only",
        ),
        (
            r#"{"rule": {"status": "/s", "separator": ":"}}"#,
            "$.endpoints[0].format.rule.separator",
            "applies to text bodies only",
        ),
        (
            r#"{"rule": {"components": "", "name": "{Node"}}"#,
            "$.endpoints[0].format.rule.name",
            "without a \"}\"",
        ),
        (
            r#"{"rule": {"failures": "/failures"}}"#,
            "$.endpoints[0].format.rule",
            "besides \"failures\"",
        ),
        (
            r#"{"rule": {"components": "", "rollup": "average"}}"#,
            "$.endpoints[0].format.rule.rollup",
            "\"average\" is not one of \"worst\", \"statuspage\"",
        ),
    ];
    for (format, path, needle) in cases {
        let problems = Config::parse(&config_with(format)).expect_err(format);
        assert!(
            problems
                .iter()
                .any(|p| p.path == path && p.message.contains(needle)),
            "{format}: no {path}: {needle} in {problems:?}"
        );
    }
}

#[test]
fn unknown_rule_fields_are_warnings() {
    let text = config_with(
        r#"{"rule": {"status": "/s", "colour": "/c", "levels": [{"equals": "x", "level": "degraded", "when": 1}]}}"#,
    );
    let (_, warnings) = Config::parse_with_warnings(&text).expect("valid");
    let mut paths: Vec<&str> = warnings.iter().map(|w| w.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "$.endpoints[0].format.rule.colour",
            "$.endpoints[0].format.rule.levels[0].when"
        ]
    );
    assert!(warnings
        .iter()
        .any(|w| w.message.contains("known here: body, status")));
}

#[test]
fn every_recipe_rule_survives_a_round_trip() {
    for recipe in recipes() {
        let format = format(recipe.format);
        let again: Format = serde_json::from_value(serde_json::to_value(&format).unwrap()).unwrap();
        assert_eq!(again, format, "{}", recipe.format);
    }
}

#[test]
fn every_preset_is_a_rule_the_configuration_accepts() {
    use lookout_core::read::formats::presets::PRESETS;
    for preset in PRESETS {
        let rule: &lookout_core::read::Rule = preset.rule;
        assert!(
            rule.problems().is_empty(),
            "{}: {:?}",
            preset.shape,
            rule.problems()
        );
        let text = serde_json::json!({ "rule": rule }).to_string();
        let Format::Rule(read_back) = format(&text) else {
            panic!("{}: not a rule", preset.shape);
        };
        assert_eq!(read_back.as_ref(), rule, "{}", preset.shape);
    }
}

#[test]
fn auto_never_guesses_an_ambiguous_list_or_word() {
    for body in [
        r#"[{"status": "up"}, {"status": "down"}]"#,
        r#"[]"#,
        r#"{"status": "Partially Available"}"#,
        r#"[{"CheckID": "x"}]"#,
    ] {
        let reading = read("ep", Format::Auto, &response(200, body.to_string()));
        assert_eq!(reading.overall.status, Status::Unknown, "{body}");
        assert!(reading.problem.is_some(), "{body}");
    }
}

#[test]
fn a_statuspage_rollup_never_turns_unknown_units_green() {
    let rule = r#"{"rule": {"components": "/units", "rollup": "statuspage"}}"#;
    let cases = [
        (r#"{"units": {"a": "up", "b": "purple"}}"#, Status::Unknown),
        (r#"{"units": {"a": "down", "b": "purple"}}"#, MajorOutage),
        (
            r#"{"units": {"a": "down", "b": "up", "c": "purple"}}"#,
            PartialOutage,
        ),
        (r#"{"units": {"a": "maintenance", "b": "up"}}"#, Operational),
        (r#"{"units": {"a": "maintenance"}}"#, Maintenance),
        (r#"{"units": {"a": "purple"}}"#, Status::Unknown),
    ];
    for (body, expected) in cases {
        let reading = read("ep", format(rule), &response(200, body.to_string()));
        assert_eq!(
            reading.overall.status, expected,
            "{body}: {}",
            reading.overall.reason
        );
    }
}

#[test]
fn text_rules_read_named_lines_with_their_levels() {
    let rule = r#"{"rule": {"body": "text", "separator": ":", "levels": [{"matches": "*timeout*", "level": "degraded"}], "words": {"fine": "operational"}}}"#;
    let body = "db: fine\ncache: read timeout after 2s\nqueue: down\n";
    let reading = read("ep", format(rule), &response(200, body.to_string()));
    assert_eq!(
        reading.overall.status, MajorOutage,
        "{}",
        reading.overall.reason
    );
    assert_eq!(reading.parts["db"].status, Operational);
    assert_eq!(reading.parts["cache"].status, Degraded);
    assert_eq!(reading.parts["queue"].status, MajorOutage);
    assert_eq!(reading.parts["queue"].evidence.field, "line 3");
}

#[test]
fn nesting_stops_at_the_rule_depth() {
    let rule = r#"{"rule": {"status": "/status", "components": "/components", "nested": "components", "depth": 2}}"#;
    let mut tree = serde_json::json!({"status": "UP"});
    for name in ["e", "d", "c", "b", "a"] {
        tree = serde_json::json!({"status": "UP", "components": {name: tree}});
    }
    let reading = read("ep", format(rule), &response(200, tree.to_string()));
    let names: Vec<&str> = reading.parts.keys().map(String::as_str).collect();
    assert_eq!(names, ["a", "a.b", "a.b.c"]);
    assert!(reading
        .notes
        .iter()
        .any(|n| n.contains("nests deeper than 2 levels")));
}

#[test]
fn a_listed_unit_without_a_status_is_unknown_not_left_out() {
    let body = r#"[
        {"key": "core_api", "results": [{"success": true}]},
        {"key": "core_docs", "results": []}
    ]"#;
    let reading = read("ep", Format::Auto, &response(200, body.to_string()));
    assert_eq!(reading.shape, "Gatus endpoint statuses");
    assert_eq!(
        reading.overall.status,
        Status::Unknown,
        "{}",
        reading.overall.reason
    );
    let docs = &reading.parts["core_docs"];
    assert_eq!(docs.status, Status::Unknown);
    assert!(
        docs.reason.contains("no \"/results/-1/success\" to read"),
        "{}",
        docs.reason
    );
    assert_eq!(reading.parts["core_api"].status, Operational);
}
