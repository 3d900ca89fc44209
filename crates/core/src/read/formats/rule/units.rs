//! The units a rule reads from a JSON body: the list at `components` (each unit's own status,
//! its `checks`, its `nested` units down to `depth`, its criticality and latency) and the
//! free-text `failures`. List elements that share a name are one unit, as are a unit's checks:
//! [`rollup::combine`] decides its status, and [`compose`] words its reason.

use std::collections::BTreeMap;

use serde_json::Value;

use super::levels::{last_key, observe, with_message, Observation};
use super::rollup::{self, TopUnit};
use super::select::{self, entries, name_of, render, resolve, text_of};
use super::Rule;
use crate::read::{clip, clip_value, Finding, Reader, Sheet};
use crate::status::Status;

/// The most observations a unit's reason names.
const NAMED: usize = 6;

/// Everything read about the units, by name, in the order first seen.
#[derive(Default)]
pub(super) struct Found {
    order: Vec<String>,
    units: BTreeMap<String, Gathered>,
}

/// What was read about one unit.
struct Gathered {
    /// A top-level unit (it takes part in the roll-up), as opposed to a nested one.
    top: bool,
    seen: Vec<Observation>,
    non_critical: bool,
}

impl Found {
    /// Adds observations of the unit `name`.
    pub(super) fn add(
        &mut self,
        name: &str,
        top: bool,
        seen: Vec<Observation>,
        non_critical: bool,
    ) {
        let unit = self.units.entry(name.to_string()).or_insert_with(|| {
            self.order.push(name.to_string());
            Gathered {
                top,
                seen: Vec::new(),
                non_critical: false,
            }
        });
        unit.seen.extend(seen);
        unit.non_critical |= non_critical;
    }

    /// Records every unit as a part and returns the top-level ones for the roll-up. Without a
    /// status of the payload's own (`own_status` false), an unreadable top-level unit is the
    /// reading's problem.
    pub(super) fn finish(
        self,
        reader: &Reader,
        own_status: bool,
        sheet: &mut Sheet,
    ) -> Vec<TopUnit> {
        let mut top = Vec::new();
        for name in &self.order {
            let Some(unit) = self.units.get(name) else {
                continue;
            };
            let mut finding = compose(reader, name, &unit.seen);
            if unit.non_critical {
                finding.reason = format!("{} (non-critical)", finding.reason);
            }
            if unit.top {
                if finding.status == Status::Unknown && !own_status && sheet.problem.is_none() {
                    sheet.problem = unit.seen.iter().find_map(|o| o.problem);
                }
                top.push(TopUnit {
                    name: name.clone(),
                    status: finding.status,
                    non_critical: unit.non_critical,
                });
            }
            sheet.part(name, finding);
        }
        top
    }
}

/// A unit's finding from its observations: one speaks for itself; several are counted, the
/// ones in trouble named, the deciding ones first, then the worst.
pub(super) fn compose(reader: &Reader, name: &str, seen: &[Observation]) -> Finding {
    let status = rollup::combine(seen.iter().map(|o| o.status));
    let Some(first) = seen.first() else {
        return reader.finding(status, format!("{name}: nothing read"), "", "");
    };
    let decisive = seen.iter().find(|o| o.status == status).unwrap_or(first);
    let reason = if seen.len() == 1 {
        format!("{name}: {}", labelled(first))
    } else {
        let mut troubled: Vec<&Observation> = seen
            .iter()
            .filter(|o| o.status != Status::Operational)
            .collect();
        // The observations that decided first (a maintenance check), then the worst.
        crate::order::sort_stable_by_key(&mut troubled, |o| {
            let deciding = i64::from(o.status != status) * 100;
            deciding - i64::from(o.status.severity().map_or(0, |s| s + 1))
        });
        if troubled.is_empty() {
            format!("{name}: all {} operational", seen.len())
        } else {
            let mut listed: Vec<String> =
                troubled.iter().take(NAMED).map(|o| labelled(o)).collect();
            if troubled.len() > NAMED {
                listed.push(format!("{} more", troubled.len() - NAMED));
            }
            format!(
                "{name}: {} of {} not operational: {}",
                troubled.len(),
                seen.len(),
                listed.join("; ")
            )
        }
    };
    reader.finding(status, reason, &decisive.pointer, &decisive.raw)
}

