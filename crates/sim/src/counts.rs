//! Request counters for the control API: how many requests reached each backend/auth endpoint,
//! how many are in flight now, and the most that were in flight at once (tests assert the
//! page's politeness on these); and, apart so they never add to the backend's load, how many
//! requests reached each path of the bucket (tests assert that a refused file was never
//! fetched).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};

#[derive(Default)]
struct Inner {
    requests: BTreeMap<String, u64>,
    in_flight: BTreeMap<String, u64>,
    in_flight_max: BTreeMap<String, u64>,
    site_requests: BTreeMap<String, u64>,
}

/// Counters keyed by `"<service> <METHOD|WS> <path>"`, e.g. `"backend GET /health"`.
#[derive(Default)]
pub(crate) struct Counts {
    inner: Mutex<Inner>,
}

impl Counts {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a request and marks it in flight until the returned guard is dropped.
    pub(crate) fn enter(self: &Arc<Self>, key: String) -> InFlight {
        let mut inner = self.lock();
        *inner.requests.entry(key.clone()).or_default() += 1;
        let now = {
            let n = inner.in_flight.entry(key.clone()).or_default();
            *n += 1;
            *n
        };
        let max = inner.in_flight_max.entry(key.clone()).or_default();
        *max = (*max).max(now);
        InFlight {
            counts: self.clone(),
            key,
        }
    }

    /// Counts a request to the bucket, keyed `"site <METHOD> <path>"`.
    pub(crate) fn site(&self, key: String) {
        *self.lock().site_requests.entry(key).or_default() += 1;
    }

    /// Forgets totals and maxima; requests still in flight stay counted as in flight.
    pub(crate) fn reset(&self) {
        let mut inner = self.lock();
        inner.requests.clear();
        inner.site_requests.clear();
        inner.in_flight_max = inner.in_flight.clone();
    }

    /// `{"requests":{..},"in_flight_max":{..},"in_flight":{..},"site_requests":{..}}`;
    /// `in_flight` lists non-zero keys.
    pub(crate) fn snapshot(&self) -> Value {
        let inner = self.lock();
        json!({
            "requests": inner.requests,
            "in_flight_max": inner.in_flight_max,
            "in_flight": inner.in_flight,
            "site_requests": inner.site_requests,
        })
    }
}

/// Marks one request in flight; dropping it (response sent, or client gone) ends that.
pub(crate) struct InFlight {
    counts: Arc<Counts>,
    key: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut inner = self.counts.lock();
        if let Some(n) = inner.in_flight.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                inner.in_flight.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_totals_and_concurrency() {
        let counts = Arc::new(Counts::default());
        let a = counts.enter("backend GET /health".into());
        let b = counts.enter("backend GET /health".into());
        drop(a);
        drop(b);
        let c = counts.enter("backend GET /health".into());
        let snap = counts.snapshot();
        assert_eq!(snap["requests"]["backend GET /health"], 3);
        assert_eq!(snap["in_flight_max"]["backend GET /health"], 2);
        assert_eq!(snap["in_flight"]["backend GET /health"], 1);
        counts.reset();
        drop(c);
        let snap = counts.snapshot();
        assert_eq!(snap["requests"], json!({}));
        assert_eq!(snap["in_flight"], json!({}));
        assert_eq!(snap["in_flight_max"]["backend GET /health"], 1);
    }
}
