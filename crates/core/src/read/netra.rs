//! Netra's health payloads: backend `/health`, `/health/live`, `/health/ready`,
//! `/health/startup`, `/health/backend`, `/health/database`, `/health/system`,
//! `/health/infrastructure` in both generations (and v2's error body), the error envelope,
//! FastAPI's `{"detail": …}`, the WebSocket readiness middleware's rejection, the auth service
//! (`/health`, `/health/ready`, `/health/auth`) and `/ws/health`. Shapes are documented in the
//! project's research notes on the Netra formats. A plain `{"status": word}` from any service is
//! read here too.

use serde_json::{Map, Value};

use crate::read::timestamp::reported_at_in;
use crate::read::{
    clip, escape, fold_parts, from_http_class, missing_status, phrase, reconcile_http,
    status_value_problem, value_finding, word_finding, Finding, Problem, Reader, Reading, Sheet,
};
use crate::status::Status;

/// Keys only Netra's payloads carry; any of them at the top level marks a Netra body.
const MARKERS: [&str; 19] = [
    "infrastructure_components",
    "vpc_connectivity",
    "infrastructure",
    "circuit_breakers",
    "service_availability",
    "capabilities",
    "golden_path_ready",
    "readiness_score",
    "degraded_services",
    "pool_status",
    "core_db",
    "redis_db",
    "clickhouse_db",
    "database_status",
    "websocket_readiness",
    "startup_in_progress",
    "startup_complete",
    "startup_failed",
    "infrastructure_recommendations",
];

/// Whether `object` has a shape only Netra produces (as opposed to a bare `{"status": word}`).
pub(crate) fn recognises(object: &Map<String, Value>) -> bool {
    MARKERS.iter().any(|key| object.contains_key(*key))
        || is_envelope(object)
        || is_fastapi_detail(object)
        || (object.get("error").is_some_and(Value::is_string) && !object.contains_key("status"))
}

fn is_envelope(object: &Map<String, Value>) -> bool {
    object.get("error") == Some(&Value::Bool(true)) && object.contains_key("error_code")
}

fn is_fastapi_detail(object: &Map<String, Value>) -> bool {
    object.len() == 1 && object.contains_key("detail")
}

