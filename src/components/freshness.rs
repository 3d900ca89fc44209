//! How fresh the page is: last update, countdown to the next probe, a refresh control, and the
//! offline notice.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::monitor::page::Freshness as FreshnessView;
use lookout_core::time::ago;

use crate::format::local_time;
use crate::hooks::MonitorHandle;

/// "Updated 4 s ago · next check in 26 s · Refresh now", or why probing is paused.
#[component]
pub fn Freshness(
    /// The page model's freshness.
    #[prop(into)]
    freshness: Signal<FreshnessView>,
    /// The monitor, for "Refresh now".
    monitor: MonitorHandle,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let updated = move || match freshness.with(|f| f.last_probe_at) {
        Some(at) => format!("Updated {}", ago(now.get(), at)),
        None => "Checking…".to_string(),
    };
    let next = move || {
        freshness.with(|f| {
            if f.offline_since.is_some() {
                return String::new();
            }
            let seconds = f.next_probe_at.map(|at| (at - now.get()).num_seconds());
            match seconds {
                Some(seconds) if seconds > 0 => format!("next check in {seconds} s"),
                _ => "checking now".to_string(),
            }
        })
    };
    let offline = move || {
        freshness.with(|f| {
            f.offline_since.map(|since| {
                let shown = f.last_probe_at.unwrap_or(since);
                format!(
                    "You are offline: showing data from {}. Probing resumes when you are back online.",
                    local_time(shown)
                )
            })
        })
    };
    view! {
        <section class="freshness" aria-label="Data freshness">
            <span class="freshness__updated" data-testid="updated">{updated}</span>
            <span class="freshness__next" data-testid="next-check">{next}</span>
            <button type="button" class="freshness__refresh" on:click=move |_| monitor.refresh_now()>
                "Refresh now"
            </button>
            {move || offline().map(|text| view! { <p class="freshness__offline" role="status" data-testid="offline">{text}</p> })}
        </section>
    }
}
