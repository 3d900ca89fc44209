//! The runtime configuration placed next to `index.html`: the incident, the services and
//! endpoints to probe, and the components shown on the page. Parsing and validation live here so
//! the page and the native tools reject a bad file with the same precise messages.

pub(crate) mod declare;
mod endpoint_format;
pub(crate) mod schema;
pub mod sections;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::declare::{declare, Declared};
use crate::config::schema::Walk;
use crate::config::sections::{ActionItem, Communication, Criterion, Impact, Link, Timeline};
use crate::read::Format;

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The shortest probe interval allowed: every open tab probes, so faster would hurt the backend.
pub const MIN_INTERVAL_SECONDS: u32 = 5;

declare! {
    #![lenient]
    /// The whole configuration.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Config {
        /// Must equal [`SCHEMA_VERSION`].
        pub schema_version: u32,
        /// What the incident is.
        pub incident: Incident,
        /// Named base URLs the endpoints are relative to.
        pub services: BTreeMap<String, Service>,
        /// Defaults for probing.
        pub probing: Probing = Probing::default(),
        /// Everything the page probes.
        pub endpoints: Vec<Endpoint>,
        /// What the page shows, one row each.
        pub components: Vec<ComponentConfig>,
        /// A published snapshot the page reads first (the prober's snapshot, `monitor::snapshot`).
        pub snapshot: Option<SnapshotSource> = None,
        /// What must hold for the incident to be resolved, evaluated live.
        pub criteria: Vec<Criterion> = Vec::new(),
        /// What the incident costs the business.
        pub impact: Option<Impact> = None,
        /// The resolution phases and their estimates.
        pub timeline: Option<Timeline> = None,
        /// How often status updates are owed.
        pub communication: Option<Communication> = None,
        /// The P0 action items per owner team.
        pub action_items: Vec<ActionItem> = Vec::new(),
    }
}

declare! {
    /// Where the page finds a prober's snapshot, how old it may be, and whether viewers still
    /// probe.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct SnapshotSource {
        /// The snapshot file, relative to the config file (or an http(s) URL).
        pub url: String,
        /// Older than this, the snapshot is shown as stale and never as the current status.
        pub max_age_seconds: u32 = 120,
        /// Whether viewers' browsers probe the backend themselves.
        pub live: LiveMode = LiveMode::default(),
    }
}

declare! {
    /// Whether a page that reads a snapshot also probes live.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum LiveMode {
        /// Never: the backend sees no request from viewers.
        Off = "off",
        /// Only for viewers who choose "Go live".
        #[default]
        OptIn = "opt_in",
        /// Always, with the snapshot shown until the first live answers arrive.
        On = "on",
    }
}

/// The smallest `snapshot.max_age_seconds`: below it a snapshot would be stale between two reads.
pub const MIN_SNAPSHOT_MAX_AGE_SECONDS: u32 = 30;

declare! {
    /// The incident the page is about.
    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    pub struct Incident {
        /// Short identifier, e.g. "1278".
        pub id: String,
        /// One-line title.
        pub title: String,
        /// Priority label, e.g. "P0".
        pub priority: String = String::new(),
        /// A sentence or two of context.
        pub summary: String = String::new(),
        /// When the incident started (RFC 3339 in the file).
        pub started_at: Option<DateTime<Utc>> = None,
        /// The teams that own the resolution.
        pub owner_teams: Vec<String> = Vec::new(),
        /// The issue, runbooks, dashboards.
        pub links: Vec<Link> = Vec::new(),
    }
}

declare! {
    /// A service (host) that endpoints live on.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Service {
        /// Scheme, host and optional path prefix, e.g. `https://staging.example.com`.
        pub base_url: String,
        /// A name for people.
        pub name: String = String::new(),
    }
}

