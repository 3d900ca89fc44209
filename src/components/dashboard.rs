//! The loaded page: starts the hooks, derives every view from the domain crate, and lays out
//! the sections in the order stakeholders ask: is it back, how close, what does it cost, when.

use std::sync::Arc;

use leptos::prelude::*;
use lookout_core::board::{overall, Board, ComponentView};
use lookout_core::config::LiveMode;
use lookout_core::incident::actions;
use lookout_core::incident::criteria::CriterionView;
use lookout_core::incident::digest::{director_sentence, markdown, DigestInputs};
use lookout_core::incident::impact::ImpactTracker;
use lookout_core::incident::timeline;
use lookout_core::incident::updates::{cadence, feed};
use lookout_core::monitor::schedule::stale_components;
use lookout_core::monitor::snapshot::{self, SnapshotState};

use crate::api::{self, LoadedConfig};
use crate::components::actions::ActionItems;
use crate::components::banner::Banner;
use crate::components::component_list::ComponentList;
use crate::components::config_notes::ConfigNotes;
use crate::components::criteria::CriteriaSection;
use crate::components::digest::CopyDigest;
use crate::components::embed::EmbedSummary;
use crate::components::freshness::Freshness;
use crate::components::header::Header;
use crate::components::impact::ImpactSection;
use crate::components::snapshot_notice::SnapshotNotice;
use crate::components::theme_toggle::ThemeToggle;
use crate::components::timeline::{TimelineSection, UpdatesFeed};
use crate::hooks::{use_history, use_now, use_probes, use_snapshot, use_updates, Theme};

/// The `localStorage` key remembering that a viewer chose "Go live" for an incident.
pub fn live_key(incident: &str) -> String {
    format!("lookout.live.{incident}")
}

