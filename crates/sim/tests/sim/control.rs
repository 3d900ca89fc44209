//! The control API: state, scenario changes, counts, reset, and its own CORS.

use std::time::{Duration, Instant};

use lookout_sim::{Generation, Phase, SimOptions};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{options, Sim};

#[tokio::test]
async fn state_and_scenario_changes() {
    let sim = Sim::start(SimOptions {
        generation: Generation::V2,
        phase: Phase::Diagnosis,
        ..options()
    })
    .await;
    let state = sim.get(&sim.control("/__sim/state")).await;
    assert_eq!(state.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        state.json(),
        json!({"generation": "v2", "phase": "diagnosis", "phase_seconds": 0})
    );

    let changed = sim
        .post("/__sim/scenario", json!({"phase": "recovered"}))
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(
        changed.json(),
        json!({"generation": "v2", "phase": "recovered", "phase_seconds": 0})
    );
    let changed = sim
        .post("/__sim/scenario", json!({"generation": "v1"}))
        .await;
    assert_eq!(changed.json()["generation"], "v1");
    assert_eq!(changed.json()["phase"], "recovered");

    for bad in [
        json!({"phase": "later"}),
        json!({"generation": "v3"}),
        json!({"phase": "recovered", "generation": "v9"}),
    ] {
        let got = sim.post("/__sim/scenario", bad.clone()).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(got.json()["error"].as_str().unwrap().contains("unknown"));
    }
    // A refused change changes nothing.
    let state = sim.get(&sim.control("/__sim/state")).await.json();
    assert_eq!(state["generation"], "v1");

    let preflight = sim
        .send(
            Method::OPTIONS,
            &sim.control("/__sim/scenario"),
            &[
                ("Origin", "http://anywhere.example"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
        )
        .await;
    assert!(preflight.status.is_success());
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn phases_auto_advance_and_setting_one_restarts_the_clock() {
    let sim = Sim::start(SimOptions {
        phase: Phase::PartialRecovery,
        phase_seconds: 1,
        ..options()
    })
    .await;
    assert_eq!(
        sim.get(&sim.backend("/health/ready")).await.json()["status"],
        "ready"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let state = sim.get(&sim.control("/__sim/state")).await.json();
    assert_eq!(state["phase"], "recovered");
    assert_eq!(state["phase_seconds"], 1);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let state = sim.get(&sim.control("/__sim/state")).await.json();
    assert_eq!(state["phase"], "outage", "wraps around");

    sim.scenario(json!({"phase": "diagnosis"})).await;
    let state = sim.get(&sim.control("/__sim/state")).await.json();
    assert_eq!(state["phase"], "diagnosis");
    sim.scenario(json!({"phase_seconds": 0})).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let state = sim.get(&sim.control("/__sim/state")).await.json();
    assert_eq!(state["phase"], "diagnosis", "held");
}

#[tokio::test]
async fn counts_key_requests_and_track_concurrency() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let origin = sim.site_origin();
    sim.get(&sim.backend("/health")).await;
    sim.get(&sim.backend("/health")).await;
    sim.send(
        Method::OPTIONS,
        &sim.backend("/health"),
        &[
            ("Origin", &origin),
            ("Access-Control-Request-Method", "GET"),
        ],
    )
    .await;
    sim.get(&sim.auth("/health")).await;
    // Site and control requests are not counted.
    sim.get(&sim.site("/bucket/status/")).await;

    sim.fault(json!({"service": "backend", "path": "/health/ready", "latency_ms": 300}))
        .await;
    let started = Instant::now();
    let url = sim.backend("/health/ready");
    let requests = (0..3).map(|_| sim.client.get(&url).send());
    for response in futures_util::future::join_all(requests).await {
        assert_eq!(response.unwrap().status(), StatusCode::OK);
    }
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "served concurrently"
    );

    let counts = sim.counts().await;
    let requests = counts["requests"].as_object().unwrap();
    assert_eq!(requests["backend GET /health"], 2);
    assert_eq!(requests["backend OPTIONS /health"], 1);
    assert_eq!(requests["auth GET /health"], 1);
    assert_eq!(requests["backend GET /health/ready"], 3);
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert_eq!(counts["in_flight_max"]["backend GET /health/ready"], 3);
    assert_eq!(counts["in_flight_max"]["backend GET /health"], 1);
    assert_eq!(counts["in_flight"], json!({}));
}

#[tokio::test]
async fn reset_restores_the_cli_defaults() {
    let sim = Sim::start(SimOptions {
        generation: Generation::V2,
        phase: Phase::Diagnosis,
        ..options()
    })
    .await;
    sim.get(&sim.backend("/health")).await;
    sim.scenario(json!({"phase": "recovered", "generation": "v1"}))
        .await;
    sim.fault(json!({"service": "backend", "path": "/health", "status": 500}))
        .await;
    let reset = sim.post("/__sim/reset", json!({})).await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(
        reset.json(),
        json!({"generation": "v2", "phase": "diagnosis", "phase_seconds": 0})
    );
    assert_eq!(sim.counts().await["requests"], json!({}));
    let faults = sim.get(&sim.control("/__sim/faults")).await.json();
    assert_eq!(faults["faults"], json!([]));
    let health = sim.get(&sim.backend("/health")).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json(), json!({"status": "ok"}));
}