/// Reads a JSON object body from a Netra service (or any `{"status": word}` service).
pub(crate) fn read_object(reader: &Reader, object: &Map<String, Value>) -> Reading {
    if is_envelope(object) {
        return error_envelope(reader, object);
    }
    if is_fastapi_detail(object) {
        return fastapi_detail(reader, object);
    }
    if let (Some(Value::String(error)), Some(Value::Object(details))) =
        (object.get("error"), object.get("details"))
    {
        if details.contains_key("failed_services") || details.contains_key("issue_reference") {
            return readiness_rejection(reader, object, error, details);
        }
    }
    if let (Some(Value::String(status)), Some(Value::String(error))) =
        (object.get("status"), object.get("error"))
    {
        if status == "error"
            && (object.contains_key("infrastructure_recommendations")
                || object.contains_key("note"))
        {
            return infrastructure_v2_error(reader, object, error);
        }
    }
    if object.contains_key("infrastructure_components") {
        return infrastructure_v1(reader, object);
    }
    if object.contains_key("infrastructure") || object.contains_key("circuit_breakers") {
        return infrastructure_v2(reader, object);
    }
    if object.contains_key("service_availability") {
        return ws_health(reader, object);
    }
    if let Some(Value::String(error)) = object.get("error") {
        if !object.contains_key("status") {
            return error_document(reader, object, error);
        }
    }
    generic(reader, object)
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

/// The status an error document implies: the HTTP class (5xx an outage, 429 degraded); a
/// client error says the request was refused, not how healthy the service is, so it is unknown.
fn error_status(reader: &Reader) -> Status {
    from_http_class(reader.http_status)
}

fn error_envelope(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet {
        problem: Some(Problem::HttpError),
        ..Sheet::default()
    };
    let code = text(object, "error_code").unwrap_or("ERROR");
    let message = text(object, "message")
        .or_else(|| text(object, "user_message"))
        .unwrap_or("");
    let status = match error_status(reader) {
        // An envelope on a 2xx is still an error document.
        Status::Unknown if reader.http_status.is_some_and(|c| c < 400) => Status::MajorOutage,
        other => other,
    };
    let reason = if message.is_empty() {
        format!("{} error {code}", phrase(reader.http_status))
    } else {
        format!("{}: {} ({code})", phrase(reader.http_status), clip(message))
    };
    let finding = reader.finding(status, reason, "/message", message);
    sheet.reported_at = reported_at_in(object, &["/timestamp"]);
    sheet.finish(finding, "Netra error envelope")
}

fn fastapi_detail(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet {
        problem: Some(Problem::HttpError),
        ..Sheet::default()
    };
    let detail = match object.get("detail") {
        Some(Value::String(detail)) => detail.clone(),
        Some(other) => {
            // FastAPI's validation errors put a list here.
            sheet.wrong_type("/detail", other, "a string");
            crate::read::clip_value(other)
        }
        None => String::new(),
    };
    let finding = if reader.http_status == Some(404) {
        reader.finding(
            Status::Unknown,
            format!(
                "this backend has no such endpoint ({} {{\"detail\":\"{}\"}}): wrong path or another backend version",
                phrase(reader.http_status),
                clip(&detail)
            ),
            "/detail",
            &detail,
        )
    } else {
        reader.finding(
            error_status(reader),
            format!("{}: {}", phrase(reader.http_status), clip(&detail)),
            "/detail",
            &detail,
        )
    };
    sheet.finish(finding, "FastAPI error")
}

/// `{"error": "authentication_failed", "message": …}` and the middleware's
/// `uvicorn_middleware_error`: an error word with no status.
fn error_document(reader: &Reader, object: &Map<String, Value>, error: &str) -> Reading {
    let mut sheet = Sheet {
        problem: Some(Problem::HttpError),
        ..Sheet::default()
    };
    let message = text(object, "message").unwrap_or("");
    let status = match error_status(reader) {
        Status::Unknown if reader.http_status.is_some_and(|c| c < 400) => Status::Unknown,
        other => other,
    };
    let mut reason = format!("{}: {}", phrase(reader.http_status), clip(error));
    if !message.is_empty() {
        reason.push_str(&format!(" ({})", clip(message)));
    }
    let finding = reader.finding(status, reason, "/error", error);
    sheet.reported_at = reported_at_in(object, &["/timestamp"]);
    sheet.finish(finding, "Netra error")
}

fn readiness_rejection(
    reader: &Reader,
    object: &Map<String, Value>,
    error: &str,
    details: &Map<String, Value>,
) -> Reading {
    let mut sheet = Sheet {
        problem: Some(Problem::HttpError),
        ..Sheet::default()
    };
    let failed: Vec<String> = sheet
        .array(details, "failed_services", "/details/failed_services")
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let message = text(object, "message").unwrap_or(error);
    let status = if reader.http_status == Some(408) || error.ends_with("timeout") {
        Status::Degraded
    } else {
        Status::MajorOutage
    };
    let mut reason = format!("{}: {error}", phrase(reader.http_status));
    if !failed.is_empty() {
        reason.push_str(&format!(" (failed: {})", failed.join(", ")));
    }
    let finding = reader.finding(status, reason, "/error", message);
    for (index, name) in failed.iter().enumerate() {
        let pointer = format!("/details/failed_services/{index}");
        sheet.part(
            canonical_part(name),
            reader.finding(
                Status::MajorOutage,
                format!("{name} listed as failed"),
                &pointer,
                name,
            ),
        );
    }
    sheet.metric(
        "retry_after_seconds",
        details.get("retry_after_seconds").unwrap_or(&Value::Null),
        "/details/retry_after_seconds",
        "s",
    );
    sheet.reported_at = reported_at_in(object, &["/timestamp"]);
    sheet.finish(finding, "Netra WebSocket readiness rejection")
}

/// Maps Netra's many names of one dependency to one part name.
pub fn canonical_part(name: &str) -> &str {
    match name {
        "database_postgres" | "core_db" | "postgres" | "postgresql" => "database",
        "database_redis" | "redis_db" => "redis",
        "clickhouse_db" | "database_clickhouse" => "clickhouse",
        "websocket_readiness" => "websocket",
        other => other,
    }
}

fn infrastructure_v1(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    let components = sheet.named_objects(
        object,
        "infrastructure_components",
        "/infrastructure_components",
    );
    for (name, pointer, component) in components {
        let Some(mut finding) = word_finding(
            reader,
            component,
            "status",
            &format!("{pointer}/status"),
            name,
        ) else {
            sheet.note(format!("{pointer} has no \"status\""));
            continue;
        };
        if let Some(error) = text(component, "error") {
            finding.reason = format!("{}: {}", finding.reason, clip(error));
            finding.evidence.field = format!("{pointer}/error");
            finding.evidence.raw = clip(error);
        } else if let Some(issue) = text(component, "issue_type") {
            finding.reason = format!("{} ({issue} issue)", finding.reason);
        }
        sheet.part(canonical_part(name), finding);
    }
    if let Some(vpc) = sheet.object(object, "vpc_connectivity", "/vpc_connectivity") {
        if let Some(finding) = vpc_connector(reader, &mut sheet, vpc) {
            sheet.part("vpc_connector", finding);
        }
        sheet.metric(
            "vpc_connectivity.degraded_count",
            vpc.get("degraded_count").unwrap_or(&Value::Null),
            "/vpc_connectivity/degraded_count",
            "",
        );
    }
    sheet.reported_at = reported_at_in(object, &["/timestamp"]);
    let overall = top_status(reader, &mut sheet, object, "infrastructure");
    sheet.finish(overall, "Netra /health/infrastructure v1")
}

/// The indicators of v1's `vpc_connectivity`, by what they say.
#[derive(Default)]
struct Indicators<'a> {
    failing: Vec<&'a str>,
    up: Vec<&'a str>,
    unread: Vec<&'a str>,
}

