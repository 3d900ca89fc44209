//! The formats `auto` recognises by marks their documentation fixes, and reads with a built-in
//! rule: the same rule a configuration could write, so `auto` and the documented recipe
//! (`docs/rules.md`) read a body the same way. Each recogniser asks for the format's own
//! distinctive fields, never a lone status word, so it cannot claim another format's body;
//! anything else stays with the other readers, or unknown.
//!
//! - Consul `/v1/health/checks/:service` (and `/health/node`, `/health/state`): an array of
//!   checks with `CheckID` and `Status`; one unit per node.
//! - Consul `/v1/health/service/:service`: an array of instances with `Node`, `Service` and
//!   `Checks`; one unit per instance, the worst of its checks.
//! - Gatus `/api/v1/endpoints/statuses`: an array of endpoints with `key` and `results`; one
//!   unit per endpoint, its newest (last) result.
//! - Gatus `/api/v1/endpoints/{key}/statuses`: one endpoint; its newest result, the result's
//!   conditions as parts.
//! - hellofresh health-go: `status` `OK`, `Partially Available` or `Unavailable` beside `system`,
//!   `component` or `failures`; failures as failing parts with their text.
//! - NestJS Terminus: `status` `ok`, `error` or `shutting_down` beside `details` and `info` or
//!   `error`; shutting down is a planned stop, read as maintenance.
//! - ASP.NET Core HealthChecks UI writer: `status` `Healthy`, `Degraded` or `Unhealthy` beside
//!   `entries`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::read::formats::rule::{read_as, Level, Rollup, Rule};
use crate::read::{Reader, Reading};
use crate::status::Status;

/// A format `auto` reads with a built-in rule.
pub struct Preset {
    /// The shape named in readings.
    pub shape: &'static str,
    /// The rule it is read with.
    pub rule: &'static LazyLock<Rule>,
}

/// Every preset, for documentation and tests.
pub static PRESETS: [&Preset; 7] = [
    &CONSUL_CHECKS,
    &CONSUL_SERVICE,
    &GATUS_LIST,
    &GATUS_ENDPOINT,
    &HEALTH_GO,
    &TERMINUS,
    &ASPNET,
];

/// Reads an array body with the preset that recognises it.
pub(crate) fn read_list(reader: &Reader, items: &[Value], body: &Value) -> Option<Reading> {
    let preset = if every(items, is_consul_check) {
        &CONSUL_CHECKS
    } else if every(items, is_consul_instance) {
        &CONSUL_SERVICE
    } else if every(items, is_gatus_endpoint) {
        &GATUS_LIST
    } else {
        return None;
    };
    Some(read_as(reader, preset.rule, body, preset.shape))
}

/// Reads an object body with the preset that recognises it.
pub(crate) fn read_object(
    reader: &Reader,
    object: &Map<String, Value>,
    body: &Value,
) -> Option<Reading> {
    let status = object.get("status").and_then(Value::as_str);
    let has_object = |key: &str| object.get(key).is_some_and(Value::is_object);
    let preset = if is_gatus_endpoint(body) {
        &GATUS_ENDPOINT
    } else if matches!(status, Some("OK" | "Partially Available" | "Unavailable"))
        && (has_object("system") || has_object("component") || has_object("failures"))
    {
        &HEALTH_GO
    } else if matches!(status, Some("ok" | "error" | "shutting_down"))
        && has_object("details")
        && (has_object("info") || has_object("error"))
    {
        &TERMINUS
    } else if matches!(status, Some("Healthy" | "Degraded" | "Unhealthy")) && has_object("entries")
    {
        &ASPNET
    } else {
        return None;
    };
    Some(read_as(reader, preset.rule, body, preset.shape))
}

/// Whether `items` is a non-empty list whose every element passes `test`.
fn every(items: &[Value], test: fn(&Value) -> bool) -> bool {
    !items.is_empty() && items.iter().all(test)
}

fn is_consul_check(item: &Value) -> bool {
    item.get("CheckID").is_some_and(Value::is_string)
        && item.get("Status").is_some_and(Value::is_string)
}

fn is_consul_instance(item: &Value) -> bool {
    item.get("Checks").is_some_and(Value::is_array)
        && item.get("Service").is_some_and(Value::is_object)
        && item.get("Node").is_some_and(Value::is_object)
}

