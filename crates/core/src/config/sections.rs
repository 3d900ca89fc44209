//! The incident sections of the runtime configuration: success criteria, business impact,
//! timeline phases, communication cadence and action items, each declared once (type, default,
//! shape; see [`crate::config::declare`]) beside its semantic checks (references, ranges,
//! links). The rules that evaluate them live in the `incident` folder (criteria, impact,
//! timeline, updates and actions), which imports this one, never the other way round.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::declare::{declare, Declared};
use crate::config::schema::{int_from, opt, out_of_range, req, Field, Shape, Walk};
use crate::config::{check_url, Config, ConfigProblem, EndpointKind};
use crate::status::Status;

/// The largest probe window a criterion may ask for; memory per endpoint is bounded by it.
pub const MAX_WINDOW_PROBES: u32 = 100;
/// The longest time window a criterion may ask for, in minutes (one day).
pub const MAX_WINDOW_MINUTES: u32 = 1440;
/// The largest streak a WebSocket criterion may require.
pub const MAX_CONSECUTIVE: u32 = 100;
/// The update phase that closes the incident (not a timeline phase of its own).
pub const RESOLVED_PHASE: &str = "resolved";
/// Link schemes allowed anywhere a person can click.
pub const LINK_SCHEMES: [&str; 2] = ["https://", "http://"];

/// The URL to put in an `href`, or `None` unless it is an http(s) URL or a relative one: views
/// never make `javascript:`, `data:` or any other scheme clickable, whatever a file let through.
/// Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`),
/// so those are ignored here too.
pub fn safe_href(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let compact: String = trimmed
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = compact.find(':');
    let has_scheme = scheme_end.is_some_and(|end| {
        let scheme = &compact[..end];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if !has_scheme || check_url(&compact, &LINK_SCHEMES).is_ok() {
        Some(trimmed)
    } else {
        None
    }
}

declare! {
    /// A link shown with an incident or an action item.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Link {
        /// The text shown.
        pub label: String,
        /// An `https://` or `http://` URL; nothing else is accepted.
        pub url: String => Shape::Url(&LINK_SCHEMES),
    }
}

declare! {
    /// Which probes a criterion looks at: the last `probes` probes and every probe of the last
    /// `minutes` minutes, whichever reaches further back (at least one must be set).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
    pub struct Window {
        /// The last N probes of each endpoint.
        pub probes: Option<u32> = None
            => Shape::Nullable(&Shape::Int { min: 1, max: MAX_WINDOW_PROBES as i64 }),
        /// Every probe of the last T minutes.
        pub minutes: Option<u32> = None
            => Shape::Nullable(&Shape::Int { min: 1, max: MAX_WINDOW_MINUTES as i64 }),
    }
}

impl Window {
    /// "the last 3 probes", "the last 10 min", "the last 3 probes and 10 min".
    pub fn describe(&self) -> String {
        match (self.probes, self.minutes) {
            (Some(1), None) => "the last probe".to_string(),
            (Some(n), None) => format!("the last {n} probes"),
            (None, Some(m)) => format!("the last {m} min"),
            (Some(n), Some(m)) => format!("the last {n} probes and {m} min"),
            (None, None) => "the latest probe".to_string(),
        }
    }
}

/// A success criterion of the incident.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criterion {
    /// Unique id, used in `data-criterion`.
    pub id: String,
    /// The criterion as people state it.
    pub title: String,
    /// Optional detail shown under the title.
    pub description: String,
    /// How it is evaluated.
    #[serde(flatten)]
    pub rule: Rule,
}

/// The fields every criterion has, whatever its kind ([`Criterion`] without its rule).
pub(crate) const CRITERION_FIELDS: &[Field] = &[
    req("id", &Shape::Str),
    req("title", &Shape::Str),
    opt("description", &Shape::Str),
];

/// A criterion is its common fields and its rule's, in one object: read by hand, as the one
/// flattened type of the configuration.
impl Declared for Criterion {
    const SHAPE: Shape = Shape::Tagged { tag: Rule::TAG };

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let object = walk.object(value, &Self::SHAPE, path)?;
        let variant = walk.tag(object, Rule::TAG, Rule::VARIANTS, path);
        let common = CRITERION_FIELDS;
        let id = walk.field::<String>(object, common, "id", path, None);
        let title = walk.field::<String>(object, common, "title", path, None);
        let description = walk.field(object, common, "description", path, Some(String::new));
        let rule = read_rule(variant, object, common, path, walk);
        Some(Criterion {
            id: id?,
            title: title?,
            description: description?,
            rule: rule?,
        })
    }
}

/// The rule of a criterion or condition object whose `kind` named `variant`, warning about the
/// fields that neither `common` nor that kind declares.
fn read_rule(
    variant: Option<(&'static str, &'static [Field])>,
    object: &serde_json::Map<String, Value>,
    common: &[Field],
    path: &str,
    walk: &mut Walk,
) -> Option<Rule> {
    let rule = variant.and_then(|(kind, _)| Rule::read_variant(kind, object, path, walk));
    let tag = [opt(Rule::TAG, &Shape::Str)];
    let fields = variant.map_or(&[][..], |(_, fields)| fields);
    walk.unknown(object, &[&tag, common, fields], path);
    rule
}