/// The VPC connector part of v1's `vpc_connectivity`. Its severity comes from the indicators,
/// not from the `overall` flag alone: `overall` is false as soon as one indicator fails, so
/// some failing is a partial outage and only all failing a major one. An `overall: false`
/// without indicators says something fails but not how much: a partial outage, never more.
fn vpc_connector(reader: &Reader, sheet: &mut Sheet, vpc: &Map<String, Value>) -> Option<Finding> {
    let overall = match vpc.get("overall") {
        Some(Value::Bool(up)) => Some(*up),
        Some(other) => {
            sheet.wrong_type("/vpc_connectivity/overall", other, "a boolean");
            None
        }
        None => None,
    };
    let mut indicators = Indicators::default();
    let base = "/vpc_connectivity/indicators";
    if let Some(members) = sheet.object(vpc, "indicators", base) {
        for (name, value) in members {
            match value {
                Value::Bool(true) => indicators.up.push(name),
                Value::Bool(false) => indicators.failing.push(name),
                other => {
                    sheet.wrong_type(&format!("{base}/{}", escape(name)), other, "a boolean");
                    indicators.unread.push(name);
                }
            }
        }
    }
    vpc_finding(reader, overall, &indicators)
}

/// What the backend said about VPC connectivity, failing indicators first:
/// "redis_connectivity: false, database_connectivity: true, overall: false".
fn vpc_words(overall: Option<bool>, seen: &Indicators) -> String {
    let words = |names: &[&str], word: &str| {
        names
            .iter()
            .map(|name| format!("{name}: {word}"))
            .collect::<Vec<_>>()
    };
    let mut said = words(&seen.failing, "false");
    said.extend(words(&seen.up, "true"));
    said.extend(words(&seen.unread, "not a boolean"));
    if let Some(flag) = overall {
        said.push(format!("overall: {flag}"));
    }
    said.join(", ")
}

/// Lookout's reading of the VPC indicators next to the backend's own words.
fn vpc_finding(reader: &Reader, overall: Option<bool>, seen: &Indicators) -> Option<Finding> {
    let total = seen.failing.len() + seen.up.len() + seen.unread.len();
    let said = vpc_words(overall, seen);
    let failing = seen.failing.join(", ");
    let overall_field = "/vpc_connectivity/overall";
    let (status, reading, field, raw) = match (seen.failing.len(), overall) {
        (0, Some(false)) => (
            Status::PartialOutage,
            "VPC connectivity down, extent unknown (no indicator reports failing)".to_string(),
            overall_field,
            "false".to_string(),
        ),
        (0, Some(true)) if seen.unread.is_empty() && total > 0 => (
            Status::Operational,
            format!("VPC connectivity: all {total} indicators up"),
            overall_field,
            "true".to_string(),
        ),
        (0, Some(true)) => (
            Status::Operational,
            "VPC connectivity up by its overall flag".to_string(),
            overall_field,
            "true".to_string(),
        ),
        (0, None) if seen.unread.is_empty() && total > 0 => (
            Status::Operational,
            format!("VPC connectivity: all {total} indicators up"),
            "/vpc_connectivity/indicators",
            "all true".to_string(),
        ),
        (0, None) if total > 0 => (
            Status::Unknown,
            "VPC connectivity cannot be read: some indicators are not booleans and there is no overall flag".to_string(),
            "/vpc_connectivity/indicators",
            seen.unread.join(", "),
        ),
        (0, None) => return None,
        (down, _) if down == total => (
            Status::MajorOutage,
            format!("VPC connectivity down: all {total} indicators failing"),
            "/vpc_connectivity/indicators",
            failing,
        ),
        (down, _) => (
            Status::PartialOutage,
            format!("VPC connectivity partly down: {down} of {total} indicators failing ({failing})"),
            "/vpc_connectivity/indicators",
            failing,
        ),
    };
    let reason = if said.is_empty() {
        reading
    } else {
        format!("{reading}; the backend says {said}")
    };
    Some(reader.finding(status, reason, field, &raw))
}

