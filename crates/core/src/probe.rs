//! What one probe of one endpoint observed, as the browser's I/O edge hands it over.
//!
//! The I/O layer never interprets a body: it records the transport facts (HTTP status, content
//! type, body text, latency) or why no response could be read. Reading the body is
//! [`crate::reading`]'s job.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest body Lookout reads; anything larger is reported, not parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

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
    /// The body was larger than [`MAX_BODY_BYTES`].
    BodyTooLarge {
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
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
            ProbeFailure::BodyTooLarge { limit } => {
                format!("response body larger than {} KB, not read", limit / 1024)
            }
            ProbeFailure::Offline => "this browser is offline".to_string(),
        }
    }
}

/// An HTTP response as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if the browser exposed one.
    pub content_type: Option<String>,
    /// The body as text (lossily decoded if it was not UTF-8).
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
