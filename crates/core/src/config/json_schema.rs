//! The configuration's JSON Schema, generated with `schemars` from the same declarations that
//! read the file ([`crate::config::declare`]): each declared type's schema is its fields' types'
//! schemas (schemars' own for the standard types, `$ref`s into `$defs` for declared ones, so
//! `all_of` inside `all_of` is a plain recursive reference), narrowed by the declared shapes
//! (ranges, link schemes, names), with each field's default and doc comment. Native only: the
//! `schema` feature is enabled by the xtask, which ships the result as `lookout.schema.json`;
//! the page never builds this.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::config::endpoint_format::{LEVEL_FIELDS, RULE_FIELDS};
use crate::config::schema::{Field, Shape};
use crate::config::sections::{Condition, Criterion, Rule, Scalar, CONDITION_FIELDS};
use crate::config::{Config, SCHEMA_KEY, SCHEMA_VERSION};
use crate::read::Format;
use crate::status::Status;

/// The JSON Schema (draft 2020-12) of the configuration file. Unknown fields are allowed, as
/// they are only warnings, except inside a format rule, which refuses them.
pub(crate) fn config_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Config>();
    schema.insert(
        "title".into(),
        "Lookout configuration (lookout.json)".into(),
    );
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        let description =
            "Where editors find this schema, e.g. \"lookout.schema.json\"; ignored by Lookout.";
        let property = json!({"type": "string", "description": description});
        properties.insert(SCHEMA_KEY.into(), property);
        // The one version this build reads (a semantic check, as the message names the build).
        if let Some(Value::Object(version)) = properties.get_mut("schema_version") {
            version.insert("const".into(), SCHEMA_VERSION.into());
        }
    }
    schema.to_value()
}

/// The properties of an object schema, built from a declaration field by field.
#[derive(Default)]
pub(crate) struct Properties {
    properties: Map<String, Value>,
    required: Vec<Value>,
}

impl Properties {
    /// Adds the field `name` of `fields`: the schema of its type, narrowed by its declared
    /// shape, with its default (when it has one) and its doc comment.
    pub(crate) fn add(
        &mut self,
        fields: &[Field],
        name: &str,
        mut schema: Schema,
        default: Option<Value>,
        doc: &[&str],
    ) {
        let Some(field) = fields.iter().find(|field| field.name == name) else {
            return;
        };
        narrow(schema.as_object_mut(), field.shape);
        let object = schema.ensure_object();
        if let Some(default) = default {
            object.insert("default".into(), default);
        }
        if let Some(description) = described(doc) {
            object.insert("description".into(), description.into());
        }
        self.insert(field, schema.to_value());
    }

    /// Adds a field declared by its shape alone (the fields every criterion has).
    fn add_shape(&mut self, field: &Field) {
        let mut schema = Map::new();
        narrow(Some(&mut schema), field.shape);
        self.insert(field, Value::Object(schema));
    }

    fn insert(&mut self, field: &Field, schema: Value) {
        self.properties.insert(field.name.to_string(), schema);
        if field.required {
            self.required.push(field.name.into());
        }
    }

    /// The object schema; unknown fields are allowed (they are only warnings).
    pub(crate) fn into_schema(self) -> Schema {
        json_schema!({"type": "object", "properties": self.properties, "required": self.required})
    }
}

/// A doc comment as one line of text, without rustdoc's link brackets.
pub(crate) fn described(doc: &[&str]) -> Option<String> {
    let text = doc
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace("[`", "`")
        .replace("`]", "`");
    (!text.is_empty()).then_some(text)
}

