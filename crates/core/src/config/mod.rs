//! The runtime configuration placed next to `index.html`: the incident, the services and
//! endpoints to probe, and the components shown on the page. Parsing and validation live here so
//! the page and the native tools reject a bad file with the same precise messages.

pub(crate) mod declare;
pub(crate) mod endpoint_format;
#[cfg(feature = "schema")]
pub(crate) mod json_schema;
pub(crate) mod schema;
pub mod sections;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::declare::declare;
use crate::config::schema::{int_from, Shape, Walk};
use crate::config::sections::{ActionItem, Communication, Criterion, Impact, Link, Timeline};
use crate::read::Format;

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The shortest probe interval allowed: every open tab probes, so faster would hurt the backend.
pub const MIN_INTERVAL_SECONDS: u32 = 5;
/// The top-level key naming the file's JSON Schema for editors; accepted and ignored.
pub const SCHEMA_KEY: &str = "$schema";

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
        pub max_age_seconds: u32 = 120 => int_from(MIN_SNAPSHOT_MAX_AGE_SECONDS as i64),
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
        /// Seconds between probes of one endpoint; at least 5, as every open tab probes.
        pub interval_seconds: u32 = 30 => int_from(MIN_INTERVAL_SECONDS as i64),
        /// Seconds before a probe is abandoned; at most the interval.
        pub timeout_seconds: u32 = 10 => int_from(1),
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
        pub interval_seconds: Option<u32> = None
            => Shape::Nullable(&int_from(MIN_INTERVAL_SECONDS as i64)),
        /// Overrides [`Probing::timeout_seconds`].
        pub timeout_seconds: Option<u32> = None => Shape::Nullable(&int_from(1)),
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
        let schema_key = crate::config::schema::member("$", SCHEMA_KEY);
        walk.warnings.retain(|warning| warning.path != schema_key);
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

    /// The JSON Schema (draft 2020-12) of the configuration file, generated with schemars from
    /// the same declarations that read it, with their limits, defaults and doc comments;
    /// unknown fields are allowed (they are only warnings). Native only (feature `schema`).
    #[cfg(feature = "schema")]
    pub fn json_schema() -> Value {
        crate::config::json_schema::config_schema()
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
            // Shorter, a snapshot would be stale between two reads.
            if let Some(message) = below(MIN_SNAPSHOT_MAX_AGE_SECONDS, snapshot.max_age_seconds) {
                problem("$.snapshot.max_age_seconds".into(), message);
            }
        }
        // Faster would hurt a struggling backend: every open tab probes.
        if let Some(message) = below(MIN_INTERVAL_SECONDS, self.probing.interval_seconds) {
            problem("$.probing.interval_seconds".into(), message);
        }
        if let Some(message) = below(1, self.probing.timeout_seconds) {
            problem("$.probing.timeout_seconds".into(), message);
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
            if let Some(message) = endpoint
                .interval_seconds
                .and_then(|interval| below(MIN_INTERVAL_SECONDS, interval))
            {
                problem(at("interval_seconds"), message);
            }
            let interval = endpoint
                .interval_seconds
                .unwrap_or(self.probing.interval_seconds);
            let timeout = endpoint
                .timeout_seconds
                .unwrap_or(self.probing.timeout_seconds);
            if let Some(message) = endpoint.timeout_seconds.and_then(|t| below(1, t)) {
                problem(at("timeout_seconds"), message);
            } else if timeout > interval {
                problem(
                    at("timeout_seconds"),
                    format!("{timeout} s is longer than the interval ({interval} s): a probe must end before the next starts"),
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

/// The problem with `value` when it is below `min`, in the words of the declaration's own
/// range check, so the two agree and the duplicate is dropped.
fn below(min: u32, value: u32) -> Option<String> {
    (value < min).then(|| crate::config::schema::out_of_range(min, u32::MAX, &value.to_string()))
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
    fn the_schema_key_is_accepted_without_a_warning() {
        let mut config: Value = serde_json::from_str(DEFAULT).unwrap();
        config["$schema"] = Value::from("lookout.schema.json");
        config["colour"] = Value::from("red");
        let (_, warnings) = Config::parse_with_warnings(&config.to_string()).unwrap();
        let paths: Vec<&str> = warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["$.colour"]);
    }

    #[test]
    fn a_limit_broken_in_the_file_is_reported_once() {
        let mut config: Value = serde_json::from_str(DEFAULT).unwrap();
        config["endpoints"][0]["timeout_seconds"] = Value::from(0);
        config["endpoints"][1]["interval_seconds"] = Value::from(4);
        config["endpoints"][1]["timeout_seconds"] = Value::from(3);
        let problems = Config::parse(&config.to_string()).unwrap_err();
        let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "$.endpoints[0].timeout_seconds: must be at least 1, found 0",
                "$.endpoints[1].interval_seconds: must be at least 5, found 4",
            ]
        );
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
