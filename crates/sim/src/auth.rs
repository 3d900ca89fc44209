//! The auth service's endpoints (research notes, §3). The auth service has no generations; it is
//! down (its database is behind the broken VPC connector) in the outage and diagnosis phases.

use axum::http::request::Parts;
use axum::http::Method;
use serde_json::{json, Value};

use crate::clock::iso_offset;
use crate::reply::Reply;
use crate::scenario::{Ctx, ENVIRONMENT, VERSION};

const SERVICE: &str = "auth-service";

/// Answers one auth-service request.
pub(crate) fn respond(ctx: &Ctx, req: &Parts) -> Reply {
    let path = req.uri.path();
    let known = matches!(
        path,
        "/" | "/health"
            | "/health/ready"
            | "/readiness"
            | "/health/auth"
            | "/auth/health"
            | "/auth/status"
    );
    if !known {
        return Reply::not_found();
    }
    if req.method != Method::GET && req.method != Method::HEAD {
        return Reply::method_not_allowed("GET, HEAD");
    }
    let down = ctx.phase.vpc_broken();
    let timestamp = iso_offset(ctx.now);
    match path {
        "/health" if down => Reply::json(
            503,
            json!({
                "status": "unhealthy",
                "service": SERVICE,
                "version": VERSION,
                "timestamp": timestamp,
                "reason": "Database connectivity failed",
                "environment": ENVIRONMENT,
            }),
        ),
        "/health" => Reply::ok(json!({
            "status": "healthy",
            "service": SERVICE,
            "version": VERSION,
            "timestamp": timestamp,
            "uptime_seconds": ctx.uptime,
            "database_status": "connected",
            "environment": ENVIRONMENT,
        })),
        "/health/ready" | "/readiness" if down => Reply::json(
            503,
            json!({
                "status": "not_ready",
                "service": SERVICE,
                "reason": "Database connectivity failed",
                "environment": ENVIRONMENT,
                "timestamp": timestamp,
            }),
        ),
        "/health/ready" | "/readiness" => Reply::ok(json!({
            "status": "ready",
            "service": SERVICE,
            "version": VERSION,
            "timestamp": timestamp,
            "environment": ENVIRONMENT,
            "database_status": "connected",
        })),
        "/health/auth" => auth_health(ctx, down, timestamp),
        "/auth/health" => {
            let mut body = json!({
                "status": if down { "unhealthy" } else { "healthy" },
                "service": SERVICE,
                "version": VERSION,
                "timestamp": timestamp,
                "database_status": if down { "error" } else { "connected" },
            });
            body["database_details"] = json!({
                "connectivity_test": if down { "failed" } else { "passed" },
                "initialized": true,
            });
            Reply::ok(body)
        }
        // "/" and "/auth/status"
        _ => Reply::ok(json!({
            "service": SERVICE,
            "version": VERSION,
            "status": "running",
            "environment": ENVIRONMENT,
            "timestamp": timestamp,
        })),
    }
}

fn auth_health(ctx: &Ctx, down: bool, timestamp: String) -> Reply {
    let mut body = json!({
        "service": SERVICE,
        "version": VERSION,
        "environment": ENVIRONMENT,
        "timestamp": timestamp,
        "status": if down { "unhealthy" } else { "healthy" },
        "capabilities": {
            "jwt_validation": true,
            "session_management": !down,
            "oauth_configured": true,
            "database_connected": !down,
        },
        "golden_path_ready": !down,
    });
    if down {
        body["error"] =
            Value::from("Missing critical capabilities: database_connected, session_management");
        return Reply::json(503, body);
    }
    if ctx.phase == crate::scenario::Phase::PartialRecovery {
        body["warnings"] = json!(["Session store latency elevated (Cloud SQL slow)"]);
    }
    Reply::ok(body)
}