impl<'de> Deserialize<'de> for Criterion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::config::declare::deserialize(deserializer)
    }
}

/// The most levels of `all_of`/`any_of` conditions below a criterion: deeper is a riddle, not
/// a criterion people can read.
pub const MAX_CONDITION_DEPTH: usize = 3;

/// One condition of an `all_of` or `any_of` criterion: any criterion kind with its fields, a
/// composition included, and an optional title for the evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    /// A name for people in the evidence; empty means one made from the condition.
    pub title: String,
    /// How it is evaluated.
    #[serde(flatten)]
    pub rule: Rule,
}

/// The fields every condition has, whatever its kind.
pub(crate) const CONDITION_FIELDS: &[Field] = &[opt("title", &Shape::Str)];

impl Declared for Condition {
    const SHAPE: Shape = Shape::Tagged { tag: Rule::TAG };

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        let object = walk.object(value, &Self::SHAPE, path)?;
        let variant = walk.tag(object, Rule::TAG, Rule::VARIANTS, path);
        let title = walk.field(object, CONDITION_FIELDS, "title", path, Some(String::new));
        let rule = read_rule(variant, object, CONDITION_FIELDS, path, walk);
        Some(Condition {
            title: title?,
            rule: rule?,
        })
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::config::declare::deserialize(deserializer)
    }
}

/// The conditions of `all_of` and `any_of`. A condition may be a composition itself and a
/// shape cannot contain itself, so the array's items are read as [`Condition`]s by type (and
/// the JSON Schema refers to the condition's definition).
const CONDITIONS: Shape = Shape::Custom {
    expected: "an array of conditions (objects with a \"kind\")",
};

/// The levels a component status is written with (see [`Status::as_str`]).
const LEVEL_NAMES: [&str; 6] = [
    "operational",
    "degraded",
    "partial_outage",
    "major_outage",
    "maintenance",
    "unknown",
];

/// A status level is written as its identifier; which levels a criterion may accept is a
/// semantic check ([`criteria_problems`]).
impl Declared for Status {
    const SHAPE: Shape = Shape::Enum(&LEVEL_NAMES);

    fn read(value: &Value, shape: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        if !walk.leaf(value, shape, path) {
            return None;
        }
        Status::from_id(value.as_str()?)
    }
}

declare! {
    /// How a criterion is evaluated; `kind` in the configuration (read with [`Criterion`]).
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub enum Rule in "kind" {
        /// Every listed endpoint answered HTTP 200 on each probe of the window.
        HttpOk = "http_ok" {
            /// Endpoint ids.
            endpoints: Vec<String>,
            /// How long the 200s must last.
            window: Window,
        },
        /// None of the patterns appears (ASCII letters case-insensitively) in the watched fields
        /// of the watched endpoints' payloads within the window, and each payload was read at
        /// least once in it.
        AbsentPattern = "absent_pattern" {
            /// Texts that must not appear, e.g. `"error -3"`.
            patterns: Vec<String>,
            /// Where to look.
            watch: Vec<Watch>,
            /// Over which probes.
            window: Window,
        },
        /// Numbers read from the latest payload of an endpoint are within thresholds; when the
        /// payload has none of the numbers (another backend generation), a status field decides.
        Threshold = "threshold" {
            /// The endpoint id.
            endpoint: String,
            /// Conditions that must all hold.
            checks: Vec<NumberCheck>,
            /// Used when none of the checks' fields is present.
            fallback: Option<StatusCheck> = None,
        },
        /// The WebSocket handshake of a `websocket` endpoint succeeded on enough consecutive
        /// probes.
        Websocket = "websocket" {
            /// The endpoint id (kind `websocket`).
            endpoint: String,
            /// How many successes in a row are needed.
            consecutive: u32 = 3 => Shape::Int { min: 1, max: MAX_CONSECUTIVE as i64 },
        },
        /// The published `validate_infrastructure_fix.py --json` report passes.
        ValidationReport = "validation_report" {
            /// The endpoint serving the report.
            endpoint: String,
            /// The pass rate needed, in percent of test entries.
            min_pass_rate: f64 = 80.0 => PERCENT,
            /// A report older than this (by its `summary.end_time`) no longer counts.
            max_age_minutes: Option<u32> = None => Shape::Nullable(&int_from(1)),
        },
        /// A component's status, as its row shows it, is one of the accepted levels on every
        /// probe of the window (a probe of any of its sources counts).
        ComponentStatus = "component_status" {
            /// The component id.
            component: String,
            /// The accepted levels; an outage level or `unknown` never meets a criterion.
            levels: Vec<Status> = vec![Status::Operational],
            /// For how long.
            window: Window,
        },
        /// Every condition holds (not met as soon as one does not; unknown otherwise until all
        /// hold).
        AllOf = "all_of" {
            /// The conditions: criterion kinds with their fields, compositions included.
            conditions: Vec<Condition> => CONDITIONS,
        },
        /// At least one condition holds (not met only when none can; unknown otherwise).
        AnyOf = "any_of" {
            /// The conditions: criterion kinds with their fields, compositions included.
            conditions: Vec<Condition> => CONDITIONS,
        },
    }
}

