//! Atlassian Statuspage's public API: `/api/v2/summary.json` (and its parts `status.json`,
//! `components.json`): `page`, `status{indicator, description}`, `components[]` with
//! `operational|degraded_performance|partial_outage|major_outage|under_maintenance`,
//! `incidents` and `scheduled_maintenances`. Components are parts, named with their group when
//! names collide; a group container (`group: true`) is a part too, named by its name (with
//! ` (group)` when a component has it), whose level is its members' counted as a status page
//! counts them (all down: major outage; some down: partial outage), so a group can be a row.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::read::formats::rule::page_level;
use crate::read::timestamp::reported_at_in;
use crate::read::{
    clip, fold_parts, missing_status, reconcile_http, status_value_problem, vocabulary_finding,
    Finding, Reader, Reading, Sheet,
};
use crate::status::{worst_known, Status};

/// The page-level indicator, which is a severity, not a component status.
pub fn indicator_status(word: &str) -> Option<Status> {
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "none" => Status::Operational,
        "minor" => Status::Degraded,
        // Statuspage describes `major` as a partial system outage and `critical` as a major one.
        "major" => Status::PartialOutage,
        "critical" => Status::MajorOutage,
        "maintenance" => Status::Maintenance,
        _ => return None,
    })
}

/// A component's status word.
pub fn component_status(word: &str) -> Option<Status> {
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "operational" => Status::Operational,
        "degraded_performance" => Status::Degraded,
        "partial_outage" => Status::PartialOutage,
        "major_outage" => Status::MajorOutage,
        "under_maintenance" => Status::Maintenance,
        _ => return None,
    })
}

/// Whether `object` looks like a Statuspage API answer: a `page` object with a status,
/// components or incidents.
pub(crate) fn recognises(object: &Map<String, Value>) -> bool {
    object.get("page").is_some_and(Value::is_object)
        && (object.get("status").is_some_and(Value::is_object)
            || object.contains_key("components")
            || object.contains_key("incidents"))
}

/// Reads a Statuspage summary, status or components object.
pub(crate) fn read(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    let mut shape = "Statuspage summary";
    if let Some(components) = sheet.array(object, "components", "/components") {
        read_components(reader, &mut sheet, components);
        if !object.contains_key("status") {
            shape = "Statuspage components";
        }
    } else if object.contains_key("status") && !object.contains_key("incidents") {
        shape = "Statuspage status";
    }
    sheet.reported_at = reported_at_in(object, &["/page/updated_at"]);
    let overall = match object.get("status") {
        Some(Value::Object(status)) => match status.get("indicator") {
            Some(indicator) => {
                let description = status
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("page");
                let finding = vocabulary_finding(
                    reader,
                    indicator,
                    "/status/indicator",
                    description,
                    &indicator_status,
                );
                if let Some(problem) = status_value_problem(indicator, &finding) {
                    sheet.problem = Some(problem);
                }
                Some(finding)
            }
            None => {
                sheet.note("/status has no \"indicator\"");
                None
            }
        },
        Some(other) => {
            sheet.wrong_type("/status", other, "an object");
            None
        }
        None => None,
    };
    let mut overall = match overall {
        Some(finding) => fold_parts(finding, &sheet.parts),
        None if !sheet.parts.is_empty() => from_components(reader, &sheet.parts),
        None => missing_status(reader, &mut sheet, object, "status"),
    };
    let open = open_incidents(&mut sheet, object);
    if !open.is_empty() {
        overall.reason = format!("{}; open: {}", overall.reason, open.join("; "));
    }
    sheet.finish(reconcile_http(reader, overall), shape)
}

fn read_components(reader: &Reader, sheet: &mut Sheet, components: &[Value]) {
    let groups: BTreeMap<&str, &str> = components
        .iter()
        .filter_map(Value::as_object)
        .filter(|c| c.get("group") == Some(&Value::Bool(true)))
        .filter_map(|c| Some((c.get("id")?.as_str()?, c.get("name")?.as_str()?)))
        .collect();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for (index, component) in components.iter().enumerate() {
        let pointer = format!("/components/{index}");
        let Value::Object(component) = component else {
            sheet.wrong_type(&pointer, component, "an object");
            continue;
        };
        if component.get("group") == Some(&Value::Bool(true)) {
            continue;
        }
        let Some(name) = component.get("name").and_then(Value::as_str) else {
            sheet.note(format!("{pointer} has no \"name\""));
            continue;
        };
        let group = component
            .get("group_id")
            .and_then(Value::as_str)
            .and_then(|id| groups.get(id).copied());
        let Some(status) = component.get("status") else {
            sheet.note(format!("{pointer} has no \"status\""));
            continue;
        };
        let what = match group {
            Some(group) => format!("{name} ({group})"),
            None => name.to_string(),
        };
        let mut finding = vocabulary_finding(
            reader,
            status,
            &format!("{pointer}/status"),
            &what,
            &component_status,
        );
        if let Some(description) = component.get("description").and_then(Value::as_str) {
            if finding.status.is_problem() && !description.is_empty() {
                finding.reason = format!("{}: {}", finding.reason, clip(description));
            }
        }
        // Two components may share a name in different groups; keep both.
        let count = taken.entry(name.to_string()).or_default();
        *count += 1;
        let key = match (*count, group) {
            (1, _) => name.to_string(),
            (_, Some(group)) => format!("{group} / {name}"),
            (n, None) => format!("{name} #{n}"),
        };
        sheet.part(&key, finding);
    }
    read_groups(reader, sheet, components, &taken);
}

