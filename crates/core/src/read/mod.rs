//! Turns one probe's outcome into a normalised reading: the endpoint's own status, the parts it
//! reports on (database, redis, vpc_connector…), each with its reason and evidence, plus the
//! numbers (metrics) and the payload's own time found along the way.
//!
//! The rules here are the honest-reading rules of the page: a failed probe is unknown with its
//! reason; HTTP status alone never decides when the body carries a status; a 200 with an HTML
//! page or an unexpected shape is unknown, never operational. This module owns the [`Format`]
//! an endpoint is read with, auto-detection, and everything shared by the format readers
//! ([`crate::read::netra`] and [`crate::read::formats`]).

pub mod formats;
pub mod netra;
pub mod timestamp;
pub mod websocket;
pub mod words;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::probe::{HttpResponse, ProbeFailure, ProbeOutcome, MAX_BODY_BYTES};
use crate::read::formats::{elasticsearch, ietf, kubernetes, presets, rule, spring, statuspage};
use crate::read::timestamp::ReportedTime;
use crate::status::{worst_known, Status};

pub use crate::read::formats::rule::{Body as RuleBody, Level, Rollup, Rule, RuleProblem};

/// How to read an endpoint's body. `auto` recognises every shape Lookout knows.
///
/// In the configuration it is a plain string (`"auto"`, `"netra"`, `"ietf"`, `"spring"`,
/// `"statuspage"`, `"kubernetes"`, `"plain_http"`) or a generic rule object
/// `{"rule": {...}}` (see [`Rule`]); the configuration layer reads it (and is where its
/// `Deserialize` lives), so a rule's mistakes are reported like any other field's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Detect the shape from the body.
    #[default]
    Auto,
    /// Netra backend, auth service and WebSocket health payloads.
    Netra,
    /// IETF draft-inadarei-api-health-check (`application/health+json`).
    Ietf,
    /// Spring Boot Actuator `/actuator/health`.
    Spring,
    /// Atlassian Statuspage `/api/v2/summary.json` (also `status.json`, `components.json`).
    Statuspage,
    /// Kubernetes `/readyz?verbose`, `/livez?verbose`, `/healthz` plain text.
    Kubernetes,
    /// Only the HTTP status counts: 2xx is up, whatever the body.
    PlainHttp,
    /// A generic rule from the configuration.
    Rule(Arc<Rule>),
}

impl Format {
    /// The names a format is written with in the configuration, except the rule object.
    pub const NAMES: [&'static str; 7] = [
        "auto",
        "netra",
        "ietf",
        "spring",
        "statuspage",
        "kubernetes",
        "plain_http",
    ];

    /// Parses a format name as written in the configuration.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "auto" => Format::Auto,
            "netra" => Format::Netra,
            "ietf" => Format::Ietf,
            "spring" => Format::Spring,
            "statuspage" => Format::Statuspage,
            "kubernetes" => Format::Kubernetes,
            "plain_http" => Format::PlainHttp,
            _ => return None,
        })
    }

    /// The configuration name of the format (`"rule"` for a rule).
    pub fn name(&self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Netra => "netra",
            Format::Ietf => "ietf",
            Format::Spring => "spring",
            Format::Statuspage => "statuspage",
            Format::Kubernetes => "kubernetes",
            Format::PlainHttp => "plain_http",
            Format::Rule(_) => "rule",
        }
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Format::Rule(rule) => {
                let mut map = BTreeMap::new();
                map.insert("rule", rule.as_ref());
                map.serialize(serializer)
            }
            other => serializer.serialize_str(other.name()),
        }
    }
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

/// A number a payload reports (a latency, a rate, a pool size), normalised so criteria can
/// compare it to a threshold: `"1.284s"` is `1.284` in `s`, `"97.6%"` is `97.6` in `%`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// The number.
    pub value: f64,
    /// Its unit as written (`s`, `ms`, `%`…), empty for a plain count or ratio.
    pub unit: String,
    /// JSON pointer of the field it was read from.
    pub field: String,
    /// The raw value as written, truncated.
    pub raw: String,
}

