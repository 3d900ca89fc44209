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

use lookout_core::config::sources::SourceRole;

use crate::api::ConfigLoadError;
use crate::components::config_error::ConfigErrorView;
use crate::components::dashboard::Dashboard;
use crate::hooks::{use_report_height, use_theme, Theme};

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

/// What the page's query string asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct PageOptions {
    /// `?config=URL`, if given.
    pub config_url: Option<String>,
    /// `?embed=1`: the compact layout for a wiki iframe.
    pub embed: bool,
    /// `?theme=light|dark|auto`.
    pub theme: Option<Theme>,
}

impl PageOptions {
    /// Reads the options from this page's URL.
    pub fn from_location() -> PageOptions {
        let search = window().location().search().unwrap_or_default();
        let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
        let get = |name: &str| params.as_ref().and_then(|p| p.get(name));
        PageOptions {
            config_url: get("config").filter(|url| !url.trim().is_empty()),
            embed: get("embed").is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no")),
            theme: get("theme").and_then(|id| Theme::from_id(&id)),
        }
    }
}

/// The whole page: loads the config (only from where this page may read it), then shows the
/// dashboard or what is wrong with the config.
#[component]
pub fn App() -> impl IntoView {
    let options = PageOptions::from_location();
    let sources = api::page_sources();
    let (theme, set_theme) = use_theme(options.theme, sources.directory_path());
    if options.embed {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().add_1("embed");
        }
        use_report_height();
    }
    let embed = options.embed;
    let page = api::page_url();
    let default_url = api::resolve_url(DEFAULT_CONFIG_URL, &page);
    let asked = options.config_url.as_deref().unwrap_or(DEFAULT_CONFIG_URL);
    let admitted = api::admitted_url(&sources, SourceRole::Config, asked, &page);
    let url = admitted.clone().unwrap_or_else(|refused| refused.url);
    // A file other than the page's own is always named on the page.
    let other_config = (url != default_url).then(|| url.clone());
    let loaded = LocalResource::new(move || {
        let admitted = admitted.clone();
        async move {
            match admitted {
                Ok(url) => api::fetch_config(url).await,
                Err(refused) => Err(ConfigLoadError::Refused(refused)),
            }
        }
    });
    let sources = StoredValue::new(sources);
    view! {
        <main class="page">
            {move || match loaded.get() {
                None => view! { <p class="loading" role="status">"Loading the incident configuration…"</p> }.into_any(),
                Some(Ok(loaded)) => {
                    view! {
                        <Dashboard
                            loaded=loaded
                            config_url=url.clone()
                            other_config=other_config.clone()
                            sources=sources.get_value()
                            embed=embed
                            theme=theme
                            set_theme=set_theme
                        />
                    }
                    .into_any()
                }
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
