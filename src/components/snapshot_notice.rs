//! Where the page's data comes from when the config names a published snapshot: "Snapshot from
//! 12:00 UTC (40 s ago) by lookout-probe@…", an out-of-date or unavailable snapshot said in
//! words, and the "Go live" control where the config lets viewers probe themselves.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::config::LiveMode;
use lookout_core::monitor::page::SnapshotView;
use lookout_core::monitor::snapshot::SnapshotState;

use crate::hooks::MonitorHandle;

/// The snapshot's source line. The DOM contract is `data-snapshot` (`loading`, `current`,
/// `stale`, `unavailable`) and `data-live` (`true` while this browser probes too).
#[component]
pub fn SnapshotNotice(
    /// The page model's snapshot slice.
    #[prop(into)]
    snapshot: Signal<Option<SnapshotView>>,
    /// The monitor, for "Go live".
    monitor: MonitorHandle,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let text =
        move || snapshot.with(|s| s.as_ref().map(|s| s.notice(now.get())).unwrap_or_default());
    let state = move || snapshot.with(|s| s.as_ref().map_or(SnapshotState::Loading, |s| s.state));
    let live = move || snapshot.with(|s| s.as_ref().is_some_and(|s| s.live));
    let mode = snapshot.with_untracked(|s| s.as_ref().map_or(LiveMode::Off, |s| s.mode));
    let control = match mode {
        LiveMode::OptIn => Some(
            view! {
                <button
                    type="button"
                    class="snapshot__live"
                    data-testid="go-live"
                    aria-pressed=move || live().to_string()
                    on:click=move |_| monitor.set_live(!live())
                >
                    {move || if live() { "Back to the snapshot only" } else { "Go live" }}
                </button>
            }
            .into_any(),
        ),
        LiveMode::On => {
            Some(view! { <span class="snapshot__mode">"Live probing on"</span> }.into_any())
        }
        LiveMode::Off => None,
    };
    view! {
        <section
            class=move || format!("snapshot snapshot--{}", state().as_str())
            data-testid="snapshot"
            data-snapshot=move || state().as_str()
            data-live=move || live().to_string()
            aria-label="Data source"
            role="status"
        >
            <span class="snapshot__source" data-testid="snapshot-source">{text}</span>
            {control}
        </section>
    }
}
