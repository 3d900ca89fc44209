//! A bounded history of each component's status, for uptime figures and the bar strip, in a
//! versioned form that survives a reload (the browser keeps it in `localStorage`).

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::board::ComponentView;
use crate::order::sort_stable_by_key;
use crate::status::Status;

/// The version of the stored form; anything else is dropped, not guessed at.
pub const HISTORY_SCHEMA: u32 = 1;
/// Samples kept per component (at the default 30 s interval, two hours).
pub const MAX_SAMPLES: usize = 240;

/// One observation of one component.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// When it was checked, in Unix seconds.
    pub at: i64,
    /// Its status then.
    pub status: Status,
    /// Its slowest source's round trip, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u32>,
}

impl Sample {
    /// The sample's time.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.at, 0)
    }
}

/// Why a stored history was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryRejected {
    /// Not JSON, or not the shape of a history.
    Corrupt(String),
    /// Written by another schema version.
    OtherSchema(u32),
    /// Written for another incident.
    OtherIncident(String),
}

impl std::fmt::Display for HistoryRejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryRejected::Corrupt(why) => {
                write!(f, "stored history is corrupt ({why}); starting afresh")
            }
            HistoryRejected::OtherSchema(version) => {
                write!(f, "stored history has schema {version}, this build reads {HISTORY_SCHEMA}; starting afresh")
            }
            HistoryRejected::OtherIncident(id) => write!(
                f,
                "stored history belongs to incident {id}; starting afresh"
            ),
        }
    }
}

/// Per-component samples, oldest first, at most [`MAX_SAMPLES`] each.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Always [`HISTORY_SCHEMA`] when written by this build.
    pub schema: u32,
    /// The incident the samples belong to.
    pub incident: String,
    /// Samples per component id.
    pub components: BTreeMap<String, VecDeque<Sample>>,
}

impl History {
    /// An empty history of incident `incident`.
    pub fn new(incident: &str) -> History {
        History {
            schema: HISTORY_SCHEMA,
            incident: incident.to_string(),
            components: BTreeMap::new(),
        }
    }

