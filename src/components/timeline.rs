//! Where the incident is in its phases, against the estimates; when resolution is expected;
//! when the next stakeholder update is due; and the updates feed, newest first.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::config::sections::safe_href;
use lookout_core::incident::timeline::TimelineView;
use lookout_core::incident::updates::{CadenceView, UpdateView};
use lookout_core::time::{duration, window};

use crate::components::moment::Moment;
use crate::hooks::UpdatesState;

/// Phases with their estimates, the ETA window and the update cadence.
#[component]
pub fn TimelineSection(
    /// The live timeline, if configured.
    #[prop(into)]
    timeline: Signal<Option<TimelineView>>,
    /// The update cadence, if configured.
    #[prop(into)]
    cadence: Signal<Option<CadenceView>>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let phases = move || {
        timeline.with(|t| {
            t.iter()
                .flat_map(|t| t.phases.iter())
                .map(|phase| {
                    let spent = phase.spent_seconds.map(|s| format!("{} spent", duration(s)));
                    let against = phase.estimate_state.map(|e| e.label());
                    view! {
                        <li
                            class=format!("phase phase--{}", phase.progress.as_str())
                            data-phase=phase.id.clone()
                            data-progress=phase.progress.as_str()
                            data-estimate=phase.estimate_state.map(|e| e.as_str())
                        >
                            <span class="phase__name">{phase.name.clone()}</span>
                            <span class="phase__estimate">{format!("estimate {}", phase.estimate)}</span>
                            {spent.map(|text| view! { <span class="phase__spent">{text}</span> })}
                            {against.map(|text| view! { <span class="phase__against">{text}</span> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let eta = move || {
        timeline.with(|t| {
            t.as_ref()?.eta.map(|eta| {
                format!(
                    "Resolution expected {}",
                    window(eta.earliest, eta.latest, now.get())
                )
            })
        })
    };
    let overall_state =
        move || timeline.with(|t| t.as_ref().and_then(|t| t.overall_state).map(|s| s.as_str()));
    view! {
        <Show when=move || timeline.with(Option::is_some) || cadence.with(Option::is_some)>
            <section class="timeline" aria-labelledby="timeline-title" data-testid="timeline">
                <h2 id="timeline-title">"Timeline"</h2>
                <p class="timeline__summary" data-estimate=overall_state>
                    {move || timeline.with(|t| t.as_ref().map(|t| t.summary.clone()))}
                </p>
                <p class="timeline__eta" data-testid="eta">{eta}</p>
                <ol class="timeline__phases">{phases}</ol>
                {move || {
                    cadence
                        .get()
                        .map(|c| {
                            view! {
                                <p class=format!("cadence cadence--{}", c.state.as_str()) data-testid="cadence" data-state=c.state.as_str()>
                                    {c.text.clone()}
                                    {c.due_at.map(|at| view! { " · due " <Moment at=at now=now/> })}
                                </p>
                            }
                        })
                }}
            </section>
        </Show>
    }
}

/// The status updates, newest first, with a note when the file could not be read.
#[component]
pub fn UpdatesFeed(
    /// The updates, newest first.
    #[prop(into)]
    feed: Signal<Vec<UpdateView>>,
    /// The file's state (errors, age).
    updates: ReadSignal<UpdatesState>,
    /// The ticking clock.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let items = move || {
        feed.get()
            .into_iter()
            .map(|update| {
                let phase = update.phase_name.clone().map(|p| format!("phase: {p}"));
                view! {
                    <li class="update">
                        <p class="update__meta">
                            <Moment at=update.at now=now/>
                            " · "
                            {update.author.clone()}
                            {(!update.team.is_empty()).then(|| format!(" ({})", update.team))}
                            {phase.map(|p| view! { " · " <span class="update__phase">{p}</span> })}
                        </p>
                        <p class="update__text">{update.text.clone()}</p>
                        <ul class="update__links">
                            {update
                                .links
                                .iter()
                                .map(|link| {
                                    // Only http(s) and relative URLs become links; anything else
                                    // is shown as text, never made clickable.
                                    match safe_href(&link.url) {
                                        Some(href) => view! {
                                            <li>
                                                <a href=href.to_string() target="_blank" rel="noopener noreferrer">
                                                    {link.label.clone()}
                                                </a>
                                            </li>
                                        }
                                        .into_any(),
                                        None => view! {
                                            <li class="update__link--unsafe">
                                                {format!("{} (link not shown: {} is not an http(s) URL)", link.label, link.url)}
                                            </li>
                                        }
                                        .into_any(),
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </li>
                }
            })
            .collect_view()
    };
    let problems = move || {
        updates.with(|state| {
            let mut notes: Vec<String> = state.problems.iter().map(|p| p.to_string()).collect();
            if let Some(error) = &state.error {
                notes.insert(
                    0,
                    format!("The updates file could not be refreshed: {error}"),
                );
            }
            notes
                .into_iter()
                .map(|note| view! { <li>{note}</li> })
                .collect_view()
        })
    };
    view! {
        <section class="updates" aria-labelledby="updates-title" data-testid="updates">
            <h2 id="updates-title">"Updates"</h2>
            <ul class="updates__problems" data-testid="updates-problems">{problems}</ul>
            <Show when=move || feed.with(|f| !f.is_empty()) fallback=|| view! { <p class="updates__empty">"No updates posted yet."</p> }>
                <ol class="updates__list">{items}</ol>
            </Show>
        </section>
    }
}
