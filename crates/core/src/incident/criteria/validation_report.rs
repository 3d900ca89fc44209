//! `validation_report`: the published validation script's report. Its memory (the summary of
//! the latest report) and evaluation, and the report's reading.

use super::*;

/// What one probe of the report says: its summary, or why there is none.
pub(super) fn read_report(
    outcome: &ProbeOutcome,
    payload: impl FnOnce() -> Result<Value, String>,
) -> Result<ReportSummary, String> {
    match outcome {
        ProbeOutcome::Failed(failure) => Err(format!("report not fetched: {}", failure.describe())),
        ProbeOutcome::Response(response) if response.status == 404 => {
            Err("report not published (HTTP 404 Not Found)".to_string())
        }
        ProbeOutcome::Response(response) if response.status != 200 => {
            Err(format!("report not available: HTTP {}", response.status))
        }
        _ => match payload() {
            Ok(payload) => summarize_report(&payload),
            Err(reason) => Err(format!("report not readable: {reason}")),
        },
    }
}

/// What a validation report says, counted from its test entries.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportSummary {
    /// All test entries (requests).
    pub entries: u32,
    /// Entries whose status is `passed`.
    pub passed: u32,
    /// The script's own `summary.pass_percentage`, if present.
    pub script_percentage: Option<f64>,
    /// Each category, by name.
    pub categories: Vec<CategoryResult>,
    /// `summary.end_time`, when readable.
    pub finished_at: Option<DateTime<Utc>>,
    /// `infrastructure_team_signoff.recommendation`, when present.
    pub recommendation: Option<String>,
}

impl ReportSummary {
    /// Passed entries ÷ all entries, in percent.
    pub fn pass_rate(&self) -> f64 {
        if self.entries == 0 {
            0.0
        } else {
            f64::from(self.passed) * 100.0 / f64::from(self.entries)
        }
    }
}

/// One category of a validation report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryResult {
    /// Its name, e.g. `database_operations`.
    pub name: String,
    /// Whether the script counts it as critical.
    pub critical: bool,
    /// Entries passed.
    pub passed: u32,
    /// All entries.
    pub entries: u32,
    /// `required_passing`, when given.
    pub required: Option<u32>,
    /// Whether it passes: at least `required` passed entries (the script's rule), else the
    /// script's `success`, else every entry passed.
    pub passes: bool,
}

/// Reads a `validate_infrastructure_fix.py --json` report.
pub fn summarize_report(payload: &Value) -> Result<ReportSummary, String> {
    let Some(categories) = payload.get("test_categories").and_then(Value::as_object) else {
        return Err("not a validation report (no \"test_categories\" object)".to_string());
    };
    let mut results = Vec::new();
    for (name, category) in categories {
        let tests: Vec<&Value> = match category.get("tests") {
            Some(Value::Object(map)) => map.values().collect(),
            Some(Value::Array(items)) => items.iter().collect(),
            _ => Vec::new(),
        };
        let entries = tests.len() as u32;
        let passed = tests
            .iter()
            .filter(|t| t.get("status").and_then(Value::as_str) == Some("passed"))
            .count() as u32;
        let required = category
            .get("required_passing")
            .and_then(Value::as_u64)
            .map(|n| n.min(u64::from(u32::MAX)) as u32);
        let passes = match (required, category.get("success").and_then(Value::as_bool)) {
            (Some(required), _) => passed >= required && entries > 0,
            (None, Some(success)) => success,
            (None, None) => entries > 0 && passed == entries,
        };
        results.push(CategoryResult {
            name: name.clone(),
            critical: category.get("critical").and_then(Value::as_bool) == Some(true),
            passed,
            entries,
            required,
            passes,
        });
    }
    let entries: u32 = results.iter().map(|c| c.entries).sum();
    if entries == 0 {
        return Err("the report has no test entries".to_string());
    }
    let summary = payload.get("summary");
    Ok(ReportSummary {
        entries,
        passed: results.iter().map(|c| c.passed).sum(),
        script_percentage: summary
            .and_then(|s| s.get("pass_percentage"))
            .and_then(Value::as_f64),
        categories: results,
        finished_at: summary
            .and_then(|s| s.get("end_time"))
            .and_then(Value::as_str)
            .and_then(crate::read::timestamp::parse_text)
            .map(|parsed| parsed.at),
        recommendation: payload
            .pointer("/infrastructure_team_signoff/recommendation")
            .and_then(Value::as_str)
            .map(clip),
    })
}

