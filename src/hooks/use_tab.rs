//! Keeps the browser tab's title and favicon on the banner's level ([`lookout_core::monitor::tab`]
//! decides both), so a viewer who keeps the page among many tabs sees the status without
//! switching. The page's own title and icon come back when the owner is disposed.

use leptos::prelude::*;
use lookout_core::board::OverallView;
use lookout_core::config::Incident;
use lookout_core::monitor::tab::{favicon, tab, DEFAULT_TITLE};
use lookout_core::status::Status;

/// Follows `banner` in the tab's title and icon until the owner is disposed.
pub fn use_tab(incident: Incident, banner: Signal<OverallView>) {
    Effect::new(move |_| {
        let view = banner.with(|banner| tab(&incident, banner));
        show(&view.title, &view.icon);
    });
    on_cleanup(|| show(DEFAULT_TITLE, &favicon(Status::Unknown)));
}

fn show(title: &str, icon: &str) {
    let document = document();
    if document.title() != title {
        document.set_title(title);
    }
    let link = document
        .query_selector("link[rel~='icon']")
        .ok()
        .flatten()
        .or_else(|| {
            let link = document.create_element("link").ok()?;
            let _ = link.set_attribute("rel", "icon");
            let _ = link.set_attribute("type", "image/svg+xml");
            document.head()?.append_child(&link).ok()?;
            Some(link)
        });
    if let Some(link) = link {
        if link.get_attribute("href").as_deref() != Some(icon) {
            let _ = link.set_attribute("href", icon);
        }
    }
}
