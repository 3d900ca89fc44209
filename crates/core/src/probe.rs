//! What one probe of one endpoint observed, as the browser's I/O edge hands it over.
//!
//! The I/O layer never interprets a body: it records the transport facts (HTTP status, content
//! type, body text, latency) or why no response could be read. Reading the body is the job of
//! the `read` layer above.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest body Lookout reads; anything larger is reported, not parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long a WebSocket probe keeps watching an opened socket for the server's verdict, in
/// milliseconds: Netra closes with 1008 right after accepting a client without credentials.
pub const WEBSOCKET_LINGER_MS: u64 = 1500;

/// A `Retry-After` header's wait in seconds at `now`: delay-seconds, or an HTTP date (a date in
/// the past is no wait). `None` for anything else. The monitor bounds the wait.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u32> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(seconds);
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = (at.with_timezone(&Utc) - now).num_seconds().max(0);
    Some(u32::try_from(wait).unwrap_or(u32::MAX))
}

/// Why a probe produced no readable response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeFailure {
    /// No answer within the endpoint's timeout.
    Timeout {
        /// The timeout that ran out, in milliseconds.
        after_ms: u32,
    },
    /// The server answered, but this page's origin is not in its CORS allow-list, so the
    /// browser hid the answer.
    CorsBlocked {
        /// The page's origin, which the backend must allow.
        origin: String,
    },
    /// The host could not be reached at all (DNS, refused connection, reset, TLS).
    Unreachable {
        /// What the browser said, if anything.
        detail: String,
    },
    /// The headers came, but the body did not finish within the endpoint's timeout (a slow
    /// drip, a stalled proxy).
    BodyTimeout {
        /// The timeout that ran out, in milliseconds.
        after_ms: u32,
        /// How many bytes of the body had arrived.
        received: usize,
    },
    /// The body was larger than [`MAX_BODY_BYTES`].
    BodyTooLarge {
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// The body is not valid UTF-8, so it is no JSON (RFC 8259 requires UTF-8) and is not read.
    InvalidUtf8 {
        /// The HTTP status it came with.
        status: u16,
        /// The offset of the first invalid byte.
        offset: usize,
        /// That byte.
        byte: u8,
    },
    /// The endpoint answered with a redirect to an address the browser would not follow for
    /// this page (another origin that does not allow it).
    Redirected,
    /// The browser is offline.
    Offline,
}

impl ProbeFailure {
    /// A short sentence for people saying why the status is unknown.
    pub fn describe(&self) -> String {
        match self {
            ProbeFailure::Timeout { after_ms } => {
                format!(
                    "no answer within {:.1} s (timeout)",
                    f64::from(*after_ms) / 1000.0
                )
            }
            ProbeFailure::CorsBlocked { origin } => format!(
                "reachable, but the backend does not allow this page's origin {origin} (CORS)"
            ),
            ProbeFailure::Unreachable { detail } if detail.is_empty() => {
                "unreachable (network error)".to_string()
            }
            ProbeFailure::Unreachable { detail } => format!("unreachable: {detail}"),
            ProbeFailure::BodyTimeout { after_ms, received } => format!(
                "the answer started, but its body did not finish within {:.1} s \
                 (timeout after {received} bytes)",
                f64::from(*after_ms) / 1000.0
            ),
            ProbeFailure::BodyTooLarge { limit } => {
                format!(
                    "response body too large (over {} KB), not read",
                    limit / 1024
                )
            }
            ProbeFailure::InvalidUtf8 {
                status,
                offset,
                byte,
            } => format!(
                "HTTP {status} with a body that is not valid UTF-8 (byte 0x{byte:02x} at offset \
                 {offset}), not read"
            ),
            ProbeFailure::Redirected => {
                "the endpoint answered with a redirect to another address, \
                 which the browser refused to follow for this page; a health endpoint must answer \
                 itself"
                    .to_string()
            }
            ProbeFailure::Offline => "this browser is offline".to_string(),
        }
    }
}

/// Decodes a response body strictly: a health payload that is not UTF-8 is not read at all
/// rather than read with replacement characters.
pub fn decode_body(status: u16, bytes: Vec<u8>) -> Result<String, ProbeFailure> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        ProbeFailure::InvalidUtf8 {
            status,
            offset,
            byte: error.as_bytes()[offset],
        }
    })
}

/// One probe as a driver hands it to the monitor: the result, plus what the transport said
/// about when to come back (the raw `Retry-After`; the monitor bounds it).
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// The result.
    pub result: ProbeResult,
    /// The server's `Retry-After` in seconds, when the response exposed one.
    pub retry_after_seconds: Option<u32>,
}

impl Probe {
    /// The probe of `endpoint` that finished at `at`, `latency_ms` after it started.
    pub fn finished(
        endpoint: &str,
        at: DateTime<Utc>,
        latency_ms: u32,
        outcome: ProbeOutcome,
        retry_after_seconds: Option<u32>,
    ) -> Probe {
        Probe {
            result: ProbeResult {
                endpoint: endpoint.to_string(),
                at,
                latency_ms,
                outcome,
            },
            retry_after_seconds,
        }
    }
}

