//! Lookout's browser shell: a Leptos CSR app that loads the runtime config, probes the
//! configured endpoints from the viewer's browser and shows what the domain crate makes of them.
//!
//! Layout: [`api`] is the only module that fetches or opens sockets; [`hooks`] owns timers and
//! other side effects (each cleans up after itself); [`components`] are thin views, one module
//! per page section. Every rule lives in `lookout_core`.

pub mod api;
pub mod components;
pub mod format;
pub mod hooks;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ConfigLoadError;
use crate::components::config_error::ConfigErrorView;
use crate::components::dashboard::Dashboard;

/// The name of the config file next to `index.html`, unless `?config=` names another.
pub const DEFAULT_CONFIG_URL: &str = "lookout.json";

/// Replaces the pre-wasm placeholder with the app.
pub fn mount() {
    let document = document();
    let root = document
        .get_element_by_id("lookout")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .unwrap_or_else(|| document.body().expect("a document has a body"));
    root.set_inner_html("");
    mount_to(root, App).forget();
}

/// The config URL for this page load: `?config=` if given, else [`DEFAULT_CONFIG_URL`].
fn config_url() -> String {
    let search = window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|params| params.get("config"))
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_CONFIG_URL.to_string())
}

/// The whole page: loads the config, then shows the dashboard or what is wrong with the config.
#[component]
pub fn App() -> impl IntoView {
    let url = config_url();
    let loaded = {
        let url = url.clone();
        LocalResource::new(move || api::fetch_config(url.clone()))
    };
    view! {
        <main class="page">
            {move || match loaded.get() {
                None => view! { <p class="loading" role="status">"Loading the incident configuration…"</p> }.into_any(),
                Some(Ok(loaded)) => view! { <Dashboard loaded=loaded config_url=url.clone()/> }.into_any(),
                Some(Err(error)) => view! { <ConfigErrorView error=error/> }.into_any(),
            }}
        </main>
    }
}

impl std::fmt::Display for ConfigLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}
