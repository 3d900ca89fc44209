//! The generic rule: reads a health payload whose shape Lookout does not know, as the
//! configuration describes it (`"format": {"rule": {...}}` of an endpoint). `docs/rules.md` is
//! the reference for every field, with a recipe per common format; in short:
//!
//! ```json
//! {"rule": {
//!   "status": "/state",
//!   "components": "/services",
//!   "name": "name",
//!   "status_field": "health",
//!   "levels": [{"field": "id", "matches": "_maint*", "level": "maintenance"}],
//!   "words": {"green": "operational", "amber": "degraded", "red": "major_outage"},
//!   "only_words": false,
//!   "message": "error",
//!   "checks": "checks",
//!   "check_name": "id",
//!   "nested": "components",
//!   "depth": 2,
//!   "failures": "/failures",
//!   "rollup": "statuspage",
//!   "critical": "critical",
//!   "latency": "latency_ms",
//!   "latency_unit": "ms",
//!   "time": "/checked_at"
//! }}
//! ```
//!
//! `status`, `components`, `failures` and `time` are JSON pointers into the body (`""` is the
//! whole body; in an array, `-1` is the last element). `name`, `status_field`, `message`,
//! `checks`, `check_name`, `nested`, `critical` and `latency` are fields of each unit: a key, or
//! a JSON pointer into it when they start with `/`; `name`, `check_name` and `message` may be
//! templates (`"{Node}/{CheckID}"`). With `"body": "text"` the body is read line by line
//! (`separator` splits `name: word` lines). At least one of `status`, `components` and
//! `failures` is required for JSON bodies.
//!
//! This module owns the rule's declaration and the JSON reading's outline; the parts live
//! beside it: [`select`] finds values (pointers, fields, templates, names), [`levels`] maps a
//! value to a level, [`units`] reads the units (checks, nesting, failures), [`rollup`] combines
//! statuses, [`lines`] reads text bodies and [`validate`] checks a rule before it is used.

mod levels;
mod lines;
mod rollup;
mod select;
mod units;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::read::timestamp::reported_at;
use crate::read::{fold_parts, reconcile_http, Problem, Reader, Reading, Sheet};
use crate::status::Status;

pub use validate::RuleProblem;

pub(crate) use lines::read_text;
pub(crate) use rollup::page_level;

const SHAPE: &str = "rule";

/// The deepest nesting a rule may ask for (`depth`), the same bound as Spring's reader, so a
/// hostile payload cannot make the walk unbounded.
pub const MAX_DEPTH: u8 = 8;
/// The most `levels` one rule may have.
pub const MAX_LEVELS: usize = 32;
/// The longest pattern or value a level may compare with.
pub const MAX_PATTERN_CHARS: usize = 200;
/// The most lines of a text body read; the rest are noted, not read.
pub const MAX_LINES: usize = 200;

/// How to read a payload whose shape Lookout does not know. Every field is documented in
/// `docs/rules.md`; the configuration layer declares each one's shape and limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// JSON (the default) or plain text read line by line.
    #[serde(skip_serializing_if = "Body::is_json")]
    pub body: Body,
    /// JSON pointer to the overall status value. Without it, the overall status is the
    /// roll-up of the units ([`Rollup`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// JSON pointer to a map (name to unit) or an array of units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<String>,
    /// The unit field (or template) naming it. Maps default to their keys, arrays to `name`,
    /// then `id`, then the position. Units that share a name are one unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The unit (and check) field holding its status, `status` by default. A unit that is
    /// itself a word (`{"db": "up"}`) is read as its status.
    pub status_field: String,
    /// Levels decided by a field's value or pattern, tried in order before `words`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// Status words and what they mean, matched case-insensitively before Lookout's own
    /// vocabulary. Numbers and booleans match by their JSON text (`"1"`, `"true"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Status>,
    /// When true, only `levels` and `words` count: every other word is unknown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub only_words: bool,
    /// The unit (and check) field (or template) with the backend's own words, added to the
    /// reason of a unit that is not operational.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The unit field holding its checks (an array or map); the unit's status combines them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<String>,
    /// The check field (or template) naming a check, or a list element merged into a unit, in
    /// the unit's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_name: Option<String>,
    /// The unit field holding its nested units, read as parts `parent.child`; `"*"` takes the
    /// unit's members that carry a status field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nested: Option<String>,
    /// How many levels of nested units are read (1 to [`MAX_DEPTH`]; 1 without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u8>,
    /// JSON pointer to free-text failures: a map of name to text, or an array of texts. Each
    /// is a failing unit with its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures: Option<String>,
    /// How units make the overall status when there is no `status`.
    #[serde(skip_serializing_if = "Rollup::is_worst")]
    pub rollup: Rollup,
    /// The unit field holding whether it is critical (a boolean).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<String>,
    /// The unit field holding its latency, kept as the metric `<name>.latency`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency: Option<String>,
    /// The latency's unit when the value has none; `ms` by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_unit: Option<String>,
    /// JSON pointer to the payload's own time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Text bodies: splits a line into a unit's name and its word (`db: ok`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
}