declare! {
    #![defaults]
    /// Probing defaults.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Probing {
        /// Seconds between probes of one endpoint.
        pub interval_seconds: u32 = 30,
        /// Seconds before a probe is abandoned.
        pub timeout_seconds: u32 = 10,
        /// A published history file (the shape of `monitor::history::History`) merged into the
        /// page's own, so first-time viewers see the past too; relative to the config file.
        pub history_url: Option<String> = None,
    }
}

declare! {
    /// How an endpoint is probed.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum EndpointKind {
        /// An HTTP GET without custom headers (so no CORS preflight).
        #[default]
        Http = "http",
        /// A WebSocket handshake.
        Websocket = "websocket",
    }
}

declare! {
    /// One thing to probe.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Endpoint {
        /// Unique id, referenced by components.
        pub id: String,
        /// A name for people; defaults to the path.
        pub name: String = String::new(),
        /// The key of the service in [`Config::services`].
        pub service: String,
        /// Path (and query) appended to the service's base URL.
        pub path: String,
        /// HTTP or WebSocket.
        pub kind: EndpointKind = EndpointKind::default(),
        /// How to read the body: a format name (`"auto"` when absent) or `{"rule": {...}}`; see
        /// [`Format`].
        pub format: Format = Format::default(),
        /// Overrides [`Probing::interval_seconds`].
        pub interval_seconds: Option<u32> = None,
        /// Overrides [`Probing::timeout_seconds`].
        pub timeout_seconds: Option<u32> = None,
    }
}

declare! {
    /// Where a component's status comes from: an endpoint, or one part an endpoint reports on.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Source {
        /// The endpoint id.
        pub endpoint: String,
        /// The part name (e.g. `redis`, `vpc_connector`); absent means the endpoint's own
        /// status.
        pub part: Option<String> = None,
    }
}

declare! {
    /// One row of the page.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct ComponentConfig {
        /// Unique id, used in `data-component`.
        pub id: String,
        /// Name for people.
        pub name: String,
        /// What it is, e.g. the GCP resource name.
        pub description: String = String::new(),
        /// Whether its outage is an outage of the whole system.
        pub critical: bool = true,
        /// Where its status comes from; the worst known finding wins.
        pub sources: Vec<Source>,
    }
}

/// One thing wrong with a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Where, as a JSON path like `$.endpoints[2].service`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The top-level section a JSON path is in: `"endpoints"` for `$.endpoints[2].id`.
fn section_of(path: &str) -> &str {
    let rest = path.strip_prefix("$.").unwrap_or("");
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    &rest[..end]
}

impl Config {
    /// Parses and validates a configuration file's text, returning every problem found.
    pub fn parse(text: &str) -> Result<Config, Vec<ConfigProblem>> {
        Config::parse_with_warnings(text).map(|(config, _warnings)| config)
    }

    /// Parses and validates a configuration file's text. On success, also returns the
    /// warnings (unknown fields, which are ignored); on failure, every error found, each with
    /// its JSON path: wrong types and missing fields anywhere, and the semantic problems
    /// ([`Config::problems`]) of every section that could be read and whose references could
    /// be resolved.
    pub fn parse_with_warnings(
        text: &str,
    ) -> Result<(Config, Vec<ConfigProblem>), Vec<ConfigProblem>> {
        let value: Value = serde_json::from_str(text).map_err(|error| {
            vec![ConfigProblem {
                path: "$".to_string(),
                message: format!("not valid JSON: {error}"),
            }]
        })?;
        let Some(object) = value.as_object() else {
            return Err(vec![ConfigProblem {
                path: "$".to_string(),
                message: format!(
                    "expected an object, found {}",
                    crate::config::schema::describe(&value)
                ),
            }]);
        };
        // Sections that cannot be read stand in as their defaults, so the others are still
        // read and checked.
        let mut walk = Walk::default();
        let (config, unreadable) = Config::read_lenient(object, "$", &mut walk);
        // A section referring into an unreadable one cannot have its references checked (they
        // would all look unknown); one referring into a readable section can, even when that
        // section's own references could not be checked.
        let unchecked: BTreeSet<&str> = unreadable
            .iter()
            .copied()
            .chain(
                crate::config::sections::DEPENDS_ON
                    .iter()
                    .filter(|(_, depends_on)| depends_on.iter().any(|d| unreadable.contains(d)))
                    .map(|(section, _)| *section),
            )
            .collect();
        let mut errors = walk.errors;
        errors.extend(
            config
                .problems()
                .into_iter()
                .filter(|p| !unchecked.contains(section_of(&p.path))),
        );
        crate::config::schema::dedup(&mut errors);
        if errors.is_empty() {
            Ok((config, walk.warnings))
        } else {
            Err(errors)
        }
    }

