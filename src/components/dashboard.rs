//! The loaded page: starts the probing hooks and lays out the sections.

use std::sync::Arc;

use leptos::prelude::*;
use lookout_core::board::{overall, ComponentView};
use lookout_core::config::Config;

use crate::components::banner::Banner;
use crate::components::component_list::ComponentList;
use crate::components::header::Header;
use crate::hooks::{use_now, use_probes};

/// Everything shown once a valid configuration is loaded.
#[component]
pub fn Dashboard(
    /// The validated runtime configuration.
    config: Config,
) -> impl IntoView {
    let config = Arc::new(config);
    let board = use_probes(config.clone());
    let now = use_now();
    let components_config = config.clone();
    let components: Memo<Vec<ComponentView>> =
        Memo::new(move |_| board.with(|b| b.components(&components_config)));
    let overall = Memo::new(move |_| components.with(|list| overall(list)));
    view! {
        <Header incident=config.incident.clone()/>
        <Banner overall=overall/>
        <ComponentList count=config.components.len() components=components now=now/>
        <footer class="footer">
            <p>
                "Probed from your browser every " {config.probing.interval_seconds} " s. "
                "Statuses read from the endpoints' own answers; a probe that fails is shown as unknown with its reason."
            </p>
        </footer>
    }
}
