//! Turns one probe's outcome into a normalised reading: the endpoint's own status, the parts it
//! reports on (database, redis, vpc_connector…), each with its reason and evidence.
//!
//! The rules here are the honest-reading rules of the page: a failed probe is unknown with its
//! reason; HTTP status alone never decides when the body carries a status; a 200 with an HTML
//! page or an unexpected shape is unknown, never operational.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::netra;
use crate::probe::{HttpResponse, ProbeOutcome, MAX_BODY_BYTES};
use crate::status::{worst_known, Status};

/// How to read an endpoint's body. `auto` recognises every shape Lookout knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Detect the shape from the body.
    #[default]
    Auto,
    /// Netra backend, auth service and WebSocket health payloads.
    Netra,
    /// Only the HTTP status counts: 2xx is up, whatever the body.
    PlainHttp,
}

/// Where a finding came from, so a person can check it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The endpoint's config id.
    pub endpoint: String,
    /// The HTTP status, when there was a response.
    pub http_status: Option<u16>,
    /// JSON pointer of the field that decided, empty when the whole response decided.
    pub field: String,
    /// The raw value of that field (or a short description of the response), truncated.
    pub raw: String,
}

/// One status with its reason and evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The normalised level.
    pub status: Status,
    /// Why, in words for people.
    pub reason: String,
    /// What it was read from.
    pub evidence: Evidence,
}

/// Everything read from one probe of one endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// The endpoint's overall finding.
    pub overall: Finding,
    /// Findings on the parts the endpoint reports on, by canonical part name.
    pub parts: BTreeMap<String, Finding>,
    /// Which shape was recognised, for people ("Netra /health/infrastructure v2").
    pub shape: String,
    /// Whether the probe got a response the backend meant (as opposed to no answer).
    pub answered: bool,
}

impl Reading {
    /// A reading with no parts.
    fn whole(finding: Finding, shape: &str, answered: bool) -> Reading {
        Reading {
            overall: finding,
            parts: BTreeMap::new(),
            shape: shape.to_string(),
            answered,
        }
    }
}

/// The longest raw value kept as evidence.
const RAW_LIMIT: usize = 160;

/// Shortens a raw value for evidence, on a character boundary.
pub fn clip(text: &str) -> String {
    if text.chars().count() <= RAW_LIMIT {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(RAW_LIMIT).collect();
    clipped.push('…');
    clipped
}

/// Builds findings for one response, remembering the endpoint and HTTP status.
pub(crate) struct Reader<'a> {
    pub endpoint: &'a str,
    pub http_status: Option<u16>,
}

impl Reader<'_> {
    /// A finding whose evidence is the field at `pointer` with raw text `raw`.
    pub fn finding(
        &self,
        status: Status,
        reason: impl Into<String>,
        pointer: &str,
        raw: &str,
    ) -> Finding {
        Finding {
            status,
            reason: reason.into(),
            evidence: Evidence {
                endpoint: self.endpoint.to_string(),
                http_status: self.http_status,
                field: pointer.to_string(),
                raw: clip(raw),
            },
        }
    }
}

/// Reads one probe outcome of endpoint `endpoint` with `format`.
pub fn read(endpoint: &str, format: Format, outcome: &ProbeOutcome) -> Reading {
    match outcome {
        ProbeOutcome::Failed(failure) => {
            let reader = Reader {
                endpoint,
                http_status: None,
            };
            let finding = reader.finding(Status::Unknown, failure.describe(), "", "");
            Reading::whole(finding, "no response", false)
        }
        ProbeOutcome::WebSocket(session) => {
            let finding = crate::websocket::classify(endpoint, session);
            Reading::whole(finding, "WebSocket handshake", true)
        }
        ProbeOutcome::Response(response) => read_response(endpoint, format, response),
    }
}

fn http_phrase(status: u16) -> String {
    let text = match status {
        200 => "OK",
        204 => "No Content",
        301 | 302 | 307 | 308 => "Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if text.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status} {text}")
    }
}

/// What the HTTP status says when the body cannot speak: 5xx is an outage, 2xx is up only for
/// plain-HTTP endpoints, everything else is unknown.
fn status_from_http_class(code: u16) -> Status {
    match code {
        500..=599 => Status::MajorOutage,
        429 => Status::Degraded,
        _ => Status::Unknown,
    }
}

