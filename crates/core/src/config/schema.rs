//! The expected shape of a JSON value and the walk that reads a document against it: every
//! wrong type, missing field, bad timestamp, unsafe link and out-of-range number is reported
//! with its JSON path, all at once; unknown fields are reported as warnings. Shapes are not
//! written by hand: [`crate::config::declare`] derives them from each type's one declaration,
//! and the same shape gives the messages here and the limits of the JSON Schema (see
//! `config::json_schema`).

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::config::ConfigProblem;

/// What a value must look like.
pub(crate) enum Shape {
    /// `true` or `false`.
    Bool,
    /// Any string.
    Str,
    /// A whole number within `min..=max`.
    Int { min: i64, max: i64 },
    /// A number within `min..=max`.
    Num { min: f64, max: f64 },
    /// An RFC 3339 timestamp string.
    Timestamp,
    /// An absolute URL with one of these schemes.
    Url(&'static [&'static str]),
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An array of values of the shape.
    Array(&'static Shape),
    /// An object with any keys, each value of the shape.
    Map(&'static Shape),
    /// An object with declared fields (the type's `FIELDS`).
    Object,
    /// An object whose `tag` field picks which fields it has (the tagged type's `VARIANTS`).
    Tagged { tag: &'static str },
    /// `null` or the shape.
    Nullable(&'static Shape),
    /// Read by the type's own rules (another layer's format); `expected` describes it for
    /// people (its JSON Schema is its own `schemars::JsonSchema`).
    Custom { expected: &'static str },
}

/// One field of an object shape.
pub(crate) struct Field {
    pub name: &'static str,
    /// Whether it must be present (no default); read by the JSON Schema (feature `schema`).
    #[cfg_attr(not(feature = "schema"), allow(dead_code))]
    pub required: bool,
    pub shape: &'static Shape,
}

/// A field that must be present.
pub(crate) const fn req(name: &'static str, shape: &'static Shape) -> Field {
    Field {
        name,
        required: true,
        shape,
    }
}

/// A field that may be absent.
pub(crate) const fn opt(name: &'static str, shape: &'static Shape) -> Field {
    Field {
        name,
        required: false,
        shape,
    }
}

/// A whole number from `min` up.
pub(crate) const fn int_from(min: i64) -> Shape {
    Shape::Int {
        min,
        max: u32::MAX as i64,
    }
}

/// What reading a document found.
#[derive(Default)]
pub(crate) struct Walk {
    /// Errors, in document order.
    pub errors: Vec<ConfigProblem>,
    /// Paths of the errors that make a value unreadable (wrong type, missing field), as
    /// opposed to values that read but are not allowed (range, link scheme).
    pub blocking: Vec<String>,
    /// Unknown fields.
    pub warnings: Vec<ConfigProblem>,
}

impl Walk {
    pub(crate) fn error(&mut self, path: &str, message: String, blocking: bool) {
        if blocking {
            self.blocking.push(path.to_string());
        }
        self.errors.push(ConfigProblem {
            path: path.to_string(),
            message,
        });
    }

    fn mismatch(&mut self, path: &str, shape: &Shape, value: &Value) {
        self.error(path, mismatch(shape, value), true);
    }

    /// The value as an object, or an error.
    pub(crate) fn object<'v>(
        &mut self,
        value: &'v Value,
        shape: &Shape,
        path: &str,
    ) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.mismatch(path, shape, value);
        }
        object
    }

    /// The value as an array, or an error.
    pub(crate) fn array<'v>(
        &mut self,
        value: &'v Value,
        shape: &Shape,
        path: &str,
    ) -> Option<&'v Vec<Value>> {
        let array = value.as_array();
        if array.is_none() {
            self.mismatch(path, shape, value);
        }
        array
    }

    /// Checks a leaf value (not an array or object) against `shape`; whether it can be read.
    pub(crate) fn leaf(&mut self, value: &Value, shape: &Shape, path: &str) -> bool {
        let problem = match shape {
            Shape::Bool if value.is_boolean() => return true,
            Shape::Str if value.is_string() => return true,
            Shape::Int { min, max } if value.is_i64() || value.is_u64() => {
                let number = value.as_i64().unwrap_or(i64::MAX);
                (number < *min || number > *max)
                    .then(|| (out_of_range(*min, *max, &value.to_string()), false))
            }
            Shape::Num { min, max } if value.is_number() => {
                let number = value.as_f64().unwrap_or(f64::NAN);
                (!(*min..=*max).contains(&number))
                    .then(|| (out_of_range(*min, *max, &number.to_string()), false))
            }
            Shape::Timestamp if value.is_string() => {
                check_timestamp(value.as_str().unwrap_or_default())
                    .err()
                    .map(|message| (message, true))
            }
            Shape::Url(schemes) if value.is_string() => {
                crate::config::check_url(value.as_str().unwrap_or_default(), schemes)
                    .err()
                    .map(|message| (message, false))
            }
            Shape::Enum(names) if value.is_string() => {
                let text = value.as_str().unwrap_or_default();
                (!names.contains(&text)).then(|| {
                    let message = format!("\"{}\" is not one of {}", clip(text), quoted(names));
                    (message, true)
                })
            }
            Shape::Custom { .. } => None,
            _ => Some((mismatch(shape, value), true)),
        };
        match problem {
            Some((message, blocking)) => {
                self.error(path, message, blocking);
                !blocking
            }
            None => true,
        }
    }

    /// Reads the field `name` of `object` as its declaration in `fields` says: absent, it is
    /// `default` or, without one, a missing-field error.
    pub(crate) fn field<T: crate::config::declare::Declared>(
        &mut self,
        object: &Map<String, Value>,
        fields: &[Field],
        name: &str,
        path: &str,
        default: Option<fn() -> T>,
    ) -> Option<T> {
        let field = fields.iter().find(|field| field.name == name)?;
        let path = member(path, name);
        match (object.get(name), default) {
            (Some(value), _) => T::read(value, field.shape, &path, self),
            (None, Some(default)) => Some(default()),
            (None, None) => {
                let expected = field.shape.expected();
                self.error(
                    &path,
                    format!("missing field `{name}`: expected {expected}"),
                    true,
                );
                None
            }
        }
    }

    /// Warns about the keys of `object` that none of `groups` declares.
    pub(crate) fn unknown(&mut self, object: &Map<String, Value>, groups: &[&[Field]], path: &str) {
        let fields = || groups.iter().flat_map(|group| group.iter());
        for key in object.keys() {
            if !fields().any(|field| field.name == key) {
                let known: Vec<&str> = fields().map(|field| field.name).collect();
                self.warnings.push(ConfigProblem {
                    path: member(path, key),
                    message: format!(
                        "unknown field `{}` is ignored (known here: {})",
                        clip(key),
                        known.join(", ")
                    ),
                });
            }
        }
    }

    /// The variant a tagged object names, with its fields; otherwise an error at the tag.
    pub(crate) fn tag(
        &mut self,
        object: &Map<String, Value>,
        tag: &str,
        variants: &'static [(&'static str, &'static [Field])],
        path: &str,
    ) -> Option<(&'static str, &'static [Field])> {
        let names: Vec<&str> = variants.iter().map(|(name, _)| *name).collect();
        let message = match object.get(tag) {
            None => format!("missing field `{tag}`: expected one of {}", quoted(&names)),
            Some(Value::String(kind)) => match variants.iter().find(|(name, _)| name == kind) {
                Some(variant) => return Some(*variant),
                None => format!(
                    "unknown {tag} \"{}\": expected one of {}",
                    clip(kind),
                    quoted(&names)
                ),
            },
            Some(other) => format!(
                "expected one of {}, found {}",
                quoted(&names),
                describe(other)
            ),
        };
        self.error(&member(path, tag), message, true);
        None
    }
}