/// A Gatus endpoint status: a `key` or `name` and `results` whose every element has a boolean
/// `success`.
fn is_gatus_endpoint(item: &Value) -> bool {
    let named = ["key", "name"]
        .iter()
        .any(|k| item.get(*k).is_some_and(Value::is_string));
    let results = item
        .get("results")
        .and_then(Value::as_array)
        .is_some_and(|results| {
            results
                .iter()
                .all(|r| r.get("success").is_some_and(Value::is_boolean))
        });
    named && results
}

/// Consul marks maintenance with a critical check of a reserved id.
fn consul_maintenance() -> Vec<Level> {
    vec![
        Level {
            field: Some("CheckID".into()),
            equals: Some("_node_maintenance".into()),
            matches: None,
            level: Status::Maintenance,
        },
        Level {
            field: Some("CheckID".into()),
            equals: None,
            matches: Some("_service_maintenance:*".into()),
            level: Status::Maintenance,
        },
    ]
}

fn words(pairs: &[(&str, Status)]) -> BTreeMap<String, Status> {
    pairs.iter().map(|(w, s)| (w.to_string(), *s)).collect()
}

fn text(value: &str) -> Option<String> {
    Some(value.to_string())
}

static CONSUL_CHECKS_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    components: text(""),
    name: text("Node"),
    check_name: text("CheckID"),
    status_field: "Status".into(),
    message: text("Output"),
    levels: consul_maintenance(),
    rollup: Rollup::Statuspage,
    ..Rule::default()
});
/// Consul health checks.
pub static CONSUL_CHECKS: Preset = Preset {
    shape: "Consul health checks",
    rule: &CONSUL_CHECKS_RULE,
};

static CONSUL_SERVICE_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    components: text(""),
    name: text("{/Node/Node}/{/Service/ID}"),
    checks: text("Checks"),
    check_name: text("CheckID"),
    status_field: "Status".into(),
    message: text("Output"),
    levels: consul_maintenance(),
    rollup: Rollup::Statuspage,
    ..Rule::default()
});
/// Consul service health (instances with their checks).
pub static CONSUL_SERVICE: Preset = Preset {
    shape: "Consul service health",
    rule: &CONSUL_SERVICE_RULE,
};

static GATUS_LIST_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    components: text(""),
    name: text("key"),
    status_field: "/results/-1/success".into(),
    message: text("/results/-1/errors/0"),
    rollup: Rollup::Statuspage,
    ..Rule::default()
});
/// Gatus endpoint statuses.
pub static GATUS_LIST: Preset = Preset {
    shape: "Gatus endpoint statuses",
    rule: &GATUS_LIST_RULE,
};

static GATUS_ENDPOINT_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    status: text("/results/-1/success"),
    components: text("/results/-1/conditionResults"),
    name: text("condition"),
    status_field: "success".into(),
    message: text("/results/-1/errors/0"),
    time: text("/results/-1/timestamp"),
    ..Rule::default()
});
/// One Gatus endpoint's status.
pub static GATUS_ENDPOINT: Preset = Preset {
    shape: "Gatus endpoint status",
    rule: &GATUS_ENDPOINT_RULE,
};

static HEALTH_GO_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    status: text("/status"),
    failures: text("/failures"),
    time: text("/timestamp"),
    words: words(&[
        ("OK", Status::Operational),
        ("Partially Available", Status::PartialOutage),
        ("Unavailable", Status::MajorOutage),
    ]),
    ..Rule::default()
});
/// hellofresh health-go.
pub static HEALTH_GO: Preset = Preset {
    shape: "health-go",
    rule: &HEALTH_GO_RULE,
};

static TERMINUS_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    status: text("/status"),
    components: text("/details"),
    message: text("message"),
    words: words(&[
        ("ok", Status::Operational),
        ("error", Status::MajorOutage),
        ("shutting_down", Status::Maintenance),
    ]),
    ..Rule::default()
});
/// NestJS Terminus.
pub static TERMINUS: Preset = Preset {
    shape: "NestJS Terminus health",
    rule: &TERMINUS_RULE,
};

static ASPNET_RULE: LazyLock<Rule> = LazyLock::new(|| Rule {
    status: text("/status"),
    components: text("/entries"),
    message: text("description"),
    ..Rule::default()
});
/// ASP.NET Core HealthChecks (the UI response writer's JSON).
pub static ASPNET: Preset = Preset {
    shape: "ASP.NET Core health",
    rule: &ASPNET_RULE,
};