impl ProbeResult {
    /// Whether this probe counts as a failure for backoff: no answer, a refused handshake, or a
    /// server that says it is overloaded or broken.
    pub fn counts_as_failure(&self) -> bool {
        match &self.outcome {
            ProbeOutcome::Failed(_) => true,
            ProbeOutcome::Response(response) => response.status >= 500 || response.status == 429,
            ProbeOutcome::WebSocket(session) => !session.opened,
        }
    }
}

/// The redirect policy both drivers follow: a redirect is followed only within the probed URL's
/// own origin (scheme, host and port), as a browser follows it for a page that the other origin
/// does not allow. Anything else is [`ProbeFailure::Redirected`]: a health endpoint must answer
/// itself.
pub fn follows_redirect(from: &str, to: &str) -> bool {
    matches!((origin(from), origin(to)), (Some(a), Some(b)) if a == b)
}

/// `scheme://host[:port]` of an absolute URL, lower-cased, with the scheme's default port
/// written out so `http://a` and `http://a:80` are one origin.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?.to_ascii_lowercase();
    if host_port.is_empty() {
        return None;
    }
    let has_port = host_port
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        && !host_port.ends_with(']');
    let default_port = match scheme.as_str() {
        "http" | "ws" => "80",
        "https" | "wss" => "443",
        _ => return None,
    };
    Some(if has_port {
        format!("{scheme}://{host_port}")
    } else {
        format!("{scheme}://{host_port}:{default_port}")
    })
}

/// An HTTP response as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if the browser exposed one.
    pub content_type: Option<String>,
    /// The body as text (see [`decode_body`]).
    pub body: String,
}

/// The outcome of one probe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProbeOutcome {
    /// A response was read.
    Response(HttpResponse),
    /// A WebSocket handshake was attempted and ended (or was still open when the probe
    /// stopped watching).
    WebSocket(WebSocketSession),
    /// No response could be read.
    Failed(ProbeFailure),
}

/// What a WebSocket probe saw: whether the handshake succeeded and how the socket closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSocketSession {
    /// Whether the `open` event fired.
    pub opened: bool,
    /// The close code, or `None` if the socket was still open when the probe stopped watching.
    pub close_code: Option<u16>,
    /// The close reason the server sent, if any.
    pub close_reason: String,
}

/// One probe of one endpoint: when, how long, and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    /// The endpoint's config id.
    pub endpoint: String,
    /// When the probe finished.
    pub at: DateTime<Utc>,
    /// Round-trip time in milliseconds.
    pub latency_ms: u32,
    /// What came back.
    pub outcome: ProbeOutcome,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_body_names_the_first_invalid_byte() {
        assert_eq!(
            decode_body(200, b"{\"a\": 1}".to_vec()).unwrap(),
            "{\"a\": 1}"
        );
        let failure = decode_body(503, b"{\"a\": \"b\xff\xfe\"}".to_vec()).unwrap_err();
        assert_eq!(
            failure,
            ProbeFailure::InvalidUtf8 {
                status: 503,
                offset: 8,
                byte: 0xff
            }
        );
        assert_eq!(
            failure.describe(),
            "HTTP 503 with a body that is not valid UTF-8 (byte 0xff at offset 8), not read"
        );
    }

    #[test]
    fn failures_say_specifically_what_went_wrong() {
        let body = ProbeFailure::BodyTimeout {
            after_ms: 2000,
            received: 12,
        };
        assert!(body.describe().contains("body did not finish within 2.0 s"));
        assert!(ProbeFailure::Redirected.describe().contains("redirect"));
        assert!(ProbeFailure::BodyTooLarge { limit: 1024 * 1024 }
            .describe()
            .contains("too large (over 1024 KB)"));
    }

    #[test]
    fn redirects_are_followed_only_within_the_origin() {
        assert!(follows_redirect(
            "http://a.test/health",
            "http://a.test/health/"
        ));
        assert!(follows_redirect("http://a.test/x", "HTTP://A.test:80/y"));
        assert!(follows_redirect(
            "https://[::1]:8443/x",
            "https://[::1]:8443/y"
        ));
        assert!(!follows_redirect("http://a.test/x", "https://a.test/x"));
        assert!(!follows_redirect("http://a.test/x", "http://b.test/x"));
        assert!(!follows_redirect(
            "http://a.test:8080/x",
            "http://a.test:8081/x"
        ));
        assert!(!follows_redirect("http://a.test/x", "/relative"));
    }

    #[test]
    fn failures_for_backoff_are_no_answer_overload_and_refused_handshakes() {
        let probe = |outcome| ProbeResult {
            endpoint: "e".to_string(),
            at: chrono::DateTime::UNIX_EPOCH,
            latency_ms: 1,
            outcome,
        };
        let http = |status| {
            probe(ProbeOutcome::Response(HttpResponse {
                status,
                content_type: None,
                body: String::new(),
            }))
        };
        assert!(http(503).counts_as_failure());
        assert!(http(429).counts_as_failure());
        assert!(!http(404).counts_as_failure());
        assert!(probe(ProbeOutcome::Failed(ProbeFailure::Offline)).counts_as_failure());
        let refused = WebSocketSession {
            opened: false,
            close_code: Some(1006),
            close_reason: String::new(),
        };
        assert!(probe(ProbeOutcome::WebSocket(refused)).counts_as_failure());
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after(" 120 ", now), Some(120));
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 12:10:00 GMT", now),
            Some(600)
        );
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 11:00:00 GMT", now),
            Some(0)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
