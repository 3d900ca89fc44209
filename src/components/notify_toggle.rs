//! The "Notify me" control: turns desktop notifications on or off and says why it cannot when
//! the browser blocks them. `data-notify` carries the state for automation.

use leptos::prelude::*;

use crate::hooks::{NotifyHandle, NotifyState};

/// A button and, when notifications cannot be on, one sentence why.
#[component]
pub fn NotifyToggle(
    /// The notify hook.
    notify: NotifyHandle,
) -> impl IntoView {
    let state = notify.state;
    let label = move || match state.get() {
        NotifyState::On => "Notifications on · turn off",
        NotifyState::Asking => "Asking your browser…",
        _ => "Notify me of changes",
    };
    let note = move || {
        match state.get() {
        NotifyState::Denied => Some(
            "Notifications are blocked for this page in your browser's site settings; allow them there, then click again.",
        ),
        NotifyState::Unsupported => Some("This browser cannot show notifications."),
        NotifyState::On => Some("While this page is open: banner changes and criteria met or no longer met."),
        _ => None,
    }
    };
    view! {
        <div class="notify" data-testid="notify" data-notify=move || state.get().as_str()>
            <button
                type="button"
                class="notify__button"
                aria-pressed=move || (state.get() == NotifyState::On).to_string()
                disabled=move || matches!(state.get(), NotifyState::Asking | NotifyState::Unsupported)
                on:click=move |_| notify.toggle()
            >
                {label}
            </button>
            <p class="notify__note" role="status">{note}</p>
        </div>
    }
}
