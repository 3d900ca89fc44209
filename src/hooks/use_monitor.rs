//! The page's driver of `lookout-core`'s [`Monitor`]: it does the I/O and hands results and the
//! time to the monitor, and publishes the monitor's page model ([`ModelSignals`]). It decides
//! nothing about the domain: what is due, what failed, how long to back off, which source
//! speaks and what anything means are the monitor's.
//!
//! A one-second tick asks the monitor what is due (nothing while the tab is hidden or the
//! browser offline; one probe of each endpoint on return), probes it through [`crate::api`],
//! records each probe with `performance.now()` and `Math.random()` for the jitter, and
//! recomputes the page model, whose sections' signals take it only where it changed. The published
//! snapshot and the updates file are read by their own hooks and handed to the monitor as they
//! arrive, when the page may read them ([`Sources`]; a refused file is reported, never fetched).
//! A viewer's "Go live" choice is remembered per page and incident. Every timer and listener is
//! removed when the owner is disposed.
//!
//! Built with the `bench` cargo feature (only `cargo xtask bench` does that, into a separate
//! directory that is never deployed), the tick and every endpoint's interval are
//! `BENCH_INTERVAL_MS` (20 ms) instead, so the benchmark can run thousands of poll cycles in
//! minutes. A production build cannot do this: config validation keeps intervals at or above
//! `MIN_INTERVAL_SECONDS`, and nothing in a config or URL reaches this constant.
//!
//! For tests and monitors, `window.lookoutModel()` returns the current page model as JSON.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::config::sources::{SourceRole, Sources};
use lookout_core::config::{Config, EndpointKind, LiveMode};
use lookout_core::monitor::engine::{Monitor, ProbeRequest};
use lookout_core::monitor::snapshot::Snapshot;
use lookout_core::monitor::stored::{storage_key, StoredItem};
use wasm_bindgen::prelude::*;

use crate::api;
use crate::hooks::{use_snapshot, use_updates, ModelSignals, UpdatesState};

/// The probe interval of every endpoint, and the tick, in a `bench` build.
#[cfg(feature = "bench")]
pub const BENCH_INTERVAL_MS: u32 = 20;

/// How often the tick asks the monitor what is due.
#[cfg(not(feature = "bench"))]
const TICK: Duration = Duration::from_secs(1);
#[cfg(feature = "bench")]
const TICK: Duration = Duration::from_millis(BENCH_INTERVAL_MS as u64);

/// What the monitor hook offers the views.
#[derive(Clone, Copy)]
pub struct MonitorHandle {
    /// The page model, each section changed only when something in it changed.
    pub model: ModelSignals,
    /// The updates file as last read, with what is wrong in it.
    pub updates_file: ReadSignal<UpdatesState>,
    refresh: Callback<()>,
    set_live: Callback<bool>,
}

impl MonitorHandle {
    /// Probes every endpoint now (those already in flight are not doubled).
    pub fn refresh_now(&self) {
        self.refresh.run(());
    }

    /// Starts or stops this viewer's own probing (where the config lets the viewer choose).
    pub fn set_live(&self, live: bool) {
        self.set_live.run(live);
    }
}

