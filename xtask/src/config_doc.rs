//! The configuration reference is complete: every field the parser accepts, found by walking
//! the JSON Schema the declarations generate (not the doc), has a row in `docs/config.md`
//! under its own heading, with its default and limits; every allowed word (format names,
//! criterion kinds, levels, operators) appears there; and the fields of a format rule appear
//! in `docs/rules.md`.

use std::collections::BTreeSet;
use std::path::Path;

use lookout_core::config::Config;
use lookout_core::incident::updates::Update;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

/// The doc sections whose fields are the format rule's (the rule and its `levels` entries),
/// documented in `docs/rules.md`.
const RULE_SECTIONS: [&str; 2] = ["rule", "levels"];

/// Whether a section is the rule language's.
fn in_rules(section: &str) -> bool {
    RULE_SECTIONS.contains(&section)
}

/// A field the parser accepts: the heading it is documented under, and its schema.
#[derive(Debug)]
struct Accepted {
    section: String,
    name: String,
    schema: Value,
}

/// Every field of the configuration and of the updates file, each under the heading named
/// after the field that holds it (`window`, `checks`), a criterion kind's under the kind.
fn accepted() -> Vec<Accepted> {
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let config = Config::json_schema();
    walk_object(&config, &config, "lookout.json", &mut seen, &mut found);
    let updates = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Update>()
        .to_value();
    walk_object(&updates, &updates, "updates.json", &mut seen, &mut found);
    let mut pairs = BTreeSet::new();
    found.retain(|field| pairs.insert((field.section.clone(), field.name.clone())));
    found
}

/// The properties of `object` under `section`, then what each of them holds.
fn walk_object(
    object: &Value,
    root: &Value,
    section: &str,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<Accepted>,
) {
    for (name, schema) in object["properties"].as_object().into_iter().flatten() {
        found.push(Accepted {
            section: section.to_string(),
            name: name.clone(),
            schema: schema.clone(),
        });
        walk_value(schema, root, name, seen, found);
    }
}

/// The objects a field's schema holds (through references, arrays, maps and alternatives),
/// documented under the field's own heading `key`.
fn walk_value(
    schema: &Value,
    root: &Value,
    key: &str,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<Accepted>,
) {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        if seen.insert(name.to_string()) {
            walk_value(&root["$defs"][name], root, key, seen, found);
        }
        return;
    }
    for nested in ["items", "additionalProperties"] {
        if schema[nested].is_object() {
            walk_value(&schema[nested], root, key, seen, found);
        }
    }
    if let Some(branches) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        walk_branches(branches, root, key, seen, found);
    }
    if schema["properties"].is_object() {
        walk_object(schema, root, key, seen, found);
    }
}

