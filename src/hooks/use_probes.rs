//! Probes every configured endpoint on a polite schedule and keeps the board of latest
//! readings.
//!
//! A one-second tick asks the domain's [`Schedule`] what is due: never two requests in flight
//! for one endpoint, jittered intervals, exponential backoff on failures, `Retry-After`
//! honoured, nothing while the tab is hidden or the browser offline, and one probe of each
//! endpoint on return. Every timer and listener is removed when the owner is disposed.
//!
//! Built with the `bench` cargo feature (only `cargo xtask bench` does that, into a separate
//! directory that is never deployed), the tick and every endpoint's interval are
//! `BENCH_INTERVAL_MS` (20 ms) instead, so the benchmark can run thousands of poll cycles in minutes.
//! A production build cannot do this: config validation keeps intervals at or above
//! `MIN_INTERVAL_SECONDS`, and nothing in a config or URL reaches this constant.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::board::Board;
use lookout_core::config::{Config, EndpointKind};
use lookout_core::incident::criteria::CriteriaTracker;
use lookout_core::monitor::schedule::Schedule;
use lookout_core::probe::{ProbeOutcome, ProbeResult};

use crate::api;

/// The probe interval of every endpoint, and the tick, in a `bench` build.
#[cfg(feature = "bench")]
pub const BENCH_INTERVAL_MS: u32 = 20;

/// How often the tick asks the schedule what is due.
#[cfg(not(feature = "bench"))]
const TICK: Duration = Duration::from_secs(1);
#[cfg(feature = "bench")]
const TICK: Duration = Duration::from_millis(BENCH_INTERVAL_MS as u64);

/// The interval of `endpoint` in milliseconds: its configured one, or the bench interval.
#[cfg(not(feature = "bench"))]
fn interval_ms(config: &Config, endpoint: &lookout_core::config::Endpoint) -> u32 {
    config.interval_seconds(endpoint) * 1000
}
#[cfg(feature = "bench")]
fn interval_ms(_: &Config, _: &lookout_core::config::Endpoint) -> u32 {
    BENCH_INTERVAL_MS
}

/// What the probing hook offers the views.
#[derive(Clone, Copy)]
pub struct Probing {
    /// The latest reading of every endpoint.
    pub board: ReadSignal<Board>,
    /// A snapshot of the schedule (failures and due times), for freshness rules.
    pub schedule: ReadSignal<Schedule>,
    /// Seconds until the next probe, `None` while probes are in flight or paused.
    pub next_probe_in: ReadSignal<Option<u32>>,
    /// When the latest probe finished.
    pub last_probe_at: ReadSignal<Option<DateTime<Utc>>>,
    /// Since when the browser has been offline, `None` when online.
    pub offline_since: ReadSignal<Option<DateTime<Utc>>>,
    /// Whether the tab is hidden (probing paused).
    pub hidden: ReadSignal<bool>,
    /// The success criteria's memory of every probe (streaks, windows, met-since times).
    pub criteria: StoredValue<CriteriaTracker>,
    refresh: StoredValue<Schedule, LocalStorage>,
    tick: StoredValue<Option<Arc<dyn Fn() + Send + Sync>>>,
}

impl Probing {
    /// Probes every endpoint now (those already in flight are not doubled).
    pub fn refresh_now(&self) {
        self.refresh
            .update_value(|schedule| schedule.due_now(api::monotonic_ms()));
        if let Some(tick) = self.tick.get_value() {
            tick();
        }
    }
}

/// Whether a probe counts as a failure for backoff: no answer, or the server says it is
/// overloaded or broken.
fn failed(result: &ProbeResult) -> bool {
    match &result.outcome {
        ProbeOutcome::Failed(_) => true,
        ProbeOutcome::Response(response) => response.status >= 500 || response.status == 429,
        ProbeOutcome::WebSocket(session) => !session.opened,
    }
}

