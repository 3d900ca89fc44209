//! Checks a rule before it is used, beyond what the configuration's shapes check: something to
//! read, well-formed pointers, fields and templates, levels that can match, limits, and fields
//! that do not apply to the body kind or to each other. Each problem names the field it is
//! about, so the configuration reports it at its JSON path.

use super::select::pieces;
use super::{Body, Rollup, Rule, MAX_DEPTH, MAX_LEVELS, MAX_PATTERN_CHARS};

/// One thing wrong with a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleProblem {
    /// The field, relative to the rule (`levels[1].matches`); empty for the rule as a whole.
    pub field: String,
    /// What is wrong, and what would be right.
    pub message: String,
}

/// The fields that only a JSON body has.
const JSON_ONLY: [&str; 12] = [
    "status",
    "components",
    "name",
    "message",
    "checks",
    "check_name",
    "nested",
    "depth",
    "failures",
    "critical",
    "latency",
    "time",
];

impl Rule {
    /// Every problem of the rule; empty when it can be used.
    pub fn problems(&self) -> Vec<RuleProblem> {
        let mut found = Vec::new();
        let mut problem = |field: &str, message: String| {
            found.push(RuleProblem {
                field: field.to_string(),
                message,
            });
        };
        match self.body {
            Body::Json => self.json_problems(&mut problem),
            Body::Text => self.text_problems(&mut problem),
        }
        self.field_problems(&mut problem);
        self.level_problems(&mut problem);
        if let Some(word) = self.words.keys().find(|w| w.trim().is_empty()) {
            problem("words", format!("has an empty word \"{word}\""));
        }
        found
    }

    /// The fields set, by name, that only JSON bodies have.
    fn json_fields_set(&self) -> Vec<&'static str> {
        let set = [
            self.status.is_some(),
            self.components.is_some(),
            self.name.is_some(),
            self.message.is_some(),
            self.checks.is_some(),
            self.check_name.is_some(),
            self.nested.is_some(),
            self.depth.is_some(),
            self.failures.is_some(),
            self.critical.is_some(),
            self.latency.is_some(),
            self.time.is_some(),
        ];
        JSON_ONLY
            .iter()
            .zip(set)
            .filter(|(_, set)| *set)
            .map(|(name, _)| *name)
            .collect()
    }

    fn json_problems(&self, problem: &mut impl FnMut(&str, String)) {
        if self.status.is_none() && self.components.is_none() {
            let message = if self.failures.is_some() {
                "needs \"status\" or \"components\" besides \"failures\": a body without failures does not say it is up"
            } else {
                "needs \"status\" (a JSON pointer to the status) or \"components\" (a JSON pointer to the components), or both"
            };
            problem("", message.to_string());
        }
        for (key, pointer) in [
            ("status", &self.status),
            ("components", &self.components),
            ("failures", &self.failures),
            ("time", &self.time),
        ] {
            if let Some(pointer) = pointer {
                if !pointer.is_empty() && !pointer.starts_with('/') {
                    problem(key, format!(
                        "must be a JSON pointer starting with '/' (or \"\" for the whole body), found \"{pointer}\""
                    ));
                }
            }
        }
        if self.rollup == Rollup::Statuspage && self.status.is_some() {
            problem("rollup", "\"statuspage\" decides the overall status only when the rule has no \"status\"; here \"status\" decides: drop one".to_string());
        }
        if let Some(depth) = self.depth {
            if self.nested.is_none() {
                problem(
                    "depth",
                    "needs \"nested\" (the field holding the nested components)".to_string(),
                );
            }
            if !(1..=MAX_DEPTH).contains(&depth) {
                problem(
                    "depth",
                    format!("must be from 1 to {MAX_DEPTH}, found {depth}"),
                );
            }
        }
        if self.separator.is_some() {
            problem(
                "separator",
                "applies to text bodies only (\"body\": \"text\")".to_string(),
            );
        }
    }

    fn text_problems(&self, problem: &mut impl FnMut(&str, String)) {
        for field in self.json_fields_set() {
            problem(
                field,
                "applies to JSON bodies only; a text rule (\"body\": \"text\") reads lines"
                    .to_string(),
            );
        }
        if self.status_field != "status" {
            problem(
                "status_field",
                "applies to JSON bodies only; a text rule (\"body\": \"text\") reads lines"
                    .to_string(),
            );
        }
        if self.separator.as_deref().is_some_and(str::is_empty) {
            problem("separator", "must not be empty".to_string());
        }
    }

    /// Unit fields and templates.
    fn field_problems(&self, problem: &mut impl FnMut(&str, String)) {
        for (key, field) in [
            ("name", self.name.as_deref()),
            ("status_field", Some(self.status_field.as_str())),
            ("message", self.message.as_deref()),
            ("checks", self.checks.as_deref()),
            ("check_name", self.check_name.as_deref()),
            ("nested", self.nested.as_deref()),
            ("critical", self.critical.as_deref()),
            ("latency", self.latency.as_deref()),
        ] {
            let Some(field) = field else {
                continue;
            };
            if field.trim().is_empty() {
                problem(key, "must not be empty".to_string());
            } else if matches!(key, "name" | "check_name" | "message") {
                if let Err(why) = pieces(field) {
                    problem(key, why);
                }
            }
        }
    }

    fn level_problems(&self, problem: &mut impl FnMut(&str, String)) {
        if self.levels.len() > MAX_LEVELS {
            problem(
                "levels",
                format!("at most {MAX_LEVELS} levels, found {}", self.levels.len()),
            );
        }
        for (index, level) in self.levels.iter().enumerate() {
            let at = |field: &str| format!("levels[{index}]{field}");
            match (&level.equals, &level.matches) {
                (None, None) => problem(
                    &at(""),
                    "needs \"equals\" (a text) or \"matches\" (a pattern with * wildcards)"
                        .to_string(),
                ),
                (Some(_), Some(_)) => problem(
                    &at(""),
                    "has both \"equals\" and \"matches\"; keep one".to_string(),
                ),
                (None, Some(pattern)) if pattern.is_empty() => {
                    problem(&at(".matches"), "must not be empty".to_string())
                }
                _ => {}
            }
            for (key, text) in [("equals", &level.equals), ("matches", &level.matches)] {
                if text
                    .as_ref()
                    .is_some_and(|t| t.chars().count() > MAX_PATTERN_CHARS)
                {
                    problem(
                        &at(&format!(".{key}")),
                        format!("is longer than {MAX_PATTERN_CHARS} characters"),
                    );
                }
            }
            match (&level.field, self.body) {
                (Some(_), Body::Text) => problem(&at(".field"), "a text rule reads lines, which have no fields: drop \"field\" to match the word".to_string()),
                (Some(field), Body::Json) if field.trim().is_empty() => problem(&at(".field"), "must not be empty".to_string()),
                _ => {}
            }
        }
    }
}
