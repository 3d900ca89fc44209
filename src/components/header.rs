//! The incident's title block.

use leptos::prelude::*;
use lookout_core::config::Incident;

/// Title, id, priority and summary of the incident.
#[component]
pub fn Header(
    /// The incident from the configuration.
    incident: Incident,
) -> impl IntoView {
    let label = if incident.priority.is_empty() {
        format!("Incident #{}", incident.id)
    } else {
        format!("Incident #{} · {}", incident.id, incident.priority)
    };
    view! {
        <header class="header">
            <p class="header__label">{label}</p>
            <h1 class="header__title">{incident.title}</h1>
            <p class="header__summary">{incident.summary}</p>
        </header>
    }
}