impl Metric {
    /// Reads a JSON number, or a string holding a number with an optional unit suffix
    /// (`"97.6%"`, `"1.284s"`, `"250 ms"`). `unit` is used when the value itself has none.
    pub fn read(value: &Value, field: &str, unit: &str) -> Option<Metric> {
        let (number, written_unit, raw) = match value {
            Value::Number(number) => (number.as_f64()?, String::new(), number.to_string()),
            Value::String(text) => {
                let (number, written) = parse_number_with_unit(text)?;
                (number, written, text.clone())
            }
            _ => return None,
        };
        if !number.is_finite() {
            return None;
        }
        Some(Metric {
            value: number,
            unit: if written_unit.is_empty() {
                unit.to_string()
            } else {
                written_unit
            },
            field: field.to_string(),
            raw: clip(&raw),
        })
    }
}

/// Splits `"97.6%"` into `(97.6, "%")`; `None` unless the text is a number followed by at most a
/// short unit of letters or `%`.
pub fn parse_number_with_unit(text: &str) -> Option<(f64, String)> {
    let text = text.trim();
    if text.len() > 40 || !text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) {
        return None;
    }
    // The longest prefix that is a number, so exponents ("1e3ms") stay in the number.
    (1..=text.len())
        .rev()
        .filter(|&end| text.is_char_boundary(end))
        .find_map(|end| {
            let number: f64 = text[..end].parse().ok()?;
            let unit = text[end..].trim();
            let unit_ok = unit.len() <= 8
                && unit
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '%' || c == '/');
            (unit_ok && number.is_finite()).then(|| (number, unit.to_string()))
        })
}

/// Why a reading could not take its status from a body that speaks for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// No answer within the timeout.
    Timeout,
    /// The host could not be reached.
    Unreachable,
    /// The browser hid the answer (CORS).
    CorsBlocked,
    /// The browser is offline.
    Offline,
    /// The body was too large to read.
    BodyTooLarge,
    /// The body was not valid UTF-8.
    InvalidUtf8,
    /// The endpoint redirected somewhere the browser would not follow.
    Redirected,
    /// An HTTP error status with an error document rather than a health payload.
    HttpError,
    /// The body was empty.
    EmptyBody,
    /// The body was an HTML page.
    Html,
    /// The body was not JSON (nor a text format Lookout knows).
    NotJson,
    /// The JSON ended mid-document.
    TruncatedJson,
    /// JSON (or text) of a shape Lookout does not recognise, or the decisive field has the
    /// wrong type.
    UnexpectedShape,
    /// The status field holds a word the format does not define.
    UnknownWord,
}

impl Problem {
    /// The stable identifier, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Timeout => "timeout",
            Problem::Unreachable => "unreachable",
            Problem::CorsBlocked => "cors_blocked",
            Problem::Offline => "offline",
            Problem::BodyTooLarge => "body_too_large",
            Problem::InvalidUtf8 => "invalid_utf8",
            Problem::Redirected => "redirected",
            Problem::HttpError => "http_error",
            Problem::EmptyBody => "empty_body",
            Problem::Html => "html",
            Problem::NotJson => "not_json",
            Problem::TruncatedJson => "truncated_json",
            Problem::UnexpectedShape => "unexpected_shape",
            Problem::UnknownWord => "unknown_word",
        }
    }
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
    /// Numbers the payload reports, by name (`database_connections.average_connection_time`).
    #[serde(default)]
    pub metrics: BTreeMap<String, Metric>,
    /// The time the payload says it was produced, when it says.
    #[serde(default)]
    pub reported_at: Option<ReportedTime>,
    /// Why the body could not speak for itself, when it could not.
    #[serde(default)]
    pub problem: Option<Problem>,
    /// Where the payload departed from its format's documented shape (wrong types, missing
    /// fields), in words for people; the reading goes on without those fields.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Reading {
    /// A reading with no parts.
    fn whole(finding: Finding, shape: &str, answered: bool, problem: Option<Problem>) -> Reading {
        Reading {
            overall: finding,
            parts: BTreeMap::new(),
            shape: shape.to_string(),
            answered,
            metrics: BTreeMap::new(),
            reported_at: None,
            problem,
            notes: Vec::new(),
        }
    }

    /// A metric by name.
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.metrics.get(name)
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

