//! The request pipeline of the backend and auth listeners, in the order a real request meets
//! them: counting, injected faults (delay, hang, reset), CORS preflight, the endpoint itself
//! (or the WebSocket upgrade), fault rewrites, then CORS headers on the way out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use axum::Router;

use crate::server::ConnKill;
use crate::state::{Service, Sim};
use crate::{auth, backend, clock, cors, generated, ws};

#[derive(Clone)]
struct Gateway {
    sim: Arc<Sim>,
    service: Service,
}

/// The router of one simulated service: every path goes through [`handle`].
pub(crate) fn router(sim: Arc<Sim>, service: Service) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Gateway { sim, service })
}

async fn handle(State(gw): State<Gateway>, req: Request) -> Response {
    let started = Instant::now();
    let (mut parts, _body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let websocket = gw.service == Service::Backend && path == "/ws" && ws::is_upgrade(&parts);
    let verb = if websocket {
        "WS"
    } else {
        parts.method.as_str()
    };
    let key = format!("{} {verb} {path}", gw.service.as_str());
    let _in_flight = gw.sim.counts.enter(key.clone());
    let fault = gw.sim.faults.get(gw.service, &path);

    if let Some(fault) = &fault {
        if let Some(ms) = fault.latency_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if fault.hang {
            gw.sim.log(format_args!("{key} -> hang"));
            // Dropped (ending the in-flight mark) when the client gives up and hyper sees EOF.
            std::future::pending::<()>().await;
        }
        if fault.reset {
            gw.sim.log(format_args!("{key} -> reset"));
            if let Some(kill) = parts.extensions.get::<ConnKill>() {
                kill.fire();
            }
            std::future::pending::<()>().await;
        }
    }

    let send_cors = !fault.as_ref().is_some_and(|f| f.drop_cors);
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let mut response = if let (true, Some(origin)) =
        (cors::is_preflight(&parts.method, &parts.headers), &origin)
    {
        gw.sim.cors.preflight(origin, &parts.headers, send_cors)
    } else {
        let ctx = gw.sim.ctx();
        let mut response = if websocket {
            ws::upgrade(&ctx, &mut parts, fault.as_ref()).await
        } else {
            let reply = match gw.service {
                Service::Backend
                    if gw.sim.generated_components > 0
                        && path == generated::PATH
                        && parts.method == Method::GET =>
                {
                    let answer = gw.sim.next_generated_answer();
                    generated::reply(&ctx, gw.sim.generated_components, answer)
                }
                Service::Backend => backend::respond(&ctx, &parts),
                Service::Auth => auth::respond(&ctx, &parts),
            };
            let reply = match &fault {
                Some(fault) => fault.apply(reply, gw.sim.other_origin(gw.service), &path),
                None => reply,
            };
            reply.into_response(parts.method == Method::HEAD)
        };
        if gw.service == Service::Backend {
            // The real backend's request-id middleware; the id is one of the exposed headers.
            if let Ok(id) = HeaderValue::from_str(&clock::uuid4()) {
                response.headers_mut().insert("x-request-id", id);
            }
        }
        if send_cors {
            gw.sim
                .cors
                .decorate(origin.as_deref(), response.headers_mut());
        }
        response
    };
    if !send_cors {
        strip_cors(&mut response);
    }
    gw.sim.log(format_args!(
        "{key} -> {} ({} ms)",
        response.status().as_u16(),
        started.elapsed().as_millis()
    ));
    response
}

fn strip_cors(response: &mut Response) {
    let headers = response.headers_mut();
    let names: Vec<_> = headers
        .keys()
        .filter(|n| n.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}
