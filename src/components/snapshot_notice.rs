//! Where the page's data comes from when the config names a published snapshot: "Snapshot from
//! 12:00 UTC (40 s ago) by lookout-probe@…", an out-of-date or unavailable snapshot said in
//! words, and the "Go live" control where the config lets viewers probe themselves.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::config::LiveMode;
use lookout_core::monitor::snapshot::{describe, SnapshotState};

use crate::hooks::SnapshotFeed;

/// The snapshot's source line. The DOM contract is `data-snapshot` (`loading`, `current`,
/// `stale`, `unavailable`) and `data-live` (`true` while this browser probes too).
#[component]
pub fn SnapshotNotice(
    /// The snapshot as last read.
    feed: ReadSignal<SnapshotFeed>,
    /// Where it stands now.
    #[prop(into)]
    state: Signal<SnapshotState>,
    /// The configured limit, in seconds.
    max_age_seconds: u32,
    /// What the config allows.
    mode: LiveMode,
    /// Whether this browser probes live.
    live: RwSignal<bool>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let text = move || {
        feed.with(|feed| {
            let failed = feed
                .error
                .as_ref()
                .map(|why| format!(" The latest read failed: {why}."))
                .unwrap_or_default();
            match (state.get(), feed.snapshot.as_ref()) {
                (SnapshotState::Current, Some(snapshot)) => {
                    format!("{}.{failed}", describe(snapshot, now.get()))
                }
                (SnapshotState::Stale, Some(snapshot)) => format!(
                    "Out of date: {}, older than {max_age_seconds} s, so it is not shown as the current status.{failed}",
                    describe(snapshot, now.get())
                ),
                (SnapshotState::Unavailable, _) | (_, None) if feed.error.is_some() => format!(
                    "Snapshot status unknown: {}",
                    feed.error.clone().unwrap_or_default()
                ),
                _ => "Reading the published snapshot…".to_string(),
            }
        })
    };
    let control = match mode {
        LiveMode::OptIn => Some(
            view! {
                <button
                    type="button"
                    class="snapshot__live"
                    data-testid="go-live"
                    aria-pressed=move || live.get().to_string()
                    on:click=move |_| live.update(|on| *on = !*on)
                >
                    {move || if live.get() { "Back to the snapshot only" } else { "Go live" }}
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
            class=move || format!("snapshot snapshot--{}", state.get().as_str())
            data-testid="snapshot"
            data-snapshot=move || state.get().as_str()
            data-live=move || live.get().to_string()
            aria-label="Data source"
            role="status"
        >
            <span class="snapshot__source" data-testid="snapshot-source">{text}</span>
            {control}
        </section>
    }
}