/// Alternatives: a tagged object's fields shared by every branch go under `key`, each kind's
/// own under the kind's name; untagged alternatives are walked as they are.
fn walk_branches(
    branches: &[Value],
    root: &Value,
    key: &str,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<Accepted>,
) {
    let names = |branch: &Value| -> BTreeSet<String> {
        branch["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    };
    let tagged = branches.len() > 1 && branches.iter().all(|b| tag_of(b).is_some());
    let common = branches
        .iter()
        .map(names)
        .reduce(|a, b| a.intersection(&b).cloned().collect())
        .unwrap_or_default();
    for branch in branches {
        let Some((tag, kind)) = tag_of(branch).filter(|_| tagged) else {
            walk_value(branch, root, key, seen, found);
            continue;
        };
        let properties = branch["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let (shared, own): (Map<String, Value>, Map<String, Value>) = properties
            .into_iter()
            .partition(|(name, _)| common.contains(name) || *name == tag);
        walk_object(
            &Value::from_iter([("properties", shared)]),
            root,
            key,
            seen,
            found,
        );
        walk_object(
            &Value::from_iter([("properties", own)]),
            root,
            &kind,
            seen,
            found,
        );
    }
}

/// The tag field of a tagged object's branch and the kind it names (`kind` = `"http_ok"`).
fn tag_of(branch: &Value) -> Option<(String, String)> {
    let properties = branch["properties"].as_object()?;
    properties.iter().find_map(|(name, property)| {
        let kind = property["const"].as_str()?;
        Some((name.clone(), kind.to_string()))
    })
}

fn read_doc(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(name);
    std::fs::read_to_string(path).ok()
}

/// The text under the first heading that names `section` in backticks, down to the next
/// heading of the same or a higher level.
fn section_text<'d>(doc: &'d str, section: &str) -> Option<&'d str> {
    let named = format!("`{section}`");
    let level = |line: &str| line.chars().take_while(|c| *c == '#').count();
    let mut offset = 0;
    let mut start = None;
    for line in doc.split_inclusive('\n') {
        let depth = level(line);
        match start {
            None if depth > 0 && line.contains(&named) => start = Some((offset, depth)),
            Some((from, own)) if depth > 0 && depth <= own => return Some(&doc[from..offset]),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|(from, _)| &doc[from..])
}

/// The table row of `name` in `text`: the line starting `| \`name\` |`.
fn row<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let start = format!("| `{name}` |");
    text.lines().find(|line| line.starts_with(&start))
}

/// How a number may be written in the doc: `8760`, `8,760`, `1e15`.
fn spellings(number: f64) -> Vec<String> {
    let plain = if number.fract() == 0.0 && number.abs() < 1e16 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    };
    let mut grouped = String::new();
    for (index, digit) in plain.chars().rev().enumerate() {
        if index > 0 && index % 3 == 0 && digit.is_ascii_digit() {
            grouped.insert(0, ',');
        }
        grouped.insert(0, digit);
    }
    vec![plain, grouped, format!("{number:e}")]
}

/// Whether `text` has `word` standing alone (not inside a longer number).
fn has_number(text: &str, number: f64) -> bool {
    spellings(number).iter().any(|word| {
        text.match_indices(word.as_str()).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            !digit(before) && !digit(after) && after != Some('.')
        })
    })
}

/// What a field's row must show: its default (a plain one) and its limits.
fn row_problems(field: &Accepted, row: &str) -> Vec<String> {
    let mut missing = Vec::new();
    let at = format!("`{}`.`{}`", field.section, field.name);
    match &field.schema["default"] {
        Value::Number(n) => {
            if !n.as_f64().is_some_and(|n| has_number(row, n)) {
                missing.push(format!("{at}: the default {n}"));
            }
        }
        Value::Bool(_) | Value::String(_) | Value::Array(_) => {
            let written = field.schema["default"].to_string();
            let empty = written == "\"\"" || written == "[]";
            if !empty && !row.contains(&format!("`{written}`")) {
                missing.push(format!("{at}: the default `{written}`"));
            }
        }
        Value::Null | Value::Object(_) => {}
    }
    for (limit, skip_zero) in [("minimum", true), ("maximum", false), ("const", false)] {
        let Some(number) = field.schema[limit].as_f64() else {
            continue;
        };
        if (number == 0.0 && skip_zero) || has_number(row, number) {
            continue;
        }
        missing.push(format!("{at}: the {limit} {number}"));
    }
    missing
}

/// Every string a field may take from a fixed list (`enum`, a kind's `const`), anywhere below
/// `schema`.
fn words(schema: &Value, found: &mut BTreeSet<String>) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("enum", Value::Array(items)) => {
                        found.extend(items.iter().filter_map(Value::as_str).map(str::to_string))
                    }
                    ("const", Value::String(word)) => {
                        found.insert(word.clone());
                    }
                    _ => words(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| words(item, found)),
        _ => {}
    }
}