/// Clips a JSON value's text without writing out all of a large value first.
pub(crate) fn clip_value(value: &Value) -> String {
    match value {
        Value::String(text) => clip(text),
        Value::Array(items) if items.len() > 8 => format!("[… {} items]", items.len()),
        Value::Object(map) if map.len() > 8 => {
            let keys: Vec<&str> = map.keys().map(String::as_str).take(8).collect();
            clip(&format!("{{{} …}}", keys.join(", ")))
        }
        other => clip(&other.to_string()),
    }
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

/// What a format reader fills in besides the overall finding.
#[derive(Default)]
pub(crate) struct Sheet {
    pub parts: BTreeMap<String, Finding>,
    pub metrics: BTreeMap<String, Metric>,
    pub notes: Vec<String>,
    pub problem: Option<Problem>,
    pub reported_at: Option<ReportedTime>,
}

/// The most notes one reading keeps; a payload wrong everywhere should not flood the page.
const NOTE_LIMIT: usize = 20;

impl Sheet {
    /// Records a part; when two fields name the same part, the worse known finding stays.
    pub fn part(&mut self, name: &str, finding: Finding) {
        match self.parts.get(name) {
            Some(existing) if rank(existing.status) >= rank(finding.status) => {}
            _ => {
                self.parts.insert(name.to_string(), finding);
            }
        }
    }

    /// Records a metric read from `value` at `field`, if it is a number.
    pub fn metric(&mut self, name: &str, value: &Value, field: &str, unit: &str) {
        if let Some(metric) = Metric::read(value, field, unit) {
            self.metrics.insert(name.to_string(), metric);
        }
    }

    /// Records a departure from the documented shape.
    pub fn note(&mut self, text: impl Into<String>) {
        if self.notes.len() < NOTE_LIMIT {
            self.notes.push(text.into());
        }
    }

    /// Notes that the field at `pointer` has the wrong type.
    pub fn wrong_type(&mut self, pointer: &str, value: &Value, expected: &str) {
        self.note(format!(
            "{pointer} is {} where {expected} was expected",
            kind_of(value)
        ));
    }

    /// The object at `key` of `object` (`pointer` is its JSON pointer), noting a wrong type.
    pub fn object<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        pointer: &str,
    ) -> Option<&'v Map<String, Value>> {
        match object.get(key)? {
            Value::Object(inner) => Some(inner),
            other => {
                self.wrong_type(pointer, other, "an object");
                None
            }
        }
    }

    /// The members of the object at `key` of `object` (`pointer` is its JSON pointer) that are
    /// objects themselves — Netra's maps of named components — each with its name and pointer;
    /// a member of another type is noted and skipped.
    pub fn named_objects<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        pointer: &str,
    ) -> Vec<(&'v str, String, &'v Map<String, Value>)> {
        let Some(members) = self.object(object, key, pointer) else {
            return Vec::new();
        };
        let mut named = Vec::with_capacity(members.len());
        for (name, member) in members {
            let member_pointer = format!("{pointer}/{}", escape(name));
            match member {
                Value::Object(fields) => named.push((name.as_str(), member_pointer, fields)),
                other => self.wrong_type(&member_pointer, other, "an object"),
            }
        }
        named
    }

    /// The array at `key` of `object` (`pointer` is its JSON pointer), noting a wrong type.
    pub fn array<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        pointer: &str,
    ) -> Option<&'v Vec<Value>> {
        match object.get(key)? {
            Value::Array(inner) => Some(inner),
            other => {
                self.wrong_type(pointer, other, "an array");
                None
            }
        }
    }

    /// The reading, with the overall finding and the recognised shape.
    pub fn finish(self, overall: Finding, shape: &str) -> Reading {
        Reading {
            overall,
            parts: self.parts,
            shape: shape.to_string(),
            answered: true,
            metrics: self.metrics,
            reported_at: self.reported_at,
            problem: self.problem,
            notes: self.notes,
        }
    }
}

/// Orders statuses for keeping the worse of two findings: unknown below every known level.
fn rank(status: Status) -> u8 {
    status.severity().map_or(0, |s| s + 1)
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
            let problem = match failure {
                ProbeFailure::Timeout { .. } | ProbeFailure::BodyTimeout { .. } => Problem::Timeout,
                ProbeFailure::InvalidUtf8 { .. } => Problem::InvalidUtf8,
                ProbeFailure::Redirected => Problem::Redirected,
                ProbeFailure::CorsBlocked { .. } => Problem::CorsBlocked,
                ProbeFailure::Unreachable { .. } => Problem::Unreachable,
                ProbeFailure::BodyTooLarge { .. } => Problem::BodyTooLarge,
                ProbeFailure::Offline => Problem::Offline,
            };
            Reading::whole(finding, "no response", false, Some(problem))
        }
        ProbeOutcome::WebSocket(session) => {
            let finding = crate::read::websocket::classify(endpoint, session);
            Reading::whole(finding, "WebSocket handshake", true, None)
        }
        ProbeOutcome::Response(response) => read_response(endpoint, &format, response).0,
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

