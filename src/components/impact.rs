//! The business impact: what is at risk, what is blocked and for how long, and what the delay
//! costs, with one sentence a director can forward.

use leptos::prelude::*;
use lookout_core::incident::impact::ImpactView;
use lookout_core::time::duration;

/// The impact section; areas carry `data-area` (config id) and `data-state`.
#[component]
pub fn ImpactSection(
    /// The live impact.
    #[prop(into)]
    impact: Signal<Option<ImpactView>>,
    /// The sentence for a director, forwardable as it is.
    #[prop(into)]
    sentence: Signal<String>,
) -> impl IntoView {
    let figure = move |read: fn(&ImpactView) -> Option<String>| {
        move || impact.with(|i| i.as_ref().and_then(read))
    };
    let areas = move || {
        impact.with(|i| {
            i.iter()
                .flat_map(|i| i.areas.iter())
                .map(|area| {
                    let blocked_for = area.impaired_seconds.map(|s| format!("for {}", duration(s)));
                    view! {
                        <li class=format!("area area--{}", area.state.as_str()) data-area=area.id.clone() data-state=area.state.as_str()>
                            <span class="area__state">{area.state.label()}</span>
                            <span class="area__name">{area.name.clone()}</span>
                            <span class="area__reason">{area.reason.clone()}</span>
                            {blocked_for.map(|text| view! { <span class="area__for">{text}</span> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || impact.with(Option::is_some)>
            <section class="impact" aria-labelledby="impact-title" data-testid="impact">
                <h2 id="impact-title">"Business impact"</h2>
                <p class="impact__sentence" data-testid="director-sentence">{sentence}</p>
                <dl class="impact__figures">
                    <div>
                        <dt>"ARR at risk"</dt>
                        <dd data-testid="arr">{figure(|i| i.arr.as_ref().map(|a| a.label.clone()))}</dd>
                    </div>
                    <div>
                        <dt>"Pipeline blocked"</dt>
                        <dd>{figure(|i| i.pipeline_blocked_percent.map(|p| format!("{p:.0}%")))}</dd>
                    </div>
                    <div>
                        <dt>"Impaired for"</dt>
                        <dd data-testid="impaired-for">
                            {figure(|i| Some(i.impaired_seconds.map(duration).unwrap_or_else(|| "not impaired".to_string())))}
                        </dd>
                    </div>
                    <div>
                        <dt>"Cost of delay"</dt>
                        <dd title=figure(|i| i.cost_of_delay.as_ref().map(|c| c.assumption.clone()))>
                            {figure(|i| Some(i.cost_of_delay.as_ref().map_or_else(|| "not configured".to_string(), |c| c.text.clone())))}
                        </dd>
                    </div>
                </dl>
                <ul class="impact__areas">{areas}</ul>
            </section>
        </Show>
    }
}
