//! Netra's health payloads: backend `/health*` in both generations, the error envelope,
//! FastAPI's 404, the WebSocket readiness middleware's rejection, the auth service and
//! `/ws/health`. Shapes are documented in the project's research notes on the Netra formats.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::reading::{
    clip, fold_parts, from_http_class, phrase, reconcile_http, value_finding, word_finding,
    Finding, Reader, Reading,
};
use crate::status::{worst_known, Status};

/// Reads a JSON object body from a Netra service (or any `{"status": word}` service).
pub(crate) fn read_object(reader: &Reader, object: &Map<String, Value>) -> Reading {
    if object.get("error") == Some(&Value::Bool(true)) && object.contains_key("error_code") {
        return error_envelope(reader, object);
    }
    if let Some(Value::String(detail)) = object.get("detail") {
        if object.len() == 1 {
            return fastapi_detail(reader, detail);
        }
    }
    if let (Some(Value::String(error)), Some(Value::Object(details))) =
        (object.get("error"), object.get("details"))
    {
        if details.contains_key("failed_services") || details.contains_key("issue_reference") {
            return readiness_rejection(reader, object, error, details);
        }
    }
    if let Some(Value::Object(components)) = object.get("infrastructure_components") {
        return infrastructure_v1(reader, object, components);
    }
    if object.contains_key("infrastructure") || object.contains_key("circuit_breakers") {
        return infrastructure_v2(reader, object);
    }
    if let Some(Value::Object(availability)) = object.get("service_availability") {
        return ws_health(reader, object, availability);
    }
    generic(reader, object)
}

