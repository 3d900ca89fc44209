//! The expected shape of a JSON document, and a walk that checks a `serde_json::Value` against
//! it before anything is deserialized: every wrong type, missing field, bad timestamp, unsafe
//! link and out-of-range number is reported with its JSON path, all at once; unknown fields are
//! reported as warnings. The configuration ([`crate::config`]) and the updates file
//! (`updates.json`, read by the incident layer) describe themselves with it.

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
    /// An object with these fields.
    Object(&'static [Field]),
    /// An object whose `tag` field picks which fields (besides `common`) it has.
    Tagged {
        tag: &'static str,
        common: &'static [Field],
        variants: &'static [(&'static str, &'static [Field])],
    },
    /// `null` or the shape.
    Nullable(&'static Shape),
    /// Checked by a function; `expected` describes it for people.
    Custom {
        expected: &'static str,
        check: fn(&Value) -> Result<(), String>,
    },
}

/// One field of an object shape.
pub(crate) struct Field {
    pub name: &'static str,
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

/// What the walk found.
#[derive(Default)]
pub(crate) struct Walk {
    /// Errors, in document order.
    pub errors: Vec<ConfigProblem>,
    /// Paths of the errors that make deserializing impossible (wrong type, missing field),
    /// as opposed to values that deserialize but are not allowed (range, link scheme).
    pub blocking: Vec<String>,
    /// Unknown fields.
    pub warnings: Vec<ConfigProblem>,
}

impl Walk {
    fn error(&mut self, path: &str, message: String, blocking: bool) {
        if blocking {
            self.blocking.push(path.to_string());
        }
        self.errors.push(ConfigProblem {
            path: path.to_string(),
            message,
        });
    }
}

/// Checks `value` (found at `path`) against `shape`.
pub(crate) fn walk(value: &Value, shape: &Shape, path: &str, found: &mut Walk) {
    match shape {
        Shape::Bool => {
            if !value.is_boolean() {
                found.error(path, mismatch(shape, value), true);
            }
        }
        Shape::Str => {
            if !value.is_string() {
                found.error(path, mismatch(shape, value), true);
            }
        }
        Shape::Int { min, max } => match value.as_i64() {
            Some(number) if number < *min || number > *max => {
                found.error(path, out_of_range(*min, *max, &number.to_string()), false);
            }
            Some(_) => {}
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Num { min, max } => match value.as_f64() {
            Some(number) if number < *min || number > *max => {
                found.error(path, out_of_range(*min, *max, &number.to_string()), false);
            }
            Some(_) => {}
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Timestamp => match value.as_str() {
            Some(text) => {
                if let Err(message) = check_timestamp(text) {
                    found.error(path, message, true);
                }
            }
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Url(schemes) => match value.as_str() {
            Some(text) => {
                if let Err(message) = crate::config::check_url(text, schemes) {
                    found.error(path, message, false);
                }
            }
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Enum(names) => match value.as_str() {
            Some(text) if names.contains(&text) => {}
            Some(text) => found.error(
                path,
                format!("\"{}\" is not one of {}", clip(text), quoted(names)),
                true,
            ),
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Array(item) => match value.as_array() {
            Some(items) => {
                for (index, element) in items.iter().enumerate() {
                    walk(element, item, &format!("{path}[{index}]"), found);
                }
            }
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Map(item) => match value.as_object() {
            Some(object) => {
                for (key, element) in object {
                    walk(element, item, &member(path, key), found);
                }
            }
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Object(fields) => match value.as_object() {
            Some(object) => walk_object(object, &[fields], path, found),
            None => found.error(path, mismatch(shape, value), true),
        },
        Shape::Tagged {
            tag,
            common,
            variants,
        } => {
            let Some(object) = value.as_object() else {
                found.error(path, mismatch(shape, value), true);
                return;
            };
            // The tag itself is a known field (checked here, not as one of the fields).
            let tag_field = [opt(tag, &Shape::Str)];
            let names: Vec<&str> = variants.iter().map(|(name, _)| *name).collect();
            let tag_path = member(path, tag);
            match object.get(*tag) {
                None => {
                    found.error(
                        &tag_path,
                        format!("missing field `{tag}`: expected one of {}", quoted(&names)),
                        true,
                    );
                    walk_object(object, &[&tag_field, common], path, found);
                }
                Some(Value::String(kind)) => match variants.iter().find(|(name, _)| name == kind) {
                    Some((_, fields)) => {
                        walk_object(object, &[&tag_field, common, fields], path, found)
                    }
                    None => {
                        found.error(
                            &tag_path,
                            format!(
                                "unknown {tag} \"{}\": expected one of {}",
                                clip(kind),
                                quoted(&names)
                            ),
                            true,
                        );
                        walk_object(object, &[&tag_field, common], path, found);
                    }
                },
                Some(other) => {
                    found.error(
                        &tag_path,
                        format!(
                            "expected one of {}, found {}",
                            quoted(&names),
                            describe(other)
                        ),
                        true,
                    );
                    walk_object(object, &[&tag_field, common], path, found);
                }
            }
        }
        Shape::Nullable(inner) => {
            if !value.is_null() {
                walk(value, inner, path, found);
            }
        }
        Shape::Custom { check, .. } => {
            if let Err(message) = check(value) {
                found.error(path, message, true);
            }
        }
    }
}

/// Checks the fields of `object` against the union of `groups`; fields of a tagged object that
/// belong to another variant are checked as unknown, which is what they are.
pub(crate) fn walk_object(
    object: &Map<String, Value>,
    groups: &[&[Field]],
    path: &str,
    found: &mut Walk,
) {
    let fields = || groups.iter().flat_map(|group| group.iter());
    for field in fields() {
        let field_path = member(path, field.name);
        match object.get(field.name) {
            Some(value) => walk(value, field.shape, &field_path, found),
            None if field.required => found.error(
                &field_path,
                format!(
                    "missing field `{}`: expected {}",
                    field.name,
                    field.shape.expected()
                ),
                true,
            ),
            None => {}
        }
    }
    for key in object.keys() {
        if !fields().any(|field| field.name == key) {
            let known: Vec<&str> = fields().map(|field| field.name).collect();
            found.warnings.push(ConfigProblem {
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
            Shape::Map(_) | Shape::Object(_) => "an object".to_string(),
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
    use serde_json::json;

    const POINT: &[Field] = &[
        req("x", &Shape::Int { min: 0, max: 10 }),
        opt("at", &Shape::Timestamp),
        opt("link", &Shape::Url(&["https://"])),
        opt("op", &Shape::Enum(&["<", ">"])),
    ];
    const DOC: Shape = Shape::Object(&[
        req("points", &Shape::Array(&Shape::Object(POINT))),
        opt("name", &Shape::Nullable(&Shape::Str)),
    ]);

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
        walk(&doc, &DOC, "$", &mut found);
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