impl Default for Rule {
    fn default() -> Rule {
        Rule {
            body: Body::Json,
            status: None,
            components: None,
            name: None,
            status_field: "status".to_string(),
            levels: Vec::new(),
            words: BTreeMap::new(),
            only_words: false,
            message: None,
            checks: None,
            check_name: None,
            nested: None,
            depth: None,
            failures: None,
            rollup: Rollup::Worst,
            critical: None,
            latency: None,
            latency_unit: None,
            time: None,
            separator: None,
        }
    }
}

/// A level decided by a value: the unit's `field` (or, without one, the status value itself)
/// `equals` a text or `matches` a pattern, where `*` stands for any run of characters; both
/// compare ASCII letters case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Level {
    /// The field compared, a key or a JSON pointer into the unit; the status value without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The exact text (numbers and booleans by their JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// A pattern with `*` wildcards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// The level given when it matches.
    pub level: Status,
}

/// How units without an overall status make one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    /// The worst unit's level (a non-critical unit's outage counting as partial).
    #[default]
    Worst,
    /// As a status page counts: all down is a major outage, some down a partial outage, only
    /// maintenance is maintenance; unknown units are left out of the decision.
    Statuspage,
}

impl Rollup {
    /// The names as written in the configuration.
    pub const NAMES: [&'static str; 2] = ["worst", "statuspage"];

    /// The policy written `name`.
    pub fn from_name(name: &str) -> Option<Rollup> {
        match name {
            "worst" => Some(Rollup::Worst),
            "statuspage" => Some(Rollup::Statuspage),
            _ => None,
        }
    }

    fn is_worst(&self) -> bool {
        *self == Rollup::Worst
    }
}

/// What kind of body a rule reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// A JSON document.
    #[default]
    Json,
    /// Plain text, line by line.
    Text,
}

impl Body {
    /// The names as written in the configuration.
    pub const NAMES: [&'static str; 2] = ["json", "text"];

    /// The body kind written `name`.
    pub fn from_name(name: &str) -> Option<Body> {
        match name {
            "json" => Some(Body::Json),
            "text" => Some(Body::Text),
            _ => None,
        }
    }

    fn is_json(&self) -> bool {
        *self == Body::Json
    }
}

/// Reads a JSON `body` with `rule`.
pub(crate) fn read(reader: &Reader, rule: &Rule, body: &Value) -> Reading {
    read_as(reader, rule, body, SHAPE)
}

/// Reads a JSON `body` with `rule`, naming the shape `shape` (a format `auto` recognised).
pub(crate) fn read_as(reader: &Reader, rule: &Rule, body: &Value, shape: &str) -> Reading {
    let mut sheet = Sheet::default();
    let mut found = units::Found::default();
    if let Some(pointer) = &rule.components {
        units::read_list(rule, body, pointer, &mut sheet, &mut found);
    }
    if let Some(pointer) = &rule.failures {
        units::read_failures(body, pointer, &mut sheet, &mut found);
    }
    let top = found.finish(reader, rule.status.is_some(), &mut sheet);
    if let Some((_, concrete)) = rule.time.as_deref().and_then(|p| select::resolve(body, p)) {
        sheet.reported_at = reported_at(body, &[concrete.as_str()]);
    }
    let overall = match &rule.status {
        Some(pointer) => own_status(reader, rule, body, pointer, &mut sheet),
        None => rollup::decide(reader, rule, &top, &mut sheet),
    };
    sheet.finish(reconcile_http(reader, overall), shape)
}

/// The overall finding from the body's own status value at `pointer`, folded with the parts.
fn own_status(
    reader: &Reader,
    rule: &Rule,
    body: &Value,
    pointer: &str,
    sheet: &mut Sheet,
) -> crate::read::Finding {
    let Some((value, concrete)) = select::resolve(body, pointer) else {
        sheet.problem = Some(Problem::UnexpectedShape);
        return reader.finding(
            Status::Unknown,
            format!("JSON of an unexpected shape: no status at {pointer}"),
            pointer,
            &crate::read::clip_value(body),
        );
    };
    let key = levels::last_key(&concrete);
    let flag = (key != "status").then_some(key);
    let seen = levels::observe(rule, value, body, &concrete, String::new(), flag);
    let seen = levels::with_message(rule, seen, body);
    if seen.status == Status::Unknown {
        sheet.problem = seen.problem.or(sheet.problem);
    }
    let finding = units::compose(reader, "status", &[seen]);
    fold_parts(finding, &sheet.parts)
}