/// Probes `config`'s endpoints while `enabled` holds (a page reading a published snapshot
/// probes only when its viewer goes live), until the calling owner is disposed.
pub fn use_probes(config: Arc<Config>, enabled: Signal<bool>) -> Probing {
    let (board, set_board) = signal(Board::default());
    let criteria = StoredValue::new(CriteriaTracker::new(&config));
    let schedule = StoredValue::new_local(Schedule::new(
        config
            .endpoints
            .iter()
            .map(|endpoint| (endpoint.id.clone(), interval_ms(&config, endpoint))),
    ));
    let (schedule_view, set_schedule_view) = signal(schedule.with_value(Clone::clone));
    let (next_probe_in, set_next_probe_in) = signal(None::<u32>);
    let (last_probe_at, set_last_probe_at) = signal(None::<DateTime<Utc>>);
    let (offline_since, set_offline_since) = signal((!api::is_online()).then(Utc::now));
    let (hidden, set_hidden) = signal(api::is_hidden());

    let publish = move || {
        if let Some(snapshot) = schedule.try_with_value(Clone::clone) {
            let next = snapshot
                .next_due_in_ms(api::monotonic_ms())
                .map(|ms| (ms / 1000.0).ceil() as u32);
            set_next_probe_in.try_set(next);
            set_schedule_view.try_set(snapshot);
        }
    };

    let tick = move || {
        if !enabled.try_get_untracked().unwrap_or(false) {
            return;
        }
        let visible = !api::is_hidden();
        let online = api::is_online();
        let Some(due) =
            schedule.try_update_value(|s| s.take_due(api::monotonic_ms(), visible, online))
        else {
            return;
        };
        for index in due {
            let endpoint = config.endpoints[index].clone();
            let Some(url) = config.endpoint_url(&endpoint) else {
                continue;
            };
            let timeout_ms = config.timeout_seconds(&endpoint) * 1000;
            spawn_local(async move {
                let probe = match endpoint.kind {
                    EndpointKind::Http => api::probe_http(&endpoint.id, &url, timeout_ms).await,
                    EndpointKind::Websocket => {
                        api::probe_websocket(&endpoint.id, &url, timeout_ms).await
                    }
                };
                let failed = failed(&probe.result);
                let finished = schedule.try_update_value(|s| {
                    s.complete(
                        index,
                        api::monotonic_ms(),
                        failed,
                        probe.retry_after_seconds,
                        js_sys::Math::random(),
                    )
                });
                if finished.is_none() {
                    return;
                }
                set_last_probe_at.try_set(Some(probe.result.at));
                api::timing_start(api::timing::APPLY_PROBE);
                set_board.try_update(|board| {
                    board.record(endpoint.format.clone(), probe.result);
                    if let Some(state) = board.endpoint(&endpoint.id) {
                        criteria.try_update_value(|tracker| {
                            tracker.observe(&state.result, &state.reading)
                        });
                    }
                });
                api::timing_end(api::timing::APPLY_PROBE, false);
                publish();
            });
        }
        publish();
    };
    let tick: Arc<dyn Fn() + Send + Sync> = Arc::new(tick);
    tick();

    if let Ok(handle) = set_interval_with_handle(
        {
            let tick = tick.clone();
            move || tick()
        },
        TICK,
    ) {
        on_cleanup(move || handle.clear());
    }

    // Going live probes every endpoint at once.
    Effect::new({
        let tick = tick.clone();
        move |was: Option<bool>| {
            let now_enabled = enabled.get();
            if now_enabled && was == Some(false) {
                schedule.update_value(|s| s.due_now(api::monotonic_ms()));
                tick();
            }
            now_enabled
        }
    });

    let on_visibility = {
        let tick = tick.clone();
        window_event_listener_untyped("visibilitychange", move |_| {
            let now_hidden = api::is_hidden();
            set_hidden.set(now_hidden);
            if !now_hidden {
                schedule.update_value(|s| s.due_now(api::monotonic_ms()));
                tick();
            }
        })
    };
    let on_online = {
        let tick = tick.clone();
        window_event_listener_untyped("online", move |_| {
            set_offline_since.set(None);
            schedule.update_value(|s| s.due_now(api::monotonic_ms()));
            tick();
        })
    };
    let on_offline = window_event_listener_untyped("offline", move |_| {
        set_offline_since.set(Some(Utc::now()));
    });
    on_cleanup(move || {
        on_visibility.remove();
        on_online.remove();
        on_offline.remove();
    });

    Probing {
        board,
        schedule: schedule_view,
        next_probe_in,
        last_probe_at,
        offline_since,
        hidden,
        criteria,
        refresh: schedule,
        tick: StoredValue::new(Some(tick)),
    }
}
