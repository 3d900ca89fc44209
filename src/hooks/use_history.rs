//! Keeps each component's status history, restored from and saved to `localStorage` under the
//! page's key ([`lookout_core::monitor::stored`]).
//!
//! What is stored is untrusted: any page on the same origin can write it. An entry that is
//! corrupt, of another schema or of another incident is dropped with a console warning, samples
//! from the future are dropped, and the history only ever draws the strips. A full quota is
//! tolerated (the history then lives only in this tab). A published history file, when
//! configured and admitted, is merged in once so first-time viewers see the past too.

use chrono::Utc;
use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::board::ComponentView;
use lookout_core::monitor::history::History;

use crate::api;

/// The history of `incident`'s components, kept under `key`, extended as `components` change,
/// with the history published at `published` (if any) merged in.
pub fn use_history(
    key: String,
    incident: String,
    components: Memo<Vec<ComponentView>>,
    published: Option<String>,
) -> ReadSignal<History> {
    let restored = match api::storage_get(&key) {
        None => History::new(&incident),
        Some(text) => match History::from_json(&text, &incident) {
            Ok(history) => history.without_future(Utc::now()),
            Err(rejected) => {
                warn!("Lookout: {rejected}");
                api::storage_remove(&key);
                History::new(&incident)
            }
        },
    };
    let (history, set_history) = signal(restored);
    if let Some(url) = published {
        let incident = incident.clone();
        spawn_local(async move {
            match api::fetch_text(&url)
                .await
                .map(|text| History::from_json(&text, &incident))
            {
                Ok(Ok(other)) => {
                    let other = other.without_future(Utc::now());
                    set_history.try_update(|history| history.merge(&other));
                }
                Ok(Err(rejected)) => warn!("Lookout: published history {url} not used: {rejected}"),
                Err(why) => warn!("Lookout: published history not read: {why}"),
            }
        });
    }
    let quota_warned = StoredValue::new(false);
    Effect::new(move |_| {
        let added = components.with(|views| {
            let mut added = false;
            set_history.maybe_update(|history| {
                added = history.record(views);
                added
            });
            added
        });
        if !added {
            return;
        }
        let text = history.with_untracked(History::to_json);
        if let Err(why) = api::storage_set(&key, &text) {
            if !quota_warned.get_value() {
                warn!("Lookout: history not saved ({why}); it will last until this tab closes");
                quota_warned.set_value(true);
            }
        }
    });
    history
}
