//! Plain-text bodies under a rule (`"body": "text"`), line by line: with a `separator`, a line
//! `name<separator>word` is a unit named `name`; any other line is a status line of the body
//! itself (ASP.NET HealthChecks answers just `Healthy`, `Degraded` or `Unhealthy`). Words are
//! read by the rule's `levels` (patterns over the word), `words` and Lookout's vocabulary.

use serde_json::Value;

use super::levels::{observe, Observation};
use super::units::{compose, Found};
use super::{rollup, Rule, MAX_LINES};
use crate::read::{fold_parts, reconcile_http, Reader, Reading, Sheet};
use crate::status::Status;

const SHAPE: &str = "rule (text)";

/// Reads a text `body` with `rule`.
pub(crate) fn read_text(reader: &Reader, rule: &Rule, body: &str) -> Reading {
    let mut sheet = Sheet::default();
    let mut found = Found::default();
    let mut own: Vec<Observation> = Vec::new();
    let mut read = 0;
    for (index, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if read == MAX_LINES {
            sheet.note(format!(
                "more than {MAX_LINES} lines; the rest were not read"
            ));
            break;
        }
        read += 1;
        let pointer = format!("line {}", index + 1);
        match split(rule, line) {
            Some((name, word)) => {
                let seen = observe(
                    rule,
                    &text(word),
                    &Value::Null,
                    &pointer,
                    String::new(),
                    None,
                );
                found.add(name, true, vec![seen], false);
            }
            None => own.push(observe(
                rule,
                &text(line),
                &Value::Null,
                &pointer,
                String::new(),
                None,
            )),
        }
    }
    let top = found.finish(reader, !own.is_empty(), &mut sheet);
    let overall = if own.is_empty() {
        rollup::decide(reader, rule, &top, &mut sheet)
    } else {
        let finding = compose(reader, "body", &own);
        if finding.status == Status::Unknown && sheet.problem.is_none() {
            sheet.problem = own.iter().find_map(|o| o.problem);
        }
        fold_parts(finding, &sheet.parts)
    };
    sheet.finish(reconcile_http(reader, overall), SHAPE)
}

fn text(word: &str) -> Value {
    Value::String(word.to_string())
}

/// A line's unit name and word, when the rule has a separator and the line has a name before it.
fn split<'l>(rule: &Rule, line: &'l str) -> Option<(&'l str, &'l str)> {
    let separator = rule.separator.as_deref().filter(|s| !s.is_empty())?;
    let (name, word) = line.split_once(separator)?;
    let name = name.trim();
    (!name.is_empty()).then(|| (name, word.trim()))
}
