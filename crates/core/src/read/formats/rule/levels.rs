//! What a status value means under a rule: first its `levels` in order (another field's value
//! or pattern, or the status value's own), then its `words`, then, unless `only_words`,
//! Lookout's own vocabulary. The answer is an [`Observation`]: the level with the words that
//! explain it, and the problem when there is no level.

use serde_json::Value;

use super::select::{field, render, text_of};
use super::{Level, Rule, MAX_PATTERN_CHARS};
use crate::read::{clip, clip_value, kind_of, Problem};
use crate::status::Status;

/// Values longer than this are compared on their first characters only, so a pattern never
/// scans a whole body.
const COMPARED_CHARS: usize = 4 * MAX_PATTERN_CHARS;

/// One status value read: a unit's own, one of its checks', or a text line.
#[derive(Clone, Debug)]
pub(super) struct Observation {
    /// The check or list element it belongs to (empty for a unit's own status).
    pub label: String,
    /// The level it means.
    pub status: Status,
    /// What was read, in words for people: `critical (CheckID "_node_maintenance":
    /// maintenance): reason`.
    pub said: String,
    /// Where it was read.
    pub pointer: String,
    /// The raw value, for evidence.
    pub raw: String,
    /// Why it has no level, when it has none.
    pub problem: Option<Problem>,
}

/// Reads `value` (found at `pointer`) as a status, with `subject` the unit, check or body whose
/// fields the `levels` compare. A boolean is shown after `flag` (`success false`), which names
/// it when the pointer's last key would not.
pub(super) fn observe(
    rule: &Rule,
    value: &Value,
    subject: &Value,
    pointer: &str,
    label: String,
    flag: Option<&str>,
) -> Observation {
    let raw = clip_value(value);
    let shown = match (value, flag) {
        (Value::Bool(_), Some(flag)) => format!("{flag} {raw}"),
        _ => raw.clone(),
    };
    let (status, said, problem) = match meaning(rule, value, subject) {
        Some((status, Some(why))) => (status, format!("{shown} ({why})"), None),
        Some((status, None)) => (status, shown, None),
        None => match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => (
                Status::Unknown,
                format!("\"{raw}\" is not a word this rule knows"),
                Some(Problem::UnknownWord),
            ),
            other => (
                Status::Unknown,
                format!("{} where a status was expected", kind_of(other)),
                Some(Problem::UnexpectedShape),
            ),
        },
    };
    Observation {
        label,
        status,
        said,
        pointer: pointer.to_string(),
        raw,
        problem,
    }
}

/// Adds the backend's own words (the rule's `message` in `subject`) to an observation that is
/// not operational.
pub(super) fn with_message(rule: &Rule, mut seen: Observation, subject: &Value) -> Observation {
    if seen.status == Status::Operational {
        return seen;
    }
    if let Some(words) = rule.message.as_deref().and_then(|m| render(subject, m)) {
        seen.said = format!("{}: {}", seen.said, clip(&words));
    }
    seen
}

/// The level of `value` and, when a level about another field decided, why.
fn meaning(rule: &Rule, value: &Value, subject: &Value) -> Option<(Status, Option<String>)> {
    for level in &rule.levels {
        if let Some(why) = decides(level, value, subject) {
            return Some((level.level, why));
        }
    }
    let text = match value {
        Value::String(word) => word.trim().to_string(),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        _ => return None,
    };
    let mapped = rule
        .words
        .iter()
        .find(|(word, _)| word.trim().eq_ignore_ascii_case(&text))
        .map(|(_, status)| *status);
    if mapped.is_some() || rule.only_words {
        return mapped.map(|status| (status, None));
    }
    let own = match value {
        Value::String(word) => crate::read::words::status_from_word(word),
        Value::Bool(true) => Some(Status::Operational),
        Value::Bool(false) => Some(Status::MajorOutage),
        _ => None,
    };
    own.map(|status| (status, None))
}

/// Whether `level` decides: `Some(None)` when it matched the status value itself,
/// `Some(Some(why))` when it matched another field, `None` when it does not apply.
fn decides(level: &Level, value: &Value, subject: &Value) -> Option<Option<String>> {
    let compared = match &level.field {
        Some(name) => field(subject, name).map(|(v, _)| v)?,
        None => value,
    };
    let text: String = text_of(compared)?
        .trim()
        .chars()
        .take(COMPARED_CHARS)
        .collect();
    let matched = match (&level.equals, &level.matches) {
        (Some(equals), _) => equals.trim().eq_ignore_ascii_case(&text),
        (None, Some(pattern)) => glob(pattern, &text),
        (None, None) => false,
    };
    if !matched {
        return None;
    }
    let why = level.field.as_ref().map(|name| {
        format!(
            "{name} \"{}\": {}",
            clip(&text),
            level.level.label().to_ascii_lowercase()
        )
    });
    Some(why)
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters; ASCII letters
/// compare case-insensitively. Greedy with one backtrack point, so linear in practice and never
/// worse than the product of the two lengths.
pub(super) fn glob(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let text: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((at, from)) = star {
            // Let the last star swallow one more character and try again.
            p = at + 1;
            t = from + 1;
            star = Some((at, from + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// The last key of a pointer (`/results/-1/success` → `success`), to say what a boolean is.
pub(super) fn last_key(pointer: &str) -> &str {
    pointer.rsplit('/').next().unwrap_or(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_runs_case_insensitively() {
        assert!(glob("_service_maintenance:*", "_service_maintenance:web-1"));
        assert!(glob("*timeout*", "Read TIMEOUT after 5s"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(glob("*", ""));
        assert!(!glob("a*b", "a"));
        assert!(!glob("_node_maintenance", "_node_maintenance2"));
        assert!(glob("", ""));
        assert!(!glob("", "x"));
    }
}
