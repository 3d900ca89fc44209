//! Reads the prober's published snapshot: at start, then at the snapshot's own pace (its
//! prober's interval, 15 s to 5 min) on the domain's [`Schedule`] (jittered, backed off while
//! failing, nothing while the tab is hidden or the browser offline, one read on return).
//! Every read goes to the monitor, which decides what it means (the newer snapshot wins, its
//! age decides whether it is current); nothing in the file is rendered as HTML.

use std::time::Duration;

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::monitor::schedule::Schedule;
use lookout_core::monitor::snapshot::{refresh_seconds, Snapshot};

use crate::api;

/// Reads the snapshot at `url` for incident `incident` until the owner is disposed, handing
/// every read (or why it failed) to `on_read`.
pub fn use_snapshot(url: String, incident: String, on_read: Callback<Result<Snapshot, String>>) {
    let schedule =
        StoredValue::new_local(Schedule::new([(url.clone(), refresh_seconds(None) * 1000)]));
    let tick = move || {
        let due = schedule
            .try_update_value(|s| {
                s.take_due(api::monotonic_ms(), !api::is_hidden(), api::is_online())
            })
            .unwrap_or_default();
        if due.is_empty() {
            return;
        }
        let url = url.clone();
        let incident = incident.clone();
        spawn_local(async move {
            let read = api::fetch_snapshot(&url).await.and_then(|text| {
                Snapshot::from_json(&text, &incident).map_err(|why| why.to_string())
            });
            let failed = read.is_err();
            if let Ok(snapshot) = &read {
                let pace = snapshot.refresh_seconds() * 1000;
                schedule.try_update_value(|s| s.set_interval_ms(0, pace));
            }
            let scheduled = schedule.try_update_value(|s| {
                s.complete(0, api::monotonic_ms(), failed, None, js_sys::Math::random())
            });
            if scheduled.is_none() {
                return;
            }
            if let Err(why) = &read {
                warn!("Lookout: snapshot not read: {why}");
            }
            on_read.run(read);
        });
    };
    tick();
    if let Ok(handle) = set_interval_with_handle(tick.clone(), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let on_visible = window_event_listener_untyped("visibilitychange", move |_| {
        if !api::is_hidden() {
            schedule.update_value(|s| s.due_now(api::monotonic_ms()));
            tick();
        }
    });
    on_cleanup(move || on_visible.remove());
}