fn labelled(seen: &Observation) -> String {
    if seen.label.is_empty() {
        seen.said.clone()
    } else {
        format!("{}: {}", seen.label, seen.said)
    }
}

/// Reads the units at `pointer` (a map or an array). Reading the whole body (`""`), the members
/// the rule reads as the status, time or failures are not units.
pub(super) fn read_list(
    rule: &Rule,
    body: &Value,
    pointer: &str,
    sheet: &mut Sheet,
    found: &mut Found,
) {
    let Some((list, at)) = resolve(body, pointer) else {
        sheet.note(format!("no components at {pointer}"));
        return;
    };
    let Some(members) = entries(list, &at) else {
        sheet.wrong_type(&at, list, "an object or an array of components");
        return;
    };
    let taken: Vec<&str> = [&rule.status, &rule.time, &rule.failures]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let walk = UnitReader { rule };
    for entry in members {
        if taken.contains(&entry.pointer.as_str()) {
            continue;
        }
        let name = name_of(rule.name.as_deref(), entry.key, entry.value, entry.index);
        walk.unit(entry.value, &name, &entry.pointer, 0, sheet, found);
    }
}

/// Reads free-text failures at `pointer`: a map of name to text, or an array of texts; each is
/// a failing unit with its text. Absent or null, nothing failed.
pub(super) fn read_failures(body: &Value, pointer: &str, sheet: &mut Sheet, found: &mut Found) {
    let Some((value, at)) = resolve(body, pointer) else {
        return;
    };
    if value.is_null() {
        return;
    }
    let Some(failures) = entries(value, &at) else {
        sheet.wrong_type(&at, value, "a map of names to texts or an array of texts");
        return;
    };
    for entry in failures {
        let name = entry
            .key
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", entry.index));
        let text = text_of(entry.value).unwrap_or_else(|| clip_value(entry.value));
        let said = if text.trim().is_empty() {
            "failed".to_string()
        } else {
            clip(text.trim())
        };
        let seen = Observation {
            label: String::new(),
            status: Status::MajorOutage,
            said,
            pointer: entry.pointer.clone(),
            raw: clip_value(entry.value),
            problem: None,
        };
        found.add(&name, true, vec![seen], false);
    }
}

/// An observation of a unit or check that has no status to read.
fn missing(status_field: &str, at: &str, unit: &Value, label: String) -> Observation {
    Observation {
        label,
        status: Status::Unknown,
        said: format!("no \"{status_field}\" to read"),
        pointer: at.to_string(),
        raw: clip_value(unit),
        problem: Some(crate::read::Problem::UnexpectedShape),
    }
}

/// Reads units with a rule.
struct UnitReader<'r> {
    rule: &'r Rule,
}

