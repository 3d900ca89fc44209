//! Keeping watch over time: the [`Monitor`] that both drivers run ([`engine`]), the page model
//! it computes ([`page`]), when to probe next ([`schedule`]), each component's status history
//! ([`history`]), the snapshot a prober publishes for every page to read first
//! ([`snapshot`]), what a page keeps in the browser, under which key ([`stored`]), and what
//! the browser tab shows ([`tab`]) and what a viewer who asked is notified of ([`notices`]).

pub mod engine;
pub mod history;
pub mod notices;
pub mod page;
pub mod schedule;
pub mod snapshot;
pub mod stored;
pub mod tab;

pub use engine::{Memory, Monitor, Pace, ProbeRequest};
pub use page::PageModel;
