//! Injected faults: per (service, path) overrides installed through the control API that delay,
//! rewrite, strip CORS from, hang or reset a response, so tests can drive the page's error paths.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::reply::{Payload, Reply};
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
}

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
        }
        Ok((service, fault))
    }

    /// The status override, if any.
    pub(crate) fn status_code(&self) -> Option<StatusCode> {
        self.status.and_then(|s| StatusCode::from_u16(s).ok())
    }

    /// Rewrites a normal reply's status and body as the fault says.
    pub(crate) fn apply(&self, mut reply: Reply) -> Reply {
        if let Some(kind) = self.body {
            let (content_type, text) = reply.body_text();
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
            };
        }
        if let Some(status) = self.status_code() {
            reply.status = status;
        }
        reply
    }
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
        let out = fault.apply(reply());
        assert_eq!(out.status, StatusCode::BAD_GATEWAY);
        assert_eq!(out.body_text().1, reply().body_text().1);
    }

    #[test]
    fn html_defaults_to_200() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","body":"html"}"#).unwrap();
        let out = fault.apply(reply());
        assert_eq!(out.status, StatusCode::OK);
        assert!(out.body_text().0.starts_with("text/html"));
        assert!(out.body_text().1.contains("502."));
    }

    #[test]
    fn truncated_is_half_the_payload() {
        let (_, fault) =
            Fault::parse(br#"{"service":"backend","path":"/health","body":"truncated"}"#).unwrap();
        let full = reply().body_text().1;
        let out = fault.apply(reply());
        assert_eq!(out.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(out.body_text().1, full[..full.len() / 2]);
        assert!(serde_json::from_str::<Value>(&out.body_text().1).is_err());
    }
}
