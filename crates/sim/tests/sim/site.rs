//! The bucket: prefix, index, content types, plain 404s, extra files, the generated config and
//! the page's Content-Security-Policy tightened to the simulator's own origins.

use lookout_sim::SimOptions;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{options, scratch_dir, Sim};

async fn bucket() -> Sim {
    let dir = scratch_dir();
    let site = dir.join("dist");
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<!doctype html><title>Lookout</title>",
    )
    .unwrap();
    std::fs::write(site.join("lookout-1a2b.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(site.join("lookout-1a2b.js"), "export default 1;").unwrap();
    std::fs::write(site.join("assets/style.css"), "body{}").unwrap();
    std::fs::write(dir.join("secret.txt"), "outside").unwrap();
    std::fs::write(dir.join("extra.json"), r#"{"extra":true}"#).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"title":"Issue #1278","services":{
            "backend":{"base_url":"https://staging.netrasystems.ai","label":"Backend"},
            "auth":{"base_url":"https://auth.staging.netrasystems.ai"},
            "websocket":{"base_url":"wss://api.staging.netrasystems.ai"},
            "reports":{},
            "frontend":{"base_url":"https://staging.netrasystems.ai"}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("updates.json"),
        r#"[{"at":"2025-09-16T10:00:00Z"}]"#,
    )
    .unwrap();
    let opts = SimOptions {
        site_dir: Some(site),
        site_files: vec![("extra.json".into(), dir.join("extra.json"))],
        config_template: Some(dir.join("config.json")),
        updates_template: Some(dir.join("updates.json")),
        ..options()
    };
    Sim::start_in(opts, dir).await
}

#[tokio::test]
async fn serves_files_under_the_prefix_with_their_types() {
    let sim = bucket().await;
    let index = sim.get(&sim.site("/bucket/status/")).await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.header("content-type"), Some("text/html"));
    assert!(index.text.contains("<title>Lookout</title>"));
    assert!(!index.has_cors());
    for (path, content_type) in [
        ("/bucket/status/index.html", "text/html"),
        ("/bucket/status/lookout-1a2b.wasm", "application/wasm"),
        ("/bucket/status/lookout-1a2b.js", "text/javascript"),
        ("/bucket/status/assets/style.css", "text/css"),
        ("/bucket/status/extra.json", "application/json"),
        ("/bucket/status/lookout-1a2b.js?v=3", "text/javascript"),
    ] {
        let got = sim.get(&sim.site(path)).await;
        assert_eq!(got.status, StatusCode::OK, "{path}");
        assert_eq!(got.header("content-type"), Some(content_type), "{path}");
    }
    let head = sim
        .send(
            Method::HEAD,
            &sim.site("/bucket/status/lookout-1a2b.wasm"),
            &[],
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-length"), Some("8"));
}

#[tokio::test]
async fn unknown_paths_are_plain_404s_without_spa_fallback() {
    let sim = bucket().await;
    for path in [
        "/bucket/status/incidents/1278",
        "/bucket/status/missing.js",
        "/bucket/status",
        "/",
        "/index.html",
        "/bucket/other/index.html",
        "/bucket/status/../secret.txt",
        "/bucket/status/%2e%2e/secret.txt",
        "/bucket/status/assets/",
    ] {
        let got = sim.get(&sim.site(path)).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!got.text.contains("Lookout"), "{path}");
        assert!(!got.text.contains("outside"), "{path}");
    }
}

#[tokio::test]
async fn config_template_points_at_the_simulator() {
    let sim = bucket().await;
    let got = sim.get(&sim.site("/bucket/status/lookout.json")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("cache-control"), Some("no-cache"));
    let config = got.json();
    let addrs = sim.handle.addrs();
    let services = &config["services"];
    assert_eq!(services["backend"]["base_url"], addrs.backend_url());
    assert_eq!(services["backend"]["label"], "Backend");
    assert_eq!(services["auth"]["base_url"], addrs.auth_url());
    assert_eq!(
        services["websocket"]["base_url"],
        format!("ws://127.0.0.1:{}", addrs.backend.port())
    );
    assert_eq!(
        services["reports"]["base_url"],
        format!("http://127.0.0.1:{}/reports", addrs.backend.port())
    );
    assert_eq!(
        services["frontend"]["base_url"], "https://staging.netrasystems.ai",
        "keys outside the four are left alone"
    );
    assert_eq!(config["title"], "Issue #1278");

    let updates = sim.get(&sim.site("/bucket/status/updates.json")).await;
    assert_eq!(updates.json(), json!([{"at": "2025-09-16T10:00:00Z"}]));
}

#[tokio::test]
async fn broken_templates_fail_at_start() {
    let dir = scratch_dir();
    std::fs::write(dir.join("bad.json"), "{not json").unwrap();
    let result = lookout_sim::run(SimOptions {
        config_template: Some(dir.join("bad.json")),
        ..options()
    })
    .await;
    assert!(result.is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_pages_csp_connect_src_names_the_simulator() {
    const META: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' https: wss:; object-src 'none'" />"#;
    let page = format!(
        "<!DOCTYPE html>\n<html><head>\n    {META}\n<title>Lookout</title></head></html>\n"
    );
    let dir = scratch_dir();
    let site = dir.join("dist");
    std::fs::create_dir_all(site.join("plain")).unwrap();
    std::fs::write(site.join("index.html"), &page).unwrap();
    std::fs::write(site.join("boot.js"), &page).unwrap();
    std::fs::write(
        site.join("plain/index.html"),
        "<!doctype html><title>x</title>",
    )
    .unwrap();
    let sim = Sim::start_in(
        SimOptions {
            site_dir: Some(site),
            ..options()
        },
        dir,
    )
    .await;
    let addrs = sim.handle.addrs();
    let sources = format!(
        "'self' {} {} ws://127.0.0.1:{}",
        addrs.backend_url(),
        addrs.auth_url(),
        addrs.backend.port()
    );
    let expected = page.replace(
        "connect-src 'self' https: wss:",
        &format!("connect-src {sources}"),
    );
    assert_ne!(expected, page);

    for path in ["/bucket/status/", "/bucket/status/index.html"] {
        let got = sim.get(&sim.site(path)).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.text, expected, "{path}");
        let length = got.header("content-length").map(str::to_owned);
        assert_eq!(length, Some(expected.len().to_string()));
    }
    let head = sim
        .send(Method::HEAD, &sim.site("/bucket/status/"), &[])
        .await;
    assert_eq!(
        head.header("content-length"),
        Some(expected.len().to_string()).as_deref()
    );
    // Only HTML is rewritten, and HTML without the meta is served as it is.
    assert_eq!(
        sim.get(&sim.site("/bucket/status/boot.js")).await.text,
        page
    );
    assert_eq!(
        sim.get(&sim.site("/bucket/status/plain/")).await.text,
        "<!doctype html><title>x</title>"
    );
}
