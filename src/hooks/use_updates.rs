//! Keeps the incident's updates file fresh: fetched at start and every minute, bypassing
//! caches, so a new update appears without a reload. A file the page may not read is never
//! fetched; its refusal is the file's error.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use lookout_core::config::ConfigProblem;
use lookout_core::incident::updates::{parse_lenient, Update as StatusUpdate};

use crate::api;

/// How often the updates file is re-read.
const REFRESH: Duration = Duration::from_secs(60);

/// The updates file as last read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdatesState {
    /// The valid updates.
    pub updates: Vec<StatusUpdate>,
    /// What is wrong with the others, with JSON paths.
    pub problems: Vec<ConfigProblem>,
    /// Why the file could not be read at all, if it could not.
    pub error: Option<String>,
    /// When it was last read successfully.
    pub read_at: Option<DateTime<Utc>>,
}

/// Reads `url` now and every minute until the owner is disposed; an `Err` is why it may not be
/// read.
pub fn use_updates(url: Result<String, String>) -> ReadSignal<UpdatesState> {
    let url = match url {
        Ok(url) => url,
        Err(refused) => {
            return signal(UpdatesState {
                error: Some(refused),
                ..UpdatesState::default()
            })
            .0
        }
    };
    let (state, set_state) = signal(UpdatesState::default());
    let read = move || {
        let url = url.clone();
        spawn_local(async move {
            let outcome = api::fetch_text(&url).await;
            set_state.try_update(|state| match outcome {
                Ok(text) => {
                    let parsed = parse_lenient(&text);
                    state.updates = parsed.updates;
                    state.problems = parsed.errors;
                    state.error = None;
                    state.read_at = Some(Utc::now());
                }
                // Keep the updates already shown; say why they may be old.
                Err(why) => state.error = Some(why),
            });
        });
    };
    read();
    if let Ok(handle) = set_interval_with_handle(read, REFRESH) {
        on_cleanup(move || handle.clear());
    }
    state
}