impl Rule {
    /// The conditions of a composition; `None` for the other kinds.
    pub fn conditions(&self) -> Option<&[Condition]> {
        match self {
            Rule::AllOf { conditions } | Rule::AnyOf { conditions } => Some(conditions),
            _ => None,
        }
    }

    /// The component ids this rule names, its conditions' included.
    pub fn components(&self) -> Vec<&str> {
        match self {
            Rule::ComponentStatus { component, .. } => vec![component.as_str()],
            _ => self
                .conditions()
                .unwrap_or_default()
                .iter()
                .flat_map(|c| c.rule.components())
                .collect(),
        }
    }
}

declare! {
    /// One endpoint whose payload an absent-pattern criterion searches.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Watch {
        /// The endpoint id.
        pub endpoint: String,
        /// JSON pointers to search; a pointer to an object or array searches every string below
        /// it, `""` the whole payload (the default).
        pub fields: Vec<String> = vec![String::new()],
    }
}

declare! {
    /// A comparison operator.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Op {
        /// Below.
        Lt = "<",
        /// At most.
        Le = "<=",
        /// Above.
        Gt = ">",
        /// At least.
        Ge = ">=",
    }
}

impl Op {
    /// Whether `value op threshold` holds.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
        }
    }

    /// Whether smaller values are better.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Op::Lt | Op::Le)
    }
}

declare! {
    /// A number read from a payload compared to a threshold.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct NumberCheck {
        /// JSON pointers to try in order; the first that holds a number (or a string such as
        /// `"1.284s"` or `"2.4%"`) wins.
        pub fields: Vec<String>,
        /// How the value compares to the threshold.
        pub op: Op,
        /// The threshold.
        pub value: f64,
        /// The threshold's unit (`s`, `ms`, `%`…); values in another time unit are converted.
        pub unit: String = String::new(),
        /// A name for people, e.g. "average connection time"; defaults to the field.
        pub label: String = String::new(),
    }
}

declare! {
    /// A status field compared to accepted values: a word, a boolean or a number.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct StatusCheck {
        /// JSON pointers to try in order; the first that holds a string, a boolean or a number
        /// wins.
        pub fields: Vec<String>,
        /// Accepted values: words compared case-insensitively, booleans and numbers by value
        /// (`true` also accepts the word `"true"`, `200` the word `"200"`).
        pub equals: Vec<Scalar>,
    }
}

/// A JSON string, boolean or number written in the configuration, e.g. an accepted value of a
/// status field.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A word such as `"healthy"`.
    Word(String),
    /// `true` or `false`.
    Flag(bool),
    /// A number such as `200`.
    Number(f64),
}

impl Declared for Scalar {
    const SHAPE: Shape = Shape::Custom {
        expected: "a string, a boolean or a number",
    };

    fn read(value: &Value, _: &Shape, path: &str, walk: &mut Walk) -> Option<Self> {
        match value {
            Value::String(word) => Some(Scalar::Word(word.clone())),
            Value::Bool(flag) => Some(Scalar::Flag(*flag)),
            Value::Number(number) => number.as_f64().map(Scalar::Number),
            other => {
                let found = crate::config::schema::describe(other);
                let message = format!("expected a string, a boolean or a number, found {found}");
                walk.error(path, message, true);
                None
            }
        }
    }
}

declare! {
    /// The business impact section.
    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    pub struct Impact {
        /// What is down, as the director sentence names it, e.g. "Staging".
        pub subject: String = String::new(),
        /// The id of the area the subject already names (e.g. the staging environment), which
        /// the director sentence does not list again among the blocked areas.
        pub subject_area: String = String::new(),
        /// Annual recurring revenue whose pipeline is at risk.
        pub arr_at_risk: Option<Money> = None,
        /// The share of the pipeline blocked while the incident lasts, in percent.
        pub pipeline_blocked_percent: Option<f64> = None => Shape::Nullable(&PERCENT),
        /// Where the "blocked for" clock starts.
        pub clock: ImpactClock = ImpactClock::default(),
        /// Whether to show the cost of delay (ARR ÷ 8,760 h × hours blocked).
        pub cost_of_delay: bool = false,
        /// The affected areas.
        pub areas: Vec<Area> = Vec::new(),
    }
}

declare! {
    /// An amount of money.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Money {
        /// The amount per year.
        pub amount: f64 => Shape::Num { min: 0.0, max: 1e15 },
        /// ISO 4217 code.
        pub currency: String = "USD".to_string(),
        /// How people say it, e.g. "$500K+"; defaults to a compact form of the amount.
        pub label: String = String::new(),
    }
}