/// Everything shown once a valid configuration is loaded.
#[component]
pub fn Dashboard(
    /// The validated runtime configuration, its warnings and when it was read.
    loaded: LoadedConfig,
    /// Where the configuration was read from; the updates file is resolved against it.
    config_url: String,
    /// The compact layout for a wiki iframe.
    embed: bool,
    /// The colour theme.
    theme: ReadSignal<Theme>,
    /// Changes the colour theme.
    set_theme: WriteSignal<Theme>,
) -> impl IntoView {
    let LoadedConfig {
        config,
        warnings,
        read_at: config_read_at,
    } = loaded;
    let config = Arc::new(config);
    // The view below is mounted synchronously after this function returns.
    api::timing_end(api::timing::FIRST_RENDER, true);
    let now = use_now();
    // With a published snapshot, the page reads it first; this browser probes only where the
    // config allows it and (for "opt_in") the viewer chose to.
    let source = config.snapshot.clone();
    let mode = source.as_ref().map(|s| s.live);
    let key = live_key(&config.incident.id);
    let live = RwSignal::new(match mode {
        None | Some(LiveMode::On) => true,
        Some(LiveMode::Off) => false,
        Some(LiveMode::OptIn) => api::storage_get(&key).as_deref() == Some("1"),
    });
    if mode == Some(LiveMode::OptIn) {
        Effect::new(move |_| {
            if live.get() {
                let _ = api::storage_set(&key, "1");
            } else {
                api::storage_remove(&key);
            }
        });
    }
    let probing = use_probes(config.clone(), live.into());
    let published = source.as_ref().map(|s| {
        use_snapshot(
            api::resolve_url(&s.url, &config_url),
            config.incident.id.clone(),
        )
    });
    let max_age = source.as_ref().map_or(0, |s| s.max_age_seconds);
    let snapshot_state = Memo::new(move |_| match published {
        None => SnapshotState::Current,
        Some(feed) => feed
            .with(|f| snapshot::state(f.snapshot.as_ref(), f.error.is_some(), now.get(), max_age)),
    });
    // What the sections show: the live board, the snapshot's, or the snapshot's overlaid with
    // this browser's newer probes.
    // Without a snapshot the sections read the probing hook's board itself: a memo would clone
    // and compare the whole board on every probe.
    let board: Signal<Board> = match published {
        None => probing.board.into(),
        Some(feed) => Memo::new(move |_| {
            let board = feed.with(|f| f.snapshot.as_ref().map(|s| s.board.clone()));
            let board = board.unwrap_or_default();
            if live.get() {
                probing.board.with(|own| board.overlaid(own))
            } else {
                board
            }
        })
        .into(),
    };
    // Only the snapshot speaks: it is the whole truth on the page, stale or not.
    let snapshot_only = move || published.is_some() && !live.get();
    let updates_file = config
        .communication
        .as_ref()
        .map_or_else(|| "updates.json".to_string(), |c| c.updates_file.clone());
    let updates = use_updates(api::resolve_url(&updates_file, &config_url));

    let components: Memo<Vec<ComponentView>> = {
        let config = config.clone();
        Memo::new(move |_| board.with(|board| board.components(&config)))
    };
    let overall = Memo::new(move |_| {
        let computed = components.with(|list| overall(list));
        let Some(feed) = published.filter(|_| snapshot_only()) else {
            return computed;
        };
        feed.with(|f| match &f.snapshot {
            Some(published) => snapshot::banner(published, snapshot_state.get()),
            None => computed,
        })
    });
    let published_history = config
        .probing
        .history_url
        .as_deref()
        .map(|url| api::resolve_url(url, &config_url));
    let history = use_history(config.incident.id.clone(), components, published_history);
    let stale = {
        let config = config.clone();
        Memo::new(move |_| {
            if snapshot_only() {
                // A snapshot's rows are as fresh as the snapshot: all stale or none.
                return match snapshot_state.get() {
                    SnapshotState::Stale => {
                        components.with(|views| views.iter().map(|v| v.id.clone()).collect())
                    }
                    _ => Default::default(),
                };
            }
            components.with(|views| {
                probing
                    .schedule
                    .with(|schedule| stale_components(&config, views, schedule, now.get()))
            })
        })
    };
    let criteria: Memo<Vec<CriterionView>> = Memo::new(move |_| {
        probing.board.track();
        let now = now.get();
        let own_probes = probing.board.with(|b| !b.is_empty());
        if let Some(feed) = published.filter(|_| snapshot_only() || !own_probes) {
            return feed.with(|f| {
                f.snapshot
                    .as_ref()
                    .map(|s| s.criteria.clone())
                    .unwrap_or_default()
            });
        }
        probing
            .criteria
            .try_update_value(|tracker| tracker.evaluate(now))
            .unwrap_or_default()
    });
    let impact_tracker = StoredValue::new(ImpactTracker::new(&config));
    let impact = {
        let configured = config.impact.is_some();
        Memo::new(move |_| {
            let now = now.get();
            configured
                .then(|| {
                    components.with(|components| {
                        criteria.with(|criteria| {
                            impact_tracker
                                .try_update_value(|t| t.evaluate(components, criteria, now))
                        })
                    })
                })
                .flatten()
        })
    };
    let timeline = {
        let config = config.clone();
        Memo::new(move |_| updates.with(|u| timeline::evaluate(&config, &u.updates, now.get())))
    };
    let cadence = {
        let config = config.clone();
        Memo::new(move |_| updates.with(|u| cadence(&config, &u.updates, now.get())))
    };
    let feed = {
        let config = config.clone();
        Memo::new(move |_| updates.with(|u| feed(&u.updates, &config)))
    };
    let actions = {
        let config = config.clone();
        Memo::new(move |_| components.with(|c| actions::join(&config.action_items, c)))
    };
    let snapshot_text = {
        let config = config.clone();
        move |render: fn(&DigestInputs, chrono::DateTime<chrono::Utc>) -> String| {
            let now = now.get();
            overall.with(|overall| {
                components.with(|components| {
                    criteria.with(|criteria| {
                        impact.with(|impact| {
                            timeline.with(|timeline| {
                                cadence.with(|cadence| {
                                    feed.with(|feed| {
                                        let snapshot = DigestInputs {
                                            incident: &config.incident,
                                            overall,
                                            components,
                                            criteria,
                                            impact: impact.as_ref(),
                                            timeline: timeline.as_ref(),
                                            cadence: cadence.as_ref(),
                                            latest_update: feed.first(),
                                        };
                                        render(&snapshot, now)
                                    })
                                })
                            })
                        })
                    })
                })
            })
        }
    };
    let sentence = {
        let snapshot_text = snapshot_text.clone();
        Signal::derive(move || snapshot_text(director_sentence))
    };
    let digest = Callback::new(move |()| snapshot_text(markdown));

    let interval = config.probing.interval_seconds;
    if embed {
        return view! {
            <EmbedSummary
                title=config.incident.title.clone()
                overall=overall
                components=components
                criteria=criteria
                cadence=cadence
            />
        }
        .into_any();
    }
    view! {
        <ThemeToggle theme=theme set_theme=set_theme/>
        <Header incident=config.incident.clone()/>
        <Banner overall=overall/>
        {published.zip(mode).map(|(feed, mode)| view! {
            <SnapshotNotice feed=feed state=snapshot_state max_age_seconds=max_age mode=mode live=live now=now/>
        })}
        <Show when=move || live.get()>
            <Freshness probing=probing now=now/>
        </Show>
        <CopyDigest markdown=digest/>
        <CriteriaSection criteria=criteria now=now/>
        <ImpactSection impact=impact sentence=sentence/>
        <TimelineSection timeline=timeline cadence=cadence now=now/>
        <ComponentList count=config.components.len() components=components stale=stale history=history now=now/>
        <ActionItems actions=actions/>
        <UpdatesFeed feed=feed updates=updates now=now/>
        <ConfigNotes warnings=warnings read_at=config_read_at updates=updates now=now/>
        <footer class="footer">
            <p>
                {move || if snapshot_only() {
                    "Read from a snapshot published by one prober, so viewers cost the backend nothing. ".to_string()
                } else {
                    format!("Probed from your browser every {interval} s, less often while an endpoint keeps failing. ")
                }}
                "Statuses are read from the endpoints' own answers; a probe that fails is shown as unknown with its reason."
            </p>
        </footer>
    }
    .into_any()
}
