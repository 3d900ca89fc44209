//! The page's sections, one module each. Views only read signals and call the domain crate.

pub mod actions;
pub mod banner;
pub mod component_list;
pub mod config_error;
pub mod config_notes;
pub mod criteria;
pub mod dashboard;
pub mod digest;
pub mod embed;
pub mod freshness;
pub mod header;
pub mod history_strip;
pub mod impact;
pub mod moment;
pub mod notify_toggle;
pub mod snapshot_notice;
pub mod theme_toggle;
pub mod timeline;
