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

#[tokio::test]
async fn huge_streams_ten_megabytes_of_valid_json_without_a_length() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "auth", "path": "/health", "body": "huge"}))
        .await;
    let response = sim.client.get(sim.auth("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().get("content-length").is_none(),
        "streamed, so the page cannot refuse it by its declared length"
    );
    let body = response.bytes().await.unwrap();
    assert!(body.len() >= 10 * 1024 * 1024, "{} bytes", body.len());
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["status"], "healthy");
}

#[tokio::test]
async fn deep_nests_ten_thousand_levels() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/health", "body": "deep"}))
        .await;
    let got = sim.get(&sim.backend("/health")).await;
    assert_eq!(got.status, StatusCode::OK);
    let opened = got
        .text
        .bytes()
        .filter(|b| *b == b'[' || *b == b'{')
        .count();
    assert_eq!(opened, 10_000 + 1, "the outer object plus 10,000 levels");
    let error = serde_json::from_str::<serde_json::Value>(&got.text).unwrap_err();
    assert!(error.to_string().contains("recursion limit"), "{error}");
}

#[tokio::test]
async fn wrong_types_turn_every_value_into_another_type() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    let normal = sim.get(&sim.auth("/health")).await.json();
    sim.fault(json!({"service": "auth", "path": "/health", "body": "wrong_types"}))
        .await;
    let got = sim.get(&sim.auth("/health")).await;
    assert_eq!(
        got.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "status is kept"
    );
    let wrong = got.json();
    assert_eq!(wrong["status"], json!([normal["status"]]));
    assert_eq!(wrong["timestamp"], json!(true));
    assert!(wrong["service"].is_number());
    assert!(wrong["reason"].is_number());
    let ready = sim.get(&sim.backend("/health/ready")).await.json();
    sim.fault(json!({"service": "backend", "path": "/health/ready", "body": "wrong_types"}))
        .await;
    let wrong = sim.get(&sim.backend("/health/ready")).await.json();
    let number = ready
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.is_number())
        .map(|(k, _)| k.clone())
        .expect("the ready payload has a number");
    assert!(wrong[&number].is_object(), "{number}: {}", wrong[&number]);
}

#[tokio::test]
async fn hostile_strings_replace_every_string_but_the_status() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    sim.fault(json!({"service": "auth", "path": "/health", "body": "hostile_strings"}))
        .await;
    let got = sim.get(&sim.auth("/health")).await;
    assert_eq!(got.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = got.json();
    assert_eq!(body["status"], "unhealthy");
    for field in ["reason", "version", "service"] {
        let text = body[field].as_str().unwrap();
        assert!(
            text.contains("<img src=x onerror=window.__pwned=1>"),
            "{field}"
        );
        assert!(
            text.contains("<script>window.__pwned=1</script>"),
            "{field}"
        );
        assert!(text.contains("\"><svg onload="), "{field}");
        assert!(text.contains("javascript:"), "{field}");
    }
    let components = body["components"].as_object().unwrap();
    assert!(components.keys().any(|k| k.contains("<script>")));
}

#[tokio::test]
async fn invalid_utf8_puts_bad_bytes_inside_a_string() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "auth", "path": "/health", "body": "invalid_utf8"}))
        .await;
    let response = sim.client.get(sim.auth("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.bytes().await.unwrap();
    let error = std::str::from_utf8(&body).unwrap_err();
    assert_eq!(&body[error.valid_up_to()..][..2], &[0xff, 0xfe]);
    // Decoded leniently it is still JSON: only a strict reader notices.
    let lossy = String::from_utf8_lossy(&body);
    assert!(serde_json::from_str::<serde_json::Value>(&lossy).is_ok());
}

#[tokio::test]
async fn slow_drip_sends_headers_at_once_and_the_body_over_drip_ms() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let normal = sim.get(&sim.auth("/health")).await.text;
    sim.fault(json!({"service": "auth", "path": "/health", "body": "slow_drip", "drip_ms": 800}))
        .await;
    let started = Instant::now();
    let response = sim.client.get(sim.auth("/health")).send().await.unwrap();
    let headers_after = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    let body_after = started.elapsed();
    assert!(
        headers_after < Duration::from_millis(300),
        "{headers_after:?}"
    );
    assert!(body_after >= Duration::from_millis(700), "{body_after:?}");
    let strip = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        value["timestamp"] = json!(null);
        value["uptime_seconds"] = json!(null);
        value
    };
    assert_eq!(strip(&body), strip(&normal));
    for bad in [
        json!({"service": "auth", "path": "/health", "drip_ms": 100}),
        json!({"service": "auth", "path": "/health", "body": "slow_drip", "drip_ms": 0}),
        json!({"service": "auth", "path": "/health", "body": "slow_drip", "drip_ms": 500_000}),
    ] {
        let got = sim.post("/__sim/faults", bad.clone()).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(got.json()["error"].as_str().unwrap().contains("drip_ms"));
    }
}

#[tokio::test]
async fn redirect_points_at_the_other_service_which_refuses_a_null_origin() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "auth", "path": "/health", "body": "redirect"}))
        .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let origin = sim.site_origin();
    let response = client
        .get(sim.auth("/health"))
        .header("Origin", &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert!(
        response
            .headers()
            .contains_key("access-control-allow-origin"),
        "the redirect itself is readable cross-origin"
    );
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, sim.backend("/health"));
    // After a cross-origin redirect the browser sends `Origin: null`, which nobody admits.
    let followed = sim.get_from(&location, "null").await;
    assert!(!followed.has_cors(), "{:?}", followed.headers);

    sim.fault(json!({"service": "backend", "path": "/health", "body": "redirect", "status": 302}))
        .await;
    let response = client.get(sim.backend("/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], sim.auth("/health").as_str());
    let got = sim
        .post(
            "/__sim/faults",
            json!({"service": "auth", "path": "/health", "body": "redirect", "status": 200}),
        )
        .await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.json()["error"].as_str().unwrap().contains("3xx"));
}
