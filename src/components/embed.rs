//! The compact layout for a wiki iframe (about 600×300): the banner, "k of N criteria met", one
//! line per component, when the next update is due, and a link to the full page in a new tab.

use leptos::prelude::*;
use lookout_core::board::{ComponentView, OverallView};
use lookout_core::incident::criteria::{tally, CriterionView};
use lookout_core::incident::updates::CadenceView;

/// The full page's URL: this one without `embed`.
fn full_page_url() -> String {
    let location = window().location();
    let href = location.href().unwrap_or_default();
    web_sys::Url::new(&href)
        .map(|url| {
            url.search_params().delete("embed");
            url.href()
        })
        .unwrap_or(href)
}

/// The embed's whole content.
#[component]
pub fn EmbedSummary(
    /// The incident's title.
    title: String,
    /// The banner.
    #[prop(into)]
    overall: Signal<OverallView>,
    /// The components.
    components: Memo<Vec<ComponentView>>,
    /// The criteria.
    #[prop(into)]
    criteria: Signal<Vec<CriterionView>>,
    /// The update cadence, if configured.
    #[prop(into)]
    cadence: Signal<Option<CadenceView>>,
) -> impl IntoView {
    let status = move || overall.with(|o| o.status);
    let lines = move || {
        components.with(|list| {
            list.iter()
                .map(|c| {
                    view! {
                        <li class=format!("embed__component status--{}", c.status.as_str()) data-component=c.id.clone() data-status=c.status.as_str()>
                            <span class="embed__icon" aria-hidden="true">{c.status.icon()}</span>
                            <span class="embed__name">{c.name.clone()}</span>
                            <span class="embed__status">{c.status.label()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="embed__summary">
            <div
                class=move || format!("embed__banner status--{}", status().as_str())
                data-testid="overall"
                data-status=move || status().as_str()
                role="status"
                aria-live="polite"
            >
                <span class="overall__icon" aria-hidden="true">{move || status().icon()}</span>
                <div>
                    <h1 class="embed__headline">{move || overall.with(|o| o.headline.clone())}</h1>
                    <p class="embed__title">{title}</p>
                </div>
            </div>
            <p class="embed__criteria" data-testid="criteria-tally">{move || criteria.with(|c| tally(c).to_string())}</p>
            <ul class="embed__components">{lines}</ul>
            <p class="embed__footer">
                <span data-testid="cadence">{move || cadence.with(|c| c.as_ref().map(|c| c.text.clone()))}</span>
                <a href=full_page_url() target="_blank" rel="noopener noreferrer" data-testid="open-full">"Open full status ↗"</a>
            </p>
        </section>
    }
}