#[test]
fn every_config_field_is_in_docs_config_md_with_its_default_and_limits() {
    let doc = read_doc("config.md").unwrap_or_default();
    let mut missing = Vec::new();
    let fields = accepted();
    for field in fields.iter().filter(|f| !in_rules(&f.section)) {
        let Some(text) = section_text(&doc, &field.section) else {
            missing.push(format!("no heading naming `{}`", field.section));
            continue;
        };
        match row(text, &field.name) {
            Some(row) => missing.extend(row_problems(field, row)),
            None => missing.push(format!(
                "`{}`.`{}`: no row `| `{}` |` under the heading",
                field.section, field.name, field.name
            )),
        }
    }
    missing.dedup();
    assert!(
        fields.len() > 100,
        "the walk found only {} fields",
        fields.len()
    );
    assert!(
        missing.is_empty(),
        "docs/config.md is missing {} things the parser accepts:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// The schema split in two: the configuration's words with the format names, and the rule
/// language's (`{"rule": {...}}`, documented in `docs/rules.md`).
fn config_and_rule_words() -> (BTreeSet<String>, BTreeSet<String>) {
    let mut schema = Config::json_schema();
    let format = schema["$defs"]["Format"].take();
    let (mut config, mut rule) = (BTreeSet::new(), BTreeSet::new());
    words(&schema, &mut config);
    for branch in format["anyOf"].as_array().into_iter().flatten() {
        match branch["properties"]["rule"].is_object() {
            true => words(branch, &mut rule),
            false => words(branch, &mut config),
        }
    }
    (config, rule)
}

#[test]
fn every_allowed_word_is_in_docs_config_md() {
    let doc = read_doc("config.md").unwrap_or_default();
    let (found, _) = config_and_rule_words();
    let missing: Vec<&String> = found
        .iter()
        .filter(|word| {
            !doc.contains(&format!("`{word}`")) && !doc.contains(&format!("`\"{word}\"`"))
        })
        .collect();
    assert!(found.contains("component_status") && found.contains("opt_in"));
    assert!(
        missing.is_empty(),
        "docs/config.md never names these allowed values: {missing:?}"
    );
}

/// The rule language's fields and words are documented in `docs/rules.md`.
#[test]
fn every_rule_field_is_in_docs_rules_md() {
    let doc = read_doc("rules.md").unwrap_or_default();
    let rule_fields: Vec<String> = accepted()
        .into_iter()
        .filter(|field| in_rules(&field.section))
        .map(|field| field.name)
        .chain(config_and_rule_words().1)
        .collect();
    assert!(
        rule_fields.iter().any(|name| name == "status_field"),
        "the walk did not reach the rule's fields: {rule_fields:?}"
    );
    let missing: Vec<&String> = rule_fields
        .iter()
        .filter(|name| {
            !doc.contains(&format!("`{name}`")) && !doc.contains(&format!("`\"{name}\"`"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/rules.md never names these fields or words of {{\"rule\": {{...}}}}: {missing:?}"
    );
}

#[test]
fn the_walk_sorts_fields_under_their_headings() {
    let fields = accepted();
    let has = |section: &str, name: &str| {
        fields
            .iter()
            .any(|field| field.section == section && field.name == name)
    };
    for (section, name) in [
        ("lookout.json", "$schema"),
        ("probing", "interval_seconds"),
        ("criteria", "kind"),
        ("threshold", "fallback"),
        ("fallback", "equals"),
        ("component_status", "levels"),
        ("conditions", "title"),
        ("format", "rule"),
        ("rule", "status_field"),
        ("updates.json", "author"),
    ] {
        assert!(has(section, name), "{section}.{name} not found");
    }
    assert!(
        !has("http_ok", "id"),
        "a criterion's own fields are not a kind's"
    );
}

#[test]
fn a_section_ends_at_the_next_heading_of_its_level() {
    let doc = "# A\n## `a`\n| `x` |\n### `b`\n| `y` |\n## `c`\n| `z` |\n";
    assert_eq!(
        section_text(doc, "a"),
        Some("## `a`\n| `x` |\n### `b`\n| `y` |\n")
    );
    assert_eq!(section_text(doc, "c"), Some("## `c`\n| `z` |\n"));
    assert_eq!(section_text(doc, "d"), None);
    assert!(has_number("1 to 10080 (a week)", 10080.0));
    assert!(!has_number("at least 15", 5.0));
    assert!(has_number("0 to 10^15 (`1e15`)", 1e15));
}
