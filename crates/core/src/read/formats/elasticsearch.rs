//! Elasticsearch (and OpenSearch) `GET /_cluster/health`: `cluster_name`, `status`
//! (`green`, `yellow`, `red`), `timed_out` and shard and node counts. The documentation defines
//! the colours by shard allocation: green, every shard assigned; yellow, every primary
//! assigned but some replicas not (fully working, less redundant); red, some primary shards
//! unassigned, so some data is unavailable while the rest is served: the cluster is partially
//! functional, a partial outage rather than a major one.

use serde_json::{Map, Value};

use crate::read::{
    clip, fold_parts, reconcile_http, status_value_problem, vocabulary_finding, Reader, Reading,
    Sheet,
};
use crate::status::Status;

const SHAPE: &str = "Elasticsearch cluster health";

/// The counts kept as metrics, with their units.
const COUNTS: [(&str, &str); 8] = [
    ("number_of_nodes", ""),
    ("number_of_data_nodes", ""),
    ("active_shards_percent_as_number", "%"),
    ("unassigned_shards", ""),
    ("initializing_shards", ""),
    ("relocating_shards", ""),
    ("number_of_pending_tasks", ""),
    ("task_max_waiting_in_queue_millis", "ms"),
];

/// A cluster colour's level.
pub fn colour_status(word: &str) -> Option<Status> {
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "green" => Status::Operational,
        "yellow" => Status::Degraded,
        "red" => Status::PartialOutage,
        _ => return None,
    })
}

/// Whether `object` is a cluster health answer: a `cluster_name`, a colour `status` and the
/// node count.
pub(crate) fn recognises(object: &Map<String, Value>) -> bool {
    object.get("cluster_name").is_some_and(Value::is_string)
        && object.contains_key("number_of_nodes")
        && object
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|word| colour_status(word).is_some())
}

/// Reads a cluster health object.
pub(crate) fn read(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    for (key, unit) in COUNTS {
        if let Some(value) = object.get(key) {
            sheet.metric(key, value, &format!("/{key}"), unit);
        }
    }
    let cluster = object
        .get("cluster_name")
        .and_then(Value::as_str)
        .map_or_else(
            || "cluster".to_string(),
            |name| format!("cluster {}", clip(name)),
        );
    let status = object.get("status").unwrap_or(&Value::Null);
    let mut overall = vocabulary_finding(reader, status, "/status", &cluster, &colour_status);
    if let Some(problem) = status_value_problem(status, &overall) {
        sheet.problem = Some(problem);
    }
    overall.reason = format!("{}{}", overall.reason, meaning(overall.status, object));
    if object.get("timed_out") == Some(&Value::Bool(true)) {
        overall
            .reason
            .push_str("; the health request timed out before its wait condition held");
    }
    let overall = reconcile_http(reader, fold_parts(overall, &sheet.parts));
    sheet.finish(overall, SHAPE)
}

/// What the colour means, in the documentation's terms, with the unassigned shard count.
fn meaning(status: Status, object: &Map<String, Value>) -> String {
    let unassigned = object
        .get("unassigned_shards")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
        .map(|n| format!(", {n} unassigned shards"))
        .unwrap_or_default();
    let what = match status {
        Status::Operational => "all shards assigned",
        Status::Degraded => "all primary shards assigned, some replicas not",
        Status::PartialOutage => {
            "partially functional: some primary shards unassigned, their data unavailable"
        }
        _ => return String::new(),
    };
    format!(" ({what}{unassigned})")
}
