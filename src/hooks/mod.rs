//! Side effects of the page, one hook each; every timer, listener and loop stops when its owner
//! is disposed.

mod model_signals;
mod use_history;
mod use_monitor;
mod use_notify;
mod use_now;
mod use_report_height;
mod use_snapshot;
mod use_tab;
mod use_theme;
mod use_updates;

pub use model_signals::ModelSignals;
pub use use_history::use_history;
pub use use_monitor::{use_monitor, MonitorHandle};
pub use use_notify::{use_notify, NotifyHandle, NotifyState};
pub use use_now::use_now;
pub use use_report_height::use_report_height;
pub use use_snapshot::use_snapshot;
pub use use_tab::use_tab;
pub use use_theme::{use_theme, Theme};
pub use use_updates::{use_updates, UpdatesState};
