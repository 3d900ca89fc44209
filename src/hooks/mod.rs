//! Side effects of the page, one hook each; every timer, listener and loop stops when its owner
//! is disposed.

mod use_history;
mod use_now;
mod use_probes;
mod use_report_height;
mod use_snapshot;
mod use_theme;
mod use_updates;

pub use use_history::{history_key, use_history};
pub use use_now::use_now;
pub use use_probes::{use_probes, Probing};
pub use use_report_height::use_report_height;
pub use use_snapshot::{use_snapshot, SnapshotFeed};
pub use use_theme::{use_theme, Theme};
pub use use_updates::{use_updates, UpdatesState};