impl UnitReader<'_> {
    /// Reads one unit (at `at`, nested `depth` levels below the list) and records it under
    /// `name`; returns its status, unknown when it has none to read.
    fn unit(
        &self,
        unit: &Value,
        name: &str,
        at: &str,
        depth: u8,
        sheet: &mut Sheet,
        found: &mut Found,
    ) -> Status {
        let rule = self.rule;
        let label = match (&rule.check_name, depth) {
            (Some(template), 0) => render(unit, template).unwrap_or_default(),
            _ => String::new(),
        };
        let mut seen: Vec<Observation> = self.own(unit, at, label).into_iter().collect();
        if rule.checks.is_some() {
            seen.extend(self.checks(unit, at, sheet));
        }
        let children = self.children(unit, name, at, depth, sheet, found);
        if seen.is_empty() {
            // A unit without a status of its own speaks through its nested units.
            seen = children;
        }
        if seen.is_empty() {
            // Listed but without a status: a unit Lookout cannot read, never one to leave out.
            seen.push(missing(&rule.status_field, at, unit, String::new()));
        }
        let status = rollup::combine(seen.iter().map(|o| o.status));
        let non_critical = self.non_critical(unit, at, sheet);
        self.latency(unit, name, at, sheet);
        found.add(name, depth == 0, seen, non_critical);
        status
    }

    /// The unit's own status: its status field, or the unit itself when it is a word.
    fn own(&self, unit: &Value, at: &str, label: String) -> Option<Observation> {
        let field = &self.rule.status_field;
        let (value, pointer) = match unit {
            Value::Object(_) => {
                let (value, suffix) = select::field(unit, field)?;
                (value, format!("{at}{suffix}"))
            }
            word => (word, at.to_string()),
        };
        // A boolean says little alone: name the field it came from, unless that is `status`.
        let key = last_key(field);
        let flag = (unit.is_object() && key != "status").then_some(key);
        let seen = observe(self.rule, value, unit, &pointer, label, flag);
        Some(with_message(self.rule, seen, unit))
    }

    /// The unit's checks, each an observation named by `check_name`.
    fn checks(&self, unit: &Value, at: &str, sheet: &mut Sheet) -> Vec<Observation> {
        let rule = self.rule;
        let Some((list, suffix)) = rule.checks.as_deref().and_then(|f| select::field(unit, f))
        else {
            return Vec::new();
        };
        let base = format!("{at}{suffix}");
        let Some(checks) = entries(list, &base) else {
            sheet.wrong_type(&base, list, "an array or an object of checks");
            return Vec::new();
        };
        let mut seen = Vec::new();
        for check in checks {
            let label = name_of(
                rule.check_name.as_deref(),
                check.key,
                check.value,
                check.index,
            );
            let one = self.own(check.value, &check.pointer, label.clone());
            seen.push(one.unwrap_or_else(|| {
                missing(&rule.status_field, &check.pointer, check.value, label)
            }));
        }
        seen
    }

    /// Reads the unit's nested units as parts `name.child` and returns one observation each,
    /// for a unit that has no status of its own.
    fn children(
        &self,
        unit: &Value,
        name: &str,
        at: &str,
        depth: u8,
        sheet: &mut Sheet,
        found: &mut Found,
    ) -> Vec<Observation> {
        let Some(nested) = self.rule.nested.as_deref() else {
            return Vec::new();
        };
        let members = self.nested_members(unit, nested, at, sheet);
        if members.is_empty() {
            return Vec::new();
        }
        let limit = self.rule.depth.unwrap_or(1);
        if depth >= limit {
            sheet.note(format!("{at} nests deeper than {limit} levels; not read"));
            return Vec::new();
        }
        let mut seen = Vec::new();
        for entry in members {
            let short = name_of(
                self.rule.name.as_deref(),
                entry.key,
                entry.value,
                entry.index,
            );
            let full = format!("{name}.{short}");
            let status = self.unit(entry.value, &full, &entry.pointer, depth + 1, sheet, found);
            seen.push(Observation {
                label: short,
                status,
                said: status.label().to_ascii_lowercase(),
                pointer: entry.pointer.clone(),
                raw: String::new(),
                problem: None,
            });
        }
        seen
    }

    /// The nested units of `unit`: the map or array at `nested`, or with `"*"` the unit's
    /// members that are objects carrying the status field.
    fn nested_members<'v>(
        &self,
        unit: &'v Value,
        nested: &str,
        at: &str,
        sheet: &mut Sheet,
    ) -> Vec<select::Entry<'v>> {
        if nested == "*" {
            let mut members = entries(unit, at).unwrap_or_default();
            members.retain(|e| {
                e.value.is_object() && select::field(e.value, &self.rule.status_field).is_some()
            });
            return members;
        }
        let Some((value, suffix)) = select::field(unit, nested) else {
            return Vec::new();
        };
        let base = format!("{at}{suffix}");
        entries(value, &base).unwrap_or_else(|| {
            sheet.wrong_type(&base, value, "an object or an array of nested components");
            Vec::new()
        })
    }

    /// Whether the rule's `critical` field marks the unit non-critical.
    fn non_critical(&self, unit: &Value, at: &str, sheet: &mut Sheet) -> bool {
        let Some(critical) = self.rule.critical.as_deref() else {
            return false;
        };
        match select::field(unit, critical) {
            Some((Value::Bool(false), _)) => true,
            Some((Value::Bool(true), _)) | None => false,
            Some((other, suffix)) => {
                sheet.wrong_type(&format!("{at}{suffix}"), other, "a boolean");
                false
            }
        }
    }

    /// Keeps the unit's latency as the metric `<name>.latency`.
    fn latency(&self, unit: &Value, name: &str, at: &str, sheet: &mut Sheet) {
        let Some(latency) = self.rule.latency.as_deref() else {
            return;
        };
        if let Some((value, suffix)) = select::field(unit, latency) {
            let unit_name = self.rule.latency_unit.as_deref().unwrap_or("ms");
            sheet.metric(
                &format!("{name}.latency"),
                value,
                &format!("{at}{suffix}"),
                unit_name,
            );
        }
    }
}