/// Drives a monitor of `config`, read from `config_url` (the snapshot and updates files are
/// resolved against it and read only if `sources` admit them), until the calling owner is
/// disposed.
pub fn use_monitor(config: Arc<Config>, config_url: &str, sources: &Sources) -> MonitorHandle {
    let key = storage_key(
        sources.directory_path(),
        &config.incident.id,
        StoredItem::Live,
    );
    let mode = config.snapshot.as_ref().map(|s| s.live);
    let chosen = api::storage_get(&key).as_deref() == Some("1");
    let mut initial = Monitor::new((*config).clone());
    #[cfg(feature = "bench")]
    initial.set_every_interval_ms(BENCH_INTERVAL_MS);
    initial.set_live(chosen);
    initial.set_offline((!api::is_online()).then(Utc::now));
    let model = ModelSignals::new(initial.view(Utc::now(), api::monotonic_ms()));
    let monitor = StoredValue::new_local(initial);

    // Each section's signal takes the new model's section only when it differs, so nothing
    // re-renders for a tick that changed nothing.
    let publish = move || {
        if let Some(next) = monitor.try_update_value(|m| m.view(Utc::now(), api::monotonic_ms())) {
            model.write(next);
        }
    };

    let tick = move || {
        let visible = !api::is_hidden();
        let online = api::is_online();
        let due = monitor
            .try_update_value(|m| m.due(api::monotonic_ms(), visible, online))
            .unwrap_or_default();
        for request in due {
            spawn_local(probe(monitor, request, publish));
        }
        publish();
    };
    tick();
    if let Ok(handle) = set_interval_with_handle(tick, TICK) {
        on_cleanup(move || handle.clear());
    }

    let refresh = move || {
        monitor.update_value(|m| m.refresh(api::monotonic_ms()));
        tick();
    };
    let on_visibility = window_event_listener_untyped("visibilitychange", move |_| {
        if !api::is_hidden() {
            refresh();
        }
    });
    let on_online = window_event_listener_untyped("online", move |_| {
        monitor.update_value(|m| m.set_offline(None));
        refresh();
    });
    let on_offline = window_event_listener_untyped("offline", move |_| {
        monitor.update_value(|m| m.set_offline(Some(Utc::now())));
        publish();
    });
    on_cleanup(move || {
        on_visibility.remove();
        on_online.remove();
        on_offline.remove();
    });
    expose_model(model);

    if let Some(source) = &config.snapshot {
        let on_read = Callback::new(move |read: Result<Snapshot, String>| {
            monitor.update_value(|m| match read {
                Ok(snapshot) => m.set_snapshot(snapshot),
                Err(why) => m.set_snapshot_error(why),
            });
            publish();
        });
        match api::admitted_url(sources, SourceRole::Snapshot, &source.url, config_url) {
            Ok(url) => use_snapshot(url, config.incident.id.clone(), on_read),
            Err(refused) => on_read.run(Err(refused.to_string())),
        }
    }
    let updates_url = api::admitted_url(
        sources,
        SourceRole::UpdatesFile,
        config.updates_file(),
        config_url,
    );
    let updates_file = use_updates(updates_url.map_err(|refused| refused.to_string()));
    Effect::new(move |_| {
        let updates = updates_file.with(|u| u.updates.clone());
        monitor.update_value(|m| m.set_updates(updates));
        publish();
    });

    MonitorHandle {
        model,
        updates_file,
        refresh: Callback::new(move |()| refresh()),
        set_live: Callback::new(move |live: bool| {
            if mode == Some(LiveMode::OptIn) {
                if live {
                    let _ = api::storage_set(&key, "1");
                } else {
                    api::storage_remove(&key);
                }
            }
            // Going live probes every endpoint at once.
            monitor.update_value(|m| {
                m.set_live(live);
                m.refresh(api::monotonic_ms());
            });
            tick();
        }),
    }
}

/// Probes one endpoint and records the probe.
async fn probe(
    monitor: StoredValue<Monitor, LocalStorage>,
    request: ProbeRequest,
    publish: impl Fn() + 'static,
) {
    let ProbeRequest {
        index,
        endpoint,
        url,
        kind,
        timeout_ms,
    } = request;
    let probe = match kind {
        EndpointKind::Http => api::probe_http(&endpoint, &url, timeout_ms).await,
        EndpointKind::Websocket => api::probe_websocket(&endpoint, &url, timeout_ms).await,
    };
    api::timing_start(api::timing::APPLY_PROBE);
    let recorded = monitor.try_update_value(|m| {
        m.record(index, probe, api::monotonic_ms(), js_sys::Math::random());
    });
    if recorded.is_some() {
        publish();
        api::timing_end(api::timing::APPLY_PROBE, false);
    }
}

/// Offers `window.lookoutModel()`: the page model as JSON, computed only when asked. The
/// serialiser costs 7.0 KB gzip of wasm (measured with `cargo xtask build`: 454,999 B with it,
/// 447,970 B without); it is what the end-to-end differential test compares with the prober.
fn expose_model(model: ModelSignals) {
    let read = Closure::<dyn Fn() -> String>::new(move || {
        serde_json::to_string(&model.current()).unwrap_or_default()
    });
    let _ = js_sys::Reflect::set(
        &window(),
        &JsValue::from_str("lookoutModel"),
        read.as_ref().unchecked_ref(),
    );
    // The closure lives as long as the page's monitor (its owner drops it); the global goes
    // first.
    let _ = StoredValue::new_local(read);
    on_cleanup(move || {
        let _ = js_sys::Reflect::delete_property(&window(), &JsValue::from_str("lookoutModel"));
    });
}
