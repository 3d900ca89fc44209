//! `cargo xtask check-config --explain ENDPOINT_URL|FILE [--format F]`: what Lookout makes of
//! one answer, so a user can write components and criteria from what they see: the level and
//! its reason, the parts with the names a component's `part` takes, the numbers a threshold
//! check can read with their JSON pointers, and the times. The answer is read by
//! `lookout-core`'s own reader (`read::read_with_body`, the page's and the prober's), and a
//! live one is fetched by the prober's own probes (`lookout_probe::net`): nothing here reads or
//! fetches differently.

use std::time::Duration;

use lookout_core::config::Probing;
use lookout_core::incident::criteria::read_number;
use lookout_core::probe::{decode_body, HttpResponse, ProbeOutcome};
use lookout_core::read::timestamp::parse_value;
use lookout_core::read::{read_with_body, Body, Finding, Format, Reading};
use serde::Deserialize;
use serde_json::Value;

use crate::util::Result;

/// The most entries listed per section; a larger payload says how many more it has.
const MAX_LISTED: usize = 60;

/// What `--explain` reads and how.
#[derive(Debug)]
pub struct Options {
    /// An http(s) or ws(s) URL, or a saved body's file.
    pub target: String,
    /// The format to read it with (`auto` unless `--format` says otherwise).
    pub format: Format,
}

impl Options {
    /// Parses `TARGET [--format F]`, `F` being a format name or a JSON rule object.
    pub fn parse(args: &[String]) -> Result<Options> {
        let (target, format) = match args {
            [target] => (target, None),
            [target, flag, format] | [flag, format, target] if flag == "--format" => {
                (target, Some(format))
            }
            _ => {
                return Err(
                    "check-config --explain needs ENDPOINT_URL|FILE [--format F]".to_string(),
                )
            }
        };
        let format = match format {
            None => Format::Auto,
            Some(text) => parse_format(text)?,
        };
        Ok(Options {
            target: target.clone(),
            format,
        })
    }
}

/// A `--format` value, read as the configuration's `format` field is (same names, same rule
/// checks, same messages).
fn parse_format(text: &str) -> Result<Format> {
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("--format: not a JSON object: {e}"))?
    } else {
        Value::String(text.to_string())
    };
    Format::deserialize(value).map_err(|e| format!("--format: {e}"))
}

/// Reads the answer and prints what Lookout makes of it.
pub fn run(options: &Options) -> Result<()> {
    let (source, outcome) = answer(&options.target)?;
    print!("{}", explain(&source, &options.format, &outcome));
    Ok(())
}

/// The answer `target` names, with a line saying where it came from.
fn answer(target: &str) -> Result<(String, ProbeOutcome)> {
    let lower = target.to_ascii_lowercase();
    let timeout = Duration::from_secs(Probing::default().timeout_seconds.into());
    if ["http://", "https://", "ws://", "wss://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
    {
        let outcome = fetch(target, timeout)?;
        return Ok((
            format!("{target} (live, timeout {} s)", timeout.as_secs()),
            outcome,
        ));
    }
    let bytes = std::fs::read(target).map_err(|e| format!("cannot read {target}: {e}"))?;
    let outcome = match decode_body(200, bytes) {
        Ok(body) => ProbeOutcome::Response(HttpResponse {
            status: 200,
            content_type: None,
            body,
        }),
        Err(failure) => ProbeOutcome::Failed(failure),
    };
    Ok((
        format!("{target} (a saved body, read as an HTTP 200 answer)"),
        outcome,
    ))
}

/// One probe of `url` by the prober's own HTTP or WebSocket probe.
fn fetch(url: &str, timeout: Duration) -> Result<ProbeOutcome> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let probe = runtime.block_on(async {
        if url.to_ascii_lowercase().starts_with("ws") {
            Ok(lookout_probe::net::probe_websocket("explain", url, timeout).await)
        } else {
            let client = lookout_probe::net::client()?;
            Ok::<_, String>(lookout_probe::net::probe_http(&client, "explain", url, timeout).await)
        }
    })?;
    Ok(probe.result.outcome)
}

