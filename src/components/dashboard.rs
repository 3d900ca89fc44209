//! The loaded page: starts the probing hooks and lays out the sections.

use std::sync::Arc;

use leptos::prelude::*;
use lookout_core::board::{overall, ComponentView};
use lookout_core::config::Config;
use lookout_core::schedule::stale_components;

use crate::components::banner::Banner;
use crate::components::component_list::ComponentList;
use crate::components::freshness::Freshness;
use crate::components::header::Header;
use crate::hooks::{use_history, use_now, use_probes};

/// Everything shown once a valid configuration is loaded.
#[component]
pub fn Dashboard(
    /// The validated runtime configuration.
    config: Config,
) -> impl IntoView {
    let config = Arc::new(config);
    let probing = use_probes(config.clone());
    let now = use_now();
    let components: Memo<Vec<ComponentView>> = {
        let config = config.clone();
        Memo::new(move |_| probing.board.with(|board| board.components(&config)))
    };
    let overall = Memo::new(move |_| components.with(|list| overall(list)));
    let history = use_history(config.incident.id.clone(), components);
    let stale = {
        let config = config.clone();
        Memo::new(move |_| {
            components.with(|views| {
                probing
                    .schedule
                    .with(|schedule| stale_components(&config, views, schedule, now.get()))
            })
        })
    };
    view! {
        <Header incident=config.incident.clone()/>
        <Banner overall=overall/>
        <Freshness probing=probing now=now/>
        <ComponentList count=config.components.len() components=components stale=stale history=history now=now/>
        <footer class="footer">
            <p>
                "Probed from your browser every " {config.probing.interval_seconds} " s, less often while an endpoint keeps failing. "
                "Statuses are read from the endpoints' own answers; a probe that fails is shown as unknown with its reason."
            </p>
        </footer>
    }
}
