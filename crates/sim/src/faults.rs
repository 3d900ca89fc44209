//! Injected faults: per (service, path) overrides installed through the control API that delay,
//! rewrite, strip CORS from, hang or reset a response, so tests can drive the page's error paths.
//!
//! The hostile bodies (huge, deeply nested, wrongly typed, carrying markup, invalid UTF-8,
//! dripping, redirecting elsewhere) are written here from the normal payload's JSON, never
//! through the page's domain types.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use axum::http::{header, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::reply::{Payload, Reply, Streamed};
use crate::state::Service;

/// How a fault replaces the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BodyFault {
    /// `{"status": "ok",` with a JSON content type.
    MalformedJson,
    /// A load balancer's HTML error page; status 200 unless the fault sets one.
    Html,
    /// The normal payload cut in half.
    Truncated,
    /// Zero bytes.
    Empty,
    /// A valid-looking JSON object saying `healthy`, padded past [`HUGE_BYTES`], streamed
    /// without `Content-Length`.
    Huge,
    /// A JSON object whose `detail` is [`DEEP_LEVELS`] nested arrays and objects.
    Deep,
    /// The normal payload with every value of the wrong JSON type: numbers as objects, status
    /// words as arrays, timestamps as booleans, other strings as numbers, booleans as strings,
    /// arrays as strings, null as a number.
    WrongTypes,
    /// The normal payload with every string but the status words replaced by [`HOSTILE`], and
    /// a component named with it.
    HostileStrings,
    /// The normal payload with the bytes 0xff 0xfe inside its last string.
    InvalidUtf8,
    /// The normal payload a few bytes at a time over `drip_ms` (headers at once).
    SlowDrip,
    /// A redirect (307 unless `status` names another 3xx) to the same path on the other
    /// simulated service's origin, which admits no CORS origin `null`.
    Redirect,
}

/// The text the `hostile_strings` fault puts in every string: markup that would run script if
/// a page ever inserted it as HTML, and a `javascript:` URL.
pub(crate) const HOSTILE: &str = "<img src=x onerror=window.__pwned=1> \
     <script>window.__pwned=1</script> \"><svg onload=window.__pwned=1> javascript:window.__pwned=1";
/// The smallest body the `huge` fault sends.
pub(crate) const HUGE_BYTES: usize = 10 * 1024 * 1024;
/// How deep the `deep` fault nests.
pub(crate) const DEEP_LEVELS: usize = 10_000;
/// How long a `slow_drip` takes unless `drip_ms` says.
const DEFAULT_DRIP_MS: u64 = 15_000;
/// The longest `drip_ms` accepted.
const MAX_DRIP_MS: u64 = 120_000;

/// One installed fault, as posted to `POST /__sim/faults`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fault {
    pub(crate) service: String,
    pub(crate) path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<BodyFault>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) drop_cors: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) hang: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) reset: bool,
    /// How long a `slow_drip` body takes, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) drip_ms: Option<u64>,
    /// A `Retry-After` header in seconds (not exposed through CORS, as in production: only a
    /// client outside the browser reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) retry_after: Option<u32>,
    /// Text removed, ASCII case-insensitively, from every string of the normal JSON payload
    /// (e.g. `"error -3"`): the backend's words change while its flags and statuses stay, as
    /// when a message is reworded but the connector is still down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scrub: Option<String>,
}

impl Fault {
    /// Parses and checks a fault spec; the error is a message for the control API's 400.
    pub(crate) fn parse(body: &[u8]) -> Result<(Service, Fault), String> {
        let fault: Fault =
            serde_json::from_slice(body).map_err(|e| format!("invalid fault spec: {e}"))?;
        let service = Service::parse(&fault.service).ok_or_else(|| {
            format!(
                "unknown service {:?}; expected backend or auth",
                fault.service
            )
        })?;
        if !fault.path.starts_with('/') {
            return Err(format!("path {:?} must start with '/'", fault.path));
        }
        if let Some(status) = fault.status {
            if !(100..=599).contains(&status) {
                return Err(format!("status {status} is not an HTTP status code"));
            }
            if fault.body == Some(BodyFault::Redirect) && !(300..=399).contains(&status) {
                return Err(format!(
                    "status {status} is not a redirect; body \"redirect\" needs a 3xx status"
                ));
            }
        }
        if fault.scrub.as_deref().is_some_and(str::is_empty) {
            return Err("scrub must name the text to remove".to_owned());
        }
        if fault.scrub.is_some() && fault.body.is_some() {
            return Err("scrub changes the normal payload; it cannot go with body".to_owned());
        }
        if let Some(ms) = fault.drip_ms {
            if fault.body != Some(BodyFault::SlowDrip) {
                return Err("drip_ms only applies to body \"slow_drip\"".to_owned());
            }
            if ms == 0 || ms > MAX_DRIP_MS {
                return Err(format!(
                    "drip_ms {ms} must be between 1 and {MAX_DRIP_MS} milliseconds"
                ));
            }
        }
        Ok((service, fault))
    }

