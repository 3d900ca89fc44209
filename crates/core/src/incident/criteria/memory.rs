//! What a criterion remembers between probes, and the dispatch from a rule to its kind's file:
//! a [`Memory`] has the rule's shape (a composition remembers for each of its conditions), is
//! fed every probe its rule watches ([`Memory::observe`]) and judged at a time
//! ([`Memory::judge`]), where every rule that names a component is held to that component's
//! status ([`hold_to_components`]).

use super::*;

/// The memory of one rule, by kind.
#[derive(Clone, Debug)]
pub(super) enum Memory {
    HttpOk(BTreeMap<String, Streak>),
    Pattern(BTreeMap<String, VecDeque<PatternSample>>),
    Threshold(Option<Sample<Result<Extract, String>>>),
    Websocket(SocketMemory),
    Report(Option<Sample<Result<ReportSummary, String>>>),
    Component(ComponentRun),
    /// One memory per condition, in order.
    Composite(Vec<Memory>),
}

/// One probe as the criteria take it.
pub(super) struct Seen<'a> {
    pub result: &'a ProbeResult,
    pub reading: &'a Reading,
    /// Its JSON payload, when some criterion reads the endpoint's body.
    pub body: Option<&'a Result<Value, String>>,
    /// The components criteria name that this probe feeds, as they stand after it.
    pub components: &'a BTreeMap<String, ComponentView>,
}

/// What judging needs besides the memory.
pub(super) struct Judging<'a> {
    /// Each endpoint's staleness limit, in seconds.
    pub stale_after: &'a BTreeMap<String, i64>,
    /// The components criteria name, as they stand now.
    pub components: &'a BTreeMap<String, ComponentView>,
    pub now: DateTime<Utc>,
}

impl Judging<'_> {
    /// Whether a probe of `endpoint` at `at` is too old to count.
    pub(super) fn stale(&self, endpoint: &str, at: DateTime<Utc>) -> bool {
        let limit = self
            .stale_after
            .get(endpoint)
            .copied()
            .unwrap_or(i64::MAX / 4);
        (self.now - at).num_seconds() > limit
    }
}

/// Whether a rule of a kind that reads probes directly reads this endpoint's.
fn watches(rule: &Rule, endpoint: &str) -> bool {
    match rule {
        Rule::HttpOk { endpoints, .. } => endpoints.iter().any(|e| e == endpoint),
        Rule::AbsentPattern { watch, .. } => watch.iter().any(|w| w.endpoint == endpoint),
        Rule::Threshold { endpoint: e, .. }
        | Rule::Websocket { endpoint: e, .. }
        | Rule::ValidationReport { endpoint: e, .. } => e == endpoint,
        Rule::ComponentStatus { .. } | Rule::AllOf { .. } | Rule::AnyOf { .. } => false,
    }
}

impl Memory {
    /// An empty memory for `rule`; adds to `bodies` the endpoints whose payload it reads.
    pub(super) fn new(rule: &Rule, bodies: &mut BTreeSet<String>) -> Memory {
        match rule {
            Rule::HttpOk { .. } => Memory::HttpOk(BTreeMap::new()),
            Rule::AbsentPattern { watch, .. } => {
                bodies.extend(watch.iter().map(|w| w.endpoint.clone()));
                Memory::Pattern(BTreeMap::new())
            }
            Rule::Threshold { endpoint, .. } => {
                bodies.insert(endpoint.clone());
                Memory::Threshold(None)
            }
            Rule::Websocket { .. } => Memory::Websocket(SocketMemory::default()),
            Rule::ValidationReport { endpoint, .. } => {
                bodies.insert(endpoint.clone());
                Memory::Report(None)
            }
            Rule::ComponentStatus { .. } => Memory::Component(ComponentRun::default()),
            Rule::AllOf { conditions } | Rule::AnyOf { conditions } => Memory::Composite(
                conditions
                    .iter()
                    .map(|c| Memory::new(&c.rule, bodies))
                    .collect(),
            ),
        }
    }

    /// Takes one probe into account, if `rule` (or one of its conditions) watches it.
    pub(super) fn observe(&mut self, rule: &Rule, seen: &Seen) {
        match (rule, self) {
            (Rule::AllOf { conditions } | Rule::AnyOf { conditions }, Memory::Composite(parts)) => {
                for (condition, part) in conditions.iter().zip(parts) {
                    part.observe(&condition.rule, seen);
                }
            }
            (
                Rule::ComponentStatus {
                    component, levels, ..
                },
                Memory::Component(run),
            ) => {
                if let Some(view) = seen.components.get(component) {
                    run.observe(view, levels, seen.result);
                }
            }
            (rule, memory) if watches(rule, &seen.result.endpoint) => {
                memory.observe_probe(rule, seen);
            }
            _ => {}
        }
    }

