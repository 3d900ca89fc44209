//! `threshold`: the latest payload's numbers against their thresholds, or the fallback status
//! field. Its memory (the numbers read from the latest payload) and evaluation.

use super::*;

#[derive(Clone, Debug)]
pub(super) struct Extract {
    numbers: Vec<Option<NumberRead>>,
    fallback: Option<(String, String)>,
}

#[derive(Clone, Debug)]
pub(super) struct NumberRead {
    field: String,
    raw: String,
    value: f64,
    unit: String,
}

/// Reads a number from a JSON number or a string such as `"1.284s"`, `"2.4%"`, `"97.6"`.
pub fn read_number(value: &Value) -> Option<(f64, String)> {
    match value {
        Value::Number(number) => number.as_f64().map(|n| (n, String::new())),
        Value::String(text) => crate::read::parse_number_with_unit(text),
        _ => None,
    }
}

pub(super) fn extract(
    payload: &Value,
    checks: &[NumberCheck],
    fallback: Option<&StatusCheck>,
) -> Extract {
    let numbers = checks
        .iter()
        .map(|check| {
            check.fields.iter().find_map(|field| {
                let value = payload.pointer(field)?;
                let (number, unit) = read_number(value)?;
                Some(NumberRead {
                    field: field.clone(),
                    raw: clip(&value.to_string()),
                    value: number,
                    unit,
                })
            })
        })
        .collect();
    let fallback = fallback.and_then(|f| {
        f.fields.iter().find_map(|field| {
            let text = payload.pointer(field)?.as_str()?;
            Some((field.clone(), clip(text)))
        })
    });
    Extract { numbers, fallback }
}

/// How close `value` is to meeting `op threshold`, 0–100 (see the module documentation).
pub fn closeness(op: Op, value: f64, threshold: f64) -> u8 {
    if op.holds(value, threshold) {
        return 100;
    }
    let ratio = if op.lower_is_better() {
        if value > 0.0 && threshold > 0.0 {
            threshold / value
        } else {
            0.0
        }
    } else if threshold > 0.0 {
        value / threshold
    } else {
        0.0
    };
    (ratio * 100.0).floor().clamp(0.0, 99.0) as u8
}

pub(super) fn threshold(
    endpoint: &str,
    checks: &[NumberCheck],
    fallback: Option<&StatusCheck>,
    sample: &Sample<Result<Extract, String>>,
    now: DateTime<Utc>,
) -> Outcome {
    let at = Some(sample.at);
    let extract = match &sample.value {
        Err(reason) => {
            let mut outcome =
                Outcome::unknown(format!("No readable {endpoint} payload: {reason}."));
            outcome.observed_at = at;
            return outcome;
        }
        Ok(extract) => extract,
    };
    let when = stamp(sample.at, now);
    if extract.numbers.iter().any(Option::is_some) {
        let mut evidence = Vec::new();
        let mut progress = 100u8;
        for (check, read) in checks.iter().zip(&extract.numbers) {
            let label = if check.label.is_empty() {
                check.fields.first().cloned().unwrap_or_default()
            } else {
                check.label.clone()
            };
            let wanted = format!(
                "{} {}{}",
                check.op.as_str(),
                number(check.value),
                unit_suffix(&check.unit)
            );
            let Some(read) = read else {
                progress = 0;
                evidence.push(item(
                    &label,
                    CriterionState::Unknown,
                    format!(
                        "not reported by {endpoint} (tried {})",
                        check.fields.join(", ")
                    ),
                    endpoint,
                    at,
                ));
                continue;
            };
            let Some(value) = convert(read.value, &read.unit, &check.unit) else {
                progress = 0;
                evidence.push(EvidenceItem {
                    subject: label,
                    state: CriterionState::Unknown,
                    text: format!(
                        "{} is in {}, the threshold in {}: cannot compare",
                        read.raw, read.unit, check.unit
                    ),
                    endpoint: endpoint.to_string(),
                    field: read.field.clone(),
                    raw: read.raw.clone(),
                    at,
                });
                continue;
            };
            let holds = check.op.holds(value, check.value);
            progress = progress.min(closeness(check.op, value, check.value));
            evidence.push(EvidenceItem {
                subject: label.clone(),
                state: if holds {
                    CriterionState::Met
                } else {
                    CriterionState::NotMet
                },
                text: format!(
                    "{label} {}{} at {when}: needs {wanted}",
                    number(value),
                    unit_suffix(if check.unit.is_empty() {
                        &read.unit
                    } else {
                        &check.unit
                    })
                ),
                endpoint: endpoint.to_string(),
                field: read.field.clone(),
                raw: read.raw.clone(),
                at,
            });
        }
        let state = CriterionState::worst(evidence.iter().map(|e| e.state));
        let parts: Vec<String> = evidence.iter().map(|e| e.text.clone()).collect();
        let summary = match state {
            CriterionState::Met => format!("Within thresholds: {}.", parts.join("; ")),
            CriterionState::NotMet => {
                let off: Vec<String> = evidence
                    .iter()
                    .filter(|e| e.state == CriterionState::NotMet)
                    .map(|e| e.text.clone())
                    .collect();
                format!("Over threshold: {}.", off.join("; "))
            }
            CriterionState::Unknown => {
                format!("Not every number could be read: {}.", parts.join("; "))
            }
        };
        return Outcome {
            state,
            progress,
            summary,
            evidence,
            observed_at: at,
        };
    }
    let tried: Vec<&str> = checks
        .iter()
        .flat_map(|c| c.fields.iter().map(String::as_str))
        .collect();
    match (fallback, &extract.fallback) {
        (Some(rule), Some((field, value))) => {
            let holds = rule
                .equals
                .iter()
                .any(|w| w.eq_ignore_ascii_case(value.trim()));
            let wanted = rule.equals.join(" or ");
            let state = if holds {
                CriterionState::Met
            } else {
                CriterionState::NotMet
            };
            let why = if tried.is_empty() {
                String::new()
            } else {
                " (this backend reports no connection numbers; status fallback)".to_string()
            };
            let text = format!("{field} is \"{value}\" at {when}: needs {wanted}{why}");
            Outcome {
                state,
                progress: if holds { 100 } else { 0 },
                summary: format!("{}.", capitalize(&text)),
                evidence: vec![EvidenceItem {
                    subject: field.clone(),
                    state,
                    text,
                    endpoint: endpoint.to_string(),
                    field: field.clone(),
                    raw: value.clone(),
                    at,
                }],
                observed_at: at,
            }
        }
        _ => {
            let mut fields = tried.clone();
            if let Some(rule) = fallback {
                fields.extend(rule.fields.iter().map(String::as_str));
            }
            let mut outcome = Outcome::unknown(format!(
                "{endpoint} reports none of {} (latest payload {when}).",
                fields.join(", ")
            ));
            outcome.observed_at = at;
            outcome
        }
    }
}

/// Converts `value` from `from` into `to` when they are different time units; the same unit,
/// or an empty one on either side, needs no conversion; anything else cannot be compared.
pub(super) fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    if from.is_empty() || to.is_empty() || from.eq_ignore_ascii_case(to) {
        return Some(value);
    }
    Some(value * unit_scale(from)? / unit_scale(to)?)
}

pub(super) fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" => "%".to_string(),
        other => format!(" {other}"),
    }
}

// --- websocket ------------------------------------------------------------------------------