fn infrastructure_v2_error(reader: &Reader, object: &Map<String, Value>, error: &str) -> Reading {
    let mut sheet = Sheet::default();
    // The endpoint's own word is "error": the check itself failed, so nothing below it was read.
    let finding = reader.finding(
        Status::MajorOutage,
        format!(
            "infrastructure check failed: the backend's own health check raised an error: {}",
            clip(error)
        ),
        "/error",
        error,
    );
    sheet.reported_at = reported_at_in(object, &["/timestamp", "/diagnostics/timestamp"]);
    sheet.finish(
        reconcile_http(reader, finding),
        "Netra /health/infrastructure v2 error",
    )
}

fn infrastructure_v2(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    if let Some(infrastructure) = sheet.object(object, "infrastructure", "/infrastructure") {
        let services = sheet.named_objects(
            infrastructure,
            "service_details",
            "/infrastructure/service_details",
        );
        for (name, pointer, service) in services {
            let part = canonical_part(name);
            for (key, unit) in [
                ("average_response_time", "s"),
                ("success_rate", "%"),
                ("consecutive_failures", ""),
            ] {
                if let Some(value) = service.get(key) {
                    sheet.metric(
                        &format!("{part}.{key}"),
                        value,
                        &format!("{pointer}/{key}"),
                        unit,
                    );
                }
            }
            let Some(mut finding) = word_finding(
                reader,
                service,
                "status",
                &format!("{pointer}/status"),
                name,
            ) else {
                sheet.note(format!("{pointer} has no \"status\""));
                continue;
            };
            if finding.status == Status::Unknown
                && service.get("status").is_some_and(|s| s == "unknown")
            {
                finding.reason =
                    format!("{name}: the backend reports unknown (not yet checked by its monitor)");
            } else if let Some(failures) =
                service.get("consecutive_failures").and_then(Value::as_u64)
            {
                if failures > 0 {
                    finding.reason = format!("{}, {failures} consecutive failures", finding.reason);
                }
            }
            sheet.part(part, finding);
        }
        if let Some(word) = infrastructure.get("overall_status") {
            let finding = value_finding(
                reader,
                word,
                "/infrastructure/overall_status",
                "infrastructure resilience",
            );
            sheet.part("resilience", finding);
        }
        sheet.metric(
            "infrastructure.healthy_services",
            infrastructure
                .get("healthy_services")
                .unwrap_or(&Value::Null),
            "/infrastructure/healthy_services",
            "",
        );
        sheet.metric(
            "infrastructure.total_services",
            infrastructure.get("total_services").unwrap_or(&Value::Null),
            "/infrastructure/total_services",
            "",
        );
    }
    if let Some(breakers) = sheet.object(object, "circuit_breakers", "/circuit_breakers") {
        if let Some(mut finding) = word_finding(
            reader,
            breakers,
            "overall_health",
            "/circuit_breakers/overall_health",
            "circuit breakers",
        ) {
            if let Some(Value::Array(open)) = breakers.get("open_breaker_names") {
                let names: Vec<&str> = open.iter().filter_map(Value::as_str).collect();
                if !names.is_empty() {
                    finding.reason = format!("{}, open: {}", finding.reason, names.join(", "));
                }
            }
            sheet.part("circuit_breakers", finding);
        }
        for key in ["open_breakers", "half_open_breakers", "closed_breakers"] {
            if let Some(value) = breakers.get(key) {
                sheet.metric(
                    &format!("circuit_breakers.{key}"),
                    value,
                    &format!("/circuit_breakers/{key}"),
                    "",
                );
            }
        }
    }
    if let Some(auth) = sheet.object(object, "authentication", "/authentication") {
        if let Some(finding) = word_finding(
            reader,
            auth,
            "overall_status",
            "/authentication/overall_status",
            "authentication",
        ) {
            sheet.part("authentication", finding);
        }
        if let Some(Value::Object(metrics)) = auth.get("metrics") {
            for (key, unit) in [
                ("success_rate_percent", "%"),
                ("failure_rate_percent", "%"),
                ("average_response_time_ms", "ms"),
            ] {
                if let Some(value) = metrics.get(key) {
                    sheet.metric(
                        &format!("authentication.{key}"),
                        value,
                        &format!("/authentication/metrics/{key}"),
                        unit,
                    );
                }
            }
        }
        if let Some(golden) = sheet.object(
            auth,
            "golden_path_assessment",
            "/authentication/golden_path_assessment",
        ) {
            let pointer = "/authentication/golden_path_assessment/golden_path_blocked";
            match golden.get("golden_path_blocked") {
                Some(Value::Bool(true)) => {
                    let level = text(golden, "impact_level").unwrap_or("unknown");
                    sheet.part(
                        "golden_path",
                        reader.finding(
                            Status::MajorOutage,
                            format!("Golden Path blocked (impact {level})"),
                            pointer,
                            "true",
                        ),
                    );
                }
                Some(Value::Bool(false)) => sheet.part(
                    "golden_path",
                    reader.finding(
                        Status::Operational,
                        "Golden Path not blocked",
                        pointer,
                        "false",
                    ),
                ),
                Some(other) => sheet.wrong_type(pointer, other, "a boolean"),
                None => {}
            }
        }
    }
    if let Some(diagnostics) = sheet.object(object, "diagnostics", "/diagnostics") {
        database_connections(reader, &mut sheet, diagnostics);
    }
    sheet.reported_at = reported_at_in(
        object,
        &[
            "/diagnostics/timestamp",
            "/infrastructure/last_updated",
            "/circuit_breakers/timestamp",
            "/authentication/health_check_timestamp",
            "/timestamp",
        ],
    );
    let overall = top_status(reader, &mut sheet, object, "infrastructure");
    sheet.finish(overall, "Netra /health/infrastructure v2")
}