    /// Takes one probe of an endpoint a probe-reading rule watches.
    fn observe_probe(&mut self, rule: &Rule, seen: &Seen) {
        let result = seen.result;
        let at = result.at;
        let payload = || {
            seen.body
                .cloned()
                .unwrap_or_else(|| Err("no payload".to_string()))
        };
        match (rule, self) {
            (Rule::HttpOk { .. }, Memory::HttpOk(streaks)) => {
                let streak = streaks.entry(result.endpoint.clone()).or_default();
                streak.observe(result, seen.reading);
            }
            (
                Rule::AbsentPattern {
                    patterns,
                    watch,
                    window,
                },
                Memory::Pattern(samples),
            ) => {
                let fields = watch
                    .iter()
                    .filter(|w| w.endpoint == result.endpoint)
                    .flat_map(|w| w.fields.iter());
                let outcome = match payload() {
                    Err(reason) => PatternOutcome::NoRead(reason),
                    Ok(payload) => search(&payload, fields, patterns),
                };
                let queue = samples.entry(result.endpoint.clone()).or_default();
                remember(queue, at, outcome, window);
            }
            (
                Rule::Threshold {
                    checks, fallback, ..
                },
                Memory::Threshold(latest),
            ) => {
                let value = payload().map(|p| extract(&p, checks, fallback.as_ref()));
                *latest = Some(Sample { at, value });
            }
            (Rule::Websocket { .. }, Memory::Websocket(memory)) => {
                memory.observe(&result.outcome, at);
            }
            (Rule::ValidationReport { .. }, Memory::Report(latest)) => {
                let value = read_report(&result.outcome, payload);
                *latest = Some(Sample { at, value });
            }
            _ => {}
        }
    }

    /// Where `rule` stands by this memory, held to the components it names.
    pub(super) fn judge(&self, rule: &Rule, judging: &Judging) -> Outcome {
        let outcome = self.judge_kind(rule, judging);
        hold_to_components(outcome, rule, judging.components)
    }

    fn judge_kind(&self, rule: &Rule, judging: &Judging) -> Outcome {
        let now = judging.now;
        let stale = |endpoint: &str, at: DateTime<Utc>| judging.stale(endpoint, at);
        match (rule, self) {
            (Rule::HttpOk { endpoints, window }, Memory::HttpOk(streaks)) => {
                http_ok(endpoints, window, streaks, &stale, now)
            }
            (
                Rule::AbsentPattern {
                    patterns,
                    watch,
                    window,
                },
                Memory::Pattern(samples),
            ) => {
                let mut endpoints: Vec<&str> = Vec::new();
                for w in watch {
                    if !endpoints.contains(&w.endpoint.as_str()) {
                        endpoints.push(&w.endpoint);
                    }
                }
                absent_pattern(patterns, &endpoints, window, samples, &stale, now)
            }
            (
                Rule::Threshold {
                    endpoint,
                    checks,
                    fallback,
                },
                Memory::Threshold(latest),
            ) => match latest {
                None => Outcome::unknown(format!("{endpoint} not probed yet")),
                Some(sample) if stale(endpoint, sample.at) => {
                    stale_outcome(endpoint, sample.at, now)
                }
                Some(sample) => threshold(endpoint, checks, fallback.as_ref(), sample, now),
            },
            (
                Rule::Websocket {
                    endpoint,
                    consecutive,
                },
                Memory::Websocket(memory),
            ) => websocket(endpoint, *consecutive, memory, &stale, now),
            (
                Rule::ValidationReport {
                    endpoint,
                    min_pass_rate,
                    max_age_minutes,
                },
                Memory::Report(latest),
            ) => match latest {
                None => Outcome::unknown(format!("report ({endpoint}) not fetched yet")),
                Some(sample) if stale(endpoint, sample.at) => {
                    stale_outcome(endpoint, sample.at, now)
                }
                Some(sample) => report(endpoint, *min_pass_rate, *max_age_minutes, sample, now),
            },
            (
                Rule::ComponentStatus {
                    component,
                    levels,
                    window,
                },
                Memory::Component(run),
            ) => component_status(component, levels, window, run, judging),
            (Rule::AllOf { conditions }, Memory::Composite(parts)) => {
                compose(Composition::AllOf, conditions, parts, judging)
            }
            (Rule::AnyOf { conditions }, Memory::Composite(parts)) => {
                compose(Composition::AnyOf, conditions, parts, judging)
            }
            _ => Outcome::unknown("internal mismatch between rule and memory"),
        }
    }
}
