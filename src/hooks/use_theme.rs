//! The colour theme: `?theme=` wins, else the viewer's remembered choice, else the system's.
//! Applied as `data-theme` on `<html>`; "auto" follows `prefers-color-scheme`.

use leptos::prelude::*;
use lookout_core::monitor::stored::theme_key;

use crate::api;

/// A colour theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system (`prefers-color-scheme`).
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The identifier used in `?theme=`, storage and `data-theme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses [`Theme::as_str`].
    pub fn from_id(id: &str) -> Option<Theme> {
        [Theme::Auto, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.as_str() == id.trim())
    }

    /// The next theme of the toggle.
    pub fn next(self) -> Theme {
        match self {
            Theme::Auto => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Auto,
        }
    }

    /// The toggle's label.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Auto => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }
}

/// The theme signal and its setter; choosing a theme remembers it for the pages in
/// `directory_path` (unless `?theme=` fixed it).
pub fn use_theme(
    from_query: Option<Theme>,
    directory_path: &str,
) -> (ReadSignal<Theme>, WriteSignal<Theme>) {
    let key = theme_key(directory_path);
    let initial = from_query
        .or_else(|| api::storage_get(&key).and_then(|id| Theme::from_id(&id)))
        .unwrap_or_default();
    let (theme, set_theme) = signal(initial);
    Effect::new(move |previous: Option<Theme>| {
        let current = theme.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", current.as_str());
        }
        if previous.is_some_and(|p| p != current) {
            // Private browsing may refuse storage; the theme then lasts for this page only.
            let _ = api::storage_set(&key, current.as_str());
        }
        current
    });
    (theme, set_theme)
}