/// What Lookout makes of `outcome` read with `format`, for people.
pub fn explain(source: &str, format: &Format, outcome: &ProbeOutcome) -> String {
    let (reading, body) = read_with_body("explain", format.clone(), outcome);
    let mut out = String::new();
    out += &format!("answer:     {source}\n");
    let recognised = match format {
        Format::Auto => format!("auto, recognised as {}", reading.shape),
        other if other.name() == reading.shape => other.name().to_string(),
        other => format!("{} ({})", other.name(), reading.shape),
    };
    out += &format!("format:     {recognised}\n");
    out += &format!("level:      {}\n", finding_line(&reading.overall));
    if let Some(problem) = reading.problem {
        out += &format!("problem:    {}\n", problem.as_str());
    }
    out += &parts_section(&reading);
    let json = match &body {
        Body::Json(value) => Some(value),
        Body::NotJson | Body::Unread => None,
    };
    out += &metrics_section(&reading, json);
    out += &times_section(&reading, json);
    if !reading.notes.is_empty() {
        out += "\nnotes (where the body departs from its format):\n";
        for note in &reading.notes {
            out += &format!("  {note}\n");
        }
    }
    out
}

/// `degraded — the reason [/pointer = raw]`.
fn finding_line(finding: &Finding) -> String {
    let evidence = &finding.evidence;
    let from = if evidence.field.is_empty() {
        String::new()
    } else {
        format!("  [{} = {}]", evidence.field, evidence.raw)
    };
    format!("{} — {}{from}", finding.status.as_str(), finding.reason)
}

fn parts_section(reading: &Reading) -> String {
    let mut out = String::from("\nparts (a component's source names one as \"part\"):\n");
    if reading.parts.is_empty() {
        out += "  none: a component can only show the endpoint's own level (no \"part\")\n";
        return out;
    }
    let width = reading
        .parts
        .keys()
        .map(|name| name.len())
        .max()
        .unwrap_or(0);
    for (name, finding) in &reading.parts {
        out += &format!("  {name:<width$}  {}\n", finding_line(finding));
    }
    out
}

fn metrics_section(reading: &Reading, json: Option<&Value>) -> String {
    let mut out =
        String::from("\nnumbers (JSON pointers a threshold check's \"fields\" can read):\n");
    let mut leaves = Vec::new();
    if let Some(json) = json {
        collect_leaves(json, String::new(), &mut leaves);
    }
    let numbers: Vec<String> = leaves
        .iter()
        .filter(|(_, value)| !value.is_boolean())
        .filter_map(|(pointer, value)| {
            let (number, unit) = read_number(value)?;
            let named = reading
                .metrics
                .iter()
                .find(|(_, metric)| metric.field == *pointer)
                .map(|(name, _)| format!("  (Lookout's metric {name})"))
                .unwrap_or_default();
            let unit = if unit.is_empty() {
                unit
            } else {
                format!(" {unit}")
            };
            Some(format!("{pointer} = {number}{unit}{named}"))
        })
        .collect();
    out += &listed(&numbers, "none", "  ");
    let flags: Vec<String> = leaves
        .iter()
        .filter(|(_, value)| value.is_boolean())
        .map(|(pointer, value)| format!("{pointer} = {value}"))
        .collect();
    if !flags.is_empty() {
        out += "\nflags (a threshold fallback can accept true or false):\n";
        out += &listed(&flags, "none", "  ");
    }
    out
}

fn times_section(reading: &Reading, json: Option<&Value>) -> String {
    let mut out = String::from("\ntimes:\n");
    match &reading.reported_at {
        Some(time) => {
            let assumed = if time.zone_assumed {
                " (no zone written: UTC assumed)"
            } else {
                ""
            };
            out += &format!(
                "  the payload's own time: {} from {} = {}{assumed}\n",
                time.at.to_rfc3339(),
                time.field,
                time.raw
            );
        }
        None => out += "  the payload's own time: none found\n",
    }
    let mut leaves = Vec::new();
    if let Some(json) = json {
        collect_leaves(json, String::new(), &mut leaves);
    }
    let reported = reading.reported_at.as_ref().map(|t| t.field.as_str());
    let others: Vec<String> = leaves
        .iter()
        .filter(|(pointer, _)| Some(pointer.as_str()) != reported)
        .filter_map(|(pointer, value)| {
            let parsed = parse_value(value)?;
            Some(format!("{pointer} = {}", parsed.at.to_rfc3339()))
        })
        .collect();
    if !others.is_empty() {
        out += "  other fields read as times (what a rule's \"time\" can point to):\n";
        out += &listed(&others, "none", "    ");
    }
    out
}

/// The lines after `indent`, at most [`MAX_LISTED`] of them; `empty` when there are none.
fn listed(lines: &[String], empty: &str, indent: &str) -> String {
    if lines.is_empty() {
        return format!("{indent}{empty}\n");
    }
    let mut out: String = lines
        .iter()
        .take(MAX_LISTED)
        .map(|line| format!("{indent}{line}\n"))
        .collect();
    if lines.len() > MAX_LISTED {
        out += &format!("{indent}… and {} more\n", lines.len() - MAX_LISTED);
    }
    out
}

