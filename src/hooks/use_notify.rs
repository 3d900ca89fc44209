//! Desktop notifications the viewer asked for: after a click on "Notify me" and the browser's
//! permission, each banner change and each success criterion that becomes met or no longer met
//! is shown as a notification while the page is open ([`lookout_core::monitor::notices`]
//! decides what is news). The choice is remembered per page and incident; a permission the
//! browser blocks is said in words. There is no push server: a closed page notifies nobody.

use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::board::OverallView;
use lookout_core::config::Incident;
use lookout_core::incident::criteria::CriterionView;
use lookout_core::monitor::notices::Watch;

use crate::api::{self, NotifyPermission};

/// Where notifications stand for this viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyState {
    /// The browser cannot notify.
    Unsupported,
    /// Not chosen (or turned off).
    Off,
    /// Waiting for the viewer's answer to the browser's prompt.
    Asking,
    /// On: changes are notified.
    On,
    /// The browser blocks notifications for this page.
    Denied,
}

impl NotifyState {
    /// The state's id, for `data-notify` and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyState::Unsupported => "unsupported",
            NotifyState::Off => "off",
            NotifyState::Asking => "asking",
            NotifyState::On => "on",
            NotifyState::Denied => "denied",
        }
    }
}

/// What the notify hook offers the control.
#[derive(Clone, Copy)]
pub struct NotifyHandle {
    /// Where notifications stand.
    pub state: ReadSignal<NotifyState>,
    toggle: Callback<()>,
}

impl NotifyHandle {
    /// Turns notifications on (asking the browser first) or off.
    pub fn toggle(&self) {
        self.toggle.run(());
    }
}

/// Notifies changes of `banner` and `criteria` for `incident` while on; the choice is kept
/// under `key`.
pub fn use_notify(
    incident: Incident,
    banner: Signal<OverallView>,
    criteria: Signal<Vec<CriterionView>>,
    key: String,
) -> NotifyHandle {
    let chosen = api::storage_get(&key).as_deref() == Some("1");
    let (state, set_state) = signal(initial(chosen));
    let watch = StoredValue::new(Watch::default());
    Effect::new(move |_| {
        let notices = banner.with(|banner| {
            criteria.with(|criteria| {
                watch
                    .try_update_value(|w| w.next(&incident, banner, criteria))
                    .unwrap_or_default()
            })
        });
        if state.get_untracked() == NotifyState::On {
            for notice in notices {
                api::show_notification(&notice.title, &notice.body, &notice.tag);
            }
        }
    });
    let toggle = Callback::new(move |()| {
        if state.get_untracked() == NotifyState::On {
            api::storage_remove(&key);
            set_state.set(NotifyState::Off);
            return;
        }
        set_state.set(NotifyState::Asking);
        let key = key.clone();
        spawn_local(async move {
            let answer = api::request_notify_permission().await;
            let next = match answer {
                NotifyPermission::Granted => {
                    let _ = api::storage_set(&key, "1");
                    NotifyState::On
                }
                NotifyPermission::Denied => NotifyState::Denied,
                NotifyPermission::Unsupported => NotifyState::Unsupported,
                NotifyPermission::Ask => NotifyState::Off,
            };
            set_state.try_set(next);
        });
    });
    NotifyHandle { state, toggle }
}

/// The state at load: on only when chosen before and still allowed.
fn initial(chosen: bool) -> NotifyState {
    match api::notify_permission() {
        NotifyPermission::Unsupported => NotifyState::Unsupported,
        NotifyPermission::Denied => NotifyState::Denied,
        NotifyPermission::Granted if chosen => NotifyState::On,
        _ => NotifyState::Off,
    }
}
