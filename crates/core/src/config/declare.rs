//! Declared types: each type of a JSON file Lookout reads (the configuration, the updates file)
//! is declared once with [`declare!`], and that one declaration gives the Rust type, its
//! [`Shape`] (so its messages), the reader that builds it from a `serde_json::Value`, checking
//! as it goes, and, with the `schema` feature, its JSON Schema. The text is parsed to a `Value` once; nothing is
//! re-serialized or read twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::config::schema::{int_from, member, Shape, Walk};

/// A type read from a JSON value by its declaration.
pub(crate) trait Declared: Sized {
    /// What the value looks like, unless a field declares more (a range, URL schemes).
    const SHAPE: Shape;

    /// Reads `value` (found at `path`) as `shape` says, reporting every problem to `walk`;
    /// `None` when a problem makes it unreadable (a wrong type, a missing field).
    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self>;
}

/// Reads a declared type for serde (a snapshot's page model, a test), through its declaration,
/// so its defaults and shapes hold wherever it comes from; problems that leave the value
/// readable (a range, a link scheme) are the configuration's to report, not serde's.
pub(crate) fn deserialize<'de, T: Declared, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let mut walk = Walk::default();
    T::read(&value, &T::SHAPE, "$", &mut walk).ok_or_else(|| {
        let first = walk.errors.first().map(ToString::to_string);
        D::Error::custom(first.unwrap_or_else(|| "unreadable value".to_string()))
    })
}

/// Leaves: checked by [`Walk::leaf`], then converted.
macro_rules! leaf {
    ($($ty:ty = $shape:expr, $convert:expr;)*) => {$(
        impl Declared for $ty {
            const SHAPE: Shape = $shape;

            fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
                if !walk.leaf(value, shape, path) {
                    return None;
                }
                let convert: fn(&Value) -> Option<Self> = $convert;
                let read = convert(value);
                if read.is_none() {
                    // Allowed by the shape's range, but not by the type (a negative count).
                    walk.blocking.push(path.to_string());
                }
                read
            }
        }
    )*};
}

leaf! {
    bool = Shape::Bool, Value::as_bool;
    String = Shape::Str, |v| v.as_str().map(str::to_string);
    u8 = Shape::Int { min: 0, max: u8::MAX as i64 }, |v| u8::try_from(v.as_u64()?).ok();
    u32 = int_from(0), |v| u32::try_from(v.as_u64()?).ok();
    f64 = Shape::Num { min: f64::MIN, max: f64::MAX }, Value::as_f64;
    DateTime<Utc> = Shape::Timestamp, |v| {
        let stamp = DateTime::parse_from_rfc3339(v.as_str()?.trim()).ok()?;
        Some(stamp.with_timezone(&Utc))
    };
}

impl<T: Declared> Declared for Vec<T> {
    const SHAPE: Shape = Shape::Array(&T::SHAPE);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let own = T::SHAPE;
        let item = match shape {
            Shape::Array(item) => item,
            _ => &own,
        };
        let items = walk.array(value, shape, path)?;
        // Every item is read (and its problems reported) before any failure counts.
        let read: Vec<Option<T>> = items
            .iter()
            .enumerate()
            .map(|(index, item_value)| T::read(item_value, item, &format!("{path}[{index}]"), walk))
            .collect();
        read.into_iter().collect()
    }
}

impl<T: Declared> Declared for Option<T> {
    const SHAPE: Shape = Shape::Nullable(&T::SHAPE);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        match shape {
            Shape::Nullable(_) if value.is_null() => Some(None),
            Shape::Nullable(inner) => T::read(value, inner, path, walk).map(Some),
            _ => T::read(value, shape, path, walk).map(Some),
        }
    }
}

impl<T: Declared> Declared for BTreeMap<String, T> {
    const SHAPE: Shape = Shape::Map(&T::SHAPE);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let own = T::SHAPE;
        let item = match shape {
            Shape::Map(item) => item,
            _ => &own,
        };
        let object = walk.object(value, shape, path)?;
        let read: Vec<(String, Option<T>)> = object
            .iter()
            .map(|(key, item_value)| {
                let read = T::read(item_value, item, &member(path, key), walk);
                (key.clone(), read)
            })
            .collect();
        read.into_iter()
            .map(|(key, item)| Some((key, item?)))
            .collect()
    }
}

