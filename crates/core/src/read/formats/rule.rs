//! The generic rule: reads any JSON health payload as the configuration describes it, for
//! services whose shape Lookout does not know.
//!
//! In the configuration (`"format"` of an endpoint):
//!
//! ```json
//! {"rule": {
//!   "status": "/state",
//!   "components": "/services",
//!   "name": "name",
//!   "status_field": "health",
//!   "critical": "critical",
//!   "latency": "latency_ms",
//!   "latency_unit": "ms",
//!   "time": "/checked_at",
//!   "words": {"green": "operational", "amber": "degraded", "red": "major_outage"},
//!   "only_words": false
//! }}
//! ```
//!
//! `status`, `components` and `time` are JSON pointers into the body (`""` is the whole body);
//! `name`, `status_field`, `critical` and `latency` are keys of each component, or JSON pointers
//! into it when they start with `/`. At least one of `status` and `components` is required.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::read::timestamp::reported_at;
use crate::read::{
    clip_value, escape, fold_parts, kind_of, reconcile_http, Finding, Problem, Reader, Reading,
    Sheet,
};
use crate::status::{worst_known, Status};

const SHAPE: &str = "rule";

/// How to read a payload whose shape Lookout does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// JSON pointer to the overall status value. Without it, the overall status is the worst
    /// component's (a non-critical one's outage counting as partial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// JSON pointer to a map (name to component) or an array of components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<String>,
    /// The component field holding its name. Maps default to their keys, arrays to `name`,
    /// then `id`, then the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The component field holding its status, `status` by default. A component that is
    /// itself a word (`{"db": "up"}`) is read as its status.
    #[serde(default = "default_status_field")]
    pub status_field: String,
    /// The component field holding whether it is critical (a boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<String>,
    /// The component field holding its latency, kept as the metric `<name>.latency`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<String>,
    /// The latency's unit when the value has none; `ms` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_unit: Option<String>,
    /// JSON pointer to the payload's own time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Status words and what they mean, matched case-insensitively before Lookout's own
    /// vocabulary. Numbers and booleans match by their JSON text (`"1"`, `"true"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Status>,
    /// When true, only `words` count: every other word is unknown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub only_words: bool,
}

fn default_status_field() -> String {
    "status".to_string()
}

impl Rule {
    /// Checks what serde cannot: something to read, and well-formed pointers and fields.
    pub fn check(&self) -> Result<(), String> {
        if self.status.is_none() && self.components.is_none() {
            return Err("needs \"status\" (a JSON pointer to the status) or \"components\" (a JSON pointer to the components), or both".to_string());
        }
        for (key, pointer) in [
            ("status", &self.status),
            ("components", &self.components),
            ("time", &self.time),
        ] {
            if let Some(pointer) = pointer {
                if !pointer.is_empty() && !pointer.starts_with('/') {
                    return Err(format!(
                        "\"{key}\" must be a JSON pointer starting with '/' (or \"\" for the whole body), found \"{pointer}\""
                    ));
                }
            }
        }
        for (key, field) in [
            ("name", self.name.as_deref()),
            ("status_field", Some(self.status_field.as_str())),
            ("critical", self.critical.as_deref()),
            ("latency", self.latency.as_deref()),
        ] {
            if field.is_some_and(|f| f.trim().is_empty()) {
                return Err(format!("\"{key}\" must not be empty"));
            }
        }
        if let Some(word) = self.words.keys().find(|w| w.trim().is_empty()) {
            return Err(format!("\"words\" has an empty word \"{word}\""));
        }
        Ok(())
    }

    /// What a status value means under this rule, or `None` for an unknown value.
    fn status_of(&self, value: &Value) -> Option<Status> {
        let text = match value {
            Value::String(word) => word.trim().to_string(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            _ => return None,
        };
        let mapped = self
            .words
            .iter()
            .find(|(word, _)| word.trim().eq_ignore_ascii_case(&text))
            .map(|(_, status)| *status);
        if mapped.is_some() || self.only_words {
            return mapped;
        }
        match value {
            Value::String(word) => crate::read::words::status_from_word(word),
            Value::Bool(true) => Some(Status::Operational),
            Value::Bool(false) => Some(Status::MajorOutage),
            _ => None,
        }
    }

    /// A finding on `value` at `pointer` about `what`.
    fn finding(
        &self,
        reader: &Reader,
        value: &Value,
        pointer: &str,
        what: &str,
    ) -> (Finding, Option<Problem>) {
        let raw = clip_value(value);
        match self.status_of(value) {
            Some(status) => (
                reader.finding(status, format!("{what}: {raw}"), pointer, &raw),
                None,
            ),
            None => {
                let (reason, problem) = match value {
                    Value::String(_) | Value::Number(_) | Value::Bool(_) => (
                        format!("{what}: \"{raw}\" is not a word this rule knows"),
                        Problem::UnknownWord,
                    ),
                    other => (
                        format!("{what}: {} where a status was expected", kind_of(other)),
                        Problem::UnexpectedShape,
                    ),
                };
                (
                    reader.finding(Status::Unknown, reason, pointer, &raw),
                    Some(problem),
                )
            }
        }
    }
}

/// A component field: a key, or a JSON pointer into the component when it starts with `/`.
fn field<'v>(component: &'v Value, field: &str) -> Option<&'v Value> {
    if field.starts_with('/') {
        component.pointer(field)
    } else {
        component.get(field)
    }
}

fn field_pointer(base: &str, field: &str) -> String {
    if field.starts_with('/') {
        format!("{base}{field}")
    } else {
        format!("{base}/{}", escape(field))
    }
}