    /// The JSON Schema (draft 2020-12) of the configuration file, derived from the same
    /// declarations that read it; unknown fields are allowed (they are only warnings). A
    /// criterion's conditions may nest, so they refer to `#/$defs/condition`.
    pub fn json_schema() -> Value {
        let mut schema = Config::SHAPE.json_schema();
        schema["$schema"] = Value::from("https://json-schema.org/draft/2020-12/schema");
        schema["title"] = Value::from("Lookout configuration (lookout.json)");
        schema["$defs"]["condition"] = crate::config::sections::Condition::SHAPE.json_schema();
        schema
    }

    /// Every semantic problem of a parsed configuration.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let mut problem =
            |path: String, message: String| problems.push(ConfigProblem { path, message });
        if self.schema_version != SCHEMA_VERSION {
            problem(
                "$.schema_version".into(),
                format!(
                    "this build reads schema_version {SCHEMA_VERSION}, the file says {}",
                    self.schema_version
                ),
            );
        }
        if self.incident.title.trim().is_empty() {
            problem("$.incident.title".into(), "must not be empty".into());
        }
        for (key, service) in &self.services {
            if let Err(message) = check_url(
                &service.base_url,
                &["http://", "https://", "ws://", "wss://"],
            ) {
                problem(format!("$.services.{key}.base_url"), message);
            }
        }
        if let Some(url) = &self.probing.history_url {
            if let Err(message) = check_relative_or_http(url) {
                problem("$.probing.history_url".into(), message);
            }
        }
        if let Some(snapshot) = &self.snapshot {
            if let Err(message) = check_relative_or_http(&snapshot.url) {
                problem("$.snapshot.url".into(), message);
            }
            if snapshot.max_age_seconds < MIN_SNAPSHOT_MAX_AGE_SECONDS {
                problem(
                    "$.snapshot.max_age_seconds".into(),
                    format!(
                        "{} s is shorter than a snapshot lives between two reads: at least {MIN_SNAPSHOT_MAX_AGE_SECONDS}",
                        snapshot.max_age_seconds
                    ),
                );
            }
        }
        if self.probing.interval_seconds < MIN_INTERVAL_SECONDS {
            problem(
                "$.probing.interval_seconds".into(),
                format!(
                    "{} s is too fast for a struggling backend: at least {MIN_INTERVAL_SECONDS}",
                    self.probing.interval_seconds
                ),
            );
        }
        let mut endpoint_ids = BTreeSet::new();
        for (index, endpoint) in self.endpoints.iter().enumerate() {
            let at = |field: &str| format!("$.endpoints[{index}].{field}");
            if endpoint.id.trim().is_empty() {
                problem(at("id"), "must not be empty".into());
            } else if !endpoint_ids.insert(endpoint.id.as_str()) {
                problem(
                    at("id"),
                    format!("\"{}\" is used by another endpoint", endpoint.id),
                );
            }
            match self.services.get(&endpoint.service) {
                None => problem(
                    at("service"),
                    format!(
                        "no service \"{}\" (known: {})",
                        endpoint.service,
                        self.services.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ),
                Some(service) => {
                    let websocket_url = service.base_url.starts_with("ws://")
                        || service.base_url.starts_with("wss://");
                    let wants_websocket = endpoint.kind == EndpointKind::Websocket;
                    if websocket_url != wants_websocket {
                        problem(
                            at("service"),
                            format!(
                                "a {} endpoint needs a {} base URL, \"{}\" has {}",
                                if wants_websocket { "websocket" } else { "http" },
                                if wants_websocket {
                                    "ws:// or wss://"
                                } else {
                                    "http:// or https://"
                                },
                                endpoint.service,
                                service.base_url
                            ),
                        );
                    }
                }
            }
            if !endpoint.path.starts_with('/') {
                problem(
                    at("path"),
                    format!("must start with '/', found \"{}\"", endpoint.path),
                );
            }
            if let Some(interval) = endpoint.interval_seconds {
                if interval < MIN_INTERVAL_SECONDS {
                    problem(
                        at("interval_seconds"),
                        format!("{interval} s is below the minimum of {MIN_INTERVAL_SECONDS}"),
                    );
                }
            }
            let interval = endpoint
                .interval_seconds
                .unwrap_or(self.probing.interval_seconds);
            let timeout = endpoint
                .timeout_seconds
                .unwrap_or(self.probing.timeout_seconds);
            if timeout == 0 || timeout > interval {
                problem(
                    at("timeout_seconds"),
                    format!("{timeout} s must be between 1 and the interval ({interval} s)"),
                );
            }
        }
        let mut component_ids = BTreeSet::new();
        for (index, component) in self.components.iter().enumerate() {
            let at = |field: &str| format!("$.components[{index}].{field}");
            if component.id.trim().is_empty() {
                problem(at("id"), "must not be empty".into());
            } else if !component_ids.insert(component.id.as_str()) {
                problem(
                    at("id"),
                    format!("\"{}\" is used by another component", component.id),
                );
            }
            if component.sources.is_empty() {
                problem(at("sources"), "needs at least one source".into());
            }
            for (source_index, source) in component.sources.iter().enumerate() {
                if !endpoint_ids.contains(source.endpoint.as_str()) {
                    problem(
                        at(&format!("sources[{source_index}].endpoint")),
                        format!("no endpoint \"{}\"", source.endpoint),
                    );
                }
            }
        }
        if self.components.is_empty() {
            problem("$.components".into(), "needs at least one component".into());
        }
        problems.extend(crate::config::sections::problems(self));
        problems
    }