fn read_response(endpoint: &str, format: Format, response: &HttpResponse) -> Reading {
    let reader = Reader {
        endpoint,
        http_status: Some(response.status),
    };
    let code = response.status;
    let phrase = http_phrase(code);
    if response.body.len() > MAX_BODY_BYTES {
        let finding = reader.finding(
            Status::Unknown,
            format!(
                "{phrase}, but the body is larger than {} KB and was not read",
                MAX_BODY_BYTES / 1024
            ),
            "",
            "",
        );
        return Reading::whole(finding, "too large", true);
    }
    if format == Format::PlainHttp {
        let status = if (200..300).contains(&code) {
            Status::Operational
        } else {
            status_from_http_class(code)
        };
        let finding = reader.finding(status, phrase.clone(), "", &phrase);
        return Reading::whole(finding, "plain HTTP", true);
    }
    let body = response.body.trim();
    if body.is_empty() {
        let status = status_from_http_class(code);
        let finding = reader.finding(
            status,
            format!("{phrase} with an empty body, JSON expected"),
            "",
            "",
        );
        return Reading::whole(finding, "empty body", true);
    }
    let parsed: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(error) => return read_non_json(&reader, response, &phrase, &error),
    };
    let Value::Object(object) = &parsed else {
        let finding = reader.finding(
            Status::Unknown,
            format!(
                "{phrase}, but the JSON is {} where an object was expected",
                kind_of(&parsed)
            ),
            "",
            &clip(body),
        );
        return Reading::whole(finding, "unexpected JSON", true);
    };
    netra::read_object(&reader, object)
}

fn read_non_json(
    reader: &Reader,
    response: &HttpResponse,
    phrase: &str,
    error: &serde_json::Error,
) -> Reading {
    let body = response.body.trim_start();
    let is_html = response
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        || body.starts_with('<');
    let code = response.status;
    let (what, shape) = if is_html {
        ("an HTML page instead of JSON".to_string(), "HTML page")
    } else if error.is_eof() {
        (
            "truncated JSON (the body ends mid-document)".to_string(),
            "truncated JSON",
        )
    } else if error.to_string().contains("recursion limit") {
        (
            "JSON nested too deeply to read".to_string(),
            "unexpected JSON",
        )
    } else {
        (format!("a body that is not JSON ({error})"), "not JSON")
    };
    let status = status_from_http_class(code);
    let finding = reader.finding(status, format!("{phrase} with {what}"), "", &clip(body));
    Reading::whole(finding, shape, true)
}

/// A word for the JSON type of a value, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a status word at `key` of `object`, as a finding at `pointer`.
pub(crate) fn word_finding(
    reader: &Reader,
    object: &Map<String, Value>,
    key: &str,
    pointer: &str,
    what: &str,
) -> Option<Finding> {
    let value = object.get(key)?;
    Some(value_finding(reader, value, pointer, what))
}

/// Reads a status value (word or boolean) as a finding about `what`.
pub(crate) fn value_finding(reader: &Reader, value: &Value, pointer: &str, what: &str) -> Finding {
    match value {
        Value::String(word) => match crate::words::status_from_word(word) {
            Some(status) => reader.finding(status, format!("{what}: {word}"), pointer, word),
            None => reader.finding(
                Status::Unknown,
                format!("{what}: unrecognised status word \"{}\"", clip(word)),
                pointer,
                word,
            ),
        },
        Value::Bool(true) => reader.finding(
            Status::Operational,
            format!("{what}: true"),
            pointer,
            "true",
        ),
        Value::Bool(false) => reader.finding(
            Status::MajorOutage,
            format!("{what}: false"),
            pointer,
            "false",
        ),
        other => reader.finding(
            Status::Unknown,
            format!(
                "{what}: {} where a status word was expected",
                kind_of(other)
            ),
            pointer,
            &clip(&other.to_string()),
        ),
    }
}

/// Combines an endpoint's own word with its parts: a "ready" that reports a degraded part is
/// degraded, not operational.
pub(crate) fn fold_parts(mut overall: Finding, parts: &BTreeMap<String, Finding>) -> Finding {
    if overall.status == Status::Operational {
        if let Some(worst) = worst_known(parts.values().map(|p| p.status)) {
            if worst.is_problem() {
                let names: Vec<&str> = parts
                    .iter()
                    .filter(|(_, p)| p.status == worst)
                    .map(|(name, _)| name.as_str())
                    .collect();
                // A problem in a part degrades the whole; it does not take it down.
                overall.status = Status::Degraded;
                overall.reason = format!(
                    "{}, but {} {}",
                    overall.reason,
                    names.join(", "),
                    worst.label().to_lowercase()
                );
            }
        }
    }
    overall
}

/// Applies the HTTP status to a body-derived finding: a 5xx that claims to be fine is not fine.
pub(crate) fn reconcile_http(reader: &Reader, mut finding: Finding) -> Finding {
    if let Some(code) = reader.http_status {
        if code >= 500 && finding.status == Status::Operational {
            finding.status = Status::MajorOutage;
            finding.reason = format!(
                "{} although the body says {}",
                http_phrase(code),
                finding.reason
            );
        } else if !(200..300).contains(&code) {
            finding.reason = format!("{} ({})", finding.reason, http_phrase(code));
        }
    }
    finding
}

/// The phrase for an HTTP status code ("HTTP 503 Service Unavailable").
pub(crate) fn phrase(code: Option<u16>) -> String {
    code.map(http_phrase).unwrap_or_default()
}

/// The status an HTTP code implies when nothing else does.
pub(crate) fn from_http_class(code: Option<u16>) -> Status {
    code.map(status_from_http_class).unwrap_or(Status::Unknown)
}