/// Reads `body` with `rule`.
pub(crate) fn read(reader: &Reader, rule: &Rule, body: &Value) -> Reading {
    let mut sheet = Sheet::default();
    let mut non_critical: Vec<String> = Vec::new();
    if let Some(pointer) = &rule.components {
        match body.pointer(pointer) {
            Some(Value::Object(map)) => {
                for (key, component) in map {
                    let base = format!("{pointer}/{}", escape(key));
                    let name = rule
                        .name
                        .as_deref()
                        .and_then(|f| field(component, f))
                        .and_then(Value::as_str)
                        .unwrap_or(key);
                    read_component(
                        reader,
                        rule,
                        &mut sheet,
                        &mut non_critical,
                        component,
                        name,
                        &base,
                    );
                }
            }
            Some(Value::Array(items)) => {
                for (index, component) in items.iter().enumerate() {
                    let base = format!("{pointer}/{index}");
                    let fields: Vec<&str> = match rule.name.as_deref() {
                        Some(name) => vec![name],
                        None => vec!["name", "id"],
                    };
                    let named = fields
                        .iter()
                        .find_map(|f| field(component, f).and_then(Value::as_str))
                        .map(str::to_string);
                    let name = named.unwrap_or_else(|| format!("#{index}"));
                    read_component(
                        reader,
                        rule,
                        &mut sheet,
                        &mut non_critical,
                        component,
                        &name,
                        &base,
                    );
                }
            }
            Some(other) => sheet.wrong_type(pointer, other, "an object or an array of components"),
            None => sheet.note(format!("no components at {pointer}")),
        }
    }
    if let Some(pointer) = &rule.time {
        sheet.reported_at = reported_at(body, &[pointer.as_str()]);
    }
    let overall = match &rule.status {
        Some(pointer) => match body.pointer(pointer) {
            Some(value) => {
                let (finding, problem) = rule.finding(reader, value, pointer, "status");
                if problem.is_some() {
                    sheet.problem = problem;
                }
                fold_parts(finding, &sheet.parts)
            }
            None => {
                sheet.problem = Some(Problem::UnexpectedShape);
                reader.finding(
                    Status::Unknown,
                    format!("JSON of an unexpected shape: no status at {pointer}"),
                    pointer,
                    &clip_value(body),
                )
            }
        },
        None => from_components(reader, &mut sheet, &non_critical),
    };
    sheet.finish(reconcile_http(reader, overall), SHAPE)
}

fn read_component(
    reader: &Reader,
    rule: &Rule,
    sheet: &mut Sheet,
    non_critical: &mut Vec<String>,
    component: &Value,
    name: &str,
    base: &str,
) {
    let status_value = match component {
        Value::Object(_) => field(component, &rule.status_field),
        word => Some(word),
    };
    let Some(status_value) = status_value else {
        sheet.note(format!("{} has no \"{}\"", base, rule.status_field));
        return;
    };
    let pointer = if component.is_object() {
        field_pointer(base, &rule.status_field)
    } else {
        base.to_string()
    };
    let (mut finding, problem) = rule.finding(reader, status_value, &pointer, name);
    if problem.is_some() && sheet.problem.is_none() && rule.status.is_none() {
        sheet.problem = problem;
    }
    if let Some(critical) = rule.critical.as_deref() {
        match field(component, critical) {
            Some(Value::Bool(false)) => {
                finding.reason = format!("{} (non-critical)", finding.reason);
                non_critical.push(name.to_string());
            }
            Some(Value::Bool(true)) | None => {}
            Some(other) => {
                sheet.wrong_type(&field_pointer(base, critical), other, "a boolean");
            }
        }
    }
    if let Some(latency) = rule.latency.as_deref() {
        if let Some(value) = field(component, latency) {
            let unit = rule.latency_unit.as_deref().unwrap_or("ms");
            sheet.metric(
                &format!("{name}.latency"),
                value,
                &field_pointer(base, latency),
                unit,
            );
        }
    }
    sheet.part(name, finding);
}

/// The overall status when the rule has no status pointer: the worst component, where a
/// non-critical component's outage counts as a partial outage.
fn from_components(reader: &Reader, sheet: &mut Sheet, non_critical: &[String]) -> Finding {
    let effective = |name: &str, status: Status| {
        if status == Status::MajorOutage && non_critical.iter().any(|n| n == name) {
            Status::PartialOutage
        } else {
            status
        }
    };
    let Some(worst) = worst_known(sheet.parts.iter().map(|(n, p)| effective(n, p.status))) else {
        if sheet.problem.is_none() {
            sheet.problem = Some(Problem::UnexpectedShape);
        }
        let reason = if sheet.parts.is_empty() {
            "JSON of an unexpected shape: no components to read".to_string()
        } else {
            format!(
                "none of {} components has a known status",
                sheet.parts.len()
            )
        };
        return reader.finding(Status::Unknown, reason, "", "");
    };
    let names: Vec<&str> = sheet
        .parts
        .iter()
        .filter(|(n, p)| effective(n, p.status) == worst)
        .map(|(n, _)| n.as_str())
        .take(6)
        .collect();
    let unknown = sheet
        .parts
        .values()
        .filter(|p| p.status == Status::Unknown)
        .count();
    let mut reason = format!(
        "worst of {} components: {} {}",
        sheet.parts.len(),
        names.join(", "),
        worst.label().to_ascii_lowercase()
    );
    if unknown > 0 {
        if worst == Status::Operational {
            // Some components cannot be read: the whole is not known to be fine.
            return reader.finding(
                Status::Unknown,
                format!(
                    "{unknown} of {} components have no known status; the others are operational",
                    sheet.parts.len()
                ),
                "",
                "",
            );
        }
        reason.push_str(&format!(" ({unknown} unknown)"));
    }
    reader.finding(worst, reason, "", "")
}
