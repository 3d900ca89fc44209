//! `threshold`: the latest payload's numbers against their thresholds, or the fallback status
//! field. Its memory (the numbers read from the latest payload) and evaluation.

use super::*;

#[derive(Clone, Debug)]
pub(super) struct Extract {
    numbers: Vec<Option<NumberRead>>,
    fallback: Option<FallbackRead>,
}

/// The status field the fallback read, and whether its value is accepted.
#[derive(Clone, Debug)]
pub(super) struct FallbackRead {
    field: String,
    /// The value as written, truncated: a word, `true`/`false` or a number.
    raw: String,
    /// The value for a sentence: a word in quotes, a boolean or number as is.
    shown: String,
    holds: bool,
}

#[derive(Clone, Debug)]
pub(super) struct NumberRead {
    field: String,
    raw: String,
    value: f64,
    unit: String,
}

/// Reads a number from a JSON number, a string such as `"1.284s"`, `"2.4%"`, `"97.6"`, or a
/// boolean (`true` is 1 and `false` 0, so `">=", 1` asks for `true`).
pub fn read_number(value: &Value) -> Option<(f64, String)> {
    match value {
        Value::Number(number) => number.as_f64().map(|n| (n, String::new())),
        Value::String(text) => crate::read::parse_number_with_unit(text),
        Value::Bool(flag) => Some((if *flag { 1.0 } else { 0.0 }, String::new())),
        _ => None,
    }
}

/// Whether a status field's `value` (a string, boolean or number) is the accepted `expected`:
/// words case-insensitively, booleans and numbers by value or as the same word.
pub(super) fn accepts(expected: &Scalar, value: &Value) -> bool {
    let text = match value {
        Value::String(text) => text.trim().to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        _ => return false,
    };
    match expected {
        Scalar::Word(word) => word.trim().eq_ignore_ascii_case(&text),
        Scalar::Flag(flag) => text.eq_ignore_ascii_case(&flag.to_string()),
        Scalar::Number(number) => value.as_f64().or_else(|| text.parse().ok()) == Some(*number),
    }
}

/// An accepted value for a sentence.
fn scalar_text(expected: &Scalar) -> String {
    match expected {
        Scalar::Word(word) => word.clone(),
        Scalar::Flag(flag) => flag.to_string(),
        Scalar::Number(value) => number(*value),
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
    let fallback = fallback.and_then(|rule| {
        rule.fields.iter().find_map(|field| {
            let value = payload.pointer(field)?;
            let (raw, shown) = match value {
                Value::String(text) => (clip(text), format!("\"{}\"", clip(text))),
                Value::Bool(_) | Value::Number(_) => (value.to_string(), value.to_string()),
                _ => return None,
            };
            Some(FallbackRead {
                field: field.clone(),
                holds: rule.equals.iter().any(|e| accepts(e, value)),
                raw,
                shown,
            })
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
                    "{label} {} at {when}: needs {wanted}",
                    shown(read, value, check)
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
        (Some(rule), Some(read)) => {
            let holds = read.holds;
            let wanted: Vec<String> = rule.equals.iter().map(scalar_text).collect();
            let wanted = wanted.join(" or ");
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
            let text = format!(
                "{} is {} at {when}: needs {wanted}{why}",
                read.field, read.shown
            );
            Outcome {
                state,
                progress: if holds { 100 } else { 0 },
                summary: format!("{}.", capitalize(&text)),
                evidence: vec![EvidenceItem {
                    subject: read.field.clone(),
                    state,
                    text,
                    endpoint: endpoint.to_string(),
                    field: read.field.clone(),
                    raw: read.raw.clone(),
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

/// A number read for a sentence, in the check's unit; a boolean as written, with the number it
/// counts as.
fn shown(read: &NumberRead, value: f64, check: &NumberCheck) -> String {
    if matches!(read.raw.as_str(), "true" | "false") {
        return format!("{} (counts as {})", read.raw, number(value));
    }
    let unit = if check.unit.is_empty() {
        &read.unit
    } else {
        &check.unit
    };
    format!("{}{}", number(value), unit_suffix(unit))
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