/// `diagnostics.database_connections`: string numbers ("97.6%", "1.284s") become metrics, the
/// pressure indicators a `database_connections` part.
fn database_connections(reader: &Reader, sheet: &mut Sheet, diagnostics: &Map<String, Value>) {
    let base = "/diagnostics/database_connections";
    if let Some(connections) = sheet.object(diagnostics, "database_connections", base) {
        if let Some(word) = connections.get("status") {
            // `{"status": "no_metrics_available"}` when the monitor has no data yet.
            let finding = value_finding(
                reader,
                word,
                &format!("{base}/status"),
                "database connections",
            );
            sheet.part("database_connections", finding);
        }
        for key in [
            "total_attempts",
            "success_rate",
            "average_connection_time",
            "timeout_violations",
            "timeout_violation_rate",
        ] {
            if let Some(value) = connections.get(key) {
                let before = sheet.metrics.len();
                sheet.metric(
                    &format!("database_connections.{key}"),
                    value,
                    &format!("{base}/{key}"),
                    "",
                );
                if sheet.metrics.len() == before {
                    sheet.wrong_type(&format!("{base}/{key}"), value, "a number");
                }
            }
        }
    }
    let base = "/diagnostics/infrastructure_pressure_indicators";
    if let Some(indicators) = sheet.object(diagnostics, "infrastructure_pressure_indicators", base)
    {
        let mut raised = Vec::new();
        for (name, value) in indicators {
            match value {
                Value::Bool(true) => raised.push(name.as_str()),
                Value::Bool(false) => {}
                other => sheet.wrong_type(&format!("{base}/{}", escape(name)), other, "a boolean"),
            }
        }
        let finding = if raised.is_empty() {
            reader.finding(
                Status::Operational,
                "database connections: no pressure indicator raised",
                base,
                "all false",
            )
        } else {
            reader.finding(
                Status::Degraded,
                format!("database connections under pressure: {}", raised.join(", ")),
                base,
                &raised.join(", "),
            )
        };
        sheet.part("database_connections", finding);
    }
}

