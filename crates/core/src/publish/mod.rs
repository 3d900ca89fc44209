//! Lookout's state in other tools' shapes: the Statuspage-compatible summary.json ([`summary`]).

pub mod summary;
