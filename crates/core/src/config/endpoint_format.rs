//! An endpoint's `format`: a format name, or `{"rule": {...}}`. The format and its rule are the
//! read layer's ([`Format`], [`Rule`], where each field's meaning lives); this module declares
//! the rule's fields for the configuration (their shapes, defaults and limits, so the JSON
//! Schema describes them), reads them with every mistake reported at its JSON path and unknown
//! fields as warnings, and reports the rule's own checks ([`Rule::problems`]) the same way.
//! `Deserialize` for [`Format`] lives here too, so every reader of a format goes through them.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::config::declare::Declared;
use crate::config::schema::{clip, opt, req, Field, Shape, Walk};
use crate::read::formats::rule::MAX_DEPTH;
use crate::read::{kind_of, Format, Level, Rollup, Rule, RuleBody};
use crate::status::Status;

/// The fields of a rule, as the configuration writes them.
pub(crate) const RULE_FIELDS: &[Field] = &[
    opt("body", &RuleBody::SHAPE),
    opt("status", &POINTER),
    opt("components", &POINTER),
    opt("name", &TEXT),
    opt("status_field", &Shape::Str),
    opt("levels", &Shape::Array(&Level::SHAPE)),
    opt("words", &Shape::Map(&Status::SHAPE)),
    opt("only_words", &Shape::Bool),
    opt("message", &TEXT),
    opt("checks", &TEXT),
    opt("check_name", &TEXT),
    opt("nested", &TEXT),
    opt(
        "depth",
        &Shape::Nullable(&Shape::Int {
            min: 1,
            max: MAX_DEPTH as i64,
        }),
    ),
    opt("failures", &POINTER),
    opt("rollup", &Rollup::SHAPE),
    opt("critical", &TEXT),
    opt("latency", &TEXT),
    opt("latency_unit", &TEXT),
    opt("time", &POINTER),
    opt("separator", &TEXT),
];

/// A JSON pointer, a field or a template: strings, checked by [`Rule::problems`].
const POINTER: Shape = Shape::Nullable(&Shape::Str);
const TEXT: Shape = Shape::Nullable(&Shape::Str);

/// The fields of one entry of `levels`.
pub(crate) const LEVEL_FIELDS: &[Field] = &[
    opt("field", &TEXT),
    opt("equals", &TEXT),
    opt("matches", &TEXT),
    req("level", &Status::SHAPE),
];

/// The one field of a rule format object.
const FORMAT_FIELDS: &[Field] = &[req("rule", &Rule::SHAPE)];

/// A format's JSON Schema is built from [`RULE_FIELDS`] and [`LEVEL_FIELDS`]
/// (`crate::config::json_schema`, feature `schema`).
impl Declared for Format {
    const SHAPE: Shape = Shape::Custom {
        expected: "a format name or {\"rule\": {...}}",
    };

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let expected = format!(
            "a format name ({}) or {{\"rule\": {{...}}}}",
            Format::NAMES.join(", ")
        );
        let message = match value {
            Value::String(name) => match Format::from_name(name) {
                Some(format) => return Some(format),
                None => format!("unknown format \"{}\": expected {expected}", clip(name)),
            },
            Value::Object(object) => {
                let rule = walk.field::<Rule>(object, FORMAT_FIELDS, "rule", path, None);
                walk.unknown(object, &[FORMAT_FIELDS], path);
                return rule.map(|rule| Format::Rule(Arc::new(rule)));
            }
            other => format!("format is {} where {expected} was expected", kind_of(other)),
        };
        walk.error(path, message, true);
        None
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::config::declare::deserialize(deserializer)
    }
}

impl Declared for Rule {
    const SHAPE: Shape = Shape::Object;

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let object = walk.object(value, &Self::SHAPE, path)?;
        let errors = walk.errors.len();
        let rule = read_rule(object, path, walk);
        walk.unknown(object, &[RULE_FIELDS], path);
        let rule = rule?;
        for problem in rule.problems() {
            let at = if problem.field.is_empty() {
                path.to_string()
            } else {
                format!("{path}.{}", problem.field)
            };
            walk.error(&at, problem.message, true);
        }
        // A rule with a mistake is not used: the configuration is refused with every mistake.
        (walk.errors.len() == errors).then_some(rule)
    }
}

/// Reads every field of a rule object, each with its default; `None` when one is unreadable
/// (every field's problem reported first).
fn read_rule(object: &Map<String, Value>, path: &str, walk: &mut Walk) -> Option<Rule> {
    let f = RULE_FIELDS;
    let none: Option<fn() -> Option<String>> = Some(|| None);
    let mut text = |name: &str| walk.field::<Option<String>>(object, f, name, path, none);
    let status = text("status");
    let components = text("components");
    let name = text("name");
    let message = text("message");
    let checks = text("checks");
    let check_name = text("check_name");
    let nested = text("nested");
    let failures = text("failures");
    let critical = text("critical");
    let latency = text("latency");
    let latency_unit = text("latency_unit");
    let time = text("time");
    let separator = text("separator");
    let body = walk.field(object, f, "body", path, Some(RuleBody::default));
    let status_field = walk.field(object, f, "status_field", path, Some(|| "status".into()));
    let levels = walk.field(object, f, "levels", path, Some(Vec::new));
    let words = walk.field(object, f, "words", path, Some(Default::default));
    let only_words = walk.field(object, f, "only_words", path, Some(|| false));
    let depth = walk.field(object, f, "depth", path, Some(|| None));
    let rollup = walk.field(object, f, "rollup", path, Some(Rollup::default));
    Some(Rule {
        body: body?,
        status: status?,
        components: components?,
        name: name?,
        status_field: status_field?,
        levels: levels?,
        words: words?,
        only_words: only_words?,
        message: message?,
        checks: checks?,
        check_name: check_name?,
        nested: nested?,
        depth: depth?,
        failures: failures?,
        rollup: rollup?,
        critical: critical?,
        latency: latency?,
        latency_unit: latency_unit?,
        time: time?,
        separator: separator?,
    })
}

impl Declared for Level {
    const SHAPE: Shape = Shape::Object;

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let object = walk.object(value, &Self::SHAPE, path)?;
        let f = LEVEL_FIELDS;
        let field = walk.field(object, f, "field", path, Some(|| None));
        let equals = walk.field(object, f, "equals", path, Some(|| None));
        let matches = walk.field(object, f, "matches", path, Some(|| None));
        let level = walk.field(object, f, "level", path, None);
        walk.unknown(object, &[LEVEL_FIELDS], path);
        Some(Level {
            field: field?,
            equals: equals?,
            matches: matches?,
            level: level?,
        })
    }
}

impl Declared for Rollup {
    const SHAPE: Shape = Shape::Enum(&Rollup::NAMES);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        if !walk.leaf(value, shape, path) {
            return None;
        }
        Rollup::from_name(value.as_str()?)
    }
}

impl Declared for RuleBody {
    const SHAPE: Shape = Shape::Enum(&RuleBody::NAMES);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        if !walk.leaf(value, shape, path) {
            return None;
        }
        RuleBody::from_name(value.as_str()?)
    }
}