/// Narrows a type's schema by the shape its field declares: ranges, formats, allowed names.
/// A reference to a declared type and shapes that only restate the type (an object, a map, a
/// type's own rules) add nothing.
fn narrow(schema: Option<&mut Map<String, Value>>, shape: &Shape) {
    let Some(schema) = schema.filter(|schema| !schema.contains_key("$ref")) else {
        return;
    };
    let mut set = |key: &str, value: Value| {
        schema.insert(key.to_string(), value);
    };
    match shape {
        Shape::Bool => set("type", "boolean".into()),
        Shape::Str => set("type", "string".into()),
        Shape::Int { min, max } => {
            set("minimum", (*min).into());
            if *max < i64::from(u32::MAX) {
                set("maximum", (*max).into());
            }
        }
        Shape::Num { min, max } => {
            if *min > f64::MIN {
                set("minimum", json!(min));
            }
            if *max < f64::MAX {
                set("maximum", json!(max));
            }
        }
        Shape::Timestamp => set("format", "date-time".into()),
        Shape::Url(schemes) => {
            set("format", "uri".into());
            let schemes: Vec<String> = schemes.iter().map(|s| s.replace('/', "\\/")).collect();
            set("pattern", format!("^({})", schemes.join("|")).into());
        }
        Shape::Enum(names) => set("enum", json!(names)),
        Shape::Array(item) => {
            narrow(schema.get_mut("items").and_then(Value::as_object_mut), item);
        }
        Shape::Nullable(inner) => match schema.get_mut("anyOf").and_then(Value::as_array_mut) {
            // A declared type or a reference: narrow the branch that is not null.
            Some(branches) => branches
                .iter_mut()
                .filter(|branch| branch["type"] != "null")
                .for_each(|branch| narrow(branch.as_object_mut(), inner)),
            // An inline type that also allows null (`"type": ["integer", "null"]`).
            None => narrow_nullable(schema, inner),
        },
        Shape::Map(_) | Shape::Object | Shape::Tagged { .. } | Shape::Custom { .. } => {}
    }
}

/// Narrows an inline schema that allows null by the shape of its non-null values, keeping null.
fn narrow_nullable(schema: &mut Map<String, Value>, inner: &Shape) {
    let keeps_type = schema.contains_key("type");
    narrow(Some(schema), inner);
    if !keeps_type {
        return;
    }
    if let Some(Value::String(kind)) = schema.get("type").cloned() {
        schema.insert("type".into(), json!([kind, "null"]));
    }
    if let Some(Value::Array(names)) = schema.get_mut("enum") {
        names.push(Value::Null);
    }
}

/// A tagged object (a criterion or a condition): one branch per kind, each with `common` and
/// its kind's fields.
fn tagged(generator: &mut SchemaGenerator, common: &[Field]) -> Schema {
    let branches: Vec<Value> = Rule::variant_properties(generator)
        .into_iter()
        .map(|(kind, doc, mut properties)| {
            let tag = Field {
                name: Rule::TAG,
                required: true,
                shape: &Shape::Str,
            };
            properties.insert(&tag, json!({"const": kind}));
            common.iter().for_each(|field| properties.add_shape(field));
            let mut branch = properties.into_schema();
            if let Some(description) = described(doc) {
                branch.insert("description".into(), description.into());
            }
            branch.to_value()
        })
        .collect();
    json_schema!({"type": "object", "oneOf": branches})
}

impl JsonSchema for Criterion {
    fn schema_name() -> Cow<'static, str> {
        "Criterion".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        tagged(generator, crate::config::sections::CRITERION_FIELDS)
    }
}

impl JsonSchema for Condition {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        tagged(generator, CONDITION_FIELDS)
    }
}

impl JsonSchema for Format {
    fn schema_name() -> Cow<'static, str> {
        "Format".into()
    }

    /// A name, or `{"rule": {...}}` with the rule's declared fields. Unknown fields in a rule
    /// are warnings, as everywhere else, so the schema allows them.
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut rule = shapes_schema(RULE_FIELDS);
        let level = shapes_schema(LEVEL_FIELDS).to_value();
        if let Some(Value::Object(properties)) = rule.get_mut("properties") {
            properties.insert("levels".into(), json!({"type": "array", "items": level}));
            let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            let words = json!({"type": "object", "additionalProperties": {"enum": statuses}});
            properties.insert("words".into(), words);
        }
        json_schema!({"anyOf": [
            {"type": "string", "enum": Format::NAMES},
            {"type": "object", "properties": {"rule": rule}, "required": ["rule"]},
        ]})
    }
}

/// An object schema from fields declared by their shapes alone (a rule's, which the read layer
/// owns and the configuration declares in `endpoint_format`).
fn shapes_schema(fields: &[Field]) -> Schema {
    let mut properties = Properties::default();
    fields.iter().for_each(|field| properties.add_shape(field));
    properties.into_schema()
}

impl JsonSchema for Scalar {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "boolean", "number"]})
    }
}

impl JsonSchema for Status {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Status".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = Status::ALL.iter().map(|status| status.as_str()).collect();
        json_schema!({"type": "string", "enum": names})
    }
}