    /// The status override, if any.
    pub(crate) fn status_code(&self) -> Option<StatusCode> {
        self.status.and_then(|s| StatusCode::from_u16(s).ok())
    }

    /// Rewrites a normal reply's status and body as the fault says; `other_origin` is where a
    /// redirect points (the other simulated service).
    pub(crate) fn apply(&self, mut reply: Reply, other_origin: &str, path: &str) -> Reply {
        if let (Some(text), Payload::Json(value)) = (&self.scrub, &mut reply.payload) {
            scrub(value, text);
        }
        if let Some(kind) = self.body {
            let (content_type, text) = reply.body_text();
            let json = || match &reply.payload {
                Payload::Json(value) => value.clone(),
                _ => serde_json::from_str(&text).unwrap_or(Value::Null),
            };
            reply.payload = match kind {
                BodyFault::MalformedJson => Payload::Raw {
                    content_type: "application/json",
                    text: r#"{"status": "ok","#.to_owned(),
                },
                BodyFault::Html => {
                    // The front end's page replaces the service's answer, headers included.
                    reply.headers.clear();
                    reply.status = StatusCode::OK;
                    Payload::Raw {
                        content_type: "text/html; charset=UTF-8",
                        text: html_error_page(self.status.unwrap_or(502)),
                    }
                }
                BodyFault::Truncated => {
                    let mut cut = text.len() / 2;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    Payload::Raw {
                        content_type,
                        text: text[..cut].to_owned(),
                    }
                }
                BodyFault::Empty => Payload::Raw {
                    content_type,
                    text: String::new(),
                },
                BodyFault::Huge => Payload::Streamed {
                    content_type: "application/json",
                    body: Streamed::Huge { bytes: HUGE_BYTES },
                },
                BodyFault::Deep => Payload::Raw {
                    content_type: "application/json",
                    text: deep_json(DEEP_LEVELS),
                },
                BodyFault::WrongTypes => Payload::Json(wrong_types("", &json())),
                BodyFault::HostileStrings => Payload::Json(hostile(&json())),
                BodyFault::InvalidUtf8 => Payload::Bytes {
                    content_type: "application/json",
                    bytes: invalid_utf8(&text),
                },
                BodyFault::SlowDrip => Payload::Streamed {
                    content_type,
                    body: Streamed::Drip {
                        text,
                        total: Duration::from_millis(self.drip_ms.unwrap_or(DEFAULT_DRIP_MS)),
                    },
                },
                BodyFault::Redirect => {
                    reply.headers.clear();
                    reply.status = StatusCode::TEMPORARY_REDIRECT;
                    let location = format!("{}{path}", other_origin.trim_end_matches('/'));
                    reply = reply.with_header(header::LOCATION, &location);
                    Payload::Raw {
                        content_type: "text/plain; charset=utf-8",
                        text: format!("Redirecting to {location}"),
                    }
                }
            };
        }
        if let Some(status) = self.status_code() {
            reply.status = status;
        }
        if let Some(seconds) = self.retry_after {
            reply = reply.with_header(header::RETRY_AFTER, &seconds.to_string());
        }
        reply
    }
}

/// Removes every ASCII-case-insensitive occurrence of `text` from the strings in `value`.
fn scrub(value: &mut Value, text: &str) {
    match value {
        Value::String(s) => {
            let needle = text.to_ascii_lowercase();
            while let Some(at) = s.to_ascii_lowercase().find(&needle) {
                s.replace_range(at..at + needle.len(), "");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, text)),
        Value::Object(map) => map.values_mut().for_each(|v| scrub(v, text)),
        _ => {}
    }
}

