//! The prober's only contact with the probed endpoints: a plain HTTP GET and a WebSocket
//! handshake, recorded as the page's I/O edge records them (`lookout_core::probe`), so the same
//! answer reads the same in a snapshot and in a browser: the body decoded strictly
//! ([`decode_body`]), redirects followed only within the probed origin ([`follows_redirect`]),
//! the raw `Retry-After` handed to the monitor, which bounds it. Bodies are never interpreted
//! here.

use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::StreamExt;
use lookout_core::probe::{
    decode_body, follows_redirect, parse_retry_after, HttpResponse, Probe, ProbeFailure,
    ProbeOutcome, WebSocketSession, MAX_BODY_BYTES, WEBSOCKET_LINGER_MS,
};
use tokio_tungstenite::tungstenite::{self, protocol::Message};

/// How long a WebSocket probe keeps watching an opened socket for the server's verdict.
const WEBSOCKET_LINGER: Duration = Duration::from_millis(WEBSOCKET_LINGER_MS);

/// The most redirects followed within one origin, as a browser's fetch allows.
const MAX_REDIRECTS: usize = 20;

/// An HTTP client for probes: no cookies, no custom headers beyond a User-Agent naming the
/// prober, redirects followed only within the probed origin.
pub fn client() -> Result<reqwest::Client, String> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let from = attempt
            .previous()
            .first()
            .map(|url| url.as_str().to_string());
        let allowed = from.is_some_and(|from| follows_redirect(&from, attempt.url().as_str()));
        if allowed && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.error(RefusedRedirect)
        }
    });
    reqwest::Client::builder()
        .user_agent(concat!("lookout-probe/", env!("CARGO_PKG_VERSION")))
        .redirect(policy)
        .build()
        .map_err(|error| format!("cannot start the HTTP client: {error}"))
}

/// The redirect policy's refusal, recognised in [`http_outcome`].
#[derive(Debug)]
struct RefusedRedirect;

impl std::fmt::Display for RefusedRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a redirect to another origin")
    }
}

impl std::error::Error for RefusedRedirect {}

fn elapsed_ms(started: Instant) -> u32 {
    started.elapsed().as_millis().min(u128::from(u32::MAX)) as u32
}

/// Probes an HTTP endpoint with a GET, reading at most [`MAX_BODY_BYTES`].
pub async fn probe_http(
    client: &reqwest::Client,
    endpoint: &str,
    url: &str,
    timeout: Duration,
) -> Probe {
    let started = Instant::now();
    let after_ms = timeout.as_millis().min(u128::from(u32::MAX)) as u32;
    let (outcome, retry_after_seconds) =
        match tokio::time::timeout(timeout, http_outcome(client, url)).await {
            Ok(outcome) => outcome,
            Err(_) => (
                ProbeOutcome::Failed(ProbeFailure::Timeout { after_ms }),
                None,
            ),
        };
    Probe::finished(
        endpoint,
        Utc::now(),
        elapsed_ms(started),
        outcome,
        retry_after_seconds,
    )
}

async fn http_outcome(client: &reqwest::Client, url: &str) -> (ProbeOutcome, Option<u32>) {
    let mut response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) if error.is_redirect() => {
            return (ProbeOutcome::Failed(ProbeFailure::Redirected), None)
        }
        Err(error) => {
            let failure = ProbeFailure::Unreachable {
                detail: describe_error(&error),
            };
            return (ProbeOutcome::Failed(failure), None);
        }
    };
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let retry_after =
        header(reqwest::header::RETRY_AFTER).and_then(|v| parse_retry_after(&v, Utc::now()));
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let status = response.status().as_u16();
    let too_large = ProbeOutcome::Failed(ProbeFailure::BodyTooLarge {
        limit: MAX_BODY_BYTES,
    });
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return (too_large, retry_after);
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return (too_large, retry_after);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                let failure = ProbeFailure::Unreachable {
                    detail: format!("the response broke off: {}", describe_error(&error)),
                };
                return (ProbeOutcome::Failed(failure), retry_after);
            }
        }
    }
    let outcome = match decode_body(status, body) {
        Ok(body) => ProbeOutcome::Response(HttpResponse {
            status,
            content_type,
            body,
        }),
        Err(failure) => ProbeOutcome::Failed(failure),
    };
    (outcome, retry_after)
}

/// The innermost cause of a transport error, which is the one that says what happened.
fn describe_error(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text = inner.to_string();
        source = inner.source();
    }
    text
}

/// Probes a WebSocket endpoint: opens a socket without credentials and watches how the
/// handshake ends, reporting what a browser would (a refused handshake is "closed 1006 before
/// opening").
pub async fn probe_websocket(endpoint: &str, url: &str, timeout: Duration) -> Probe {
    let started = Instant::now();
    let after_ms = timeout.as_millis().min(u128::from(u32::MAX)) as u32;
    let outcome = match tokio::time::timeout(timeout, websocket_outcome(url)).await {
        Ok(outcome) => outcome,
        Err(_) => ProbeOutcome::Failed(ProbeFailure::Timeout { after_ms }),
    };
    Probe::finished(endpoint, Utc::now(), elapsed_ms(started), outcome, None)
}

async fn websocket_outcome(url: &str) -> ProbeOutcome {
    let mut socket = match tokio_tungstenite::connect_async(url).await {
        Ok((socket, _response)) => socket,
        Err(tungstenite::Error::Url(error)) => {
            return ProbeOutcome::Failed(ProbeFailure::Unreachable {
                detail: format!("invalid WebSocket URL: {error}"),
            })
        }
        // A browser sees every failed handshake (refused, HTTP error, TLS) as 1006 before open.
        Err(_) => {
            return ProbeOutcome::WebSocket(WebSocketSession {
                opened: false,
                close_code: Some(1006),
                close_reason: String::new(),
            })
        }
    };
    let closed = tokio::time::timeout(WEBSOCKET_LINGER, async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(Some(frame)))) => {
                    return (u16::from(frame.code), frame.reason.to_string())
                }
                Some(Ok(Message::Close(None))) => return (1005, String::new()),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return (1006, String::new()),
            }
        }
    })
    .await
    .ok();
    if closed.is_none() {
        let _ = socket.close(None).await;
    }
    ProbeOutcome::WebSocket(WebSocketSession {
        opened: true,
        close_code: closed.as_ref().map(|(code, _)| *code),
        close_reason: closed.map(|(_, reason)| reason).unwrap_or_default(),
    })
}
