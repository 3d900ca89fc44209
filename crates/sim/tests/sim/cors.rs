//! CORS on the backend and auth listeners: exact-match origins, credentials, exposed headers,
//! and Starlette's preflight rules.

use lookout_sim::{Generation, Phase, SimOptions};
use reqwest::{Method, StatusCode};

use crate::{options, Sim};

#[tokio::test]
async fn allowed_origins_get_credentialed_cors() {
    let sim = Sim::start(SimOptions {
        allow_origins: vec!["http://localhost:5173".into()],
        ..options()
    })
    .await;
    let port = sim.handle.addrs().site.port();
    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        "http://localhost:5173".to_owned(),
    ] {
        for url in [sim.backend("/health"), sim.auth("/health")] {
            let got = sim.get_from(&url, &origin).await;
            assert_eq!(got.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(
                got.header("access-control-allow-origin"),
                Some(origin.as_str())
            );
            assert_eq!(got.header("access-control-allow-credentials"), Some("true"));
            assert_eq!(got.header("vary"), Some("Origin"));
            let exposed = got.header("access-control-expose-headers").unwrap();
            assert_eq!(
                exposed,
                "X-Trace-ID, X-Request-ID, Content-Length, Content-Type, Vary"
            );
        }
    }
    // Retry-After is sent but never exposed to scripts.
    let ws = sim
        .get_from(&sim.backend("/ws/health"), &sim.site_origin())
        .await;
    assert_eq!(ws.header("retry-after"), Some("10"));
    assert!(!ws
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
}

#[tokio::test]
async fn other_origins_and_originless_requests_get_no_cors() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let port = sim.handle.addrs().site.port();
    for origin in [
        "https://evil.example",
        "http://localhost:5173",
        &format!("http://127.0.0.1:{port}/"),
        &format!("https://127.0.0.1:{port}"),
    ] {
        let got = sim.get_from(&sim.backend("/health"), origin).await;
        assert_eq!(got.status, StatusCode::OK);
        assert!(!got.has_cors(), "{origin}: {:?}", got.headers);
    }
    let plain = sim.get(&sim.backend("/health")).await;
    assert!(!plain.has_cors());
}

#[tokio::test]
async fn preflight_follows_starlette() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    let origin = sim.site_origin();
    let ok = sim
        .send(
            Method::OPTIONS,
            &sim.backend("/health/ready"),
            &[
                ("Origin", &origin),
                ("Access-Control-Request-Method", "GET"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, x-request-id",
                ),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.text, "OK");
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some(origin.as_str())
    );
    assert_eq!(
        ok.header("access-control-allow-methods"),
        Some("GET, POST, PUT, DELETE, OPTIONS, PATCH, HEAD")
    );
    assert_eq!(ok.header("access-control-max-age"), Some("3600"));
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    let allowed = ok.header("access-control-allow-headers").unwrap();
    for header in [
        "Authorization",
        "X-Request-ID",
        "X-Trace-ID",
        "X-Test-Session",
        "User-Agent",
    ] {
        assert!(allowed.contains(header), "{header} in {allowed}");
    }

    for header in ["cache-control", "accept-version", "api-version"] {
        let refused = sim
            .send(
                Method::OPTIONS,
                &sim.auth("/health"),
                &[
                    ("Origin", &origin),
                    ("Access-Control-Request-Method", "GET"),
                    ("Access-Control-Request-Headers", header),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{header}");
        assert_eq!(refused.text, "Disallowed CORS headers");
    }

    let stranger = sim
        .send(
            Method::OPTIONS,
            &sim.backend("/health"),
            &[
                ("Origin", "https://evil.example"),
                ("Access-Control-Request-Method", "GET"),
            ],
        )
        .await;
    assert_eq!(stranger.status, StatusCode::BAD_REQUEST);
    assert_eq!(stranger.text, "Disallowed CORS origin");
    assert!(!stranger.has_cors());

    // An OPTIONS that is not a preflight reaches the route.
    let bare = sim
        .send(Method::OPTIONS, &sim.backend("/health"), &[])
        .await;
    assert_eq!(bare.status, StatusCode::OK);
    assert_eq!(bare.json()["message"], "CORS preflight");
}