fn ws_health(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    if let Some(availability) =
        sheet.object(object, "service_availability", "/service_availability")
    {
        for group in ["critical_services", "optional_services"] {
            let group_pointer = format!("/service_availability/{group}");
            for (name, pointer, service) in sheet.named_objects(availability, group, &group_pointer)
            {
                let part = canonical_part(name);
                if let Some(value) = service.get("response_time_ms") {
                    sheet.metric(
                        &format!("{part}.response_time_ms"),
                        value,
                        &format!("{pointer}/response_time_ms"),
                        "ms",
                    );
                }
                if let Some(mut finding) = word_finding(
                    reader,
                    service,
                    "status",
                    &format!("{pointer}/status"),
                    name,
                ) {
                    if let Some(error) = text(service, "error").filter(|e| !e.is_empty()) {
                        finding.reason = format!("{}: {}", finding.reason, clip(error));
                    }
                    if group == "optional_services" && finding.status == Status::MajorOutage {
                        // An optional service that failed leaves the WebSocket service working.
                        finding.status = Status::PartialOutage;
                        finding.reason = format!("{} (optional)", finding.reason);
                    }
                    sheet.part(part, finding);
                }
            }
        }
    }
    sheet.reported_at = reported_at_in(object, &["/timestamp", "/service_availability/last_check"]);
    let overall = top_status(reader, &mut sheet, object, "WebSocket service");
    sheet.finish(overall, "Netra /ws/health")
}

/// `{"status": word, ...}` with the sub-fields Netra's readiness, startup, backend, database,
/// system and auth endpoints add.
fn generic(reader: &Reader, object: &Map<String, Value>) -> Reading {
    let mut sheet = Sheet::default();
    for key in ["core_db", "redis_db", "clickhouse_db", "database_status"] {
        if let Some(finding) = word_finding(reader, object, key, &format!("/{key}"), key) {
            let name = if key == "database_status" {
                "database"
            } else {
                canonical_part(key)
            };
            sheet.part(name, finding);
        }
    }
    if let Some(readiness) = sheet.object(object, "websocket_readiness", "/websocket_readiness") {
        if let Some(mut finding) = word_finding(
            reader,
            readiness,
            "status",
            "/websocket_readiness/status",
            "websocket_readiness.status",
        ) {
            if let Some(Value::Object(details)) = readiness.get("details") {
                readiness_details(&mut finding, details);
            }
            sheet.part("websocket", finding);
        }
    }
    startup_checks(reader, &mut sheet, object);
    backend_capabilities(reader, &mut sheet, object);
    database_pool(reader, &mut sheet, object);
    if let Some(system) = sheet.object(object, "system", "/system") {
        sheet.metric(
            "system.cpu_percent",
            system.get("cpu_percent").unwrap_or(&Value::Null),
            "/system/cpu_percent",
            "%",
        );
        for area in ["memory", "disk"] {
            if let Some(Value::Object(inner)) = system.get(area) {
                sheet.metric(
                    &format!("system.{area}_percent"),
                    inner.get("percent").unwrap_or(&Value::Null),
                    &format!("/system/{area}/percent"),
                    "%",
                );
            }
        }
    }
    if let Some(duration) = object.get("startup_duration") {
        sheet.metric("startup_duration", duration, "/startup_duration", "s");
    }
    if let Some(uptime) = object.get("uptime_seconds") {
        sheet.metric("uptime_seconds", uptime, "/uptime_seconds", "s");
    }
    sheet.reported_at = reported_at_in(
        object,
        &[
            "/timestamp",
            "/health_check_timestamp",
            "/pool_status/timestamp",
            "/last_check",
        ],
    );
    let shape = generic_shape(object);
    let mut overall = top_status(reader, &mut sheet, object, "service");
    if let Some(Value::Object(details)) = object.get("details") {
        if let Some(phase) = text(details, "phase") {
            overall.reason = format!("{} (startup phase {phase})", overall.reason);
        }
    }
    sheet.finish(overall, shape)
}

