//! `http_ok`: each endpoint's current run of HTTP 200s must cover the window (at least N
//! probes, and/or reaching back T minutes). Its memory (one streak per endpoint) and evaluation.

use super::*;

/// The current run of HTTP 200s of one endpoint.
#[derive(Clone, Debug, Default)]
pub(super) struct Streak {
    ok: u32,
    ok_since: Option<DateTime<Utc>>,
    last_at: Option<DateTime<Utc>>,
    last_ok: bool,
    last_text: String,
}

impl Streak {
    /// Takes one probe of the endpoint: a 200 extends the run, anything else ends it.
    pub(super) fn observe(&mut self, result: &ProbeResult, reading: &Reading) {
        let at = result.at;
        self.last_at = Some(at);
        match &result.outcome {
            ProbeOutcome::Response(response) if response.status == 200 => {
                self.ok = self.ok.saturating_add(1);
                self.ok_since.get_or_insert(at);
                self.last_ok = true;
                self.last_text = "HTTP 200".to_string();
            }
            other => {
                self.ok = 0;
                self.ok_since = None;
                self.last_ok = false;
                self.last_text = match other {
                    ProbeOutcome::Response(response) => {
                        format!(
                            "HTTP {} ({})",
                            response.status,
                            clip(&reading.overall.reason)
                        )
                    }
                    ProbeOutcome::Failed(failure) => failure.describe(),
                    ProbeOutcome::WebSocket(_) => {
                        "a WebSocket session, not an HTTP answer".to_string()
                    }
                };
            }
        }
    }
}

pub(super) fn http_ok(
    endpoints: &[String],
    window: &Window,
    streaks: &BTreeMap<String, Streak>,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let mut evidence = Vec::new();
    let mut failing = Vec::new();
    let mut unknown = Vec::new();
    for endpoint in endpoints {
        let streak = streaks.get(endpoint);
        let line = match streak {
            None => {
                unknown.push(format!("{endpoint} not probed yet"));
                item(
                    endpoint,
                    CriterionState::Unknown,
                    "not probed yet".into(),
                    endpoint,
                    None,
                )
            }
            Some(s) if s.last_at.is_some_and(|at| stale(endpoint, at)) => {
                let ago = crate::time::ago(now, s.last_at.unwrap_or(now));
                unknown.push(format!("{endpoint} last probed {ago}"));
                item(
                    endpoint,
                    CriterionState::Unknown,
                    format!("no fresh probe: last probed {ago}"),
                    endpoint,
                    s.last_at,
                )
            }
            Some(s) if !s.last_ok => {
                failing.push(format!("{endpoint} ({})", s.last_text));
                let at = s.last_at.map(|t| stamp(t, now)).unwrap_or_default();
                item(
                    endpoint,
                    CriterionState::NotMet,
                    format!("{} at {at}; no HTTP 200 run", s.last_text),
                    endpoint,
                    s.last_at,
                )
            }
            Some(s) => {
                let since = s.ok_since.unwrap_or(now);
                let enough_probes = window.probes.is_none_or(|n| s.ok >= n);
                let long_enough = window
                    .minutes
                    .is_none_or(|m| since <= now - Duration::minutes(i64::from(m)));
                let run = format!(
                    "HTTP 200 on {} in a row since {}",
                    plural(s.ok as usize, "probe", "probes"),
                    stamp(since, now)
                );
                if enough_probes && long_enough {
                    item(endpoint, CriterionState::Met, run, endpoint, s.last_at)
                } else {
                    item(
                        endpoint,
                        CriterionState::NotMet,
                        format!("{run}; needs {}", window.describe()),
                        endpoint,
                        s.last_at,
                    )
                }
            }
        };
        evidence.push(line);
    }
    let met = evidence
        .iter()
        .filter(|e| e.state == CriterionState::Met)
        .count();
    let total = endpoints.len();
    let state = if !failing.is_empty() {
        CriterionState::NotMet
    } else if !unknown.is_empty() {
        CriterionState::Unknown
    } else if met == total {
        CriterionState::Met
    } else {
        CriterionState::NotMet
    };
    let summary = match state {
        CriterionState::Met => format!(
            "All {} answered HTTP 200 on every probe of {}.",
            plural(total, "endpoint", "endpoints"),
            window.describe()
        ),
        CriterionState::NotMet if !failing.is_empty() => format!(
            "{met} of {total} endpoints meet it; not answering 200: {}.",
            failing.join(", ")
        ),
        CriterionState::NotMet => format!(
            "{met} of {total} endpoints meet it; the others answer 200 but not yet for {}.",
            window.describe()
        ),
        CriterionState::Unknown => format!("Cannot tell yet: {}.", unknown.join(", ")),
    };
    Outcome {
        state,
        progress: percent(met, total),
        summary,
        observed_at: newest(evidence.iter().map(|e| e.at)),
        evidence,
    }
}

// --- absent_pattern -------------------------------------------------------------------------
