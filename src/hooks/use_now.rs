//! A clock signal that ticks every second, so relative times ("checked 12 s ago") stay true.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The current time, updated every second until the calling owner is disposed.
pub fn use_now() -> ReadSignal<DateTime<Utc>> {
    let (now, set_now) = signal(Utc::now());
    if let Ok(handle) =
        set_interval_with_handle(move || set_now.set(Utc::now()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    now
}