/// Adds the backend's own words from `websocket_readiness.details` to the readiness finding:
/// the state (`degraded_but_functional`) and a graceful-degradation override, which declared the
/// service ready although it was not (`original_ready: false`). An overridden readiness is
/// degraded at best, whatever the status word says.
fn readiness_details(finding: &mut Finding, details: &Map<String, Value>) {
    let mut words = Vec::new();
    if let Some(state) = text(details, "state") {
        words.push(format!("details.state: \"{}\"", clip(state)));
    }
    if details.get("graceful_degradation") == Some(&Value::Bool(true)) {
        let mut override_words = "graceful_degradation: true".to_string();
        if let Some(Value::Bool(original)) = details.get("original_ready") {
            override_words.push_str(&format!(", original_ready: {original}"));
        }
        if let Some(why) = text(details, "degradation_reason").filter(|w| !w.is_empty()) {
            override_words.push_str(&format!(", degradation_reason: \"{}\"", clip(why)));
        }
        words.push(override_words);
        if finding.status == Status::Operational {
            finding.status = Status::Degraded;
            words.push("ready only by the graceful-degradation override".to_string());
        }
    }
    if !words.is_empty() {
        finding.reason = format!("{} ({})", finding.reason, words.join("; "));
    }
}

fn generic_shape(object: &Map<String, Value>) -> &'static str {
    let has = |key: &str| object.contains_key(key);
    let capabilities = object.get("capabilities").and_then(Value::as_object);
    if has("pool_status") || (has("connected") && has("database_stats")) {
        "Netra /health/database"
    } else if capabilities.is_some_and(|c| c.contains_key("jwt_validation")) {
        "Netra auth /health/auth"
    } else if has("capabilities") || has("golden_path_ready") || has("readiness_score") {
        "Netra /health/backend"
    } else if has("core_db")
        || has("redis_db")
        || has("clickhouse_db")
        || has("websocket_readiness")
    {
        "Netra /health/ready"
    } else if has("checks") {
        "Netra /health/startup"
    } else if has("system") && has("process") {
        "Netra /health/system"
    } else if has("startup_in_progress") || has("startup_complete") || has("startup_failed") {
        "Netra /health startup gate"
    } else if text(object, "service") == Some("auth-service") {
        "Netra auth service"
    } else if has("status") {
        "status word"
    } else {
        "unexpected JSON"
    }
}

/// `/health/startup`'s `checks{name: {status, message|error|details}}`.
fn startup_checks(reader: &Reader, sheet: &mut Sheet, object: &Map<String, Value>) {
    let Some(checks) = sheet.object(object, "checks", "/checks") else {
        return;
    };
    for (name, check) in checks {
        let pointer = format!("/checks/{}", escape(name));
        let Value::Object(check) = check else {
            sheet.wrong_type(&pointer, check, "an object");
            continue;
        };
        let Some(mut finding) =
            word_finding(reader, check, "status", &format!("{pointer}/status"), name)
        else {
            sheet.note(format!("{pointer} has no \"status\""));
            continue;
        };
        match text(check, "error") {
            // A timed-out check leaves `error: ""` (an empty TimeoutError message).
            Some("") => {
                finding.reason = format!(
                    "{}: error with no message (likely a timeout)",
                    finding.reason
                )
            }
            Some(error) => finding.reason = format!("{}: {}", finding.reason, clip(error)),
            None => {
                if let Some(message) = text(check, "message") {
                    finding.reason = format!("{}: {}", finding.reason, clip(message));
                }
            }
        }
        sheet.part(canonical_part(name), finding);
    }
}