/// The class of an HTTP status in words, for reasons where the status decides.
fn http_class(code: u16) -> &'static str {
    match code {
        100..=199 => "informational",
        200..=299 => "success",
        300..=399 => "redirect",
        400..=499 => "client error",
        500..=599 => "server error",
        _ => "non-standard status",
    }
}

/// "HTTP 200 OK", or "HTTP 404 Not Found (client error)" when the status is not a success.
fn classed_phrase(code: u16) -> String {
    if (200..300).contains(&code) {
        http_phrase(code)
    } else {
        format!("{} ({})", http_phrase(code), http_class(code))
    }
}

/// What the HTTP status says when the body cannot speak: 5xx is an outage, 429 is degraded,
/// everything else is unknown (2xx is up only for plain-HTTP endpoints).
fn status_from_http_class(code: u16) -> Status {
    match code {
        500..=599 => Status::MajorOutage,
        429 => Status::Degraded,
        _ => Status::Unknown,
    }
}

/// What reading did with a response body, handed on so that nothing parses it twice (a
/// criterion watching the body reads the same parsed JSON).
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// The body parsed as JSON.
    Json(Value),
    /// The body was read and is not JSON.
    NotJson,
    /// The body was not parsed (no response, plain HTTP, empty, HTML, Kubernetes text).
    Unread,
}

/// Reads one probe outcome like [`read`], handing on the parsed body.
pub fn read_with_body(endpoint: &str, format: Format, outcome: &ProbeOutcome) -> (Reading, Body) {
    match outcome {
        ProbeOutcome::Response(response) => read_response(endpoint, &format, response),
        other => (read(endpoint, format, other), Body::Unread),
    }
}

fn read_response(endpoint: &str, format: &Format, response: &HttpResponse) -> (Reading, Body) {
    let reader = Reader {
        endpoint,
        http_status: Some(response.status),
    };
    if let Some(reading) = read_unparsed(&reader, format, response) {
        return (reading, Body::Unread);
    }
    let body = response.body.trim();
    match serde_json::from_str::<Value>(body) {
        Ok(parsed) => (
            read_json(&reader, format, response, &parsed),
            Body::Json(parsed),
        ),
        Err(error) => (
            read_unparsable(&reader, format, response, &error),
            Body::NotJson,
        ),
    }
}

/// The readings that need no JSON: plain HTTP, a body too large or empty, an HTML page, and
/// Kubernetes health text. `None` for a body to parse as JSON.
fn read_unparsed(reader: &Reader, format: &Format, response: &HttpResponse) -> Option<Reading> {
    let code = response.status;
    let phrase = classed_phrase(code);
    // Plain HTTP never reads the body, so neither its size nor its content matters.
    if *format == Format::PlainHttp {
        let status = if (200..300).contains(&code) {
            Status::Operational
        } else {
            status_from_http_class(code)
        };
        let finding = reader.finding(status, phrase.clone(), "", &phrase);
        let problem = (status != Status::Operational).then_some(Problem::HttpError);
        return Some(Reading::whole(finding, "plain HTTP", true, problem));
    }
    if response.body.len() > MAX_BODY_BYTES {
        let finding = reader.finding(
            status_from_http_class(code),
            format!(
                "{phrase}, but the body is too large (over {} KB), not read",
                MAX_BODY_BYTES / 1024
            ),
            "",
            &format!("{} bytes", response.body.len()),
        );
        return Some(Reading::whole(
            finding,
            "too large",
            true,
            Some(Problem::BodyTooLarge),
        ));
    }
    let body = response.body.trim();
    if body.is_empty() {
        let status = status_from_http_class(code);
        let finding = reader.finding(
            status,
            format!("{phrase} with an empty body, a health payload expected"),
            "",
            "",
        );
        return Some(Reading::whole(
            finding,
            "empty body",
            true,
            Some(Problem::EmptyBody),
        ));
    }
    if looks_like_html(body) {
        return Some(read_html(reader, body));
    }
    if let Format::Rule(rule) = format {
        if rule.body == RuleBody::Text {
            return Some(rule::read_text(reader, rule, body));
        }
    }
    if *format == Format::Kubernetes {
        return Some(match kubernetes::read_text(reader, body, true) {
            Some(reading) => reading,
            None if declares_html(response) => read_html(reader, body),
            None => unreadable(
                reader,
                body,
                "a body that is not Kubernetes health text (\"[+]name ok\" lines)",
                "unexpected text",
                Problem::UnexpectedShape,
            ),
        });
    }
    None
}

