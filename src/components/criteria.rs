//! The incident's success criteria: "k of N met", one row each with its progress and evidence.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::incident::criteria::{tally, CriterionState, CriterionView, EvidenceItem};
use lookout_core::time::ago;

/// The criteria section. Rows carry `data-criterion` (config id), `data-met` and
/// `data-progress` (0–100) for automation.
#[component]
pub fn CriteriaSection(
    /// The evaluated criteria, in config order.
    #[prop(into)]
    criteria: Signal<Vec<CriterionView>>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let count = criteria.with_untracked(Vec::len);
    let heading = move || criteria.with(|views| tally(views).to_string());
    let rows = (0..count)
        .map(|index| {
            let criterion = Memo::new(move |_| criteria.with(|views| views.get(index).cloned()));
            let present = move || criterion.with(Option::is_some);
            let id =
                criterion.with_untracked(|c| c.as_ref().map(|c| c.id.clone()).unwrap_or_default());
            view! {
                <Show when=present>
                    <CriterionRow id=id.clone() criterion=criterion now=now/>
                </Show>
            }
        })
        .collect_view();
    view! {
        <section class="criteria" aria-labelledby="criteria-title" data-testid="criteria">
            <h2 id="criteria-title">
                "Success criteria: "
                <span data-testid="criteria-tally">{heading}</span>
            </h2>
            <ol class="criteria__list">{rows}</ol>
        </section>
    }
}

/// One criterion; every field updates in place so an opened evidence list stays open.
#[component]
fn CriterionRow(
    id: String,
    criterion: Memo<Option<CriterionView>>,
    #[prop(into)] now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let field = move |read: fn(&CriterionView) -> String| {
        move || criterion.with(|c| c.as_ref().map(read).unwrap_or_default())
    };
    let state = move || criterion.with(|c| c.as_ref().map_or(CriterionState::Unknown, |c| c.state));
    let progress = move || criterion.with(|c| c.as_ref().map_or(0, |c| c.progress.min(100)));
    let met = move || criterion.with(|c| c.as_ref().is_some_and(|c| c.met));
    let since = move || {
        criterion.with(|c| {
            let c = c.as_ref()?;
            match (c.met_since, c.since) {
                (Some(at), _) => Some(format!("met since {}", ago(now.get(), at))),
                (None, Some(at)) => Some(format!("not met, as of {}", ago(now.get(), at))),
                _ => None,
            }
        })
    };
    let evidence = move || {
        criterion.with(|c| {
            c.iter()
                .flat_map(|c| c.evidence.iter().cloned())
                .map(|item| view! { <CriterionEvidence item=item/> })
                .collect_view()
        })
    };
    view! {
        <li
            class=move || format!("criterion criterion--{}", state().as_str())
            data-criterion=id
            data-met=move || met().to_string()
            data-progress=move || progress().to_string()
        >
            <span class="criterion__icon" aria-hidden="true">{move || state().icon()}</span>
            <div class="criterion__main">
                <h3 class="criterion__title">{field(|c| c.title.clone())}</h3>
                <p class="criterion__summary">{field(|c| c.summary.clone())}</p>
                <progress
                    class="criterion__progress"
                    max="100"
                    value=progress
                    aria-label=field(|c| format!("Progress of: {}", c.title))
                ></progress>
                <details class="criterion__evidence">
                    <summary>"Evidence"</summary>
                    <ul>{evidence}</ul>
                </details>
            </div>
            <div class="criterion__meta">
                <span class="criterion__state">{move || state().label()}</span>
                <span class="criterion__percent">{move || format!("{}%", progress())}</span>
                <span class="criterion__since">{since}</span>
            </div>
        </li>
    }
}

#[component]
fn CriterionEvidence(item: EvidenceItem) -> impl IntoView {
    let mut source = item.subject;
    if !item.field.is_empty() {
        source.push_str(&format!(" · {}", item.field));
    }
    if !item.raw.is_empty() {
        source.push_str(&format!(" = {}", item.raw));
    }
    view! {
        <li class=format!("evidence criterion--{}", item.state.as_str())>
            <span class="evidence__status">{item.state.label()}</span>
            " "
            <code>{source}</code>
            " — "
            {item.text}
        </li>
    }
}
