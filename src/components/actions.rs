//! The P0 action items per owner, each with the live status of the components it concerns.

use leptos::prelude::*;
use lookout_core::incident::actions::{by_owner, ActionView};

/// Action items grouped by owner team; items carry `data-action` and `data-state`.
#[component]
pub fn ActionItems(
    /// The action items joined with live component status.
    #[prop(into)]
    actions: Signal<Vec<ActionView>>,
) -> impl IntoView {
    let groups = move || {
        actions.with(|views| {
            by_owner(views)
                .into_iter()
                .map(|(owner, items)| {
                    let items = items
                        .into_iter()
                        .cloned()
                        .map(|item| view! { <ActionItem item=item/> })
                        .collect_view();
                    view! {
                        <div class="actions__group">
                            <h3>{owner}</h3>
                            <ul>{items}</ul>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || actions.with(|a| !a.is_empty())>
            <section class="actions" aria-labelledby="actions-title" data-testid="actions">
                <h2 id="actions-title">"Action items"</h2>
                {groups}
            </section>
        </Show>
    }
}

#[component]
fn ActionItem(item: ActionView) -> impl IntoView {
    let components = item
        .components
        .iter()
        .map(|c| {
            view! {
                <li class=format!("status--{}", c.status.as_str()) data-status=c.status.as_str()>
                    <span aria-hidden="true">{c.status.icon()}</span>
                    " "
                    {c.name.clone()}
                    ": "
                    {c.status.label()}
                </li>
            }
        })
        .collect_view();
    let checklist = item
        .checklist
        .iter()
        .map(|step| {
            let mark = if step.done { "☑" } else { "☐" };
            let state = if step.done { "done" } else { "to do" };
            view! {
                <li class:done=step.done>
                    <span aria-label=state>{mark}</span>
                    " "
                    {step.text.clone()}
                </li>
            }
        })
        .collect_view();
    let evidence = item
        .evidence
        .iter()
        .map(|e| view! { <li>{e.clone()}</li> })
        .collect_view();
    view! {
        <li class=format!("action action--{}", item.state.as_str()) data-action=item.id.clone() data-state=item.state.as_str()>
            <p class="action__title">
                <span class="action__priority">{item.priority.clone()}</span>
                " "
                {item.title.clone()}
                {(!item.resource.is_empty()).then(|| view! { " " <code>{item.resource.clone()}</code> })}
            </p>
            <p class="action__summary">{item.summary.clone()}</p>
            <ul class="action__components">{components}</ul>
            <details>
                <summary>{format!("Problem, evidence and checklist ({}/{} done)", item.done_steps, item.checklist.len())}</summary>
                <p>{item.problem.clone()}</p>
                <ul class="action__evidence">{evidence}</ul>
                <ul class="action__checklist">{checklist}</ul>
            </details>
        </li>
    }
}
