//! Lookout's domain: everything the status page computes that does not need a browser.
//!
//! The browser shell hands in probe results ([`probe`]) and the time. Folders, each importing
//! only the root leaves and the folders before it:
//!
//! - root leaves: the I/O edge's vocabulary ([`probe`]), the one status scale ([`status`]),
//!   stable ordering ([`order`]) and times for people ([`time`]);
//! - [`read`]: one probe's outcome → a reading (formats, the payload's own time, WebSockets);
//! - [`config`]: the runtime configuration, its shape and checks, incident sections included;
//! - [`board`]: latest readings → component views and the banner;
//! - [`incident`]: criteria, impact, timeline, updates, action items and the digest;
//! - [`monitor`]: probing schedule, status history and the published snapshot;
//! - [`publish`]: the Statuspage-shaped summary.
//!
//! No leptos, web-sys or gloo here: it is tested natively.

pub mod board;
pub mod config;
pub mod incident;
pub mod monitor;
pub mod order;
pub mod probe;
pub mod publish;
pub mod read;
pub mod status;
pub mod time;
