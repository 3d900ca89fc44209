//! Keeps each component's status history, restored from and saved to `localStorage`.
//!
//! A stored entry that is corrupt, of another schema or of another incident is dropped with a
//! console warning; a full quota is tolerated (the history then lives only in this tab). A
//! published history file, when configured, is merged in once so first-time viewers see the
//! past too.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::board::ComponentView;
use lookout_core::monitor::history::History;

use crate::api;

/// The `localStorage` key of an incident's history.
pub fn history_key(incident: &str) -> String {
    format!("lookout.history.{incident}")
}

/// The history of `incident`'s components, extended as `components` change, with the history
/// published at `published` (if any) merged in.
pub fn use_history(
    incident: String,
    components: Memo<Vec<ComponentView>>,
    published: Option<String>,
) -> ReadSignal<History> {
    let key = history_key(&incident);
    let restored = match api::storage_get(&key) {
        None => History::new(&incident),
        Some(text) => History::from_json(&text, &incident).unwrap_or_else(|rejected| {
            warn!("Lookout: {rejected}");
            api::storage_remove(&key);
            History::new(&incident)
        }),
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