pub(super) fn report(
    endpoint: &str,
    min_pass_rate: f64,
    max_age_minutes: Option<u32>,
    sample: &Sample<Result<ReportSummary, String>>,
    now: DateTime<Utc>,
) -> Outcome {
    let at = Some(sample.at);
    let summary = match &sample.value {
        Err(reason) => {
            let mut outcome = Outcome::unknown(format!("{}.", capitalize(reason)));
            outcome.observed_at = at;
            outcome.evidence.push(item(
                endpoint,
                CriterionState::Unknown,
                reason.clone(),
                endpoint,
                at,
            ));
            return outcome;
        }
        Ok(summary) => summary,
    };
    let mut evidence = Vec::new();
    if let Some(finished) = summary.finished_at {
        let too_old =
            max_age_minutes.is_some_and(|m| finished < now - Duration::minutes(i64::from(m)));
        let text = format!(
            "report finished {} ({})",
            stamp(finished, now),
            crate::time::ago(now, finished)
        );
        if too_old {
            let mut outcome = Outcome::unknown(format!(
                "The latest report is too old to count: it finished {}, more than {} min ago.",
                stamp(finished, now),
                max_age_minutes.unwrap_or_default()
            ));
            outcome.observed_at = at;
            outcome
                .evidence
                .push(item(endpoint, CriterionState::Unknown, text, endpoint, at));
            return outcome;
        }
        evidence.push(item(endpoint, CriterionState::Met, text, endpoint, at));
    }
    let rate = summary.pass_rate();
    let failing: Vec<&str> = summary
        .categories
        .iter()
        .filter(|c| c.critical && !c.passes)
        .map(|c| c.name.as_str())
        .collect();
    for category in &summary.categories {
        let needs = match category.required {
            Some(required) => format!(", needs {required}"),
            None => String::new(),
        };
        evidence.push(EvidenceItem {
            subject: category.name.clone(),
            state: if category.passes {
                CriterionState::Met
            } else {
                CriterionState::NotMet
            },
            text: format!(
                "{}{}: {} of {} requests passed{needs}: {}",
                category.name,
                if category.critical { " (critical)" } else { "" },
                category.passed,
                category.entries,
                if category.passes {
                    "passing"
                } else {
                    "failing"
                }
            ),
            endpoint: endpoint.to_string(),
            field: format!("/test_categories/{}", category.name),
            raw: String::new(),
            at,
        });
    }
    let mut text = format!(
        "{} of {} test requests passed ({}%, needs {}%)",
        summary.passed,
        summary.entries,
        one_decimal(rate),
        number(min_pass_rate)
    );
    if let Some(script) = summary.script_percentage {
        if (script - rate).abs() >= 0.05 {
            let note = format!(
                "the script's own summary says {}% (it divides per-request passes by the number of paths)",
                one_decimal(script)
            );
            evidence.push(EvidenceItem {
                subject: "summary.pass_percentage".to_string(),
                state: CriterionState::Unknown,
                text: note.clone(),
                endpoint: endpoint.to_string(),
                field: "/summary/pass_percentage".to_string(),
                raw: script.to_string(),
                at,
            });
            text.push_str(&format!("; {note}"));
        }
    }
    if !failing.is_empty() {
        text.push_str(&format!(
            "; critical categories failing: {}",
            failing.join(", ")
        ));
    }
    let met = rate >= min_pass_rate && failing.is_empty();
    let mut progress = if min_pass_rate <= 0.0 {
        100.0
    } else {
        (rate / min_pass_rate).min(1.0) * 100.0
    };
    if !met {
        progress = progress.min(99.0);
    }
    Outcome {
        state: if met {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        progress: progress.floor() as u8,
        summary: format!("{}.", capitalize(&text)),
        evidence,
        observed_at: at,
    }
}