declare! {
    /// Where the "blocked for" clock of the impact starts.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ImpactClock {
        /// At the incident's `started_at` (the page's first observation when it has none).
        #[default]
        IncidentStart = "incident_start",
        /// When this page first saw the area impaired (restarts with every page load).
        FirstObserved = "first_observed",
    }
}

declare! {
    /// An area of the business the incident affects.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Area {
        /// Unique id, used in `data-area`.
        pub id: String,
        /// Name for people.
        pub name: String,
        /// What "restored" means for it, from the incident's resolution criteria.
        pub goal: String = String::new(),
        /// Component ids it depends on.
        pub components: Vec<String> = Vec::new(),
        /// Criterion ids that must be met for it to count as restored.
        pub criteria: Vec<String> = Vec::new(),
    }
}

declare! {
    /// The timeline section.
    #[derive(Clone, Debug, Default, PartialEq, Serialize)]
    pub struct Timeline {
        /// The phases, in order.
        pub phases: Vec<Phase>,
        /// The current phase when neither updates nor the start time tell.
        pub current_phase: Option<String> = None,
        /// The estimate for the whole, when it is not simply the sum of the phases'.
        pub total_hours: Option<HoursRange> = None,
        /// The share of a phase's maximum after which it is "near its maximum".
        pub near_max_percent: u8 = 80 => Shape::Int { min: 1, max: 100 },
    }
}

declare! {
    /// A phase of the resolution with its estimate.
    #[derive(Clone, Debug, PartialEq, Serialize)]
    pub struct Phase {
        /// Unique id; updates name it in `phase`.
        pub id: String,
        /// Name for people.
        pub name: String,
        /// The optimistic estimate in hours.
        pub min_hours: f64 => HOURS,
        /// The pessimistic estimate in hours.
        pub max_hours: f64 => HOURS,
        /// Who does it.
        pub owner: String = String::new(),
    }
}

declare! {
    /// An estimate range in hours.
    #[derive(Clone, Copy, Debug, PartialEq, Serialize)]
    pub struct HoursRange {
        /// Optimistic.
        pub min: f64 => HOURS,
        /// Pessimistic.
        pub max: f64 => HOURS,
    }
}

declare! {
    /// The communication section.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct Communication {
        /// Minutes between status updates.
        pub update_every_minutes: u32 => Shape::Int { min: 1, max: 7 * 24 * 60 },
        /// Where updates are posted, e.g. "#incident-1278".
        pub channel: String = String::new(),
        /// Who owes the updates.
        pub owner: String = String::new(),
        /// The updates file, relative to the page (default `updates.json`).
        pub updates_file: String = "updates.json".to_string(),
    }
}

declare! {
    /// A P0 action item for an owner team.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct ActionItem {
        /// Unique id, used in `data-action`.
        pub id: String,
        /// One line.
        pub title: String,
        /// Priority label.
        pub priority: String = "P0".to_string(),
        /// Component ids it concerns; their live status is shown with it.
        pub components: Vec<String>,
        /// The resource, e.g. `staging-connector`.
        pub resource: String = String::new(),
        /// The owner team.
        pub owner: String,
        /// What is wrong.
        pub problem: String,
        /// What shows it.
        pub evidence: Vec<String> = Vec::new(),
        /// Steps with their done state.
        pub checklist: Vec<ChecklistItem> = Vec::new(),
        /// Runbooks, dashboards.
        pub links: Vec<Link> = Vec::new(),
    }
}

declare! {
    /// One step of an action item.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct ChecklistItem {
        /// The step.
        pub text: String,
        /// Whether it is done.
        pub done: bool = false,
    }
}

/// A percentage.
const PERCENT: Shape = Shape::Num {
    min: 0.0,
    max: 100.0,
};
/// An estimate in hours, at most a year.
const HOURS: Shape = Shape::Num {
    min: 0.0,
    max: 24.0 * 365.0,
};

/// Which top-level sections each section refers to: when one of them cannot be read, the
/// references into it are not checked (they would all look unknown).
pub(crate) const DEPENDS_ON: [(&str, &[&str]); 6] = [
    ("endpoints", &["services", "probing"]),
    ("components", &["endpoints"]),
    ("criteria", &["endpoints", "components"]),
    ("impact", &["components", "criteria"]),
    ("action_items", &["components"]),
    ("timeline", &[]),
];

// ---------------------------------------------------------------------------------------------
// Semantic checks (on the typed configuration).

/// Every problem of the incident sections of `config`: unknown references, duplicate ids,
/// ranges, unsafe links. Called from [`Config::problems`].
pub(crate) fn problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    for (index, link) in config.incident.links.iter().enumerate() {
        if let Err(message) = check_url(&link.url, &LINK_SCHEMES) {
            found.push(ConfigProblem {
                path: format!("$.incident.links[{index}].url"),
                message,
            });
        }
    }
    for (index, team) in config.incident.owner_teams.iter().enumerate() {
        if team.trim().is_empty() {
            found.push(ConfigProblem {
                path: format!("$.incident.owner_teams[{index}]"),
                message: "must not be empty".into(),
            });
        }
    }
    found.extend(criteria_problems(config));
    found.extend(reference_problems(config));
    found.extend(impact_problems(config));
    found.extend(timeline_problems(config));
    found.extend(communication_problems(config));
    found.extend(action_problems(config));
    found
}

