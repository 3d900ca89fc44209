//! Finding values for a rule: JSON pointers that may count from the end of an array
//! (`/results/-1` is the last result, as Gatus keeps the newest result last), unit fields (a
//! key, or a pointer into the unit when it starts with `/`), templates that build a name or a
//! message from several fields (`"{Node}/{CheckID}"`), and the name a unit goes by.

use serde_json::Value;

use crate::read::{clip, escape};

/// The value at `pointer` inside `value` and its concrete pointer, with negative array indices
/// resolved (`/results/-1` → `/results/4`). `""` is `value` itself. In an object, `-1` is an
/// ordinary key.
pub(super) fn resolve<'v>(value: &'v Value, pointer: &str) -> Option<(&'v Value, String)> {
    if pointer.is_empty() {
        return Some((value, String::new()));
    }
    let mut here = value;
    let mut concrete = String::new();
    for segment in pointer.strip_prefix('/')?.split('/') {
        here = match here {
            Value::Object(map) => {
                concrete.push('/');
                concrete.push_str(segment);
                map.get(&segment.replace("~1", "/").replace("~0", "~"))?
            }
            Value::Array(items) => {
                let index = array_index(segment, items.len())?;
                concrete.push_str(&format!("/{index}"));
                items.get(index)?
            }
            _ => return None,
        };
    }
    Some((here, concrete))
}

/// An array index written `3`, or `-1` for the last element, `-2` for the one before.
fn array_index(segment: &str, len: usize) -> Option<usize> {
    let (from_end, digits) = match segment.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, segment),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: usize = digits.parse().ok()?;
    if !from_end {
        return Some(number);
    }
    (number >= 1 && number <= len).then(|| len - number)
}

/// A unit's field: a key, or a JSON pointer into the unit when it starts with `/`; with the
/// pointer suffix it was found at.
pub(super) fn field<'v>(unit: &'v Value, field: &str) -> Option<(&'v Value, String)> {
    if field.starts_with('/') {
        resolve(unit, field)
    } else {
        let value = unit.as_object()?.get(field)?;
        Some((value, format!("/{}", escape(field))))
    }
}

/// The text of a scalar value: a string as written, a number or boolean as its JSON text.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// One piece of a template: literal text, or a field whose text goes there.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Piece<'t> {
    Text(&'t str),
    Field(&'t str),
}

/// Splits a template (`"{Node}/{CheckID}"`) into pieces; text without braces is one field.
pub(super) fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    if !template.contains(['{', '}']) {
        return Ok(vec![Piece::Field(template)]);
    }
    let mut pieces = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                pieces.push(Piece::Text(rest));
                rest = "";
            }
            Some(at) if rest[at..].starts_with('}') => {
                return Err(format!("\"}}\" without a \"{{\" in \"{}\"", clip(template)));
            }
            Some(at) => {
                if at > 0 {
                    pieces.push(Piece::Text(&rest[..at]));
                }
                let inner = &rest[at + 1..];
                let close = inner
                    .find('}')
                    .ok_or_else(|| format!("\"{{\" without a \"}}\" in \"{}\"", clip(template)))?;
                let name = inner[..close].trim();
                if name.is_empty() || name.contains('{') {
                    return Err(format!(
                        "each \"{{…}}\" names one field, found \"{{{}}}\" in \"{}\"",
                        clip(&inner[..close]),
                        clip(template)
                    ));
                }
                pieces.push(Piece::Field(name));
                rest = &inner[close + 1..];
            }
        }
    }
    Ok(pieces)
}

/// The text a field or template gives for `unit`, or `None` when none of its fields is there.
pub(super) fn render(unit: &Value, template: &str) -> Option<String> {
    let pieces = pieces(template).ok()?;
    let mut text = String::new();
    let mut found = false;
    for piece in pieces {
        match piece {
            Piece::Text(literal) => text.push_str(literal),
            Piece::Field(name) => {
                if let Some(value) = field(unit, name).and_then(|(v, _)| text_of(v)) {
                    found = true;
                    text.push_str(&value);
                }
            }
        }
    }
    (found && !text.trim().is_empty()).then(|| clip(text.trim()))
}

/// The name of a unit at `index` (with `key` in a map): the rule's field or template, else the
/// map key, else its `name` or `id`, else `#index`.
pub(super) fn name_of(
    template: Option<&str>,
    key: Option<&str>,
    unit: &Value,
    index: usize,
) -> String {
    if let Some(name) = template.and_then(|t| render(unit, t)) {
        return name;
    }
    if let Some(key) = key {
        return key.to_string();
    }
    ["name", "id"]
        .iter()
        .find_map(|f| render(unit, f))
        .unwrap_or_else(|| format!("#{index}"))
}

/// The members of a map (with their keys) or the elements of an array, each with its pointer
/// under `base`; `None` for any other value.
pub(super) fn entries<'v>(value: &'v Value, base: &str) -> Option<Vec<Entry<'v>>> {
    match value {
        Value::Object(map) => Some(
            map.iter()
                .enumerate()
                .map(|(index, (key, item))| Entry {
                    key: Some(key.as_str()),
                    value: item,
                    pointer: format!("{base}/{}", escape(key)),
                    index,
                })
                .collect(),
        ),
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| Entry {
                    key: None,
                    value: item,
                    pointer: format!("{base}/{index}"),
                    index,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// One member of a map or element of an array.
pub(super) struct Entry<'v> {
    pub key: Option<&'v str>,
    pub value: &'v Value,
    pub pointer: String,
    pub index: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn negative_indices_count_from_the_end_of_arrays_only() {
        let body = json!({"results": [{"ok": 1}, {"ok": 2}, {"ok": 3}], "map": {"-1": "key"}});
        assert_eq!(
            resolve(&body, "/results/-1/ok"),
            Some((&json!(3), "/results/2/ok".to_string()))
        );
        assert_eq!(resolve(&body, "/results/-3/ok").unwrap().0, &json!(1));
        assert_eq!(resolve(&body, "/results/-4"), None);
        assert_eq!(resolve(&body, "/results/-0"), None);
        assert_eq!(resolve(&body, "/results/+1"), None);
        assert_eq!(resolve(&body, "/results/-"), None);
        assert_eq!(resolve(&body, "/map/-1").unwrap().0, &json!("key"));
        assert_eq!(resolve(&body, "").unwrap().1, "");
        assert_eq!(resolve(&body, "results"), None);
    }

    #[test]
    fn templates_join_fields_and_refuse_broken_braces() {
        let check = json!({"Node": "n1", "CheckID": "serfHealth", "Service": {"ID": "web"}});
        assert_eq!(
            render(&check, "{Node}/{CheckID}").as_deref(),
            Some("n1/serfHealth")
        );
        assert_eq!(
            render(&check, "{/Service/ID}@{Node}").as_deref(),
            Some("web@n1")
        );
        assert_eq!(render(&check, "Node").as_deref(), Some("n1"));
        assert_eq!(render(&check, "{Missing}"), None);
        assert!(pieces("{Node").is_err());
        assert!(pieces("Node}").is_err());
        assert!(pieces("{}").is_err());
        assert!(pieces("{{Node}}").is_err());
    }

    #[test]
    fn names_fall_back_to_key_then_name_then_position() {
        let unit = json!({"id": 7});
        assert_eq!(name_of(Some("label"), Some("k"), &unit, 2), "k");
        assert_eq!(name_of(Some("label"), None, &unit, 2), "7");
        assert_eq!(name_of(None, None, &json!("up"), 2), "#2");
    }
}
