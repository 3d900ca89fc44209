//! IETF draft-inadarei-api-health-check (`application/health+json`): a top-level `status`
//! (`pass`/`warn`/`fail`, also `ok`/`up`/`down`) and `checks`, a map of
//! `"component:measurement"` to arrays of objects with `status`, `componentId`,
//! `componentType`, `observedValue`, `observedUnit`, `time` and `output`.

use serde_json::{Map, Value};

use crate::read::timestamp::newest;
use crate::read::{
    clip, escape, fold_parts, missing_status, reconcile_http, status_value_problem, value_finding,
    Reader, Reading, Sheet,
};

const SHAPE: &str = "IETF health+json";

/// Whether `object` looks like health+json: `checks` holding arrays, or a `pass`/`warn`/`fail`
/// status.
pub(crate) fn recognises(object: &Map<String, Value>) -> bool {
    let array_checks = object
        .get("checks")
        .and_then(Value::as_object)
        .is_some_and(|checks| checks.values().any(Value::is_array));
    let draft_word = object
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|word| matches!(word, "pass" | "warn" | "fail"));
    array_checks || draft_word
}

/// Reads a health+json object.
pub(crate) fn read(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    let mut times = Vec::new();
    if let Some(checks) = sheet.object(object, "checks", "/checks") {
        for (key, entries) in checks {
            let pointer = format!("/checks/{}", escape(key));
            let entries: Vec<(String, &Value)> = match entries {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (format!("{pointer}/{index}"), item))
                    .collect(),
                // The draft says array; a single object is read all the same.
                Value::Object(_) => {
                    sheet.wrong_type(&pointer, entries, "an array");
                    vec![(pointer.clone(), entries)]
                }
                other => {
                    sheet.wrong_type(&pointer, other, "an array");
                    continue;
                }
            };
            let (component, measurement) = match key.split_once(':') {
                Some((component, measurement)) if !component.is_empty() => (component, measurement),
                _ => (key.as_str(), ""),
            };
            let single = entries.len() == 1;
            for (index, (entry_pointer, entry)) in entries.into_iter().enumerate() {
                let Value::Object(entry) = entry else {
                    sheet.wrong_type(&entry_pointer, entry, "an object");
                    continue;
                };
                let component_id = entry.get("componentId").and_then(Value::as_str);
                if let Some(time) = entry.get("time") {
                    times.push((format!("{entry_pointer}/time"), time));
                }
                if let Some(observed) = entry.get("observedValue") {
                    let unit = entry
                        .get("observedUnit")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let name = match (single, component_id) {
                        (true, _) => key.clone(),
                        (false, Some(id)) => format!("{key}[{id}]"),
                        (false, None) => format!("{key}[{index}]"),
                    };
                    sheet.metric(
                        &name,
                        observed,
                        &format!("{entry_pointer}/observedValue"),
                        unit,
                    );
                }
                let Some(status) = entry.get("status") else {
                    sheet.note(format!("{entry_pointer} has no \"status\""));
                    continue;
                };
                let what = match component_id {
                    Some(id) if !single => format!("{key} ({id})"),
                    _ => key.clone(),
                };
                let mut finding =
                    value_finding(reader, status, &format!("{entry_pointer}/status"), &what);
                if let Some(observed) = entry.get("observedValue").filter(|v| !v.is_null()) {
                    let unit = entry
                        .get("observedUnit")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let value = match observed {
                        Value::String(text) => clip(text),
                        other => clip(&other.to_string()),
                    };
                    let label = if measurement.is_empty() {
                        "observed"
                    } else {
                        measurement
                    };
                    finding.reason = format!("{}, {label} {value}{unit}", finding.reason);
                }
                if let Some(output) = entry.get("output").and_then(Value::as_str) {
                    if !output.is_empty() {
                        finding.reason = format!("{}: {}", finding.reason, clip(output));
                    }
                }
                sheet.part(component, finding);
            }
        }
    }
    sheet.reported_at = newest(times);
    let Some(status) = object.get("status") else {
        let overall = missing_status(reader, &mut sheet, object, "status");
        return sheet.finish(overall, SHAPE);
    };
    let what = object
        .get("serviceId")
        .or_else(|| object.get("description"))
        .and_then(Value::as_str)
        .unwrap_or("service");
    let mut overall = value_finding(reader, status, "/status", what);
    if let Some(problem) = status_value_problem(status, &overall) {
        sheet.problem = Some(problem);
    }
    if let Some(output) = object.get("output").and_then(Value::as_str) {
        if !output.is_empty() {
            overall.reason = format!("{}: {}", overall.reason, clip(output));
        }
    }
    let overall = reconcile_http(reader, fold_parts(overall, &sheet.parts));
    sheet.finish(overall, SHAPE)
}
