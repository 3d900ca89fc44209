//! The backend's WebSocket side (research notes, §4): the `/ws` endpoint with its handshake
//! refusal, subprotocol and token rules and first frames, `/ws/health`, and the GCP readiness
//! middleware's 503 for plain GETs to `/ws*` while the infrastructure is down.

use std::time::Duration;

use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::clock::{epoch, iso_naive, iso_offset, random_u64};
use crate::faults::Fault;
use crate::reply::Reply;
use crate::scenario::{Ctx, Phase, ENVIRONMENT};

/// Bare subprotocols the server negotiates.
const BARE_PROTOCOLS: [&str; 6] = [
    "jwt-auth",
    "jwt",
    "bearer",
    "e2e-testing",
    "staging-auth",
    "agent_chat",
];
/// Subprotocol prefixes that carry a JWT after the dot.
const TOKEN_PROTOCOLS: [&str; 3] = ["jwt-auth.", "jwt.", "bearer."];
/// Query parameters that carry a token or a ticket.
const TOKEN_PARAMS: [&str; 7] = [
    "token",
    "jwt",
    "auth_token",
    "access_token",
    "ticket",
    "auth_ticket",
    "ticket_id",
];

/// True when the request asks to upgrade to a WebSocket.
pub(crate) fn is_upgrade(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// The GCP readiness middleware's rejection of a plain GET to `/ws*`.
pub(crate) fn not_ready_reply(_ctx: &Ctx) -> Reply {
    Reply::json(
        503,
        json!({
            "error": "service_not_ready",
            "message": "WebSocket service is not ready. Enhanced uvicorn compatibility check failed.",
            "details": {
                "state": "failed",
                "failed_services": ["database_postgres", "database_redis"],
                "environment": ENVIRONMENT,
                "retry_after_seconds": 10,
                "cloud_run_compatible": true,
                "uvicorn_compatible": true,
                "issue_reference": "#449",
            },
        }),
    )
    .with_header(header::RETRY_AFTER, "10")
}

fn service_entry(ctx: &Ctx, status: &str, error: Option<&str>, response_ms: f64) -> Value {
    json!({
        "available": status != "failed",
        "status": status,
        "last_check": iso_naive(ctx.now),
        "error": error,
        "response_time_ms": response_ms,
        "circuit_breaker_open": status == "failed",
    })
}

/// `/ws/health` as its route answers it (the middleware answers first while infra is down).
pub(crate) fn health_reply(ctx: &Ctx) -> Reply {
    let (status, code, postgres, redis) = match ctx.phase {
        Phase::Outage | Phase::Diagnosis => (
            "unhealthy",
            503,
            service_entry(ctx, "failed", Some("connection timeout"), 8004.0),
            service_entry(
                ctx,
                "failed",
                Some("Error -3 connecting to 10.166.204.83:6379"),
                5003.0,
            ),
        ),
        Phase::PartialRecovery => (
            "degraded",
            200,
            service_entry(ctx, "degraded", Some("slow responses: 4812 ms"), 4812.0),
            service_entry(ctx, "healthy", None, 3.9),
        ),
        Phase::Recovered => (
            "healthy",
            200,
            service_entry(ctx, "healthy", None, 284.0),
            service_entry(ctx, "healthy", None, 3.1),
        ),
    };
    let up = code == 200;
    let degraded: Vec<&str> = (status == "degraded")
        .then_some("database_postgres")
        .into_iter()
        .collect();
    let failed: Vec<&str> = if up {
        Vec::new()
    } else {
        vec!["database_postgres", "database_redis"]
    };
    let healthy = 7 - degraded.len() - failed.len();
    let ok = || service_entry(ctx, "healthy", None, 1.2);
    Reply::json(
        code,
        json!({
            "status": status,
            "timestamp": iso_offset(ctx.now),
            "mode": "ssot_consolidated",
            "components": {"manager": true, "message_router": true, "connection_monitor": up},
            "consolidation": {
                "competing_routes_eliminated": 4,
                "ssot_compliance": true,
                "modes_supported": ["main", "factory", "isolated", "legacy"],
            },
            "service_availability": {
                "allow_websocket_connections": up,
                "denial_reason": if up { Value::Null } else { json!("Critical services unavailable: database_postgres") },
                "overall_service_status": status,
                "critical_services": {"authentication": ok(), "database_postgres": postgres},
                "optional_services": {
                    "agent_bridge": ok(),
                    "thread_service": ok(),
                    "database_redis": redis,
                    "agent_supervisor": ok(),
                    "tool_classes": ok(),
                },
                "summary": {
                    "total_services": 7,
                    "critical_services_count": 2,
                    "optional_services_count": 5,
                    "degraded_services": degraded,
                    "failed_services": failed,
                    "health_summary": format!(
                        "Healthy: {healthy}, Degraded: {}, Failed: {}, Unknown: 0",
                        degraded.len(),
                        failed.len()
                    ),
                },
                "last_check": iso_naive(ctx.now),
            },
        }),
    )
}

/// Answers a WebSocket upgrade on `/ws`.
///
/// A fault's `status` rejects the handshake with that status. While the infrastructure is down
/// the readiness guard closes before accept, which uvicorn turns into HTTP 403 (a browser sees
/// close code 1006). Otherwise the handshake succeeds: with a token the client gets
/// `connection_established` and the socket stays open; without one it gets the `AUTH_FAILED`
/// frame and close 1008, as the page (which sends no token) always does.
pub(crate) async fn upgrade(ctx: &Ctx, parts: &mut Parts, fault: Option<&Fault>) -> Response {
    if let Some(status) = fault.and_then(Fault::status_code) {
        return reject(status);
    }
    if ctx.phase.vpc_broken() {
        return reject(StatusCode::FORBIDDEN);
    }
    let offered: Vec<String> = parts
        .headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let chosen = offered.iter().find(|p| {
        BARE_PROTOCOLS.contains(&p.as_str())
            || TOKEN_PROTOCOLS
                .iter()
                .any(|prefix| p.len() > prefix.len() && p.starts_with(prefix))
    });
    if !offered.is_empty() && chosen.is_none() {
        // Close 1003 "No supported subprotocols" before accept: a failed handshake.
        return reject(StatusCode::FORBIDDEN);
    }
    let authenticated = chosen.is_some_and(|p| TOKEN_PROTOCOLS.iter().any(|t| p.starts_with(t)))
        || has_token_param(parts.uri.query())
        || parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bearer ") && v.len() > 7);

    let upgrade = match WebSocketUpgrade::from_request_parts(parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let upgrade = match chosen {
        Some(protocol) => upgrade.protocols([protocol.clone()]),
        None => upgrade,
    };
    let ctx = ctx.clone();
    upgrade.on_upgrade(move |socket| session(socket, ctx, authenticated))
}

fn reject(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response.headers_mut().insert(
        HeaderName::from_static("content-length"),
        header::HeaderValue::from_static("0"),
    );
    response
}

fn has_token_param(query: Option<&str>) -> bool {
    query.unwrap_or("").split('&').any(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        TOKEN_PARAMS.contains(&name) && !value.is_empty()
    })
}

async fn session(mut socket: WebSocket, ctx: Ctx, authenticated: bool) {
    if !authenticated {
        let frame = json!({
            "type": "error_message",
            "error_code": "AUTH_FAILED",
            "error_message": "WebSocket authentication failed: No JWT token found in WebSocket headers, subprotocols or query parameters",
            "details": {},
            "timestamp": iso_offset(ctx.now),
            "recovery_suggestions": null,
        });
        let _ = socket.send(Message::Text(frame.to_string().into())).await;
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: 1008,
                reason: "Authentication failed".into(),
            })))
            .await;
        // Wait for the client's closing handshake, but not forever.
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(Ok(_)) = socket.recv().await {}
        })
        .await;
        return;
    }

    let established = json!({
        "type": "connection_established",
        "data": {
            "mode": "main",
            "user_id": "sim-user...",
            "connection_id": format!("ws_conn_{:016x}", random_u64()),
            "golden_path_events": [
                "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed",
            ],
            "features": {
                "agent_events": true,
                "tool_events": true,
                "thread_management": true,
                "heartbeat": true,
            },
            "timestamp": iso_offset(ctx.now),
        },
        "timestamp": epoch(ctx.now),
        "server_id": null,
        "correlation_id": null,
    });
    if socket
        .send(Message::Text(established.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    while let Some(Ok(message)) = socket.recv().await {
        match message {
            Message::Text(text) => {
                let is_ping =
                    serde_json::from_str::<Value>(text.as_str()).is_ok_and(|v| v["type"] == "ping");
                if is_ping {
                    let pong = json!({"type": "pong", "timestamp": epoch(chrono::Utc::now())});
                    if socket
                        .send(Message::Text(pong.to_string().into()))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
            Message::Close(_) => return,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_token_param;

    #[test]
    fn token_params_need_a_value() {
        assert!(has_token_param(Some("token=abc")));
        assert!(has_token_param(Some("x=1&ticket_id=t")));
        assert!(!has_token_param(Some("token=")));
        assert!(!has_token_param(Some("tokens=abc")));
        assert!(!has_token_param(None));
    }
}
