//! Side effects of the page, one hook each; every timer and loop stops when its owner is
//! disposed.

mod use_now;
mod use_probes;

pub use use_now::use_now;
pub use use_probes::{use_probes, Probing};