    /// Reads a stored history of incident `incident`, refusing anything else.
    pub fn from_json(text: &str, incident: &str) -> Result<History, HistoryRejected> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| HistoryRejected::Corrupt(e.to_string()))?;
        let schema = value.get("schema").and_then(serde_json::Value::as_u64);
        if schema != Some(u64::from(HISTORY_SCHEMA)) {
            return Err(match schema {
                Some(other) => HistoryRejected::OtherSchema(other.min(u64::from(u32::MAX)) as u32),
                None => HistoryRejected::Corrupt("no schema version".to_string()),
            });
        }
        let mut history: History =
            serde_json::from_value(value).map_err(|e| HistoryRejected::Corrupt(e.to_string()))?;
        if history.incident != incident {
            return Err(HistoryRejected::OtherIncident(history.incident));
        }
        for samples in history.components.values_mut() {
            sort_stable_by_key(samples.make_contiguous(), |s| s.at);
            while samples.len() > MAX_SAMPLES {
                samples.pop_front();
            }
        }
        Ok(history)
    }

    /// Drops samples later than `now`: a forged or clock-skewed entry from the future would
    /// otherwise stop every later sample from being recorded (samples only move forward).
    pub fn without_future(mut self, now: DateTime<Utc>) -> History {
        let now = now.timestamp();
        for samples in self.components.values_mut() {
            samples.retain(|s| s.at <= now);
        }
        self
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Adds a sample for every component checked since its last sample. Returns whether
    /// anything was added.
    pub fn record(&mut self, views: &[ComponentView]) -> bool {
        let mut added = false;
        for view in views {
            // The newest source's time: with the oldest, a probe of one source would rewrite
            // the sample of an earlier moment with a status seen later.
            let Some(observed_at) = view.observed_at.or(view.checked_at) else {
                continue;
            };
            let sample = Sample {
                at: observed_at.timestamp(),
                status: view.status,
                latency_ms: view.latency_ms,
            };
            let samples = self.components.entry(view.id.clone()).or_default();
            match samples.back_mut() {
                Some(last) if last.at > sample.at => continue,
                // Sources of one component answer within the same second: keep its final word.
                Some(last) if last.at == sample.at => {
                    if *last == sample {
                        continue;
                    }
                    *last = sample;
                    added = true;
                    continue;
                }
                _ => {}
            }
            samples.push_back(sample);
            if samples.len() > MAX_SAMPLES {
                samples.pop_front();
            }
            added = true;
        }
        added
    }

    /// Merges samples from another history of the same incident (e.g. a published file), keeping
    /// time order, dropping duplicates and the oldest beyond [`MAX_SAMPLES`].
    pub fn merge(&mut self, other: &History) {
        for (id, incoming) in &other.components {
            let samples = self.components.entry(id.clone()).or_default();
            let mut all: Vec<Sample> = samples.iter().chain(incoming.iter()).copied().collect();
            sort_stable_by_key(&mut all, |s| s.at);
            all.dedup_by_key(|s| s.at);
            let skip = all.len().saturating_sub(MAX_SAMPLES);
            *samples = all.into_iter().skip(skip).collect();
        }
    }

    /// The samples of a component, oldest first.
    pub fn samples(&self, id: &str) -> Vec<Sample> {
        self.components
            .get(id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The share of known samples in the last `window` before `now` that were operational (or
    /// in maintenance), as a percentage; `None` without known samples.
    pub fn uptime_percent(&self, id: &str, now: DateTime<Utc>, window: Duration) -> Option<f64> {
        let since = (now - window).timestamp();
        let samples = self.components.get(id)?;
        let known: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.at >= since && s.status != Status::Unknown)
            .collect();
        if known.is_empty() {
            return None;
        }
        let up = known
            .iter()
            .filter(|s| matches!(s.status, Status::Operational | Status::Maintenance))
            .count();
        Some(up as f64 * 100.0 / known.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn view(id: &str, status: Status, second: i64) -> ComponentView {
        ComponentView {
            id: id.to_string(),
            name: id.to_string(),
            description: String::new(),
            critical: true,
            status,
            reason: String::new(),
            evidence: Vec::new(),
            checked_at: Some(Utc.timestamp_opt(1_758_000_000 + second, 0).unwrap()),
            observed_at: Some(Utc.timestamp_opt(1_758_000_000 + second, 0).unwrap()),
            latency_ms: Some(20),
        }
    }

    #[test]
    fn records_each_check_once_and_stays_bounded() {
        let mut history = History::new("1278");
        assert!(history.record(&[view("db", Status::MajorOutage, 0)]));
        assert!(
            !history.record(&[view("db", Status::MajorOutage, 0)]),
            "same check twice"
        );
        for second in 1..=(MAX_SAMPLES as i64 + 10) {
            history.record(&[view("db", Status::Operational, second)]);
        }
        let samples = history.samples("db");
        assert_eq!(samples.len(), MAX_SAMPLES);
        assert_eq!(samples[0].at, 1_758_000_011);
    }

    #[test]
    fn a_later_probe_of_one_source_never_rewrites_an_earlier_sample() {
        let mut history = History::new("1278");
        history.record(&[view("redis", Status::Operational, 0)]);
        // One of two sources answered again at second 1; the other's answer is still from 0.
        let mut later = view("redis", Status::MajorOutage, 0);
        later.observed_at = Some(Utc.timestamp_opt(1_758_000_001, 0).unwrap());
        assert!(history.record(&[later]));
        let statuses: Vec<(i64, Status)> = history
            .samples("redis")
            .iter()
            .map(|s| (s.at - 1_758_000_000, s.status))
            .collect();
        assert_eq!(
            statuses,
            [(0, Status::Operational), (1, Status::MajorOutage)]
        );
    }

    #[test]
    fn uptime_counts_known_samples_in_the_window() {
        let mut history = History::new("1278");
        for (second, status) in [
            (0, Status::MajorOutage),
            (30, Status::Unknown),
            (60, Status::Operational),
            (90, Status::Operational),
        ] {
            history.record(&[view("db", status, second)]);
        }
        let now = Utc.timestamp_opt(1_758_000_090, 0).unwrap();
        let all = history
            .uptime_percent("db", now, Duration::hours(1))
            .unwrap();
        assert!((all - 66.666).abs() < 0.01, "{all}");
        assert_eq!(
            history.uptime_percent("db", now, Duration::seconds(40)),
            Some(100.0)
        );
        assert_eq!(
            history.uptime_percent("cache", now, Duration::hours(1)),
            None
        );
    }

    #[test]
    fn a_stored_sample_from_the_future_cannot_freeze_the_strip() {
        let forged = r#"{"schema":1,"incident":"1278","components":{"db":[{"at":1758000000,"status":"operational"},{"at":32503680000,"status":"operational"}]}}"#;
        let now = Utc.timestamp_opt(1_758_000_005, 0).unwrap();
        let mut history = History::from_json(forged, "1278")
            .unwrap()
            .without_future(now);
        assert_eq!(history.samples("db").len(), 1);
        assert!(history.record(&[view("db", Status::MajorOutage, 5)]));
        assert_eq!(history.samples("db")[1].status, Status::MajorOutage);
    }

    #[test]
    fn survives_a_round_trip_and_refuses_what_is_not_ours() {
        let mut history = History::new("1278");
        history.record(&[view("db", Status::Degraded, 0)]);
        let text = history.to_json();
        assert_eq!(History::from_json(&text, "1278").unwrap(), history);
        assert_eq!(
            History::from_json(&text, "1300"),
            Err(HistoryRejected::OtherIncident("1278".to_string()))
        );
        assert!(matches!(
            History::from_json("{not json", "1278"),
            Err(HistoryRejected::Corrupt(_))
        ));
        assert_eq!(
            History::from_json(r#"{"schema":0,"incident":"1278","components":{}}"#, "1278"),
            Err(HistoryRejected::OtherSchema(0))
        );
        let wrong_types = r#"{"schema":1,"incident":"1278","components":{"db":[{"at":"yesterday","status":"purple"}]}}"#;
        assert!(matches!(
            History::from_json(wrong_types, "1278"),
            Err(HistoryRejected::Corrupt(_))
        ));
    }

    #[test]
    fn merging_a_published_history_keeps_order_without_duplicates() {
        let mut local = History::new("1278");
        local.record(&[view("db", Status::Operational, 60)]);
        let mut published = History::new("1278");
        published.record(&[view("db", Status::MajorOutage, 0)]);
        published.record(&[view("db", Status::Operational, 60)]);
        local.merge(&published);
        let samples = local.samples("db");
        assert_eq!(
            samples
                .iter()
                .map(|s| s.at - 1_758_000_000)
                .collect::<Vec<_>>(),
            [0, 60]
        );
    }
}