/// Every scalar of `value` with its JSON pointer, in document order.
fn collect_leaves<'v>(value: &'v Value, pointer: String, out: &mut Vec<(String, &'v Value)>) {
    match value {
        Value::Object(object) => {
            for (key, item) in object {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_leaves(item, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_leaves(item, format!("{pointer}/{index}"), out);
            }
        }
        Value::Null => {}
        scalar => out.push((pointer, scalar)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> String {
        format!(
            "{}/../crates/core/tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    fn explained(path: &str, format: &Format) -> String {
        let (source, outcome) = answer(&fixture(path)).expect("a readable fixture");
        explain(&source, format, &outcome)
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_saved_netra_body_shows_its_parts_numbers_and_time() {
        let text = explained("netra/ready_v1_redis_vpc_degraded.json", &Format::Auto);
        println!("{text}");
        assert!(
            text.contains("format:     auto, recognised as Netra"),
            "{text}"
        );
        assert!(text.contains("level:      degraded"), "{text}");
        for part in ["clickhouse ", "database ", "redis ", "websocket "] {
            assert!(
                text.contains(&format!("\n  {part}")),
                "{part} missing: {text}"
            );
        }
        assert!(text.contains("the payload's own time: 20"), "{text}");
    }

    #[test]
    fn numbers_are_listed_with_their_pointers_and_lookouts_metric_names() {
        let text = explained("netra/infra_v2_degraded.json", &Format::Auto);
        println!("{text}");
        assert!(text.contains("(Lookout's metric "), "{text}");
        assert!(
            text.lines()
                .any(|line| line.starts_with("  /") && line.contains(" = ")),
            "{text}"
        );
    }

    #[test]
    fn a_rule_format_reads_the_shape_it_describes() {
        let options = Options::parse(&args(&[
            &fixture("rule/traffic_light.json"),
            "--format",
            r#"{"rule": {"status": "/state", "components": "/services", "status_field": "health",
                "critical": "critical", "latency": "latency_ms", "time": "/checked_at",
                "words": {"green": "operational", "amber": "degraded", "red": "major_outage"}}}"#,
        ]))
        .expect("a valid rule");
        assert_eq!(options.format.name(), "rule");
        let (source, outcome) = answer(&options.target).unwrap();
        let text = explain(&source, &options.format, &outcome);
        println!("{text}");
        assert!(text.starts_with("answer:"), "{text}");
        assert!(text.contains("format:     rule\n"), "{text}");
        assert!(text.contains("level:      degraded"), "{text}");
        assert!(text.contains("\n  search  degraded"), "{text}");
        assert!(text.contains("(Lookout's metric search.latency)"), "{text}");
        assert!(text.contains("from /checked_at"), "{text}");
    }

    #[test]
    fn plain_text_and_formats_without_parts_say_so() {
        let text = explained("kubernetes/readyz_failed.txt", &Format::Kubernetes);
        assert!(text.contains("format:     kubernetes"), "{text}");
        let text = explained("common/plain_ok.txt", &Format::PlainHttp);
        assert!(text.contains("level:      operational"), "{text}");
        assert!(text.contains("none: a component can only show"), "{text}");
    }

    #[test]
    fn a_live_answer_is_fetched_by_the_probers_own_probe() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            use std::io::{Read, Write};
            let (mut stream, _) = listener.accept().expect("one request");
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let body = r#"{"status": "DOWN", "components": {"db": {"status": "DOWN"}}}"#;
            let head = format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body.as_bytes()).unwrap();
        });
        let url = format!("http://127.0.0.1:{port}/actuator/health");
        let (source, outcome) = answer(&url).expect("a live answer");
        server.join().unwrap();
        let text = explain(&source, &Format::Spring, &outcome);
        assert!(text.contains("(live, timeout 10 s)"), "{text}");
        assert!(text.contains("level:      major_outage"), "{text}");
        assert!(text.contains("\n  db  major_outage"), "{text}");
    }

    #[test]
    fn bad_options_are_named() {
        let error = Options::parse(&args(&["x.json", "--format", "netra_v3"])).unwrap_err();
        assert!(error.contains("unknown format \"netra_v3\""), "{error}");
        let error = Options::parse(&args(&["x.json", "--format", r#"{"rule": {}}"#])).unwrap_err();
        assert!(error.contains("needs \"status\""), "{error}");
        let error = Options::parse(&args(&["x.json", "--format", "{oops"])).unwrap_err();
        assert!(error.starts_with("--format: not a JSON object"), "{error}");
        assert!(Options::parse(&args(&[])).is_err());
        let error = answer("no/such/body.json").unwrap_err();
        assert!(
            error.starts_with("cannot read no/such/body.json"),
            "{error}"
        );
    }
}
