//! Probes every configured endpoint on its own schedule and keeps the board of latest readings.
//!
//! Each endpoint has one loop: probe, record, wait the jittered interval, repeat. A loop never
//! starts a probe while its previous one is in flight, so a slow endpoint is never piled on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::board::Board;
use lookout_core::config::{Config, EndpointKind};
use lookout_core::schedule::jittered_delay_ms;

use crate::api;

/// Starts probing `config`'s endpoints; returns the board, updated as results arrive. Probing
/// stops when the calling owner is disposed.
pub fn use_probes(config: Arc<Config>) -> ReadSignal<Board> {
    let (board, set_board) = signal(Board::default());
    let stopped = Arc::new(AtomicBool::new(false));
    for endpoint in config.endpoints.clone() {
        let config = config.clone();
        let stopped = stopped.clone();
        spawn_local(async move {
            let Some(url) = config.endpoint_url(&endpoint) else {
                return;
            };
            let interval_ms = config.interval_seconds(&endpoint) * 1000;
            let timeout_ms = config.timeout_seconds(&endpoint) * 1000;
            while !stopped.load(Ordering::Relaxed) {
                let result = match endpoint.kind {
                    EndpointKind::Http => api::probe_http(&endpoint.id, &url, timeout_ms).await,
                    EndpointKind::Websocket => {
                        api::probe_websocket(&endpoint.id, &url, timeout_ms).await
                    }
                };
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                set_board.update(|board| board.record(endpoint.format, result));
                sleep(jittered_delay_ms(interval_ms, js_sys::Math::random())).await;
            }
        });
    }
    on_cleanup(move || stopped.store(true, Ordering::Relaxed));
    board
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = set_timeout_with_handle(
            move || {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            },
            Duration::from_millis(u64::from(ms)),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
