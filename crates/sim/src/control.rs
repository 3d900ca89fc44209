//! The test control API on the control port: read and set the scenario, install and clear
//! faults, read request counts, reset. JSON in and out, `Access-Control-Allow-Origin: *` so a
//! page or a test runner on any origin can drive it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::Fault;
use crate::scenario::{Generation, Phase};
use crate::state::Sim;

/// The control API's router.
pub(crate) fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/__sim/state", get(state))
        .route("/__sim/scenario", post(scenario))
        .route(
            "/__sim/faults",
            post(install_fault).delete(clear_faults).get(list_faults),
        )
        .route("/__sim/counts", get(counts))
        .route("/__sim/reset", post(reset))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(sim.clone(), cors_any))
        .with_state(sim)
}

/// CORS `*` on everything; answers preflights itself.
async fn cors_any(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let line = format!("control {} {}", req.method(), req.uri().path());
    let mut response = if req.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    sim.log(format_args!("{line} -> {}", response.status().as_u16()));
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

fn state_json(sim: &Sim) -> Value {
    let ctx = sim.ctx();
    json!({
        "generation": ctx.generation.as_str(),
        "phase": ctx.phase.as_str(),
        "phase_seconds": sim.scenario().phase_seconds,
    })
}

async fn state(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(state_json(&sim))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioChange {
    phase: Option<String>,
    generation: Option<String>,
    phase_seconds: Option<u64>,
}

async fn scenario(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    let change: ScenarioChange = match serde_json::from_slice(body) {
        Ok(change) => change,
        Err(e) => return bad_request(format!("invalid scenario body: {e}")),
    };
    // Validate everything before changing anything.
    let phase = match change.phase.as_deref().map(str::parse::<Phase>).transpose() {
        Ok(phase) => phase,
        Err(e) => return bad_request(e),
    };
    let generation = match change
        .generation
        .as_deref()
        .map(str::parse::<Generation>)
        .transpose()
    {
        Ok(generation) => generation,
        Err(e) => return bad_request(e),
    };
    {
        let mut scenario = sim.scenario();
        if let Some(generation) = generation {
            scenario.generation = generation;
        }
        if let Some(seconds) = change.phase_seconds {
            scenario.set_phase_seconds(seconds);
        }
        if let Some(phase) = phase {
            scenario.set_phase(phase);
        }
    }
    Json(state_json(&sim)).into_response()
}

async fn install_fault(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    match Fault::parse(&body) {
        Ok((service, fault)) => {
            sim.faults.install(service, fault);
            Json(json!({"faults": sim.faults.list()})).into_response()
        }
        Err(message) => bad_request(message),
    }
}

async fn clear_faults(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.faults.clear();
    Json(json!({"faults": []}))
}

async fn list_faults(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({"faults": sim.faults.list()}))
}

async fn counts(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(sim.counts.snapshot())
}

async fn reset(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.reset();
    Json(state_json(&sim))
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "unknown control endpoint"})),
    )
        .into_response()
}