/// Each group container as a part: its members' level when any is known, else its own word.
fn read_groups(
    reader: &Reader,
    sheet: &mut Sheet,
    components: &[Value],
    taken: &BTreeMap<String, usize>,
) {
    for (index, group) in components.iter().enumerate() {
        let Some(group) = group.as_object() else {
            continue;
        };
        if group.get("group") != Some(&Value::Bool(true)) {
            continue;
        }
        let (Some(id), Some(name)) = (
            group.get("id").and_then(Value::as_str),
            group.get("name").and_then(Value::as_str),
        ) else {
            sheet.note(format!(
                "/components/{index} is a group without an id or a name"
            ));
            continue;
        };
        let pointer = format!("/components/{index}/status");
        let members: Vec<(&str, Status)> = components
            .iter()
            .filter_map(Value::as_object)
            .filter(|c| c.get("group_id").and_then(Value::as_str) == Some(id))
            .filter_map(|c| {
                let name = c.get("name")?.as_str()?;
                let status = c.get("status")?.as_str().and_then(component_status)?;
                Some((name, status))
            })
            .collect();
        let finding = if members.is_empty() {
            let status = group.get("status").unwrap_or(&Value::Null);
            vocabulary_finding(reader, status, &pointer, name, &component_status)
        } else {
            group_finding(reader, name, &members, &pointer)
        };
        let key = if taken.contains_key(name) {
            format!("{name} (group)")
        } else {
            name.to_string()
        };
        sheet.part(&key, finding);
    }
}

/// A group's finding from its members' known levels.
fn group_finding(
    reader: &Reader,
    name: &str,
    members: &[(&str, Status)],
    pointer: &str,
) -> Finding {
    let statuses: Vec<Status> = members.iter().map(|(_, s)| *s).collect();
    let status = page_level(&statuses);
    let troubled: Vec<String> = members
        .iter()
        .filter(|(_, s)| s.is_problem())
        .take(6)
        .map(|(n, s)| format!("{n} {}", s.label().to_ascii_lowercase()))
        .collect();
    let reason = if troubled.is_empty() {
        format!("{name}: all {} components operational", members.len())
    } else {
        format!(
            "{name}: {} of {} components not operational: {}",
            troubled.len(),
            members.len(),
            troubled.join(", ")
        )
    };
    reader.finding(status, reason, pointer, status.as_str())
}

/// The page's status when it has no indicator (`components.json`): the worst component.
fn from_components(reader: &Reader, parts: &BTreeMap<String, Finding>) -> Finding {
    let status = worst_known(parts.values().map(|p| p.status)).unwrap_or(Status::Unknown);
    let names: Vec<&str> = parts
        .iter()
        .filter(|(_, p)| p.status == status)
        .map(|(name, _)| name.as_str())
        .take(6)
        .collect();
    reader.finding(
        status,
        format!(
            "worst of {} components: {} {}",
            parts.len(),
            names.join(", "),
            status.label().to_ascii_lowercase()
        ),
        "/components",
        "",
    )
}

/// Unresolved incidents and maintenances in progress, for the reason.
fn open_incidents(sheet: &mut Sheet, object: &Map<String, Value>) -> Vec<String> {
    let mut open = Vec::new();
    for (key, done) in [
        ("incidents", &["resolved", "postmortem", "completed"][..]),
        ("scheduled_maintenances", &["scheduled", "completed"][..]),
    ] {
        let Some(list) = sheet.array(object, key, &format!("/{key}")) else {
            continue;
        };
        for entry in list.iter().filter_map(Value::as_object) {
            let status = entry.get("status").and_then(Value::as_str).unwrap_or("");
            if done.contains(&status) {
                continue;
            }
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("unnamed");
            let impact = entry.get("impact").and_then(Value::as_str).unwrap_or("");
            let what = if key == "incidents" {
                "incident"
            } else {
                "maintenance"
            };
            let mut text = format!("{what} \"{}\" ({status}", clip(name));
            if !impact.is_empty() {
                text.push_str(&format!(", impact {impact}"));
            }
            text.push(')');
            if open.len() < 5 {
                open.push(text);
            }
        }
    }
    open
}
