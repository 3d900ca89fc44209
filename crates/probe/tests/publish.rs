//! The prober's publishing: atomic directory writes (a concurrent reader never sees half a
//! file, a failed write leaves the old file), object-store writes with Cache-Control, and the
//! round state (a failed probe is recorded as failed, resuming carries history on).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use lookout_core::config::Config;
use lookout_core::monitor::snapshot::{Prober, Snapshot};
use lookout_core::probe::{HttpResponse, Probe, ProbeFailure, ProbeOutcome, ProbeResult};
use lookout_core::status::Status;
use lookout_probe::output::{write_atomically, Output, DEFAULT_CACHE_CONTROL};
use lookout_probe::round::State;
use object_store::memory::InMemory;
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, ObjectStoreExt};

const CONFIG: &str = include_str!("../../../config/lookout.json");

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lookout-probe-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn document(fill: char, size: usize) -> String {
    serde_json::json!({ "fill": fill.to_string().repeat(size) }).to_string()
}

#[test]
fn a_concurrent_reader_never_sees_half_a_file() {
    let dir = scratch("atomic");
    write_atomically(&dir, "snapshot.json", document('a', 10).as_bytes()).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let dir = dir.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut reads = 0u32;
            while !done.load(Ordering::Relaxed) {
                let text = std::fs::read_to_string(dir.join("snapshot.json")).unwrap();
                let value: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("a torn read after {reads} reads: {e}"));
                assert!(value["fill"].is_string());
                reads += 1;
            }
            reads
        })
    };
    for round in 0..200 {
        let fill = if round % 2 == 0 { 'b' } else { 'c' };
        write_atomically(&dir, "snapshot.json", document(fill, 256 * 1024).as_bytes()).unwrap();
    }
    done.store(true, Ordering::Relaxed);
    let reads = reader.join().expect("the reader saw only whole files");
    assert!(reads > 0);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "snapshot.json")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_write_keeps_the_old_file_and_says_where() {
    let dir = scratch("failed");
    write_atomically(&dir, "summary.json", b"{\"old\":true}").unwrap();
    // A directory where the file should go: the rename fails after the temporary file was
    // written.
    std::fs::create_dir(dir.join("history.json")).unwrap();
    let error = write_atomically(&dir, "history.json", b"{}").unwrap_err();
    assert!(error.contains("history.json"), "{error}");
    let missing = write_atomically(&dir.join("absent"), "summary.json", b"{}").unwrap_err();
    assert!(missing.contains("absent"), "{missing}");
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.json")).unwrap(),
        "{\"old\":true}"
    );
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "temporary file left: {names:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn out_is_a_directory_or_a_bucket_prefix() {
    assert!(Output::parse("/definitely/not/here")
        .unwrap_err()
        .contains("no such directory"));
    assert!(Output::parse("s3://bucket/x")
        .unwrap_err()
        .contains("gs://"));
    assert!(Output::parse("gs:///status")
        .unwrap_err()
        .contains("bucket"));
    let dir = scratch("parse");
    assert!(matches!(
        Output::parse(dir.to_str().unwrap()),
        Ok(Output::Dir(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn object_store_writes_carry_cache_control_under_the_prefix() {
    let memory = Arc::new(InMemory::new());
    let output = Output::Store {
        store: memory.clone(),
        prefix: "status".to_string(),
        display: "memory://status".to_string(),
    };
    assert_eq!(output.read("snapshot.json").await, Ok(None));
    output
        .write("snapshot.json", "{\"a\":1}", DEFAULT_CACHE_CONTROL)
        .await
        .unwrap();
    let stored = memory
        .get(&ObjectPath::from("status/snapshot.json"))
        .await
        .expect("written under the prefix");
    assert_eq!(
        stored
            .attributes
            .get(&Attribute::CacheControl)
            .map(|v| v.as_ref()),
        Some("public, max-age=15")
    );
    assert_eq!(
        stored
            .attributes
            .get(&Attribute::ContentType)
            .map(|v| v.as_ref()),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        output.read("snapshot.json").await,
        Ok(Some("{\"a\":1}".to_string()))
    );
    assert!(memory
        .get(&ObjectPath::from("snapshot.json"))
        .await
        .is_err());
}

fn fresh_state() -> State {
    State::new(
        Config::parse(CONFIG).unwrap(),
        Vec::new(),
        Prober {
            id: "lookout-probe@test".to_string(),
            version: "0".to_string(),
        },
        Some(30),
        String::new(),
    )
}

/// A probe without `Retry-After`.
fn probe(result: ProbeResult) -> Probe {
    Probe {
        result,
        retry_after_seconds: None,
    }
}

/// `seconds` on the prober's schedule clock, in milliseconds.
fn ms(seconds: u64) -> f64 {
    (seconds * 1000) as f64
}

fn index_of(state: &State, id: &str) -> usize {
    state
        .config()
        .endpoints
        .iter()
        .position(|e| e.id == id)
        .unwrap()
}

#[test]
fn a_failed_probe_is_published_as_failed_never_as_the_previous_value() {
    let mut state = fresh_state();
    let at = |s: u32| Utc.with_ymd_and_hms(2025, 9, 16, 12, 0, s).unwrap();
    let auth = index_of(&state, "auth_health");
    state.record(
        auth,
        probe(ProbeResult {
            endpoint: "auth_health".to_string(),
            at: at(0),
            latency_ms: 20,
            outcome: ProbeOutcome::Response(HttpResponse {
                status: 200,
                content_type: Some("application/json".to_string()),
                body: r#"{"status":"healthy"}"#.to_string(),
            }),
        }),
        ms(0),
    );
    let first = state.documents(at(1), ms(1));
    let snapshot = Snapshot::from_json(&first.snapshot, "1278").unwrap();
    let row = |s: &Snapshot| {
        s.model
            .components()
            .into_iter()
            .find(|c| c.id == "auth_service")
            .unwrap()
    };
    assert_eq!(row(&snapshot).status, Status::Operational);

    state.record(
        auth,
        probe(ProbeResult {
            endpoint: "auth_health".to_string(),
            at: at(30),
            latency_ms: 10_000,
            outcome: ProbeOutcome::Failed(ProbeFailure::Timeout { after_ms: 10_000 }),
        }),
        ms(30),
    );
    let second = state.documents(at(31), ms(31));
    let snapshot = Snapshot::from_json(&second.snapshot, "1278").unwrap();
    assert_eq!(row(&snapshot).status, Status::Unknown);
    assert!(
        row(&snapshot).reason.contains("timeout"),
        "{}",
        row(&snapshot).reason
    );
    let due = |state: &mut State, seconds: u64| -> Vec<usize> {
        state
            .due(ms(seconds))
            .into_iter()
            .map(|r| r.index)
            .collect()
    };
    let report = index_of(&state, "validation_report");
    assert!(
        due(&mut state, 0).contains(&report),
        "never probed: due in the first round"
    );
    assert!(
        !due(&mut state, 60).contains(&auth),
        "a failing endpoint backs off"
    );
    assert!(due(&mut state, 90).contains(&auth), "and is probed again");

    // A one-off run carries the history and the probes on from the published files.
    let mut next = fresh_state();
    let notes = next.resume(None, Some(&second.snapshot), Some(&second.history));
    assert!(notes.is_empty(), "{notes:?}");
    let resumed = next.documents(at(59), ms(59));
    let history: serde_json::Value = serde_json::from_str(&resumed.history).unwrap();
    assert_eq!(
        history["components"]["auth_service"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "both earlier samples kept"
    );
    let notes = next.resume(
        Some("{\"schema\":2,\"incident\":\"9\"}"),
        Some("<html>"),
        Some("{\"schema\":9}"),
    );
    assert_eq!(notes.len(), 3, "{notes:?}");
}

/// Every endpoint of the shipped config answering as a recovered backend would, at `at`.
fn healthy_round(state: &mut State, at: chrono::DateTime<Utc>, now_seconds: u64) {
    let ids: Vec<String> = state
        .config()
        .endpoints
        .iter()
        .map(|e| e.id.clone())
        .collect();
    for (index, id) in ids.iter().enumerate() {
        let outcome = if id == "ws_handshake" {
            ProbeOutcome::WebSocket(lookout_core::probe::WebSocketSession {
                opened: true,
                close_code: Some(1008),
                close_reason: "Authentication failed".to_string(),
            })
        } else {
            ProbeOutcome::Response(HttpResponse {
                status: 200,
                content_type: Some("application/json".to_string()),
                body: r#"{"status":"healthy"}"#.to_string(),
            })
        };
        state.record(
            index,
            probe(ProbeResult {
                endpoint: id.clone(),
                at,
                latency_ms: 30,
                outcome,
            }),
            ms(now_seconds),
        );
    }
}

fn criterion_state(snapshot: &str, id: &str) -> String {
    let snapshot = Snapshot::from_json(snapshot, "1278").unwrap();
    let view = snapshot.model.criteria.iter().find(|c| c.id == id).unwrap();
    view.state.as_str().to_string()
}

#[test]
fn one_off_runs_judge_streaks_as_a_long_running_prober_does() {
    let at = |minute: u32| Utc.with_ymd_and_hms(2025, 9, 16, 12, minute, 0).unwrap();
    // Three scheduled runs a minute apart, each a fresh process resuming from the files.
    let mut files: Option<lookout_probe::round::Documents> = None;
    let mut states = Vec::new();
    for run in 0..3u32 {
        let mut state = fresh_state();
        if let Some(previous) = &files {
            let notes = state.resume(
                Some(&previous.memory),
                Some(&previous.snapshot),
                Some(&previous.history),
            );
            assert!(notes.is_empty(), "{notes:?}");
        }
        healthy_round(&mut state, at(run), 0);
        let documents = state.documents(at(run), ms(0));
        states.push(criterion_state(&documents.snapshot, "health_200"));
        files = Some(documents);
    }
    // One long-running prober seeing the same three rounds.
    let mut long = fresh_state();
    let mut expected = Vec::new();
    for run in 0..3u32 {
        healthy_round(&mut long, at(run), u64::from(run) * 60);
        expected.push(criterion_state(
            &long.documents(at(run), ms(u64::from(run) * 60)).snapshot,
            "health_200",
        ));
    }
    assert_eq!(states, expected);
    assert_eq!(states.last().map(String::as_str), Some("met"), "{states:?}");
    assert_ne!(states[0], "met", "one probe is not a streak");
}
