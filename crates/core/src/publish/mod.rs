//! Lookout's state in other tools' shapes: the Statuspage-compatible summary ([`statuspage`]).

pub mod statuspage;