/// Every rule of the criteria with its JSON path and depth, in document order: each
/// criterion's own (depth 0), each followed by its conditions', depth first.
fn rules_of(criteria: &[Criterion]) -> Vec<(String, &Rule, usize)> {
    fn push<'a>(
        found: &mut Vec<(String, &'a Rule, usize)>,
        path: String,
        rule: &'a Rule,
        depth: usize,
    ) {
        found.push((path.clone(), rule, depth));
        for (index, condition) in rule.conditions().unwrap_or_default().iter().enumerate() {
            let at = format!("{path}.conditions[{index}]");
            push(found, at, &condition.rule, depth + 1);
        }
    }
    let mut found = Vec::new();
    for (index, criterion) in criteria.iter().enumerate() {
        let path = format!("$.criteria[{index}]");
        push(&mut found, path, &criterion.rule, 0);
    }
    found
}

/// Criteria referring to endpoints that do not exist or are of the wrong kind, or to
/// components that do not exist.
fn reference_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let known = || {
        config
            .endpoints
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut check = |path: String, id: &str, wanted: EndpointKind| {
        let message = match config.endpoints.iter().find(|e| e.id == id) {
            None => format!("no endpoint \"{id}\" (known: {})", known()),
            Some(endpoint) if endpoint.kind != wanted => format!(
                "endpoint \"{id}\" is a {} endpoint; this criterion needs a {} one",
                endpoint.kind.as_str(),
                wanted.as_str()
            ),
            Some(_) => return,
        };
        found.push(ConfigProblem { path, message });
    };
    let components: BTreeSet<&str> = config.components.iter().map(|c| c.id.as_str()).collect();
    let mut unknown_components = Vec::new();
    for (path, rule, _) in rules_of(&config.criteria) {
        let at = |field: &str| format!("{path}.{field}");
        match rule {
            Rule::HttpOk { endpoints, .. } => {
                for (i, id) in endpoints.iter().enumerate() {
                    check(at(&format!("endpoints[{i}]")), id, EndpointKind::Http);
                }
            }
            Rule::AbsentPattern { watch, .. } => {
                for (i, w) in watch.iter().enumerate() {
                    check(
                        at(&format!("watch[{i}].endpoint")),
                        &w.endpoint,
                        EndpointKind::Http,
                    );
                }
            }
            Rule::Threshold { endpoint, .. } | Rule::ValidationReport { endpoint, .. } => {
                check(at("endpoint"), endpoint, EndpointKind::Http);
            }
            Rule::Websocket { endpoint, .. } => {
                check(at("endpoint"), endpoint, EndpointKind::Websocket);
            }
            Rule::ComponentStatus { component, .. } => {
                if !components.contains(component.as_str()) {
                    unknown_components.push(ConfigProblem {
                        path: at("component"),
                        message: format!(
                            "no component \"{component}\" (known: {})",
                            join(&components)
                        ),
                    });
                }
            }
            Rule::AllOf { .. } | Rule::AnyOf { .. } => {}
        }
    }
    found.extend(unknown_components);
    found
}

/// Ids, titles, windows, patterns, pointers, thresholds, levels and conditions of the
/// criteria, their conditions' included.
fn criteria_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let mut problem = |path: String, message: String| found.push(ConfigProblem { path, message });
    let mut ids = BTreeSet::new();
    for (index, criterion) in config.criteria.iter().enumerate() {
        let at = |field: &str| format!("$.criteria[{index}].{field}");
        if criterion.id.trim().is_empty() {
            problem(at("id"), "must not be empty".into());
        } else if !ids.insert(criterion.id.as_str()) {
            problem(
                at("id"),
                format!("\"{}\" is used by another criterion", criterion.id),
            );
        }
        if criterion.title.trim().is_empty() {
            problem(at("title"), "must not be empty".into());
        }
    }
    for (path, rule, depth) in rules_of(&config.criteria) {
        rule_problems(&path, rule, depth, &mut problem);
    }
    found
}

/// Where a problem is reported: its JSON path and what is wrong.
type Report<'a> = &'a mut dyn FnMut(String, String);
/// The JSON path of a field of the rule being checked.
type At<'a> = &'a dyn Fn(&str) -> String;

