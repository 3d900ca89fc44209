//! The light/dark/system toggle.

use leptos::prelude::*;

use crate::hooks::Theme;

/// A button cycling system → light → dark; the choice is remembered.
#[component]
pub fn ThemeToggle(
    /// The current theme.
    theme: ReadSignal<Theme>,
    /// Changes it.
    set_theme: WriteSignal<Theme>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            on:click=move |_| set_theme.update(|t| *t = t.next())
            aria-label=move || format!("{} (change)", theme.get().label())
        >
            {move || theme.get().label()}
        </button>
    }
}