/// Declares a type of a JSON file once: a struct, a unit enum or a tagged enum.
///
/// A struct gets its `Deserialize` from the declaration (derive only `Serialize`); enums take
/// their serde names from it.
///
/// A struct field is `pub name: Type`, required; `= default` makes it optional, standing in
/// when absent; `=> SHAPE` narrows the type's own shape (a range, URL schemes). A struct
/// starting `#![defaults]` (every field has one) implements `Default` with them; one preceded
/// `#![lenient]` gets `read_lenient`, which stands in a default for every field that cannot be
/// read and names those fields. A unit enum variant is `Name = "text"`. A
/// tagged enum is `pub enum Name in "tag" { Variant = "text" { fields } }` and is read by the
/// struct that flattens it (see `sections::Criterion`).
///
/// With the `schema` feature, each type also gets its JSON Schema from the same declaration
/// (`schemars::JsonSchema`, see [`crate::config::json_schema`]): the fields' types, shapes,
/// defaults and doc comments, which is why fields and variants carry doc comments only.
macro_rules! declare {
    (
        $(#![$option:ident])?
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                pub $field:ident : $ty:ty $(= $default:expr)? $(=> $shape:expr)?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
        }

        impl $name {
            /// The fields as declared, in order.
            pub(crate) const FIELDS: &'static [$crate::config::schema::Field] = &[$(
                $crate::config::declare::declare!(@field $field: $ty $(= $default)? $(=> $shape)?),
            )*];
        }

        impl $crate::config::declare::Declared for $name {
            const SHAPE: $crate::config::schema::Shape =
                $crate::config::schema::Shape::Object;

            fn read(
                value: &::serde_json::Value,
                _: &$crate::config::schema::Shape,
                path: &str,
                walk: &mut $crate::config::schema::Walk,
            ) -> Option<Self> {
                let object = walk.object(value, &Self::SHAPE, path)?;
                $(
                    let $field = walk.field::<$ty>(object, Self::FIELDS, stringify!($field), path,
                        $crate::config::declare::declare!(@default $($default)?));
                )*
                walk.unknown(object, &[Self::FIELDS], path);
                Some(Self { $( $field: $field?, )* })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::config::declare::deserialize(deserializer)
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let mut properties = $crate::config::json_schema::Properties::default();
                $(
                    properties.add(Self::FIELDS, stringify!($field), generator.subschema_for::<$ty>(),
                        $crate::config::declare::declare!(@default_value $ty $(= $default)?),
                        &[$($fdoc),*]);
                )*
                properties.into_schema()
            }
        }

        $crate::config::declare::declare!(
            @option [$($option)?] $name { $($field: $ty $(= $default)?),* }
        );
    };

    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$vattr:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        pub enum $name {
            $( $(#[$vattr])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// The names as written in the file.
            pub(crate) const NAMES: &'static [&'static str] = &[$($text),*];

            /// The stable identifier used in the file (and in data attributes).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl $crate::config::declare::Declared for $name {
            const SHAPE: $crate::config::schema::Shape =
                $crate::config::schema::Shape::Enum(Self::NAMES);

            fn read(
                value: &::serde_json::Value,
                shape: &$crate::config::schema::Shape,
                path: &str,
                walk: &mut $crate::config::schema::Walk,
            ) -> Option<Self> {
                if !walk.leaf(value, shape, path) {
                    return None;
                }
                match value.as_str()? {
                    $( $text => Some(Self::$variant), )*
                    _ => None,
                }
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({"type": "string", "enum": Self::NAMES})
            }
        }
    };

    (
        $(#[$attr:meta])*
        pub enum $name:ident in $tag:literal {
            $(
                $(#[doc = $vdoc:literal])*
                $variant:ident = $text:literal {
                    $(
                        $(#[doc = $fdoc:literal])*
                        $field:ident : $ty:ty $(= $default:expr)? $(=> $shape:expr)?
                    ),* $(,)?
                }
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[serde(tag = $tag)]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[serde(rename = $text)] $variant { $( $(#[doc = $fdoc])* $field: $ty, )* }, )*
        }

        #[cfg(feature = "schema")]
        impl $name {
            /// Each variant's name, doc comment and properties, for the JSON Schema of the
            /// objects that flatten it (see `config::json_schema`).
            pub(crate) fn variant_properties(
                generator: &mut ::schemars::SchemaGenerator,
            ) -> Vec<(&'static str, &'static [&'static str], $crate::config::json_schema::Properties)> {
                let mut found = Vec::new();
                $(
                    let fields = Self::VARIANTS
                        .iter()
                        .find(|(name, _)| *name == $text)
                        .map_or(&[][..], |(_, fields)| *fields);
                    let mut properties = $crate::config::json_schema::Properties::default();
                    $(
                        properties.add(fields, stringify!($field), generator.subschema_for::<$ty>(),
                            $crate::config::declare::declare!(@default_value $ty $(= $default)?),
                            &[$($fdoc),*]);
                    )*
                    let doc: &'static [&'static str] = &[$($vdoc),*];
                    found.push(($text, doc, properties));
                )*
                found
            }
        }

        impl $name {
            /// The field naming the variant.
            pub(crate) const TAG: &'static str = $tag;

            /// Each variant's name and fields, as declared.
            pub(crate) const VARIANTS: &'static [(&'static str, &'static [$crate::config::schema::Field])] = &[$(
                ($text, &[$( $crate::config::declare::declare!(@field $field: $ty $(= $default)? $(=> $shape)?), )*]),
            )*];

            /// Reads the fields of the variant named `kind` from `object`.
            pub(crate) fn read_variant(
                kind: &str,
                object: &::serde_json::Map<String, ::serde_json::Value>,
                path: &str,
                walk: &mut $crate::config::schema::Walk,
            ) -> Option<Self> {
                let fields = Self::VARIANTS.iter().find(|(name, _)| *name == kind)?.1;
                match kind {
                    $( $text => {
                        $(
                            let $field = walk.field::<$ty>(object, fields, stringify!($field), path,
                                $crate::config::declare::declare!(@default $($default)?));
                        )*
                        Some(Self::$variant { $( $field: $field?, )* })
                    } )*
                    _ => None,
                }
            }
        }
    };

    (@field $field:ident : $ty:ty $(= $default:expr)? $(=> $shape:expr)?) => {
        $crate::config::schema::Field {
            name: stringify!($field),
            required: $crate::config::declare::declare!(@required $($default)?),
            shape: &$crate::config::declare::declare!(@shape $ty $(, $shape)?),
        }
    };
    (@required) => { true };
    (@required $default:expr) => { false };
    (@shape $ty:ty) => { <$ty as $crate::config::declare::Declared>::SHAPE };
    (@shape $ty:ty, $shape:expr) => { $shape };
    (@default) => { None };
    (@default_value $ty:ty) => { None };
    (@default_value $ty:ty = $default:expr) => {{
        let value: $ty = $default;
        ::serde_json::to_value(&value).ok()
    }};
    (@default $default:expr) => { Some(|| $default) };
    (@option [] $($rest:tt)*) => {};
    (@option [defaults] $name:ident { $($field:ident : $ty:ty = $default:expr),* }) => {
        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }
    };
    (@option [lenient] $name:ident { $($field:ident : $ty:ty $(= $default:expr)?),* }) => {
        impl $name {
            /// Reads `object` as far as it can: each field that cannot be read stands in as its
            /// type's default, and is named among the second result.
            pub(crate) fn read_lenient(
                object: &::serde_json::Map<String, ::serde_json::Value>,
                path: &str,
                walk: &mut $crate::config::schema::Walk,
            ) -> (Self, Vec<&'static str>) {
                let mut unreadable = Vec::new();
                $(
                    let $field = walk
                        .field::<$ty>(object, Self::FIELDS, stringify!($field), path,
                            $crate::config::declare::declare!(@default $($default)?))
                        .unwrap_or_else(|| {
                            unreadable.push(stringify!($field));
                            Default::default()
                        });
                )*
                walk.unknown(object, &[Self::FIELDS], path);
                (Self { $( $field, )* }, unreadable)
            }
        }
    };
}
pub(crate) use declare;
