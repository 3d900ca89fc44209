//! How old the configuration and the updates are, what in the configuration was ignored, and
//! what the page's sources and storage mean (a shared origin, a refused history file).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::config::ConfigProblem;
use lookout_core::time::ago;

use crate::hooks::UpdatesState;

/// "Configuration read 5 min ago · updates read 12 s ago", plus the configuration's warnings.
#[component]
pub fn ConfigNotes(
    /// Unknown fields and other ignored parts of the configuration.
    warnings: Vec<ConfigProblem>,
    /// Notes about where the page reads from and what it keeps, each said once.
    notes: Vec<String>,
    /// When the configuration was read.
    read_at: DateTime<Utc>,
    /// The updates file's state.
    updates: ReadSignal<UpdatesState>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let ages = move || {
        let now = now.get();
        let updates = updates.with(|u| u.read_at).map_or_else(
            || "not read yet".to_string(),
            |at| format!("read {}", ago(now, at)),
        );
        format!(
            "Configuration read {} · updates {updates}",
            ago(now, read_at)
        )
    };
    let count = warnings.len();
    let items = warnings
        .into_iter()
        .map(|warning| view! { <li><code>{warning.path}</code>": "{warning.message}</li> })
        .collect_view();
    view! {
        <section class="config-notes" aria-label="About this page's data" data-testid="config-notes">
            <p>{ages}</p>
            {notes.into_iter().map(|note| view! { <p class="config-notes__note" data-testid="config-note">{note}</p> }).collect_view()}
            {(count > 0).then(|| view! {
                <details class="config-notes__warnings" data-testid="config-warnings">
                    <summary>{format!("{count} configuration warning{} (ignored)", if count == 1 { "" } else { "s" })}</summary>
                    <ul>{items}</ul>
                </details>
            })}
        </section>
    }
}
