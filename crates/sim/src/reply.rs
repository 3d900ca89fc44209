//! [`Reply`]: a status, a JSON (or raw) payload and extra headers, built by the payload modules
//! before faults may rewrite it and before it becomes an HTTP response.

use axum::body::Body;
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
        }
    }

    /// The HTTP response; for HEAD the body is left out but `Content-Length` still describes it.
    pub(crate) fn into_response(self, head: bool) -> Response {
        let (content_type, text) = self.body_text();
        let length = text.len();
        let mut response = Response::new(if head {
            Body::empty()
        } else {
            Body::from(text)
        });
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response
    }
}
