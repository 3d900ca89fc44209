//! How fresh the page is: last update, countdown to the next probe, a refresh control, and the
//! offline notice.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::time::ago;

use crate::format::local_time;
use crate::hooks::Probing;

/// "Updated 4 s ago · next check in 26 s · Refresh now", or why probing is paused.
#[component]
pub fn Freshness(
    /// The probing state.
    probing: Probing,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let updated = move || match probing.last_probe_at.get() {
        Some(at) => format!("Updated {}", ago(now.get(), at)),
        None => "Checking…".to_string(),
    };
    let next = move || {
        if probing.offline_since.get().is_some() {
            return String::new();
        }
        match probing.next_probe_in.get() {
            Some(seconds) if seconds > 0 => format!("next check in {seconds} s"),
            _ => "checking now".to_string(),
        }
    };
    let offline = move || {
        probing.offline_since.get().map(|since| {
            let shown = probing.last_probe_at.get().unwrap_or(since);
            format!(
                "You are offline: showing data from {}. Probing resumes when you are back online.",
                local_time(shown)
            )
        })
    };
    view! {
        <section class="freshness" aria-label="Data freshness">
            <span class="freshness__updated" data-testid="updated">{updated}</span>
            <span class="freshness__next" data-testid="next-check">{next}</span>
            <button type="button" class="freshness__refresh" on:click=move |_| probing.refresh_now()>
                "Refresh now"
            </button>
            {move || offline().map(|text| view! { <p class="freshness__offline" role="status" data-testid="offline">{text}</p> })}
        </section>
    }
}
