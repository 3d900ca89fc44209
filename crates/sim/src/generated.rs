//! `/health/generated` on the backend, served only with `--generated-components N`: a payload
//! listing N made-up components, for the benchmark's scale test (a config with 1,000
//! components, `cargo xtask bench`). It is not part of the Netra backend.
//!
//! Shape (read by the page with a `{"rule": ...}` format):
//! `{"status": "healthy", "checked_at": "...", "components": {"c0001": {"status": "healthy",
//! "latency_ms": 12}, ...}}`. Every answer turns a different seventh of the components
//! `degraded`, so each poll changes rows on the page and the benchmark measures real updates.

use serde_json::{json, Map, Value};

use crate::clock::iso_offset;
use crate::reply::Reply;
use crate::scenario::Ctx;

/// Where the generated payload is served on the backend listener.
pub(crate) const PATH: &str = "/health/generated";

/// How many answers share one set of degraded components before it shifts by one.
const ROTATION: u64 = 7;

/// The name of generated component `index` (0-based): `c0001`, `c0002`, … (1-based, 4 digits
/// at least), the ids the benchmark's generated config uses as `part`s.
pub(crate) fn name(index: usize) -> String {
    format!("c{:04}", index + 1)
}

/// The payload for `count` components on the `answer`-th request (0-based).
pub(crate) fn reply(ctx: &Ctx, count: usize, answer: u64) -> Reply {
    let shift = (answer % ROTATION) as usize;
    let mut components = Map::new();
    for index in 0..count {
        let degraded = (index + shift).is_multiple_of(ROTATION as usize);
        components.insert(
            name(index),
            json!({
                "status": if degraded { "degraded" } else { "healthy" },
                "latency_ms": 5 + (index * 7 + shift) % 40,
            }),
        );
    }
    let status = if count > 0 { "degraded" } else { "healthy" };
    Reply::ok(json!({
        "status": status,
        "checked_at": iso_offset(ctx.now),
        "components": Value::Object(components),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Payload;
    use crate::scenario::{Generation, Phase};

    fn ctx() -> Ctx {
        Ctx {
            generation: Generation::V1,
            phase: Phase::Recovered,
            now: chrono::Utc::now(),
            uptime: 0.0,
            origins: Vec::new().into(),
        }
    }

    fn statuses(reply: &Reply) -> Vec<String> {
        let Payload::Json(body) = &reply.payload else {
            panic!("not JSON")
        };
        body["components"]
            .as_object()
            .unwrap()
            .values()
            .map(|c| c["status"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn lists_every_component_and_rotates_the_degraded_ones() {
        let first = reply(&ctx(), 1000, 0);
        let second = reply(&ctx(), 1000, 1);
        let (a, b) = (statuses(&first), statuses(&second));
        assert_eq!(a.len(), 1000);
        let degraded = a.iter().filter(|s| *s == "degraded").count();
        assert!((140..=144).contains(&degraded), "{degraded}");
        assert_ne!(a, b, "consecutive answers differ");
        assert_eq!(name(0), "c0001");
        assert_eq!(name(999), "c1000");
    }
}
