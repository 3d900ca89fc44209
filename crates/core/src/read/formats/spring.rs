//! Spring Boot Actuator `/actuator/health`: `status` (`UP`, `DOWN`, `OUT_OF_SERVICE`,
//! `UNKNOWN` or a custom word) and nested components, each with `status` and optional
//! `details`. Boot 2.2+ nests under `components` (groups and composites nest again), Boot
//! 2.0–2.1 under `details`, Boot 1.x puts components at the top level and a composite's
//! indicators beside its status. Nested parts are named `parent.child`. Nesting is read to a
//! fixed depth, so a hostile payload cannot make the walk unbounded.

use serde_json::{Map, Value};

use crate::read::{
    clip, escape, fold_parts, missing_status, reconcile_http, status_value_problem, value_finding,
    Reader, Reading, Sheet,
};

const SHAPE: &str = "Spring Boot Actuator health";

/// How deep nested components are read; deeper ones are noted, not read.
pub const MAX_DEPTH: usize = 8;

/// Whether `object` looks like Actuator health: an upper-case Actuator status word, or
/// `components` whose members carry a `status`.
pub(crate) fn recognises(object: &Map<String, Value>) -> bool {
    let actuator_word = object
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|word| matches!(word, "UP" | "DOWN" | "OUT_OF_SERVICE" | "UNKNOWN"));
    let components = object
        .get("components")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty() && c.values().all(has_status));
    actuator_word || components
}

fn has_status(value: &Value) -> bool {
    value.as_object().is_some_and(|o| o.contains_key("status"))
}

/// The members of `object` that are components: `components`, else a `details` map whose
/// members all carry a status (Boot 2.0), else (Boot 1.x, at the top level and in a composite
/// indicator without `details`) every member that carries a status. Returns the map's pointer
/// suffix and the members.
fn children(
    object: &Map<String, Value>,
    top: bool,
) -> Option<(&'static str, Vec<(&String, &Value)>)> {
    if let Some(Value::Object(components)) = object.get("components") {
        return Some(("/components", components.iter().collect()));
    }
    if let Some(Value::Object(details)) = object.get("details") {
        if !details.is_empty() && details.values().all(has_status) {
            return Some(("/details", details.iter().collect()));
        }
    }
    if top || !object.contains_key("details") {
        let members: Vec<_> = object
            .iter()
            .filter(|(key, value)| key.as_str() != "details" && has_status(value))
            .collect();
        if !members.is_empty() {
            return Some(("", members));
        }
    }
    None
}

/// Reads an Actuator health object.
pub(crate) fn read(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    if let Some(other) = object.get("components").filter(|c| !c.is_object()) {
        sheet.wrong_type("/components", other, "an object");
    }
    if let Some((suffix, members)) = children(object, true) {
        walk(reader, &mut sheet, &members, "", suffix, 1);
    }
    let Some(status) = object.get("status") else {
        let overall = missing_status(reader, &mut sheet, object, "status");
        return sheet.finish(overall, SHAPE);
    };
    let overall = value_finding(reader, status, "/status", "application");
    if let Some(problem) = status_value_problem(status, &overall) {
        sheet.problem = Some(problem);
    }
    let overall = reconcile_http(reader, fold_parts(overall, &sheet.parts));
    sheet.finish(overall, SHAPE)
}

/// Reads one level of components named under `prefix` at `pointer`, then their children,
/// stopping at [`MAX_DEPTH`].
fn walk(
    reader: &Reader,
    sheet: &mut Sheet,
    members: &[(&String, &Value)],
    prefix: &str,
    pointer: &str,
    depth: usize,
) {
    for (name, component) in members {
        let here = format!("{pointer}/{}", escape(name));
        let part = if prefix.is_empty() {
            (*name).clone()
        } else {
            format!("{prefix}.{name}")
        };
        let Value::Object(component) = component else {
            sheet.wrong_type(&here, component, "an object");
            continue;
        };
        let Some(status) = component.get("status") else {
            sheet.note(format!("{here} has no \"status\""));
            continue;
        };
        let mut finding = value_finding(reader, status, &format!("{here}/status"), &part);
        let nested = children(component, false);
        if let Some(Value::Object(details)) = component.get("details") {
            let is_children = nested.as_ref().is_some_and(|(s, _)| *s == "/details");
            if !is_children {
                if let Some(error) = details.get("error").and_then(Value::as_str) {
                    finding.reason = format!("{}: {}", finding.reason, clip(error));
                }
                // Actuator's disk space indicator reports bytes; other details have no unit.
                let unit = if name.as_str() == "diskSpace" {
                    "bytes"
                } else {
                    ""
                };
                for (key, value) in details {
                    if value.is_number() {
                        sheet.metric(
                            &format!("{part}.{key}"),
                            value,
                            &format!("{here}/details/{}", escape(key)),
                            unit,
                        );
                    }
                }
            }
        }
        if !component.contains_key("details") && !component.contains_key("components") {
            // Boot 1.x puts an indicator's details, its error included, beside its status.
            if let Some(error) = component.get("error").and_then(Value::as_str) {
                finding.reason = format!("{}: {}", finding.reason, clip(error));
            }
            let unit = if name.as_str() == "diskSpace" {
                "bytes"
            } else {
                ""
            };
            for (key, value) in component.iter().filter(|(_, v)| v.is_number()) {
                sheet.metric(
                    &format!("{part}.{key}"),
                    value,
                    &format!("{here}/{}", escape(key)),
                    unit,
                );
            }
        }
        sheet.part(&part, finding);
        if let Some((suffix, members)) = nested {
            if depth >= MAX_DEPTH {
                sheet.note(format!(
                    "{here}{suffix} nests deeper than {MAX_DEPTH} levels; not read"
                ));
            } else {
                walk(
                    reader,
                    sheet,
                    &members,
                    &part,
                    &format!("{here}{suffix}"),
                    depth + 1,
                );
            }
        }
    }
}
