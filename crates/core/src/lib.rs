//! Lookout's domain: everything the status page computes that does not need a browser.
//!
//! The browser shell hands in probe results ([`probe`]) and the time; this crate reads them
//! ([`reading`], [`netra`], [`websocket`]), folds them into component and system status
//! ([`board`]) on one scale ([`status`]), validates the runtime configuration ([`config`]) and
//! formats times for people ([`time`]). No leptos, web-sys or gloo here: it is tested natively.

pub mod board;
pub mod config;
pub mod netra;
pub mod probe;
pub mod reading;
pub mod schedule;
pub mod status;
pub mod time;
pub mod websocket;
pub mod words;
