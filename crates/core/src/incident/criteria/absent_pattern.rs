//! `absent_pattern`: no pattern in the watched fields of any payload read within the window.
//! Its memory (small bounded samples per endpoint, never whole payloads) and evaluation.

use super::*;

#[derive(Clone, Debug)]
pub(super) struct PatternSample {
    at: DateTime<Utc>,
    outcome: PatternOutcome,
}

#[derive(Clone, Debug)]
pub(super) enum PatternOutcome {
    Clean,
    Found {
        pattern: String,
        field: String,
        excerpt: String,
    },
    NoRead(String),
}

/// Remembers what one payload held, forgetting what fell out of the window.
pub(super) fn remember(
    queue: &mut VecDeque<PatternSample>,
    at: DateTime<Utc>,
    outcome: PatternOutcome,
    window: &Window,
) {
    queue.push_back(PatternSample { at, outcome });
    trim(queue, window, at);
}

/// Drops samples the window no longer needs: beyond its probe count and older than its
/// minutes (whichever keeps more), and never more than [`MAX_SAMPLES`].
fn trim(queue: &mut VecDeque<PatternSample>, window: &Window, now: DateTime<Utc>) {
    let keep = window.probes.unwrap_or(1) as usize;
    match window.minutes {
        None => {
            while queue.len() > keep {
                queue.pop_front();
            }
        }
        Some(minutes) => {
            let cutoff = now - Duration::minutes(i64::from(minutes));
            while queue.len() > keep && queue.front().is_some_and(|s| s.at < cutoff) {
                queue.pop_front();
            }
        }
    }
    while queue.len() > MAX_SAMPLES {
        queue.pop_front();
    }
}

/// The samples inside the window at `now`.
pub(super) fn in_window<'a>(
    queue: &'a VecDeque<PatternSample>,
    window: &Window,
    now: DateTime<Utc>,
) -> impl Iterator<Item = &'a PatternSample> {
    let by_count = window
        .probes
        .map(|n| queue.len().saturating_sub(n as usize));
    let by_time = window.minutes.map(|m| {
        let cutoff = now - Duration::minutes(i64::from(m));
        queue
            .iter()
            .position(|s| s.at >= cutoff)
            .unwrap_or(queue.len())
    });
    let start = match (by_count, by_time) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => queue.len().saturating_sub(1),
    };
    queue.iter().skip(start)
}

/// Searches the strings at and below each pointer of `fields` for any of `patterns`.
pub(super) fn search<'a>(
    payload: &Value,
    fields: impl Iterator<Item = &'a String>,
    patterns: &[String],
) -> PatternOutcome {
    // ASCII case folding: patterns are log keywords, and Unicode case tables cost ~9 KB of wasm.
    let lowered: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
    for field in fields {
        let Some(start) = payload.pointer(field) else {
            continue;
        };
        if let Some((pointer, text, index)) = find_in(start, field.clone(), &lowered) {
            return PatternOutcome::Found {
                pattern: patterns[index].clone(),
                field: pointer,
                excerpt: clip(&text),
            };
        }
    }
    PatternOutcome::Clean
}

pub(super) fn find_in(
    value: &Value,
    pointer: String,
    patterns: &[String],
) -> Option<(String, String, usize)> {
    match value {
        Value::String(text) => {
            let lower = text.to_ascii_lowercase();
            patterns
                .iter()
                .position(|p| lower.contains(p.as_str()))
                .map(|index| (pointer, text.clone(), index))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_in(v, format!("{pointer}/{i}"), patterns)),
        Value::Object(map) => map.iter().find_map(|(key, v)| {
            let escaped = key.replace('~', "~0").replace('/', "~1");
            find_in(v, format!("{pointer}/{escaped}"), patterns)
        }),
        _ => None,
    }
}

pub(super) fn absent_pattern(
    patterns: &[String],
    endpoints: &[&str],
    window: &Window,
    samples: &BTreeMap<String, VecDeque<PatternSample>>,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let quoted: Vec<String> = patterns.iter().map(|p| format!("\"{p}\"")).collect();
    let quoted = quoted.join(" or ");
    let mut evidence = Vec::new();
    let mut reads_total = 0;
    let mut sightings = Vec::new();
    let mut missing = Vec::new();
    for endpoint in endpoints {
        let Some(queue) = samples.get(*endpoint) else {
            missing.push(format!("{endpoint} not probed yet"));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                "not probed yet".into(),
                endpoint,
                None,
            ));
            continue;
        };
        let last_at = queue.back().map(|s| s.at);
        if let Some(at) = last_at.filter(|at| stale(endpoint, *at)) {
            missing.push(format!(
                "{endpoint} last probed {}",
                crate::time::ago(now, at)
            ));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                format!("no fresh probe: last probed {}", crate::time::ago(now, at)),
                endpoint,
                Some(at),
            ));
            continue;
        }
        let window_samples: Vec<&PatternSample> = in_window(queue, window, now).collect();
        let reads = window_samples
            .iter()
            .filter(|s| !matches!(s.outcome, PatternOutcome::NoRead(_)))
            .count();
        reads_total += reads;
        let found = window_samples.iter().rev().find_map(|s| match &s.outcome {
            PatternOutcome::Found {
                pattern,
                field,
                excerpt,
            } => Some((s.at, pattern, field, excerpt)),
            _ => None,
        });
        if let Some((at, pattern, field, excerpt)) = found {
            sightings.push(format!("{endpoint} at {}", stamp(at, now)));
            evidence.push(EvidenceItem {
                subject: endpoint.to_string(),
                state: CriterionState::NotMet,
                text: format!(
                    "\"{pattern}\" in {} at {}",
                    if field.is_empty() {
                        "the payload"
                    } else {
                        field
                    },
                    stamp(at, now)
                ),
                endpoint: endpoint.to_string(),
                field: field.clone(),
                raw: excerpt.clone(),
                at: Some(at),
            });
        } else if reads == 0 {
            let reason = window_samples
                .iter()
                .rev()
                .find_map(|s| match &s.outcome {
                    PatternOutcome::NoRead(reason) => Some(reason.as_str()),
                    _ => None,
                })
                .unwrap_or("no probe in the window");
            missing.push(format!("no readable {endpoint} payload ({reason})"));
            evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                format!("no readable payload in {}: {reason}", window.describe()),
                endpoint,
                last_at,
            ));
        } else {
            evidence.push(item(
                endpoint,
                CriterionState::Met,
                format!(
                    "absent from {} in {}",
                    plural(reads, "read", "reads"),
                    window.describe()
                ),
                endpoint,
                last_at,
            ));
        }
    }
    let clean = evidence
        .iter()
        .filter(|e| e.state == CriterionState::Met)
        .count();
    let state = if !sightings.is_empty() {
        CriterionState::NotMet
    } else if !missing.is_empty() {
        CriterionState::Unknown
    } else {
        CriterionState::Met
    };
    let summary = match state {
        CriterionState::NotMet => format!("{quoted} still appears: {}.", sightings.join(", ")),
        CriterionState::Unknown => format!(
            "No {quoted} seen, but not every payload could be read: {}.",
            missing.join("; ")
        ),
        CriterionState::Met => format!(
            "No {quoted} in {} of {} over {}.",
            plural(reads_total, "read", "reads"),
            plural(endpoints.len(), "payload", "payloads"),
            window.describe()
        ),
    };
    Outcome {
        state,
        progress: percent(clean, endpoints.len()),
        summary,
        observed_at: newest(evidence.iter().map(|e| e.at)),
        evidence,
    }
}

// --- threshold ------------------------------------------------------------------------------
