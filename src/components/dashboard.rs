//! The loaded page: starts the monitor's driver and lays out the page model's sections in the
//! order stakeholders ask: is it back, how close, what does it cost, when. It decides nothing;
//! each section reads its own slice of the model.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use lookout_core::config::sources::{shared_origin_note, SourceRole, Sources};
use lookout_core::incident::digest::{director_sentence, markdown, DigestInputs};
use lookout_core::monitor::stored::{storage_key, StoredItem};

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
use crate::components::notify_toggle::NotifyToggle;
use crate::components::snapshot_notice::SnapshotNotice;
use crate::components::theme_toggle::ThemeToggle;
use crate::components::timeline::{TimelineSection, UpdatesFeed};
use crate::hooks::{use_history, use_monitor, use_notify, use_now, use_tab, Theme};

/// Everything shown once a valid configuration is loaded.
#[component]
pub fn Dashboard(
    /// The validated runtime configuration, its warnings and when it was read.
    loaded: LoadedConfig,
    /// Where the configuration was read from; the updates file is resolved against it.
    config_url: String,
    /// The configuration's URL when it is not the page's own `lookout.json`.
    other_config: Option<String>,
    /// Where this page may read files from.
    sources: Sources,
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
    let monitor = use_monitor(config.clone(), &config_url, &sources);
    let model = monitor.model;
    // Each section reads its own signal, written only when that section changed.
    let overall = model.banner;
    use_tab(config.incident.clone(), overall.into());
    let components = Memo::new(move |_| {
        model.rows.with(|rows| {
            rows.iter()
                .map(|row| row.component.clone())
                .collect::<Vec<_>>()
        })
    });
    let stale = Memo::new(move |_| {
        model.rows.with(|rows| {
            let stale = rows.iter().filter(|row| row.stale);
            stale
                .map(|row| row.component.id.clone())
                .collect::<BTreeSet<_>>()
        })
    });
    let (criteria, impact, timeline) = (model.criteria, model.impact, model.timeline);
    let (cadence, feed, actions) = (model.cadence, model.updates, model.actions);
    let (freshness, snapshot) = (model.freshness, model.snapshot);
    let published_history = config
        .probing
        .history_url
        .as_deref()
        .map(|url| api::admitted_url(&sources, SourceRole::History, url, &config_url));
    let mut notes: Vec<String> = shared_origin_note(&api::page_url()).into_iter().collect();
    if let Some(Err(refused)) = &published_history {
        notes.push(refused.to_string());
    }
    notes.extend(
        sources
            .ignored()
            .iter()
            .map(|why| format!("An allowed source listed in index.html is ignored: {why}")),
    );
    let history_key = storage_key(
        sources.directory_path(),
        &config.incident.id,
        StoredItem::History,
    );
    let history = use_history(
        history_key,
        config.incident.id.clone(),
        components,
        published_history.and_then(Result::ok),
    );
    let source_line = other_config.map(|url| {
        view! {
            <p class="config-source" data-testid="config-source">
                "This page reads the incident from "<code>{url}</code>", not from its own lookout.json."
            </p>
        }
    });
    let incident = config.incident.clone();
    let snapshot_text =
        move |render: fn(&DigestInputs, chrono::DateTime<chrono::Utc>) -> String| {
            let now = now.get();
            let (impact, timeline, cadence) = (impact.read(), timeline.read(), cadence.read());
            let (overall, criteria, feed) = (overall.read(), criteria.read(), feed.read());
            components.with(|components| {
                let inputs = DigestInputs {
                    incident: &incident,
                    overall: &overall,
                    components,
                    criteria: &criteria,
                    impact: impact.as_ref(),
                    timeline: timeline.as_ref(),
                    cadence: cadence.as_ref(),
                    latest_update: feed.first(),
                };
                render(&inputs, now)
            })
        };
    let sentence = {
        let snapshot_text = snapshot_text.clone();
        Signal::derive(move || snapshot_text(director_sentence))
    };
    let digest = Callback::new(move |()| snapshot_text(markdown));
    let snapshot_only = move || snapshot.with(|s| s.as_ref().is_some_and(|s| !s.live));
    let notify_key = storage_key(
        sources.directory_path(),
        &config.incident.id,
        StoredItem::Notify,
    );
    let notify = use_notify(
        config.incident.clone(),
        overall.into(),
        criteria.into(),
        notify_key,
    );
    let updates = monitor.updates_file;

    let interval = config.probing.interval_seconds;
    if embed {
        return view! {
            {source_line}
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
        {source_line}
        <Banner overall=overall/>
        {config.snapshot.is_some().then(|| view! {
            <SnapshotNotice snapshot=snapshot monitor=monitor now=now/>
        })}
        <Show when=move || freshness.with(|f| f.probing)>
            <Freshness freshness=freshness monitor=monitor now=now/>
        </Show>
        <CopyDigest markdown=digest/>
        <NotifyToggle notify=notify/>
        <CriteriaSection criteria=criteria now=now/>
        <ImpactSection impact=impact sentence=sentence/>
        <TimelineSection timeline=timeline cadence=cadence now=now/>
        <ComponentList count=config.components.len() components=components stale=stale history=history now=now/>
        <ActionItems actions=actions/>
        <UpdatesFeed feed=feed updates=updates now=now/>
        <ConfigNotes warnings=warnings notes=notes read_at=config_read_at updates=updates now=now/>
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