    /// The full URL of an endpoint, or `None` if its service is unknown.
    pub fn endpoint_url(&self, endpoint: &Endpoint) -> Option<String> {
        let service = self.services.get(&endpoint.service)?;
        Some(format!(
            "{}{}",
            service.base_url.trim_end_matches('/'),
            endpoint.path
        ))
    }

    /// The probe interval of an endpoint in seconds.
    pub fn interval_seconds(&self, endpoint: &Endpoint) -> u32 {
        endpoint
            .interval_seconds
            .unwrap_or(self.probing.interval_seconds)
    }

    /// The status updates file, relative to the config: `communication.updates_file`, else
    /// `updates.json`.
    pub fn updates_file(&self) -> &str {
        self.communication
            .as_ref()
            .map_or("updates.json", |c| c.updates_file.as_str())
    }

    /// The probe timeout of an endpoint in seconds.
    pub fn timeout_seconds(&self, endpoint: &Endpoint) -> u32 {
        endpoint
            .timeout_seconds
            .unwrap_or(self.probing.timeout_seconds)
    }
}

/// Accepts a relative path or an http(s) URL; `javascript:` and friends never pass.
fn check_relative_or_http(url: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    let absolute = lower.contains(':');
    if url.trim().is_empty()
        || (absolute && !lower.starts_with("https://") && !lower.starts_with("http://"))
    {
        Err(format!(
            "\"{}\" must be a relative path or an http(s) URL",
            crate::read::clip(url)
        ))
    } else {
        Ok(())
    }
}

