//! The overall status banner at the top of the page.

use leptos::prelude::*;
use lookout_core::board::OverallView;

/// The system's status in one line, announced politely to screen readers when it changes.
#[component]
pub fn Banner(
    /// The overall status, recomputed as probes arrive.
    #[prop(into)]
    overall: Signal<OverallView>,
) -> impl IntoView {
    let status = move || overall.with(|o| o.status);
    view! {
        <section
            class=move || format!("overall status--{}", status().as_str())
            data-testid="overall"
            data-status=move || status().as_str()
            role="status"
            aria-live="polite"
        >
            <span class="overall__icon" aria-hidden="true">{move || status().icon()}</span>
            <div>
                <h2 class="overall__headline">{move || overall.with(|o| o.headline.clone())}</h2>
                <p class="overall__detail">{move || overall.with(|o| o.detail.clone())}</p>
            </div>
        </section>
    }
}