/// `/health/backend` and the auth service's `/health/auth`: capabilities, degraded and failed
/// services, the Golden Path flag and the readiness score.
fn backend_capabilities(reader: &Reader, sheet: &mut Sheet, object: &Map<String, Value>) {
    if let Some(capabilities) = sheet.object(object, "capabilities", "/capabilities") {
        for (name, value) in capabilities {
            let pointer = format!("/capabilities/{}", escape(name));
            match value {
                Value::Bool(true) => sheet.part(
                    name,
                    reader.finding(
                        Status::Operational,
                        format!("{name} available"),
                        &pointer,
                        "true",
                    ),
                ),
                Value::Bool(false) => sheet.part(
                    name,
                    reader.finding(
                        Status::MajorOutage,
                        format!("{name} unavailable"),
                        &pointer,
                        "false",
                    ),
                ),
                other => sheet.wrong_type(&pointer, other, "a boolean"),
            }
        }
    }
    if let Some(degraded) = sheet.array(object, "degraded_services", "/degraded_services") {
        for (index, entry) in degraded.iter().enumerate() {
            let pointer = format!("/degraded_services/{index}");
            let Value::Object(entry) = entry else {
                sheet.wrong_type(&pointer, entry, "an object");
                continue;
            };
            let Some(name) = text(entry, "service") else {
                sheet.note(format!("{pointer} has no \"service\" name"));
                continue;
            };
            let mut finding = match entry.get("status") {
                Some(value) => value_finding(reader, value, &format!("{pointer}/status"), name),
                None => reader.finding(
                    Status::Degraded,
                    format!("{name} listed as degraded"),
                    &pointer,
                    name,
                ),
            };
            if let Some(message) = text(entry, "message").or_else(|| text(entry, "error")) {
                finding.reason = format!("{}: {}", finding.reason, clip(message));
            }
            sheet.part(canonical_part(name), finding);
        }
    }
    if let Some(failed) = sheet.object(object, "failed_services", "/failed_services") {
        for (name, message) in failed {
            let pointer = format!("/failed_services/{}", escape(name));
            let raw = message.as_str().unwrap_or_default();
            let reason = if raw.is_empty() {
                format!("{name} failed")
            } else {
                format!("{name} failed: {}", clip(raw))
            };
            sheet.part(
                canonical_part(name),
                reader.finding(Status::MajorOutage, reason, &pointer, raw),
            );
        }
    }
    flag_part(
        reader,
        sheet,
        object,
        "golden_path_ready",
        "golden_path",
        ("Golden Path ready", "Golden Path not ready"),
    );
    if let Some(score) = object.get("readiness_score") {
        let before = sheet.metrics.len();
        sheet.metric("readiness_score", score, "/readiness_score", "");
        if sheet.metrics.len() == before {
            sheet.wrong_type("/readiness_score", score, "a number");
        }
    }
}

/// A top-level boolean `key` read as part `part`: `true` is operational, `false` a major
/// outage, with `reasons` (when true, when false); any other type is noted as wrong.
fn flag_part(
    reader: &Reader,
    sheet: &mut Sheet,
    object: &Map<String, Value>,
    key: &str,
    part: &str,
    reasons: (&str, &str),
) {
    let pointer = format!("/{key}");
    match object.get(key) {
        Some(Value::Bool(flag)) => {
            let (status, reason) = if *flag {
                (Status::Operational, reasons.0)
            } else {
                (Status::MajorOutage, reasons.1)
            };
            sheet.part(
                part,
                reader.finding(status, reason, &pointer, &flag.to_string()),
            );
        }
        Some(other) => sheet.wrong_type(&pointer, other, "a boolean"),
        None => {}
    }
}

/// `/health/database`: the connection flag, the pool's own health word and its numbers
/// (overflow may be negative for SQLAlchemy queue pools; it is kept as reported).
fn database_pool(reader: &Reader, sheet: &mut Sheet, object: &Map<String, Value>) {
    let Some(pool) = sheet.object(object, "pool_status", "/pool_status") else {
        return;
    };
    flag_part(
        reader,
        sheet,
        object,
        "connected",
        "database",
        ("database connected", "database not connected"),
    );
    if let Some(finding) = word_finding(
        reader,
        pool,
        "health",
        "/pool_status/health",
        "connection pool",
    ) {
        sheet.part("pool", finding);
    }
    if let Some(async_pool) = sheet.object(pool, "async_pool", "/pool_status/async_pool") {
        for (key, unit) in [
            ("size", ""),
            ("checked_in", ""),
            ("checked_out", ""),
            ("overflow", ""),
            ("total_connections", ""),
            ("utilization_percent", "%"),
            ("overflow_percent", "%"),
        ] {
            if let Some(value) = async_pool.get(key) {
                sheet.metric(
                    &format!("pool.{key}"),
                    value,
                    &format!("/pool_status/async_pool/{key}"),
                    unit,
                );
            }
        }
    }
}

/// The endpoint's own status from its `status` word, reconciled with its HTTP status and its
/// parts; the service's own explanation (message, reason, error, note) joins the reason.
fn top_status(
    reader: &Reader,
    sheet: &mut Sheet,
    object: &Map<String, Value>,
    what: &str,
) -> Finding {
    let Some(value) = object.get("status") else {
        return missing_status(reader, sheet, object, "status");
    };
    let mut finding = value_finding(reader, value, "/status", what);
    if let Some(problem) = status_value_problem(value, &finding) {
        sheet.problem = Some(problem);
    }
    for key in ["message", "reason", "error", "note"] {
        if let Some(message) = text(object, key).filter(|m| !m.is_empty()) {
            finding.reason = format!("{}: {}", finding.reason, clip(message));
            break;
        }
    }
    let finding = fold_parts(finding, &sheet.parts);
    reconcile_http(reader, finding)
}