/// The problems of one rule found at `path`, `depth` levels of conditions below its criterion.
fn rule_problems(path: &str, rule: &Rule, depth: usize, problem: Report) {
    let at = |field: &str| format!("{path}.{field}");
    let check_window = |window: &Window, problem: Report| {
        for (field, message) in window_problems(window) {
            problem(at(field), message);
        }
    };
    match rule {
        Rule::HttpOk { endpoints, window } => {
            if endpoints.is_empty() {
                problem(at("endpoints"), "needs at least one endpoint".into());
            }
            check_window(window, problem);
        }
        Rule::AbsentPattern {
            patterns,
            watch,
            window,
        } => {
            check_window(window, problem);
            pattern_problems(&at, patterns, watch, problem);
        }
        Rule::Threshold {
            checks, fallback, ..
        } => threshold_problems(&at, checks, fallback.as_ref(), problem),
        Rule::Websocket { consecutive, .. } => {
            if !(1..=MAX_CONSECUTIVE).contains(consecutive) {
                problem(
                    at("consecutive"),
                    out_of_range(1, MAX_CONSECUTIVE, &consecutive.to_string()),
                );
            }
        }
        Rule::ValidationReport {
            min_pass_rate,
            max_age_minutes,
            ..
        } => {
            if !(0.0..=100.0).contains(min_pass_rate) {
                problem(
                    at("min_pass_rate"),
                    out_of_range(0, 100, &min_pass_rate.to_string()),
                );
            }
            if *max_age_minutes == Some(0) {
                problem(at("max_age_minutes"), out_of_range(1, u32::MAX, "0"));
            }
        }
        Rule::ComponentStatus { levels, window, .. } => {
            check_window(window, problem);
            level_problems(&at, levels, problem);
        }
        Rule::AllOf { conditions } | Rule::AnyOf { conditions } => {
            if conditions.is_empty() {
                problem(at("conditions"), "needs at least one condition".into());
            } else if depth == MAX_CONDITION_DEPTH {
                problem(
                    at("conditions"),
                    format!(
                        "all_of and any_of nest at most {MAX_CONDITION_DEPTH} levels deep; list these conditions one level up"
                    ),
                );
            }
        }
    }
}

/// The patterns and watched fields of an `absent_pattern` rule.
fn pattern_problems(at: At, patterns: &[String], watch: &[Watch], problem: Report) {
    if patterns.is_empty() {
        problem(at("patterns"), "needs at least one pattern".into());
    }
    for (i, pattern) in patterns.iter().enumerate() {
        if pattern.trim().is_empty() {
            problem(at(&format!("patterns[{i}]")), "must not be empty".into());
        }
    }
    if watch.is_empty() {
        problem(at("watch"), "needs at least one endpoint to watch".into());
    }
    for (i, w) in watch.iter().enumerate() {
        if w.fields.is_empty() {
            problem(
                at(&format!("watch[{i}].fields")),
                "needs at least one JSON pointer (\"\" is the whole payload)".into(),
            );
        }
        for (j, pointer) in w.fields.iter().enumerate() {
            if let Err(message) = check_pointer(pointer) {
                problem(at(&format!("watch[{i}].fields[{j}]")), message);
            }
        }
    }
}

/// The checks and fallback of a `threshold` rule.
fn threshold_problems(
    at: At,
    checks: &[NumberCheck],
    fallback: Option<&StatusCheck>,
    problem: Report,
) {
    if checks.is_empty() && fallback.is_none() {
        problem(
            at("checks"),
            "needs at least one check (or a fallback)".into(),
        );
    }
    for (i, check) in checks.iter().enumerate() {
        let at_check = |field: &str| at(&format!("checks[{i}].{field}"));
        if check.fields.is_empty() {
            problem(at_check("fields"), "needs at least one JSON pointer".into());
        }
        for (j, pointer) in check.fields.iter().enumerate() {
            if let Err(message) = check_pointer(pointer) {
                problem(at_check(&format!("fields[{j}]")), message);
            }
        }
        if !check.value.is_finite() {
            problem(at_check("value"), "must be a finite number".into());
        }
        let unit = check.unit.trim();
        if unit.len() > 8
            || unit.contains(|c: char| !(c.is_ascii_alphabetic() || c == '%' || c == '/'))
        {
            problem(
                at_check("unit"),
                format!(
                    "\"{}\" is not a unit such as s, ms or %",
                    crate::config::schema::clip(&check.unit)
                ),
            );
        }
    }
    let Some(fallback) = fallback else {
        return;
    };
    if fallback.fields.is_empty() {
        problem(
            at("fallback.fields"),
            "needs at least one JSON pointer".into(),
        );
    }
    for (j, pointer) in fallback.fields.iter().enumerate() {
        if let Err(message) = check_pointer(pointer) {
            problem(at(&format!("fallback.fields[{j}]")), message);
        }
    }
    if fallback.equals.is_empty() {
        problem(
            at("fallback.equals"),
            "needs at least one accepted value".into(),
        );
    }
}

/// The accepted levels of a `component_status` rule.
fn level_problems(at: At, levels: &[Status], problem: Report) {
    if levels.is_empty() {
        problem(
            at("levels"),
            "needs at least one level, e.g. [\"operational\"]".into(),
        );
    }
    for (i, level) in levels.iter().enumerate() {
        if let Some(message) = refused_level(*level) {
            problem(at(&format!("levels[{i}]")), message);
        }
    }
}