/// `{"status": "ok", "detail": [{"a":[{"a":…0…}]}]}` nested `levels` deep.
fn deep_json(levels: usize) -> String {
    let mut text = String::with_capacity(levels * 7 + 40);
    text.push_str(r#"{"status": "ok", "detail": "#);
    for level in 0..levels {
        text.push_str(if level % 2 == 0 { "[" } else { r#"{"a":"# });
    }
    text.push('0');
    for level in (0..levels).rev() {
        text.push(if level % 2 == 0 { ']' } else { '}' });
    }
    text.push('}');
    text
}

/// Whether a key names a status word (kept as a word by `hostile_strings`, made an array by
/// `wrong_types`).
fn is_status_key(key: &str) -> bool {
    matches!(key, "status" | "state" | "overall_status")
}

/// Whether a key names a point in time.
fn is_time_key(key: &str) -> bool {
    key.contains("timestamp") || key.ends_with("_at") || key.ends_with("time")
}

/// `value` (found under `key`) with every leaf of the wrong JSON type; objects keep their keys.
fn wrong_types(key: &str, value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), wrong_types(k, v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Number(n) => json!({ "value": n }),
        Value::String(s) if is_status_key(key) => json!([s]),
        Value::String(_) if is_time_key(key) => Value::Bool(true),
        Value::String(s) => Value::from(s.len()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(items) => Value::String(format!("{} items", items.len())),
        Value::Null => Value::from(0),
    }
}

/// `value` with every string but the status words replaced by [`HOSTILE`], and a hostile
/// entry in the top-level `components` (created if absent).
fn hostile(value: &Value) -> Value {
    fn walk(key: &str, value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), walk(k, v)))
                    .collect::<Map<_, _>>(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| walk(key, v)).collect()),
            Value::String(_) if is_status_key(key) => value.clone(),
            Value::String(_) => Value::from(HOSTILE),
            other => other.clone(),
        }
    }
    let mut out = walk("", value);
    if let Value::Object(map) = &mut out {
        let components = map
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            components.insert(
                HOSTILE.to_owned(),
                json!({"status": "healthy", "message": HOSTILE, "version": HOSTILE}),
            );
        }
    }
    out
}

/// `text` with 0xff 0xfe inserted before the closing quote of its last string (or appended
/// when it has none).
fn invalid_utf8(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    let at = text.rfind('"').unwrap_or(bytes.len());
    bytes.splice(at..at, [0xff, 0xfe]);
    bytes
}

/// The page a Google front end shows when the service behind it is down.
fn html_error_page(code: u16) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  \
         <title>Error {code} (Server Error)!!1</title>\n  \
         <p><b>{code}.</b> <ins>That\u{2019}s an error.</ins>\n  \
         <p>The server encountered a temporary error and could not complete your request.\
         <p>Please try again in 30 seconds.  <ins>That\u{2019}s all we know.</ins>\n"
    )
}

/// The installed faults, at most one per (service, path).
#[derive(Default)]
pub(crate) struct Faults {
    inner: Mutex<BTreeMap<(&'static str, String), Fault>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<(&'static str, String), Fault>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Installs a fault, replacing any earlier one on the same endpoint.
    pub(crate) fn install(&self, service: Service, fault: Fault) {
        self.lock()
            .insert((service.as_str(), fault.path.clone()), fault);
    }

    /// The fault on an endpoint, if any.
    pub(crate) fn get(&self, service: Service, path: &str) -> Option<Fault> {
        self.lock()
            .get(&(service.as_str(), path.to_owned()))
            .cloned()
    }

