//! The runtime configuration placed next to `index.html`: the incident, the services and
//! endpoints to probe, and the components shown on the page. Parsing and validation live here so
//! the page and the native tools reject a bad file with the same precise messages.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::reading::Format;

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The shortest probe interval allowed: every open tab probes, so faster would hurt the backend.
pub const MIN_INTERVAL_SECONDS: u32 = 5;

/// The whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Must equal [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What the incident is.
    pub incident: Incident,
    /// Named base URLs the endpoints are relative to.
    pub services: std::collections::BTreeMap<String, Service>,
    /// Defaults for probing.
    #[serde(default)]
    pub probing: Probing,
    /// Everything the page probes.
    pub endpoints: Vec<Endpoint>,
    /// What the page shows, one row each.
    pub components: Vec<ComponentConfig>,
}

/// The incident the page is about.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Short identifier, e.g. "1278".
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Priority label, e.g. "P0".
    #[serde(default)]
    pub priority: String,
    /// A sentence or two of context.
    #[serde(default)]
    pub summary: String,
}

/// A service (host) that endpoints live on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Scheme, host and optional path prefix, e.g. `https://staging.example.com`.
    pub base_url: String,
    /// A name for people.
    #[serde(default)]
    pub name: String,
}

/// Probing defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probing {
    /// Seconds between probes of one endpoint.
    #[serde(default = "default_interval")]
    pub interval_seconds: u32,
    /// Seconds before a probe is abandoned.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
}

fn default_interval() -> u32 {
    30
}

fn default_timeout() -> u32 {
    10
}

impl Default for Probing {
    fn default() -> Self {
        Probing {
            interval_seconds: default_interval(),
            timeout_seconds: default_timeout(),
        }
    }
}

/// How an endpoint is probed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// An HTTP GET without custom headers (so no CORS preflight).
    #[default]
    Http,
    /// A WebSocket handshake.
    Websocket,
}

/// One thing to probe.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Unique id, referenced by components.
    pub id: String,
    /// A name for people; defaults to the path.
    #[serde(default)]
    pub name: String,
    /// The key of the service in [`Config::services`].
    pub service: String,
    /// Path (and query) appended to the service's base URL.
    pub path: String,
    /// HTTP or WebSocket.
    #[serde(default)]
    pub kind: EndpointKind,
    /// How to read the body.
    #[serde(default)]
    pub format: Format,
    /// Overrides [`Probing::interval_seconds`].
    #[serde(default)]
    pub interval_seconds: Option<u32>,
    /// Overrides [`Probing::timeout_seconds`].
    #[serde(default)]
    pub timeout_seconds: Option<u32>,
}

/// Where a component's status comes from: an endpoint, or one part an endpoint reports on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The endpoint id.
    pub endpoint: String,
    /// The part name (e.g. `redis`, `vpc_connector`); absent means the endpoint's own status.
    #[serde(default)]
    pub part: Option<String>,
}

/// One row of the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentConfig {
    /// Unique id, used in `data-component`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What it is, e.g. the GCP resource name.
    #[serde(default)]
    pub description: String,
    /// Whether its outage is an outage of the whole system.
    #[serde(default = "default_critical")]
    pub critical: bool,
    /// Where its status comes from; the worst known finding wins.
    pub sources: Vec<Source>,
}

fn default_critical() -> bool {
    true
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

impl Config {
    /// Parses and validates a configuration file's text, returning every problem found.
    pub fn parse(text: &str) -> Result<Config, Vec<ConfigProblem>> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
            vec![ConfigProblem {
                path: "$".to_string(),
                message: format!("not valid JSON: {error}"),
            }]
        })?;
        if !value.is_object() {
            return Err(vec![ConfigProblem {
                path: "$".to_string(),
                message: format!(
                    "expected an object, found {}",
                    crate::reading::kind_of(&value)
                ),
            }]);
        }
        let config: Config = serde_json::from_value(value).map_err(|error| {
            vec![ConfigProblem {
                path: "$".to_string(),
                message: error.to_string(),
            }]
        })?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
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

    /// The probe timeout of an endpoint in seconds.
    pub fn timeout_seconds(&self, endpoint: &Endpoint) -> u32 {
        endpoint
            .timeout_seconds
            .unwrap_or(self.probing.timeout_seconds)
    }
}

/// Accepts only absolute URLs with one of `schemes`; `javascript:` and friends never pass.
fn check_url(url: &str, schemes: &[&str]) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    if schemes
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
    {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not an absolute URL starting with {}",
            crate::reading::clip(url),
            schemes.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../../../config/lookout.json");

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