/// Why a criterion cannot accept `level` for a component, if it cannot.
fn refused_level(level: Status) -> Option<String> {
    match level {
        Status::PartialOutage | Status::MajorOutage => Some(format!(
            "\"{}\" cannot be accepted: a criterion is never met while its component is in an outage (accept operational, degraded or maintenance)",
            level.as_str()
        )),
        Status::Unknown => Some(
            "\"unknown\" cannot be accepted: a criterion is never met on what Lookout cannot tell"
                .into(),
        ),
        _ => None,
    }
}

/// What is wrong with a window, by field.
fn window_problems(window: &Window) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    if window.probes.is_none() && window.minutes.is_none() {
        found.push((
            "window",
            "needs \"probes\", \"minutes\" or both".to_string(),
        ));
    }
    if let Some(probes) = window.probes {
        if !(1..=MAX_WINDOW_PROBES).contains(&probes) {
            found.push((
                "window.probes",
                out_of_range(1, MAX_WINDOW_PROBES, &probes.to_string()),
            ));
        }
    }
    if let Some(minutes) = window.minutes {
        if !(1..=MAX_WINDOW_MINUTES).contains(&minutes) {
            found.push((
                "window.minutes",
                out_of_range(1, MAX_WINDOW_MINUTES, &minutes.to_string()),
            ));
        }
    }
    found
}

/// A JSON pointer (RFC 6901): empty, or starting with `/`.
pub(crate) fn check_pointer(pointer: &str) -> Result<(), String> {
    if pointer.is_empty() || pointer.starts_with('/') {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not a JSON pointer: it must be \"\" (the whole payload) or start with '/'",
            crate::config::schema::clip(pointer)
        ))
    }
}

/// Seconds per unit for the time units Lookout converts between.
pub(crate) fn unit_scale(unit: &str) -> Option<f64> {
    match unit.trim().to_ascii_lowercase().as_str() {
        "ms" => Some(0.001),
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
        "min" | "mins" | "minute" | "minutes" => Some(60.0),
        "h" | "hour" | "hours" => Some(3600.0),
        _ => None,
    }
}

fn impact_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let Some(impact) = &config.impact else {
        return found;
    };
    let mut problem = |path: String, message: String| found.push(ConfigProblem { path, message });
    if let Some(arr) = &impact.arr_at_risk {
        if !(arr.amount.is_finite() && arr.amount >= 0.0) {
            problem(
                "$.impact.arr_at_risk.amount".into(),
                out_of_range(0, "inf", &arr.amount.to_string()),
            );
        }
        if arr.currency.trim().is_empty() {
            problem(
                "$.impact.arr_at_risk.currency".into(),
                "must not be empty (e.g. \"USD\")".into(),
            );
        }
    }
    if let Some(percent) = impact.pipeline_blocked_percent {
        if !(0.0..=100.0).contains(&percent) {
            problem(
                "$.impact.pipeline_blocked_percent".into(),
                out_of_range(0, 100, &percent.to_string()),
            );
        }
    }
    if impact.cost_of_delay && impact.arr_at_risk.is_none() {
        problem(
            "$.impact.cost_of_delay".into(),
            "needs \"arr_at_risk\" to compute a cost".into(),
        );
    }
    let components: BTreeSet<&str> = config.components.iter().map(|c| c.id.as_str()).collect();
    let criteria: BTreeSet<&str> = config.criteria.iter().map(|c| c.id.as_str()).collect();
    let areas: BTreeSet<&str> = impact.areas.iter().map(|a| a.id.as_str()).collect();
    if !impact.subject_area.is_empty() && !areas.contains(impact.subject_area.as_str()) {
        problem(
            "$.impact.subject_area".into(),
            format!(
                "no area \"{}\" (known: {})",
                impact.subject_area,
                join(&areas)
            ),
        );
    }
    let mut ids = BTreeSet::new();
    for (index, area) in impact.areas.iter().enumerate() {
        let at = |field: &str| format!("$.impact.areas[{index}].{field}");
        if area.id.trim().is_empty() {
            problem(at("id"), "must not be empty".into());
        } else if !ids.insert(area.id.as_str()) {
            problem(at("id"), format!("\"{}\" is used by another area", area.id));
        }
        if area.name.trim().is_empty() {
            problem(at("name"), "must not be empty".into());
        }
        if area.components.is_empty() && area.criteria.is_empty() {
            problem(
                at("components"),
                "an area needs at least one component or criterion to derive its state from".into(),
            );
        }
        for (i, id) in area.components.iter().enumerate() {
            if !components.contains(id.as_str()) {
                problem(
                    at(&format!("components[{i}]")),
                    format!("no component \"{id}\" (known: {})", join(&components)),
                );
            }
        }
        for (i, id) in area.criteria.iter().enumerate() {
            if !criteria.contains(id.as_str()) {
                problem(
                    at(&format!("criteria[{i}]")),
                    format!("no criterion \"{id}\" (known: {})", join(&criteria)),
                );
            }
        }
    }
    found
}

