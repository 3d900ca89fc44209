//! Lookout's domain: everything the status page computes that does not need a browser.
//!
//! The browser shell hands in probe results ([`probe`]) and the time; this crate reads them
//! ([`reading`] with [`netra`] and the common [`formats`], the payload's own time with
//! [`timestamp`], [`websocket`]), folds them into component and system status ([`board`]) on
//! one scale ([`status`]), validates the runtime configuration ([`config`]) and
//! formats times for people ([`time`]). A prober's published state is a [`snapshot`], with a
//! Statuspage-shaped summary ([`statuspage`]). No leptos, web-sys or gloo here: it is tested natively.

pub mod actions;
pub mod board;
pub mod config;
pub mod criteria;
pub mod digest;
pub mod engine;
pub mod formats;
pub mod history;
pub mod impact;
pub mod incident;
pub mod netra;
pub mod order;
pub mod page;
pub mod probe;
pub mod reading;
pub mod schedule;
pub(crate) mod schema;
pub mod snapshot;
pub mod status;
pub mod statuspage;
pub mod time;
pub mod timeline;
pub mod timestamp;
pub mod updates;
pub mod utc;
pub mod websocket;
pub mod words;
