//! Injected faults, driven through the control API exactly as the end-to-end tests will.

use std::time::{Duration, Instant};

use lookout_sim::{Generation, Phase};
use reqwest::StatusCode;
use serde_json::json;

use crate::Sim;

#[tokio::test]
async fn status_override_keeps_the_body() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/health/ready", "status": 502}))
        .await;
    let got = sim.get(&sim.backend("/health/ready")).await;
    assert_eq!(got.status, StatusCode::BAD_GATEWAY);
    assert_eq!(got.json()["status"], "ready");
    // Other endpoints are untouched.
    assert_eq!(
        sim.get(&sim.backend("/health")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn body_faults_rewrite_the_payload() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    let normal = sim.get(&sim.auth("/health")).await.text;

    sim.fault(json!({"service": "auth", "path": "/health", "body": "html"}))
        .await;
    let html = sim.get(&sim.auth("/health")).await;
    assert_eq!(html.status, StatusCode::OK, "html defaults to 200");
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(html.text.starts_with("<!DOCTYPE html>"));

    sim.fault(json!({"service": "auth", "path": "/health", "body": "html", "status": 504}))
        .await;
    assert_eq!(
        sim.get(&sim.auth("/health")).await.status,
        StatusCode::GATEWAY_TIMEOUT
    );

    sim.fault(json!({"service": "auth", "path": "/health", "body": "malformed_json"}))
        .await;
    let malformed = sim.get(&sim.auth("/health")).await;
    assert_eq!(malformed.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(malformed.text, r#"{"status": "ok","#);
    assert_eq!(malformed.header("content-type"), Some("application/json"));

    sim.fault(json!({"service": "auth", "path": "/health", "body": "truncated"}))
        .await;
    let truncated = sim.get(&sim.auth("/health")).await.text;
    assert!(normal.starts_with(&truncated[..20.min(truncated.len())]));
    assert!((normal.len() / 2).abs_diff(truncated.len()) <= 1);
    assert!(serde_json::from_str::<serde_json::Value>(&truncated).is_err());

    sim.fault(json!({"service": "auth", "path": "/health", "body": "empty"}))
        .await;
    assert!(sim.get(&sim.auth("/health")).await.text.is_empty());
}

#[tokio::test]
async fn drop_cors_strips_every_cors_header() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let origin = sim.site_origin();
    sim.fault(json!({"service": "backend", "path": "/ws/health", "drop_cors": true}))
        .await;
    let got = sim.get_from(&sim.backend("/ws/health"), &origin).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(!got.has_cors(), "{:?}", got.headers);
    let preflight = sim
        .send(
            reqwest::Method::OPTIONS,
            &sim.backend("/ws/health"),
            &[
                ("Origin", &origin),
                ("Access-Control-Request-Method", "GET"),
            ],
        )
        .await;
    assert!(!preflight.has_cors());
    assert!(sim
        .get_from(&sim.backend("/health"), &origin)
        .await
        .has_cors());
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/health", "latency_ms": 400}))
        .await;
    let started = Instant::now();
    let got = sim.get(&sim.backend("/health")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn reset_fails_the_request() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/health", "reset": true}))
        .await;
    let err = sim
        .client
        .get(sim.backend("/health"))
        .send()
        .await
        .expect_err("the connection is dropped without a response");
    assert!(!err.is_timeout(), "{err}");
    // The listener keeps serving other requests.
    assert_eq!(
        sim.get(&sim.backend("/health/ready")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn hang_never_answers_and_ends_when_the_client_gives_up() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "auth", "path": "/health", "hang": true}))
        .await;
    let err = sim
        .client
        .get(sim.auth("/health"))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("no answer");
    assert!(err.is_timeout(), "{err}");
    let counts = sim.counts().await;
    assert_eq!(counts["requests"]["auth GET /health"], 1);
    // Once the client hangs up the request stops counting as in flight.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let counts = sim.counts().await;
        if counts["in_flight"].get("auth GET /health").is_none() {
            break;
        }
        assert!(Instant::now() < deadline, "still in flight: {counts}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn faults_replace_and_clear() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/health", "status": 500}))
        .await;
    sim.fault(json!({"service": "backend", "path": "/health", "status": 404}))
        .await;
    assert_eq!(
        sim.get(&sim.backend("/health")).await.status,
        StatusCode::NOT_FOUND
    );
    let list = sim.get(&sim.control("/__sim/faults")).await.json();
    assert_eq!(list["faults"].as_array().unwrap().len(), 1);

    let cleared = sim
        .client
        .delete(sim.control("/__sim/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::OK);
    assert_eq!(
        sim.get(&sim.backend("/health")).await.status,
        StatusCode::OK
    );

    for bad in [
        json!({"service": "db", "path": "/health"}),
        json!({"service": "backend", "path": "/health", "body": "xml"}),
        json!({"service": "backend", "path": "health"}),
        json!({"path": "/health"}),
    ] {
        let got = sim.post("/__sim/faults", bad.clone()).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(got.json()["error"].is_string());
    }
}