fn timeline_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let Some(timeline) = &config.timeline else {
        return found;
    };
    let mut problem = |path: String, message: String| found.push(ConfigProblem { path, message });
    if timeline.phases.is_empty() {
        problem(
            "$.timeline.phases".into(),
            "needs at least one phase".into(),
        );
    }
    let mut ids = BTreeSet::new();
    for (index, phase) in timeline.phases.iter().enumerate() {
        let at = |field: &str| format!("$.timeline.phases[{index}].{field}");
        if phase.id.trim().is_empty() {
            problem(at("id"), "must not be empty".into());
        } else if phase.id == RESOLVED_PHASE {
            problem(
                at("id"),
                format!("\"{RESOLVED_PHASE}\" is reserved for the update that closes the incident"),
            );
        } else if !ids.insert(phase.id.as_str()) {
            problem(
                at("id"),
                format!("\"{}\" is used by another phase", phase.id),
            );
        }
        if phase.name.trim().is_empty() {
            problem(at("name"), "must not be empty".into());
        }
        check_hours(
            &mut problem,
            at("min_hours"),
            at("max_hours"),
            phase.min_hours,
            phase.max_hours,
        );
    }
    if let Some(current) = &timeline.current_phase {
        if !ids.contains(current.as_str()) {
            problem(
                "$.timeline.current_phase".into(),
                format!("no phase \"{current}\" (known: {})", join(&ids)),
            );
        }
    }
    if let Some(total) = &timeline.total_hours {
        check_hours(
            &mut problem,
            "$.timeline.total_hours.min".into(),
            "$.timeline.total_hours.max".into(),
            total.min,
            total.max,
        );
    }
    if !(1..=100).contains(&timeline.near_max_percent) {
        problem(
            "$.timeline.near_max_percent".into(),
            out_of_range(1, 100, &timeline.near_max_percent.to_string()),
        );
    }
    found
}

fn check_hours(
    problem: &mut impl FnMut(String, String),
    min_path: String,
    max_path: String,
    min: f64,
    max: f64,
) {
    let limit = 24.0 * 365.0;
    if !(0.0..=limit).contains(&min) {
        problem(min_path.clone(), out_of_range(0, limit, &min.to_string()));
    }
    if !(0.0..=limit).contains(&max) {
        problem(max_path.clone(), out_of_range(0, limit, &max.to_string()));
    } else if max <= 0.0 {
        problem(max_path, "must be more than 0 hours".into());
    } else if min > max {
        problem(
            min_path,
            format!("the minimum ({min} h) is above the maximum ({max} h)"),
        );
    }
}

fn communication_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let Some(communication) = &config.communication else {
        return found;
    };
    let every = communication.update_every_minutes;
    if !(1..=7 * 24 * 60).contains(&every) {
        found.push(ConfigProblem {
            path: "$.communication.update_every_minutes".into(),
            message: out_of_range(1, 7 * 24 * 60, &every.to_string()),
        });
    }
    let file = communication.updates_file.trim();
    let relative = !file.is_empty() && !file.contains(':') && !file.starts_with("//");
    if !relative && check_url(file, &LINK_SCHEMES).is_err() {
        found.push(ConfigProblem {
            path: "$.communication.updates_file".into(),
            message: format!(
                "\"{}\" must be a path relative to the page (e.g. \"updates.json\") or an https:// URL",
                crate::config::schema::clip(file)
            ),
        });
    }
    found
}

fn action_problems(config: &Config) -> Vec<ConfigProblem> {
    let mut found = Vec::new();
    let mut problem = |path: String, message: String| found.push(ConfigProblem { path, message });
    let components: BTreeSet<&str> = config.components.iter().map(|c| c.id.as_str()).collect();
    let mut ids = BTreeSet::new();
    for (index, item) in config.action_items.iter().enumerate() {
        let at = |field: &str| format!("$.action_items[{index}].{field}");
        if item.id.trim().is_empty() {
            problem(at("id"), "must not be empty".into());
        } else if !ids.insert(item.id.as_str()) {
            problem(
                at("id"),
                format!("\"{}\" is used by another action item", item.id),
            );
        }
        for (field, text) in [
            ("title", &item.title),
            ("owner", &item.owner),
            ("problem", &item.problem),
        ] {
            if text.trim().is_empty() {
                problem(at(field), "must not be empty".into());
            }
        }
        if item.components.is_empty() {
            problem(at("components"), "needs at least one component".into());
        }
        for (i, id) in item.components.iter().enumerate() {
            if !components.contains(id.as_str()) {
                problem(
                    at(&format!("components[{i}]")),
                    format!("no component \"{id}\" (known: {})", join(&components)),
                );
            }
        }
        for (i, step) in item.checklist.iter().enumerate() {
            if step.text.trim().is_empty() {
                problem(
                    at(&format!("checklist[{i}].text")),
                    "must not be empty".into(),
                );
            }
        }
        for (i, link) in item.links.iter().enumerate() {
            if let Err(message) = check_url(&link.url, &LINK_SCHEMES) {
                problem(at(&format!("links[{i}].url")), message);
            }
        }
    }
    found
}

fn join(ids: &BTreeSet<&str>) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.iter().copied().collect::<Vec<_>>().join(", ")
    }
}
