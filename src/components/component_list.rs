//! One row per configured component: status in words and icon, reason, latency, freshness and
//! the evidence behind it.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::board::ComponentView;
use lookout_core::monitor::history::{History, Sample};
use lookout_core::monitor::stored::OWN_RECORD;

use crate::components::history_strip::{uptime_window, HistoryStrip};
use lookout_core::read::Finding;
use lookout_core::time::ago;

/// The list of components, in config order.
#[component]
pub fn ComponentList(
    /// How many components the configuration has (the list's length never changes).
    count: usize,
    /// The evaluated components.
    components: Memo<Vec<ComponentView>>,
    /// Ids of the components whose data is too old to be shown as current.
    stale: Memo<std::collections::BTreeSet<String>>,
    /// Every component's recent history.
    history: ReadSignal<History>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let rows = (0..count)
        .map(|index| {
            let component = Memo::new(move |_| components.with(|list| list.get(index).cloned()));
            let present = move || component.with(Option::is_some);
            let id = components.with_untracked(|list| list.get(index).map(|c| c.id.clone()).unwrap_or_default());
            let samples = {
                let id = id.clone();
                Signal::derive(move || history.with(|h| h.samples(&id)))
            };
            let uptime = Signal::derive(move || history.with(|h| h.uptime_percent(&id, now.get(), uptime_window())));
            let is_stale = Signal::derive(move || {
                component.with(|c| c.as_ref().is_some_and(|c| stale.with(|ids| ids.contains(&c.id))))
            });
            view! {
                <Show when=present>
                    <ComponentRow component=Signal::derive(move || component.get().unwrap_or_else(placeholder)) stale=is_stale samples=samples uptime=uptime now=now/>
                </Show>
            }
        })
        .collect_view();
    view! {
        <section class="components" aria-labelledby="components-title">
            <h2 id="components-title">"Components"</h2>
            <p class="components__note" data-testid="history-note">"History strips: "{OWN_RECORD}"."</p>
            <ul class="components__list">{rows}</ul>
        </section>
    }
}

fn placeholder() -> ComponentView {
    ComponentView {
        id: String::new(),
        name: String::new(),
        description: String::new(),
        critical: true,
        status: lookout_core::status::Status::Unknown,
        reason: String::new(),
        evidence: Vec::new(),
        checked_at: None,
        observed_at: None,
        latency_ms: None,
    }
}

/// One component: the DOM contract is `data-component` (config id) and `data-status` (one of
/// the six status ids) on the row. Each field updates in place, so an opened evidence list
/// stays open while probes arrive.
#[component]
pub fn ComponentRow(
    /// The evaluated component, updated as probes arrive.
    #[prop(into)]
    component: Signal<ComponentView>,
    /// Whether its data is too old to be shown as current.
    #[prop(into, optional)]
    stale: Signal<bool>,
    /// Its recent history, oldest first.
    #[prop(into, optional)]
    samples: Signal<Vec<Sample>>,
    /// Its uptime over the history window.
    #[prop(into, optional)]
    uptime: Signal<Option<f64>>,
    /// The ticking clock, for "checked N s ago".
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let id = component.with_untracked(|c| c.id.clone());
    let status = move || component.with(|c| c.status);
    let text =
        move |field: fn(&ComponentView) -> &str| move || component.with(|c| field(c).to_string());
    let critical = move || component.with(|c| c.critical);
    let checked = move || match component.with(|c| c.checked_at) {
        Some(at) if stale.get() => format!("stale: checked {}", ago(now.get(), at)),
        Some(at) => format!("checked {}", ago(now.get(), at)),
        None => "not checked yet".to_string(),
    };
    let latency = move || component.with(|c| c.latency_ms.map(|ms| format!("{ms} ms")));
    let evidence = move || {
        component.with(|c| {
            c.evidence
                .iter()
                .cloned()
                .map(|finding| view! { <EvidenceLine finding=finding/> })
                .collect_view()
        })
    };
    view! {
        <li
            class=move || format!("component status--{}", status().as_str())
            data-component=id
            data-status=move || status().as_str()
            data-stale=move || stale.get().to_string()
        >
            <span class="component__icon" aria-hidden="true">{move || status().icon()}</span>
            <div class="component__main">
                <h3 class="component__name">
                    {text(|c| &c.name)}
                    <Show when=move || !critical()>
                        <span class="component__tag">"non-critical"</span>
                    </Show>
                </h3>
                <p class="component__description">{text(|c| &c.description)}</p>
                <p class="component__reason">{text(|c| &c.reason)}</p>
                <HistoryStrip samples=samples uptime=uptime/>
                <details class="component__evidence">
                    <summary>"Evidence"</summary>
                    <ul>{evidence}</ul>
                </details>
            </div>
            <div class="component__meta">
                <span class="component__status">{move || status().label()}</span>
                <span class="component__latency">{latency}</span>
                <span class="component__checked">{checked}</span>
            </div>
        </li>
    }
}

/// One finding behind a status: endpoint, HTTP status, field and raw value.
#[component]
fn EvidenceLine(
    /// The finding to show.
    finding: Finding,
) -> impl IntoView {
    let evidence = finding.evidence;
    let mut source = evidence.endpoint;
    if let Some(code) = evidence.http_status {
        source.push_str(&format!(" · HTTP {code}"));
    }
    if !evidence.field.is_empty() {
        source.push_str(&format!(" · {}", evidence.field));
    }
    let raw = (!evidence.raw.is_empty()).then(|| format!(" = {}", evidence.raw));
    view! {
        <li class=format!("evidence status--{}", finding.status.as_str())>
            <span class="evidence__status">{finding.status.label()}</span>
            " "
            <code class="evidence__source">{source}{raw}</code>
            " — "
            <span class="evidence__reason">{finding.reason}</span>
        </li>
    }
}
