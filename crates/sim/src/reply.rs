//! [`Reply`]: a status, a JSON (or raw) payload and extra headers, built by the payload modules
//! before faults may rewrite it and before it becomes an HTTP response.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

/// The body of a [`Reply`].
#[derive(Clone, Debug)]
pub(crate) enum Payload {
    /// Serialised compactly with `Content-Type: application/json`, like FastAPI's `JSONResponse`.
    Json(Value),
    /// Sent as is.
    Raw {
        content_type: &'static str,
        text: String,
    },
    /// Sent as is, bytes that need not be UTF-8.
    Bytes {
        content_type: &'static str,
        bytes: Vec<u8>,
    },
    /// Written a piece at a time while the response is already under way (chunked, no
    /// `Content-Length`).
    Streamed {
        content_type: &'static str,
        body: Streamed,
    },
}

/// A body of known length.
fn sized(content_type: &'static str, bytes: Vec<u8>) -> (&'static str, Body, Option<usize>) {
    let length = bytes.len();
    (content_type, Body::from(bytes), Some(length))
}

/// A body produced while it is sent.
#[derive(Clone, Debug)]
pub(crate) enum Streamed {
    /// `{"status": "healthy", ..., "padding": "xxxx…"}` of at least `bytes` bytes, in 64 KiB
    /// chunks of one static buffer, so the simulator never holds it whole.
    Huge { bytes: usize },
    /// `text` a few bytes at a time, spread evenly over `total`.
    Drip { text: String, total: Duration },
}

/// The piece of padding a [`Streamed::Huge`] body repeats.
static PADDING: [u8; 64 * 1024] = [b'x'; 64 * 1024];
/// How many bytes a [`Streamed::Drip`] body sends at a time.
const DRIP_BYTES: usize = 4;

impl Streamed {
    fn into_body(self) -> Body {
        match self {
            Streamed::Huge { bytes } => {
                let head = r#"{"status": "healthy", "message": "all systems go", "padding": ""#;
                let chunks = bytes.div_ceil(PADDING.len());
                let pieces = std::iter::once(Bytes::from_static(head.as_bytes()))
                    .chain((0..chunks).map(|_| Bytes::from_static(&PADDING)))
                    .chain(std::iter::once(Bytes::from_static(b"\"}")))
                    .map(Ok::<_, Infallible>);
                Body::from_stream(futures_util::stream::iter(pieces))
            }
            Streamed::Drip { text, total } => {
                let bytes = Bytes::from(text.into_bytes());
                let count = bytes.len().div_ceil(DRIP_BYTES).max(1);
                let pause = total / u32::try_from(count).unwrap_or(u32::MAX);
                let stream = futures_util::stream::unfold(0usize, move |at| {
                    let bytes = bytes.clone();
                    async move {
                        if at >= bytes.len() {
                            return None;
                        }
                        tokio::time::sleep(pause).await;
                        let end = (at + DRIP_BYTES).min(bytes.len());
                        Some((Ok::<_, Infallible>(bytes.slice(at..end)), end))
                    }
                });
                Body::from_stream(stream)
            }
        }
    }
}

/// One answer of the backend or auth service.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) payload: Payload,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    /// JSON with the given status code.
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            payload: Payload::Json(body),
            headers: Vec::new(),
        }
    }

    /// JSON with 200.
    pub(crate) fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// FastAPI's default 404.
    pub(crate) fn not_found() -> Self {
        Self::json(404, json!({"detail": "Not Found"}))
    }

    /// FastAPI's default 405, with the `Allow` header it sends.
    pub(crate) fn method_not_allowed(allow: &'static str) -> Self {
        Self::json(405, json!({"detail": "Method Not Allowed"})).with_header(header::ALLOW, allow)
    }

    /// Adds a response header.
    pub(crate) fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.push((name, value));
        }
        self
    }

    /// The body as it goes on the wire, with its content type.
    pub(crate) fn body_text(&self) -> (&'static str, String) {
        match &self.payload {
            Payload::Json(value) => ("application/json", value.to_string()),
            Payload::Raw { content_type, text } => (content_type, text.clone()),
            Payload::Bytes {
                content_type,
                bytes,
            } => (content_type, String::from_utf8_lossy(bytes).into_owned()),
            Payload::Streamed { content_type, .. } => (content_type, String::new()),
        }
    }

    /// The HTTP response; for HEAD the body is left out but `Content-Length` still describes it.
    /// A streamed body has no length, so it goes out chunked, HEAD included.
    pub(crate) fn into_response(self, head: bool) -> Response {
        let (content_type, body, length) = match self.payload {
            Payload::Streamed { content_type, body } => (content_type, body.into_body(), None),
            Payload::Bytes {
                content_type,
                bytes,
            } => sized(content_type, bytes),
            Payload::Raw { content_type, text } => sized(content_type, text.into_bytes()),
            Payload::Json(value) => sized("application/json", value.to_string().into_bytes()),
        };
        let mut response = Response::new(if head { Body::empty() } else { body });
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Some(length) = length {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response
    }
}
