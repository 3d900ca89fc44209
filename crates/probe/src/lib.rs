//! `lookout-probe`: one prober for a whole audience. It probes every endpoint of a Lookout
//! configuration from one place, evaluates components, banner and criteria with `lookout-core`
//! (the same code the page runs), and publishes `snapshot.json`, `history.json` and a
//! Statuspage-shaped `summary.json` to a directory or a Cloud Storage prefix, so viewers read
//! one small cached file instead of each probing a struggling backend.
//!
//! Layout: [`cli`] reads the arguments; [`net`] is the only module that talks to the probed
//! endpoints (HTTP and WebSocket); [`output`] is the only one that reads and writes the published
//! files (atomically); [`round`] holds the prober's state between rounds (`lookout-core`'s monitor,
//! which decides what is due and what everything means) and builds the documents.

pub mod cli;
pub mod net;
pub mod output;
pub mod round;