/// Accepts only absolute URLs with one of `schemes`; `javascript:` and friends never pass.
pub(crate) fn check_url(url: &str, schemes: &[&str]) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    if schemes
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
    {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not an absolute URL starting with {}",
            crate::read::clip(url),
            schemes.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../../../../config/lookout.json");

    #[test]
    fn the_shipped_incident_config_is_valid() {
        let config = Config::parse(DEFAULT).expect("config/lookout.json is valid");
        assert_eq!(config.incident.id, "1278");
        assert_eq!(config.components.len(), 7);
        let health = &config.endpoints[0];
        assert_eq!(
            config.endpoint_url(health).as_deref(),
            Some("https://staging.netrasystems.ai/health")
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut config = Config::parse(DEFAULT).unwrap();
        config.schema_version = 2;
        config.endpoints[1].service = "nowhere".into();
        config.endpoints[2].id = config.endpoints[0].id.clone();
        config.components[0].sources[0].endpoint = "missing".into();
        config.services.get_mut("auth").unwrap().base_url = "javascript:alert(1)".into();
        config.probing.interval_seconds = 1;
        let problems = config.problems();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        for expected in [
            "$.schema_version",
            "$.endpoints[1].service",
            "$.endpoints[2].id",
            "$.components[0].sources[0].endpoint",
            "$.services.auth.base_url",
            "$.probing.interval_seconds",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {paths:?}"
            );
        }
    }

    #[test]
    fn the_json_schema_describes_every_key_of_the_shipped_config() {
        let schema = Config::json_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let config: Value = serde_json::from_str(DEFAULT).unwrap();
        let mut undescribed = Vec::new();
        described(&config, &schema, "$", &mut undescribed);
        assert!(undescribed.is_empty(), "not in the schema: {undescribed:?}");
    }

    /// Collects the paths of `value` that `schema` does not describe.
    fn described(value: &Value, schema: &Value, path: &str, undescribed: &mut Vec<String>) {
        if let Some(name) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            let root = Config::json_schema();
            return described(value, &root["$defs"][name], path, undescribed);
        }
        let branches = schema["anyOf"].as_array().or(schema["oneOf"].as_array());
        if let Some(branch) = branches.and_then(|b| b.iter().find(|b| matches(value, b))) {
            return described(value, branch, path, undescribed);
        }
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    described(
                        item,
                        &schema["items"],
                        &format!("{path}[{index}]"),
                        undescribed,
                    );
                }
            }
            Value::Object(object) => {
                for (key, item) in object {
                    let at = format!("{path}.{key}");
                    match (&schema["properties"][key], &schema["additionalProperties"]) {
                        (Value::Null, Value::Null) => undescribed.push(at),
                        (Value::Null, each) | (each, _) => described(item, each, &at, undescribed),
                    }
                }
            }
            _ if schema.is_null() => undescribed.push(path.to_string()),
            _ => {}
        }
    }

    /// Whether a branch of `anyOf`/`oneOf` is the one for `value`: its type and its tag.
    fn matches(value: &Value, branch: &Value) -> bool {
        let kind = match value {
            Value::Null => "null",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            _ => return !branch["type"].is_null() || !branch["enum"].is_null(),
        };
        let tags_agree = branch["properties"].as_object().is_none_or(|properties| {
            properties
                .iter()
                .filter(|(_, p)| !p["const"].is_null())
                .all(|(key, p)| value[key] == p["const"])
        });
        branch["type"] == kind && tags_agree
    }

    #[test]
    fn not_json_and_wrong_shapes_are_named() {
        let problems = Config::parse("<html>").unwrap_err();
        assert!(
            problems[0].message.starts_with("not valid JSON"),
            "{}",
            problems[0]
        );
        let problems = Config::parse("[1]").unwrap_err();
        assert!(problems[0].message.contains("an array"), "{}", problems[0]);
        let problems = Config::parse(r#"{"schema_version":1}"#).unwrap_err();
        assert!(
            problems[0].message.contains("missing field"),
            "{}",
            problems[0]
        );
    }
}
