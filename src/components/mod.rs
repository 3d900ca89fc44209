//! The page's sections, one module each. Views only read signals and call the domain crate.

pub mod banner;
pub mod component_list;
pub mod config_error;
pub mod dashboard;
pub mod freshness;
pub mod header;
pub mod history_strip;