/// Whether the response says it is HTML. A body that parses as JSON is read as JSON whatever
/// its declared type: misconfigured servers label JSON `text/html`, so the declaration only
/// names bodies that fail to parse.
fn declares_html(response: &HttpResponse) -> bool {
    response
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"))
}

fn read_html(reader: &Reader, body: &str) -> Reading {
    unreadable(
        reader,
        body,
        "an HTML page instead of a health payload",
        "HTML page",
        Problem::Html,
    )
}

/// A body that is not JSON: HTML, Kubernetes text or a plain word where the format is `auto`,
/// else why it is not JSON.
fn read_unparsable(
    reader: &Reader,
    format: &Format,
    response: &HttpResponse,
    error: &serde_json::Error,
) -> Reading {
    let body = response.body.trim();
    if declares_html(response) {
        return read_html(reader, body);
    }
    if *format == Format::Auto {
        if let Some(reading) = kubernetes::read_text(reader, body, false) {
            return reading;
        }
        if let Some(reading) = read_plain_word(reader, body) {
            return reading;
        }
    }
    read_non_json(reader, body, error)
}

/// A JSON body, read with the endpoint's format.
fn read_json(reader: &Reader, format: &Format, response: &HttpResponse, parsed: &Value) -> Reading {
    if let Format::Rule(rule) = format {
        return rule::read(reader, rule, parsed);
    }
    if let (Format::Auto, Value::Array(items)) = (format, parsed) {
        if let Some(reading) = presets::read_list(reader, items, parsed) {
            return reading;
        }
    }
    let Value::Object(object) = parsed else {
        let finding = reader.finding(
            Status::Unknown,
            format!(
                "{}, but the JSON is {} where an object was expected",
                classed_phrase(response.status),
                kind_of(parsed)
            ),
            "",
            &clip_value(parsed),
        );
        return Reading::whole(
            finding,
            "unexpected JSON",
            true,
            Some(Problem::UnexpectedShape),
        );
    };
    match format {
        Format::Netra => netra::read_object(reader, object),
        Format::Ietf => ietf::read(reader, object),
        Format::Spring => spring::read(reader, object),
        Format::Statuspage => statuspage::read(reader, object),
        _ => detect(reader, parsed, object, response.content_type.as_deref()),
    }
}

/// Auto-detection: Netra's distinctive shapes first, then the common formats by their markers
/// (the ones read with a built-in rule last, see [`presets`]), then a plain `{"status": word}`.
fn detect(
    reader: &Reader,
    parsed: &Value,
    object: &Map<String, Value>,
    content_type: Option<&str>,
) -> Reading {
    let health_json = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("health+json"));
    if health_json {
        return ietf::read(reader, object);
    }
    if netra::recognises(object) {
        return netra::read_object(reader, object);
    }
    if statuspage::recognises(object) {
        return statuspage::read(reader, object);
    }
    if ietf::recognises(object) {
        return ietf::read(reader, object);
    }
    if spring::recognises(object) {
        return spring::read(reader, object);
    }
    if elasticsearch::recognises(object) {
        return elasticsearch::read(reader, object);
    }
    if let Some(reading) = presets::read_object(reader, object, parsed) {
        return reading;
    }
    netra::read_object(reader, object)
}

/// Whether a (trimmed) body is markup: `<!DOCTYPE`, `<html`, `<?xml`, any `<tag`.
fn looks_like_html(body: &str) -> bool {
    body.len() > 1
        && body.starts_with('<')
        && body[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '?')
}