fn reading(overall: Finding, parts: BTreeMap<String, Finding>, shape: &str) -> Reading {
    Reading {
        overall,
        parts,
        shape: shape.to_string(),
        answered: true,
    }
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn error_envelope(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let code = text(object, "error_code").unwrap_or("ERROR");
    let message = text(object, "message")
        .or_else(|| text(object, "user_message"))
        .unwrap_or("");
    let status = match reader.http_status {
        Some(401 | 403) => Status::Unknown,
        Some(404) => Status::Unknown,
        other => match from_http_class(other) {
            Status::Unknown => Status::MajorOutage,
            known => known,
        },
    };
    let reason = if message.is_empty() {
        format!("{} error {code}", phrase(reader.http_status))
    } else {
        format!("{}: {message} ({code})", phrase(reader.http_status))
    };
    let finding = reader.finding(status, reason, "/message", message);
    reading(finding, BTreeMap::new(), "Netra error envelope")
}

fn fastapi_detail(reader: &Reader, detail: &str) -> Reading {
    let finding = if reader.http_status == Some(404) {
        reader.finding(
            Status::Unknown,
            format!("this backend has no such endpoint ({} {{\"detail\":\"{}\"}}): wrong path or another backend version", phrase(reader.http_status), clip(detail)),
            "/detail",
            detail,
        )
    } else {
        let status = from_http_class(reader.http_status);
        reader.finding(
            status,
            format!("{}: {}", phrase(reader.http_status), clip(detail)),
            "/detail",
            detail,
        )
    };
    reading(finding, BTreeMap::new(), "FastAPI error")
}

fn readiness_rejection(
    reader: &Reader,
    object: &Map<String, Value>,
    error: &str,
    details: &Map<String, Value>,
) -> Reading {
    let failed: Vec<String> = details
        .get("failed_services")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let message = text(object, "message").unwrap_or(error);
    let status = if reader.http_status == Some(408) {
        Status::Degraded
    } else {
        Status::MajorOutage
    };
    let mut reason = format!("{}: {error}", phrase(reader.http_status));
    if !failed.is_empty() {
        reason.push_str(&format!(" (failed: {})", failed.join(", ")));
    }
    let finding = reader.finding(status, reason, "/error", message);
    let mut parts = BTreeMap::new();
    for (index, name) in failed.iter().enumerate() {
        let pointer = format!("/details/failed_services/{index}");
        parts.insert(
            canonical_part(name).to_string(),
            reader.finding(
                Status::MajorOutage,
                format!("{name} listed as failed"),
                &pointer,
                name,
            ),
        );
    }
    reading(finding, parts, "Netra WebSocket readiness rejection")
}

/// Maps Netra's many names of one dependency to one part name.
pub fn canonical_part(name: &str) -> &str {
    match name {
        "database_postgres" | "core_db" | "postgres" | "postgresql" => "database",
        "database_redis" | "redis_db" => "redis",
        "clickhouse_db" | "database_clickhouse" => "clickhouse",
        "websocket_readiness" => "websocket",
        other => other,
    }
}

fn infrastructure_v1(
    reader: &Reader,
    object: &Map<String, Value>,
    components: &Map<String, Value>,
) -> Reading {
    let mut parts = BTreeMap::new();
    for (name, component) in components {
        let pointer = format!("/infrastructure_components/{}", escape(name));
        let Value::Object(component) = component else {
            continue;
        };
        let Some(mut finding) = word_finding(
            reader,
            component,
            "status",
            &format!("{pointer}/status"),
            name,
        ) else {
            continue;
        };
        if let Some(error) = text(component, "error") {
            finding.reason = format!("{}: {}", finding.reason, clip(error));
            finding.evidence.field = format!("{pointer}/error");
            finding.evidence.raw = clip(error);
        } else if let Some(issue) = text(component, "issue_type") {
            finding.reason = format!("{} ({issue} issue)", finding.reason);
        }
        parts.insert(canonical_part(name).to_string(), finding);
    }
    if let Some(Value::Object(vpc)) = object.get("vpc_connectivity") {
        if let Some(Value::Bool(up)) = vpc.get("overall") {
            let failing: Vec<&str> = vpc
                .get("indicators")
                .and_then(Value::as_object)
                .map(|indicators| {
                    indicators
                        .iter()
                        .filter(|(_, v)| v == &&Value::Bool(false))
                        .map(|(k, _)| k.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let finding = if *up {
                reader.finding(
                    Status::Operational,
                    "VPC connectivity: all indicators up",
                    "/vpc_connectivity/overall",
                    "true",
                )
            } else {
                let reason = if failing.is_empty() {
                    "VPC connectivity down".to_string()
                } else {
                    format!("VPC connectivity down: {} failing", failing.join(", "))
                };
                reader.finding(
                    Status::MajorOutage,
                    reason,
                    "/vpc_connectivity/overall",
                    "false",
                )
            };
            parts.insert("vpc_connector".to_string(), finding);
        }
    }
    let overall = top_status(reader, object, &parts, "infrastructure");
    reading(overall, parts, "Netra /health/infrastructure v1")
}

fn infrastructure_v2(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut parts = BTreeMap::new();
    if let Some(Value::Object(infrastructure)) = object.get("infrastructure") {
        if let Some(Value::Object(services)) = infrastructure.get("service_details") {
            for (name, service) in services {
                let pointer = format!("/infrastructure/service_details/{}", escape(name));
                let Value::Object(service) = service else {
                    continue;
                };
                if let Some(mut finding) = word_finding(
                    reader,
                    service,
                    "status",
                    &format!("{pointer}/status"),
                    name,
                ) {
                    if finding.status == Status::Unknown {
                        finding.reason = format!(
                            "{name}: the backend reports unknown (not yet checked by its monitor)"
                        );
                    } else if let Some(failures) =
                        service.get("consecutive_failures").and_then(Value::as_u64)
                    {
                        if failures > 0 {
                            finding.reason =
                                format!("{}, {failures} consecutive failures", finding.reason);
                        }
                    }
                    parts.insert(canonical_part(name).to_string(), finding);
                }
            }
        }
    }
    if let Some(Value::Object(breakers)) = object.get("circuit_breakers") {
        if let Some(mut finding) = word_finding(
            reader,
            breakers,
            "overall_health",
            "/circuit_breakers/overall_health",
            "circuit breakers",
        ) {
            if let Some(Value::Array(open)) = breakers.get("open_breaker_names") {
                let names: Vec<&str> = open.iter().filter_map(Value::as_str).collect();
                if !names.is_empty() {
                    finding.reason = format!("{}, open: {}", finding.reason, names.join(", "));
                }
            }
            parts.insert("circuit_breakers".to_string(), finding);
        }
    }
    if let Some(Value::Object(auth)) = object.get("authentication") {
        if let Some(finding) = word_finding(
            reader,
            auth,
            "overall_status",
            "/authentication/overall_status",
            "authentication",
        ) {
            parts.insert("authentication".to_string(), finding);
        }
        if let Some(Value::Object(golden)) = auth.get("golden_path_assessment") {
            if let Some(Value::Bool(blocked)) = golden.get("golden_path_blocked") {
                let pointer = "/authentication/golden_path_assessment/golden_path_blocked";
                let finding = if *blocked {
                    let level = text(golden, "impact_level").unwrap_or("unknown");
                    reader.finding(
                        Status::MajorOutage,
                        format!("Golden Path blocked (impact {level})"),
                        pointer,
                        "true",
                    )
                } else {
                    reader.finding(
                        Status::Operational,
                        "Golden Path not blocked",
                        pointer,
                        "false",
                    )
                };
                parts.insert("golden_path".to_string(), finding);
            }
        }
    }
    let mut overall = top_status(reader, object, &parts, "infrastructure");
    if let Some(error) = text(object, "error") {
        overall.reason = format!("{}: {}", overall.reason, clip(error));
        overall.evidence.field = "/error".to_string();
        overall.evidence.raw = clip(error);
    }
    reading(overall, parts, "Netra /health/infrastructure v2")
}

fn ws_health(
    reader: &Reader,
    object: &Map<String, Value>,
    availability: &Map<String, Value>,
) -> Reading {
    let mut parts = BTreeMap::new();
    for group in ["critical_services", "optional_services"] {
        let Some(Value::Object(services)) = availability.get(group) else {
            continue;
        };
        for (name, service) in services {
            let pointer = format!("/service_availability/{group}/{}", escape(name));
            let Value::Object(service) = service else {
                continue;
            };
            if let Some(mut finding) = word_finding(
                reader,
                service,
                "status",
                &format!("{pointer}/status"),
                name,
            ) {
                if let Some(error) = text(service, "error").filter(|e| !e.is_empty()) {
                    finding.reason = format!("{}: {}", finding.reason, clip(error));
                }
                parts.insert(canonical_part(name).to_string(), finding);
            }
        }
    }
    let overall = top_status(reader, object, &parts, "WebSocket service");
    reading(overall, parts, "Netra /ws/health")
}

/// `{"status": word, ...}` with the sub-fields Netra's readiness, startup, backend and auth
/// endpoints add.
fn generic(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut parts = BTreeMap::new();
    for key in ["core_db", "redis_db", "clickhouse_db", "database_status"] {
        if let Some(finding) = word_finding(reader, object, key, &format!("/{key}"), key) {
            let name = if key == "database_status" {
                "database"
            } else {
                canonical_part(key)
            };
            parts.insert(name.to_string(), finding);
        }
    }
    if let Some(Value::Object(readiness)) = object.get("websocket_readiness") {
        if let Some(finding) = word_finding(
            reader,
            readiness,
            "status",
            "/websocket_readiness/status",
            "websocket readiness",
        ) {
            parts.insert("websocket".to_string(), finding);
        }
    }
    if let Some(Value::Object(checks)) = object.get("checks") {
        for (name, check) in checks {
            if let Value::Object(check) = check {
                let pointer = format!("/checks/{}/status", escape(name));
                if let Some(finding) = word_finding(reader, check, "status", &pointer, name) {
                    parts.insert(canonical_part(name).to_string(), finding);
                }
            }
        }
    }
    let shape = if object.contains_key("status") {
        "status word"
    } else {
        "unexpected JSON"
    };
    let overall = top_status(reader, object, &parts, "service");
    reading(overall, parts, shape)
}

/// The endpoint's own status from its `status` word, reconciled with its HTTP status and its parts.
fn top_status(
    reader: &Reader,
    object: &Map<String, Value>,
    parts: &BTreeMap<String, Finding>,
    what: &str,
) -> Finding {
    let Some(value) = object.get("status") else {
        let status = match from_http_class(reader.http_status) {
            Status::Unknown => {
                worst_known(parts.values().map(|p| p.status)).unwrap_or(Status::Unknown)
            }
            known => known,
        };
        let keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
        let reason = format!(
            "{}: JSON without a \"status\" field (keys: {})",
            phrase(reader.http_status),
            keys.join(", ")
        );
        return reader.finding(
            status,
            reason,
            "",
            &clip(&Value::Object(object.clone()).to_string()),
        );
    };
    let mut finding = value_finding(reader, value, "/status", what);
    if let Some(message) = text(object, "message").or_else(|| text(object, "reason")) {
        finding.reason = format!("{}: {}", finding.reason, clip(message));
    }
    let finding = fold_parts(finding, parts);
    reconcile_http(reader, finding)
}

/// Escapes a key for a JSON pointer (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
