//! Keeping watch over time: when to probe next ([`schedule`]), each component's status history
//! ([`history`]), and the snapshot a prober publishes for every page to read first
//! ([`snapshot`]).

pub mod history;
pub mod schedule;
pub mod snapshot;