impl Shape {
    /// What the shape expects, for people.
    pub(crate) fn expected(&self) -> String {
        match self {
            Shape::Bool => "true or false".to_string(),
            Shape::Str => "a string".to_string(),
            Shape::Int { min, max } if *max >= u32::MAX as i64 => {
                format!("a whole number of at least {min}")
            }
            Shape::Int { min, max } => format!("a whole number from {min} to {max}"),
            Shape::Num { min, max } if max.is_infinite() => {
                format!("a number of at least {min}")
            }
            Shape::Num { min, max } => format!("a number from {min} to {max}"),
            Shape::Timestamp => {
                "an RFC 3339 timestamp such as \"2025-09-16T08:00:00Z\"".to_string()
            }
            Shape::Url(schemes) => format!("a URL starting with {}", schemes.join(" or ")),
            Shape::Enum(names) => format!("one of {}", quoted(names)),
            Shape::Array(item) => format!("an array of {}", plural(&item.expected())),
            Shape::Map(_) | Shape::Object => "an object".to_string(),
            Shape::Tagged { tag, .. } => format!("an object with a \"{tag}\""),
            Shape::Nullable(inner) => format!("{} or null", inner.expected()),
            Shape::Custom { expected, .. } => (*expected).to_string(),
        }
    }
}

