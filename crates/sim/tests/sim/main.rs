//! Integration tests of the simulator over real sockets: each test starts its own simulator
//! in-process on OS-assigned ports and talks to it with an ordinary HTTP/WebSocket client.

mod binary;
mod control;
mod cors;
mod endpoints;
mod faults;
mod report;
mod site;
mod websocket;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use lookout_sim::{run, Generation, Phase, SimHandle, SimOptions};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A running simulator plus a client, and a scratch directory removed on drop.
pub struct Sim {
    pub handle: SimHandle,
    pub client: reqwest::Client,
    pub dir: PathBuf,
}

/// One response, with the body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Got {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Got {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn has_cors(&self) -> bool {
        self.headers
            .keys()
            .any(|k| k.as_str().starts_with("access-control-"))
    }
}

/// A fresh scratch directory.
pub fn scratch_dir() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lookout-sim-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Options with every port left to the OS.
pub fn options() -> SimOptions {
    SimOptions {
        site_port: 0,
        backend_port: 0,
        auth_port: 0,
        control_port: 0,
        ..SimOptions::default()
    }
}

impl Sim {
    pub async fn start(opts: SimOptions) -> Sim {
        Self::start_in(opts, scratch_dir()).await
    }

    pub async fn start_in(opts: SimOptions, dir: PathBuf) -> Sim {
        let handle = run(opts).await.expect("simulator starts");
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Sim {
            handle,
            client,
            dir,
        }
    }

    /// A simulator in the given generation and phase.
    pub async fn at(generation: Generation, phase: Phase) -> Sim {
        Self::start(SimOptions {
            generation,
            phase,
            ..options()
        })
        .await
    }

    pub fn backend(&self, path: &str) -> String {
        format!("{}{path}", self.handle.addrs().backend_url())
    }

    pub fn auth(&self, path: &str) -> String {
        format!("{}{path}", self.handle.addrs().auth_url())
    }

    pub fn control(&self, path: &str) -> String {
        format!("{}{path}", self.handle.addrs().control_url())
    }

    pub fn site(&self, path: &str) -> String {
        format!("{}{path}", self.handle.addrs().site_url())
    }

    pub fn site_origin(&self) -> String {
        self.handle.addrs().site_url()
    }

    pub async fn send(&self, method: Method, url: &str, headers: &[(&str, &str)]) -> Got {
        let mut req = self.client.request(method, url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let response = req.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        Got {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.unwrap(),
        }
    }

    pub async fn get(&self, url: &str) -> Got {
        self.send(Method::GET, url, &[]).await
    }

    pub async fn get_from(&self, url: &str, origin: &str) -> Got {
        self.send(Method::GET, url, &[("Origin", origin)]).await
    }

    /// POSTs JSON to the control API.
    pub async fn post(&self, path: &str, body: Value) -> Got {
        let response = self
            .client
            .post(self.control(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        Got {
            status: response.status(),
            headers: response.headers().clone(),
            text: response.text().await.unwrap(),
        }
    }

    /// Sets phase and/or generation through the control API, asserting success.
    pub async fn scenario(&self, body: Value) {
        let got = self.post("/__sim/scenario", body).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    }

    /// Installs a fault through the control API, asserting success.
    pub async fn fault(&self, body: Value) {
        let got = self.post("/__sim/faults", body).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    }

    pub async fn counts(&self) -> Value {
        self.get(&self.control("/__sim/counts")).await.json()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