/// A body that is a single known status word (`ok`, `UP`, `healthy`), as many plain health
/// endpoints answer.
fn read_plain_word(reader: &Reader, body: &str) -> Option<Reading> {
    if body.len() > 40 || body.contains(char::is_whitespace) {
        return None;
    }
    let status = crate::read::words::status_from_word(body)?;
    let finding = reconcile_http(
        reader,
        reader.finding(status, format!("plain-text body: {body}"), "", body),
    );
    Some(Reading::whole(
        finding,
        "plain-text status word",
        true,
        None,
    ))
}

/// A body that cannot speak for itself: the HTTP status decides what little it can.
fn unreadable(reader: &Reader, body: &str, what: &str, shape: &str, problem: Problem) -> Reading {
    let code = reader.http_status.unwrap_or(0);
    let finding = reader.finding(
        status_from_http_class(code),
        format!("{} with {what}", classed_phrase(code)),
        "",
        body,
    );
    Reading::whole(finding, shape, true, Some(problem))
}

fn read_non_json(reader: &Reader, body: &str, error: &serde_json::Error) -> Reading {
    if error.is_eof() {
        unreadable(
            reader,
            body,
            "truncated JSON (the body ends mid-document)",
            "truncated JSON",
            Problem::TruncatedJson,
        )
    } else if error.to_string().contains("recursion limit") {
        unreadable(
            reader,
            body,
            "JSON nested too deeply to read (an unexpected shape)",
            "unexpected JSON",
            Problem::UnexpectedShape,
        )
    } else {
        unreadable(
            reader,
            body,
            &format!("a body that is not JSON ({error})"),
            "not JSON",
            Problem::NotJson,
        )
    }
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

/// Reads a status value (word or boolean) as a finding about `what`, with the shared
/// vocabulary of [`crate::read::words`].
pub(crate) fn value_finding(reader: &Reader, value: &Value, pointer: &str, what: &str) -> Finding {
    vocabulary_finding(
        reader,
        value,
        pointer,
        what,
        &crate::read::words::status_from_word,
    )
}

/// Reads a status value as a finding about `what`, with a format's own `vocabulary`. Booleans
/// read as up (true) or down (false); any other type, and any word outside the vocabulary, is
/// unknown with the value named.
pub(crate) fn vocabulary_finding(
    reader: &Reader,
    value: &Value,
    pointer: &str,
    what: &str,
    vocabulary: &dyn Fn(&str) -> Option<Status>,
) -> Finding {
    match value {
        Value::String(word) => match vocabulary(word) {
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
            &clip_value(other),
        ),
    }
}

/// The problem an overall status value has, if its finding is unknown because of it.
pub(crate) fn status_value_problem(value: &Value, finding: &Finding) -> Option<Problem> {
    if finding.status != Status::Unknown {
        return None;
    }
    match value {
        Value::String(word)
            if crate::read::words::status_from_word(word) == Some(Status::Unknown) =>
        {
            None
        }
        Value::String(_) => Some(Problem::UnknownWord),
        _ => Some(Problem::UnexpectedShape),
    }
}

/// The most parts an endpoint's reason names.
const PARTS_NAMED: usize = 6;

/// Combines an endpoint's own word with its parts: a "ready" that reports a degraded part is
/// degraded, not operational. The reason names each part in trouble, worst first, with
/// Lookout's reading and, in brackets, the part's own reason, which carries the backend's
/// words: "ready, but redis degraded (redis_db: vpc_connectivity_degraded)".
pub(crate) fn fold_parts(mut overall: Finding, parts: &BTreeMap<String, Finding>) -> Finding {
    if overall.status != Status::Operational {
        return overall;
    }
    let mut troubled: Vec<(&String, &Finding)> = parts
        .iter()
        .filter(|(_, part)| part.status.is_problem())
        .collect();
    if troubled.is_empty() {
        return overall;
    }
    crate::order::sort_stable_by_key(&mut troubled, |(_, part)| -i64::from(rank(part.status)));
    let mut named: Vec<String> = troubled
        .iter()
        .take(PARTS_NAMED)
        .map(|(name, part)| {
            let label = part.status.label().to_ascii_lowercase();
            format!("{name} {label} ({})", clip(&part.reason))
        })
        .collect();
    if troubled.len() > PARTS_NAMED {
        named.push(format!("{} more", troubled.len() - PARTS_NAMED));
    }
    // A problem in a part degrades the whole; it does not take it down.
    overall.status = Status::Degraded;
    overall.reason = format!("{}, but {}", overall.reason, named.join(", "));
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

/// The phrase with the class for non-success codes ("HTTP 404 Not Found (client error)").
pub(crate) fn phrase_with_class(code: Option<u16>) -> String {
    code.map(classed_phrase).unwrap_or_default()
}

/// The status an HTTP code implies when nothing else does.
pub(crate) fn from_http_class(code: Option<u16>) -> Status {
    code.map(status_from_http_class).unwrap_or(Status::Unknown)
}

/// The value at a non-empty JSON `pointer` inside `object`.
pub(crate) fn pointer_in<'v>(object: &'v Map<String, Value>, pointer: &str) -> Option<&'v Value> {
    let rest = pointer.strip_prefix('/')?;
    let (first, tail) = match rest.find('/') {
        Some(index) => (&rest[..index], &rest[index..]),
        None => (rest, ""),
    };
    let key = first.replace("~1", "/").replace("~0", "~");
    object.get(&key)?.pointer(tail)
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The overall finding of a payload whose status field is missing: the HTTP class if it
/// speaks, else the worst part, else unknown; marks the shape unexpected when nothing speaks.
pub(crate) fn missing_status(
    reader: &Reader,
    sheet: &mut Sheet,
    object: &Map<String, Value>,
    field: &str,
) -> Finding {
    let from_parts = worst_known(sheet.parts.values().map(|p| p.status));
    let status = match from_http_class(reader.http_status) {
        Status::Unknown => from_parts.unwrap_or(Status::Unknown),
        known => known,
    };
    if status == Status::Unknown && sheet.problem.is_none() {
        sheet.problem = Some(Problem::UnexpectedShape);
    }
    let keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
    let phrase = phrase_with_class(reader.http_status);
    let keys_text = keys.join(", ");
    let reason = if from_parts.is_some() && from_http_class(reader.http_status) == Status::Unknown {
        format!("{phrase}: no \"{field}\" field, status from its parts (keys: {keys_text})")
    } else {
        format!("{phrase}: JSON of an unexpected shape, no \"{field}\" field (keys: {keys_text})")
    };
    reader.finding(status, reason, "", &format!("{{{keys_text}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_units_split() {
        assert_eq!(parse_number_with_unit("97.6%"), Some((97.6, "%".into())));
        assert_eq!(parse_number_with_unit("1.284s"), Some((1.284, "s".into())));
        assert_eq!(parse_number_with_unit("250 ms"), Some((250.0, "ms".into())));
        assert_eq!(parse_number_with_unit("-3"), Some((-3.0, String::new())));
        assert_eq!(parse_number_with_unit("1e3ms"), Some((1000.0, "ms".into())));
        assert_eq!(parse_number_with_unit("fast"), None);
        assert_eq!(parse_number_with_unit("12 of 40"), None);
        assert_eq!(parse_number_with_unit(""), None);
    }

    #[test]
    fn format_names_round_trip() {
        for name in Format::NAMES {
            let format: Format = serde_json::from_value(Value::String(name.into())).unwrap();
            assert_eq!(format.name(), name);
            assert_eq!(
                serde_json::to_value(&format).unwrap(),
                Value::String(name.into())
            );
        }
        let error = serde_json::from_str::<Format>("\"yaml\"").unwrap_err();
        assert!(
            error.to_string().contains("unknown format \"yaml\""),
            "{error}"
        );
        let error = serde_json::from_str::<Format>("5").unwrap_err();
        assert!(error.to_string().contains("a number"), "{error}");
    }

    #[test]
    fn the_parsed_body_is_handed_on_so_nothing_parses_it_twice() {
        let response = |body: &str| {
            ProbeOutcome::Response(HttpResponse {
                status: 200,
                content_type: Some("application/json".to_string()),
                body: body.to_string(),
            })
        };
        let (_, body) = read_with_body("e", Format::Auto, &response(r#"{"status":"healthy"}"#));
        assert_eq!(body, Body::Json(serde_json::json!({"status": "healthy"})));
        let (_, body) = read_with_body("e", Format::Auto, &response("{\"status\":"));
        assert_eq!(body, Body::NotJson);
        let (reading, body) = read_with_body("e", Format::PlainHttp, &response("{}"));
        assert_eq!(body, Body::Unread, "plain HTTP never reads the body");
        assert_eq!(reading, read("e", Format::PlainHttp, &response("{}")));
    }
}