/// "an object" → "objects", for "an array of objects".
fn plural(expected: &str) -> String {
    let bare = expected
        .strip_prefix("an ")
        .or_else(|| expected.strip_prefix("a "))
        .unwrap_or(expected);
    match bare.split_once(' ') {
        Some((noun, rest)) => format!("{noun}s {rest}"),
        None => format!("{bare}s"),
    }
}

fn mismatch(shape: &Shape, value: &Value) -> String {
    format!("expected {}, found {}", shape.expected(), describe(value))
}

/// The message for a number outside its range, shared with the typed checks so the two agree
/// word for word (and duplicates can be dropped).
pub(crate) fn out_of_range(min: impl ToString, max: impl ToString, found: &str) -> String {
    let max = max.to_string();
    if max == u32::MAX.to_string() || max == "inf" {
        format!("must be at least {}, found {found}", min.to_string())
    } else {
        format!("must be from {} to {max}, found {found}", min.to_string())
    }
}

/// Checks an RFC 3339 timestamp, naming the value when it is not one.
pub(crate) fn check_timestamp(text: &str) -> Result<(), String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|_| ())
        .map_err(|_| {
            format!(
                "\"{}\" is not an RFC 3339 timestamp (expected e.g. \"2025-09-16T08:00:00Z\")",
                clip(text)
            )
        })
}

/// A value described for an error message: its kind and, when short, the value itself.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{}\"", clip(s)),
        Value::Array(items) if items.len() == 1 => "an array (1 item)".to_string(),
        Value::Array(items) => format!("an array ({} items)", items.len()),
        Value::Object(_) => "an object".to_string(),
    }
}

/// The path of `key` inside the value at `path`: `$.a.b`, or `$.a["odd key"]`.
pub(crate) fn member(path: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", serde_json::Value::String(clip(key)))
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Shortens user text quoted in a message.
pub(crate) fn clip(text: &str) -> String {
    const LIMIT: usize = 60;
    if text.chars().count() <= LIMIT {
        text.to_string()
    } else {
        let mut clipped: String = text.chars().take(LIMIT).collect();
        clipped.push('…');
        clipped
    }
}

/// Drops repeated problems (same path and message), keeping the first.
pub(crate) fn dedup(problems: &mut Vec<ConfigProblem>) {
    let mut seen = std::collections::BTreeSet::new();
    problems.retain(|p| seen.insert((p.path.clone(), p.message.clone())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::declare::{declare, Declared};
    use chrono::{DateTime, Utc};
    use serde_json::json;

    declare! {
        // Only read by the checks, never by the test.
        #[allow(dead_code)]
        pub struct Point {
            pub x: u32 => Shape::Int { min: 0, max: 10 },
            pub at: Option<DateTime<Utc>> = None => Shape::Timestamp,
            pub link: Option<String> = None => Shape::Url(&["https://"]),
            pub op: Option<String> = None => Shape::Enum(&["<", ">"]),
        }
    }
    declare! {
        #[allow(dead_code)]
        pub struct Doc {
            pub points: Vec<Point>,
            pub name: Option<String> = None,
        }
    }

    #[test]
    fn every_mistake_is_reported_with_its_path() {
        let doc = json!({
            "points": [
                {"x": 3},
                {"x": "3", "at": "yesterday", "colour": "red"},
                {"x": 11, "link": "javascript:alert(1)", "op": "=="},
                {}
            ],
            "name": null
        });
        let mut found = Walk::default();
        Doc::read(&doc, &Doc::SHAPE, "$", &mut found);
        let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "$.points[1].x: expected a whole number from 0 to 10, found the string \"3\"",
                "$.points[1].at: \"yesterday\" is not an RFC 3339 timestamp (expected e.g. \"2025-09-16T08:00:00Z\")",
                "$.points[2].x: must be from 0 to 10, found 11",
                "$.points[2].link: \"javascript:alert(1)\" is not an absolute URL starting with https://",
                "$.points[2].op: \"==\" is not one of \"<\", \">\"",
                "$.points[3].x: missing field `x`: expected a whole number from 0 to 10",
            ]
        );
        assert_eq!(
            found.blocking,
            [
                "$.points[1].x",
                "$.points[1].at",
                "$.points[2].op",
                "$.points[3].x"
            ]
        );
        assert_eq!(found.warnings.len(), 1);
        assert_eq!(found.warnings[0].path, "$.points[1].colour");
        assert!(found.warnings[0]
            .message
            .contains("known here: x, at, link, op"));
    }

    #[test]
    fn odd_keys_are_quoted_in_paths() {
        assert_eq!(member("$.services", "backend"), "$.services.backend");
        assert_eq!(member("$.services", "my host"), "$.services[\"my host\"]");
        assert_eq!(member("$", "9lives"), "$[\"9lives\"]");
    }
}