    /// Removes every fault.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// Every installed fault, as JSON.
    pub(crate) fn list(&self) -> Value {
        Value::Array(
            self.lock()
                .values()
                .filter_map(|f| serde_json::to_value(f).ok())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OTHER: &str = "http://127.0.0.1:1";

    fn reply() -> Reply {
        Reply::json(
            503,
            json!({"status": "unhealthy", "message": "Startup failed"}),
        )
    }

    #[test]
    fn parse_rejects_unknown_values() {
        assert!(Fault::parse(br#"{"service":"db","path":"/health"}"#).is_err());
        assert!(Fault::parse(br#"{"service":"auth","path":"health"}"#).is_err());
        assert!(Fault::parse(br#"{"service":"auth","path":"/health","body":"xml"}"#).is_err());
        assert!(Fault::parse(br#"{"service":"auth","path":"/health","status":42}"#).is_err());
        assert!(Fault::parse(br#"{"service":"auth","path":"/health","colour":1}"#).is_err());
        let (service, fault) =
            Fault::parse(br#"{"service":"auth","path":"/health","hang":true}"#).unwrap();
        assert_eq!(service, Service::Auth);
        assert!(fault.hang);
    }

    #[test]
    fn status_only_keeps_body() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","status":502}"#).unwrap();
        let out = fault.apply(reply(), OTHER, "/health");
        assert_eq!(out.status, StatusCode::BAD_GATEWAY);
        assert_eq!(out.body_text().1, reply().body_text().1);
    }

    #[test]
    fn scrub_removes_the_words_and_keeps_the_flags() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health/ready","scrub":"error -3"}"#)
                .unwrap();
        let body = json!({"status": "unhealthy", "vpc": {"overall": false},
            "errors": ["Redis: Error -3 connecting", "ERROR -3 again error -3"]});
        let out = fault.apply(Reply::json(503, body), OTHER, "/health/ready");
        let value: Value = serde_json::from_str(&out.body_text().1).unwrap();
        assert_eq!(value["errors"], json!(["Redis:  connecting", " again "]));
        assert_eq!(value["vpc"]["overall"], json!(false));
        assert_eq!(out.status, StatusCode::SERVICE_UNAVAILABLE);
        let with_body = br#"{"service":"backend","path":"/h","scrub":"x","body":"empty"}"#;
        assert!(Fault::parse(with_body).is_err());
        assert!(Fault::parse(br#"{"service":"backend","path":"/h","scrub":""}"#).is_err());
    }

    #[test]
    fn html_defaults_to_200() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","body":"html"}"#).unwrap();
        let out = fault.apply(reply(), OTHER, "/health");
        assert_eq!(out.status, StatusCode::OK);
        assert!(out.body_text().0.starts_with("text/html"));
        assert!(out.body_text().1.contains("502."));
    }

    #[test]
    fn truncated_is_half_the_payload() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","body":"truncated"}"#).unwrap();
        let full = reply().body_text().1;
        let out = fault.apply(reply(), OTHER, "/health");
        assert_eq!(out.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(out.body_text().1, full[..full.len() / 2]);
        assert!(serde_json::from_str::<Value>(&out.body_text().1).is_err());
    }

    #[test]
    fn deep_json_nests_as_asked() {
        let text = deep_json(6);
        assert_eq!(
            text,
            r#"{"status": "ok", "detail": [{"a":[{"a":[{"a":0}]}]}]}"#
        );
        assert!(serde_json::from_str::<Value>(&text).is_ok());
    }

    #[test]
    fn wrong_types_change_every_leaf() {
        let value = json!({"status": "ok", "checked_at": "2025-01-01T00:00:00Z", "count": 3,
            "ok": true, "list": [1, 2], "none": null, "nested": {"state": "up", "name": "db"}});
        assert_eq!(
            wrong_types("", &value),
            json!({"status": ["ok"], "checked_at": true, "count": {"value": 3}, "ok": "true",
                "list": "2 items", "none": 0, "nested": {"state": ["up"], "name": 2}})
        );
    }

    #[test]
    fn hostile_keeps_status_words_and_adds_a_component() {
        let out = hostile(
            &json!({"status": "ok", "message": "fine", "checks": [{"status": "up", "name": "db"}]}),
        );
        assert_eq!(out["status"], "ok");
        assert_eq!(out["message"], HOSTILE);
        assert_eq!(out["checks"][0]["status"], "up");
        assert_eq!(out["checks"][0]["name"], HOSTILE);
        assert_eq!(out["components"][HOSTILE]["status"], "healthy");
    }

    #[test]
    fn invalid_utf8_lands_inside_the_last_string() {
        let bytes = invalid_utf8(r#"{"a": "b"}"#);
        assert_eq!(bytes, b"{\"a\": \"b\xff\xfe\"}");
    }

    #[test]
    fn redirect_defaults_to_307_to_the_other_origin() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","body":"redirect"}"#).unwrap();
        let out = fault.apply(reply(), OTHER, "/health");
        assert_eq!(out.status, StatusCode::TEMPORARY_REDIRECT);
        assert!(out
            .headers
            .iter()
            .any(|(name, value)| name == header::LOCATION && value == "http://127.0.0.1:1/health"));
        assert!(Fault::parse(
            br#"{"service":"auth","path":"/health","body":"redirect","status":503}"#
        )
        .is_err());
    }
}
