//! CORS for the backend and auth listeners, behaving like the real Starlette `CORSMiddleware`
//! with an exact-match origin list and `allow_credentials=True` (research notes, §7).
//!
//! One deliberate simplification: a disallowed origin gets no CORS header at all (Starlette
//! would still add the credentials and expose headers); browsers treat both the same.

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::SimAddrs;

/// `Access-Control-Allow-Methods` of every successful preflight.
pub(crate) const ALLOW_METHODS: [&str; 7] =
    ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"];

/// Request headers a preflight may ask for: the configured list plus the four CORS-safelisted
/// headers Starlette always adds, sorted as Starlette sorts them.
pub(crate) const ALLOW_HEADERS: [&str; 15] = [
    "Accept",
    "Accept-Language",
    "Authorization",
    "Content-Language",
    "Content-Type",
    "Origin",
    "Referer",
    "User-Agent",
    "X-Request-ID",
    "X-Requested-With",
    "X-Service-Name",
    "X-Test-Environment",
    "X-Test-Session",
    "X-Test-Type",
    "X-Trace-ID",
];

/// `Access-Control-Expose-Headers`; `Retry-After` and `API-Version` are absent, as in production.
pub(crate) const EXPOSE_HEADERS: &str =
    "X-Trace-ID, X-Request-ID, Content-Length, Content-Type, Vary";

/// Preflight cache lifetime in seconds.
pub(crate) const MAX_AGE: &str = "3600";

/// The exact-match origin allow-list.
pub(crate) struct CorsPolicy {
    origins: Arc<[String]>,
}

impl CorsPolicy {
    /// The site's own origin (as 127.0.0.1, localhost and the bind host) plus `extra`.
    pub(crate) fn new(addrs: &SimAddrs, extra: &[String]) -> Self {
        let port = addrs.site.port();
        let mut origins = vec![
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
            addrs.site_url(),
        ];
        origins.extend(extra.iter().map(|o| o.trim_end_matches('/').to_owned()));
        let mut unique: Vec<String> = Vec::new();
        for origin in origins {
            if !unique.contains(&origin) {
                unique.push(origin);
            }
        }
        Self {
            origins: unique.into(),
        }
    }

    /// The allow-list, in order.
    pub(crate) fn origins(&self) -> Arc<[String]> {
        self.origins.clone()
    }

    fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }

    /// Adds the simple-response headers when `origin` is allowed.
    pub(crate) fn decorate(&self, origin: Option<&str>, headers: &mut HeaderMap) {
        let Some(origin) = origin.filter(|o| self.allows(o)) else {
            return;
        };
        let Ok(value) = HeaderValue::from_str(origin) else {
            return;
        };
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }

    /// Answers a preflight: 200 `OK`, or 400 `Disallowed CORS <what>` naming each failed check.
    /// With `send_cors` false (the `drop_cors` fault) no CORS header is sent either way.
    pub(crate) fn preflight(&self, origin: &str, request: &HeaderMap, send_cors: bool) -> Response {
        let origin_ok = self.allows(origin);
        let method_ok = request
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|v| v.to_str().ok())
            .and_then(|m| Method::from_bytes(m.trim().as_bytes()).ok())
            .is_some_and(|m| ALLOW_METHODS.contains(&m.as_str()));
        let headers_ok = request
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .map(|v| v.to_str().map(headers_allowed).unwrap_or(false))
            .unwrap_or(true);

        let mut failures = Vec::new();
        if !origin_ok {
            failures.push("origin");
        }
        if !method_ok {
            failures.push("method");
        }
        if !headers_ok {
            failures.push("headers");
        }
        let mut response = if failures.is_empty() {
            (StatusCode::OK, "OK").into_response()
        } else {
            let text = format!("Disallowed CORS {}", failures.join(", "));
            (StatusCode::BAD_REQUEST, text).into_response()
        };
        if send_cors && origin_ok {
            let h = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(origin) {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            }
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS, PATCH, HEAD"),
            );
            let allow_headers = ALLOW_HEADERS.join(", ");
            if let Ok(value) = HeaderValue::from_str(&allow_headers) {
                h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, value);
            }
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static(MAX_AGE),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            h.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        response
    }
}

/// True when every comma-separated requested header is on the list (case-insensitively).
fn headers_allowed(requested: &str) -> bool {
    requested
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .all(|h| ALLOW_HEADERS.iter().any(|a| a.eq_ignore_ascii_case(h)))
}

/// True for a CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`.
pub(crate) fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(header::ORIGIN)
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_check_is_case_insensitive_and_strict() {
        assert!(headers_allowed("content-type, x-request-id"));
        assert!(headers_allowed(""));
        assert!(!headers_allowed("content-type, cache-control"));
        assert!(!headers_allowed("Accept-Version"));
    }

    #[test]
    fn allow_headers_are_sorted() {
        let mut sorted = ALLOW_HEADERS;
        sorted.sort();
        assert_eq!(sorted, ALLOW_HEADERS);
    }
}
