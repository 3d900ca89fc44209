//! Lookout's simulator: a real HTTP server that plays the Netra backend, its auth service and the
//! Cloud Storage bucket that hosts the status page, for the demo and the end-to-end tests.
//!
//! This file owns the public surface: [`SimOptions`] (what to start), [`run`] (bind every
//! listener and serve), [`SimHandle`] and [`SimAddrs`] (where everything ended up). The binary
//! in `main.rs` and the integration tests both start the simulator through [`run`].
//!
//! The payloads are written here by hand from the research notes on the real services, never
//! through Lookout's own parser, so tests exercise the parser against an independent source.

mod auth;
mod backend;
mod clock;
mod control;
mod cors;
mod counts;
mod faults;
mod gateway;
mod generated;
mod infra;
mod reply;
mod report;
mod scenario;
mod server;
mod site;
mod state;
mod ws;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use scenario::{Generation, Phase};

/// Everything the simulator needs to start; [`Default`] gives the CLI defaults.
#[derive(Clone, Debug)]
pub struct SimOptions {
    /// Address every listener binds to.
    pub bind: IpAddr,
    /// Port of the bucket that serves the page (0 lets the OS pick).
    pub site_port: u16,
    /// Port of the simulated Netra backend (0 lets the OS pick).
    pub backend_port: u16,
    /// Port of the simulated auth service (0 lets the OS pick).
    pub auth_port: u16,
    /// Port of the test control API (0 lets the OS pick).
    pub control_port: u16,
    /// Directory whose files the bucket serves under [`SimOptions::site_prefix`].
    pub site_dir: Option<PathBuf>,
    /// Path prefix of the bucket, with leading and trailing slash.
    pub site_prefix: String,
    /// Extra files served at prefix + name, taking precedence over `site_dir`; a name starting
    /// with `/` is served at that absolute path instead (another bucket on the same origin).
    pub site_files: Vec<(String, PathBuf)>,
    /// Serve HTML as built, without pointing its CSP's `connect-src` at this simulator (to test
    /// a policy the build scoped to a deployment).
    pub csp_as_built: bool,
    /// JSON whose `services.*.base_url` are pointed at this simulator and served as `lookout.json`.
    pub config_template: Option<PathBuf>,
    /// JSON served unchanged as `updates.json`.
    pub updates_template: Option<PathBuf>,
    /// When set, the served config's `probing.interval_seconds` (and a longer timeout) is
    /// replaced, so tests see changes quickly.
    pub probe_interval: Option<u64>,
    /// When set, the served config's `incident.started_at` is moved to this many minutes before
    /// the simulator started, and every update in `updates.json` by the same amount, so the
    /// demo's timeline, cadence and impact read as a live incident.
    pub incident_age_minutes: Option<i64>,
    /// Origins admitted by the backend and auth CORS policy besides the site's own.
    pub allow_origins: Vec<String>,
    /// Backend generation at start and after a reset.
    pub generation: Generation,
    /// Incident phase at start and after a reset.
    pub phase: Phase,
    /// Seconds per phase when auto-advancing; 0 holds the phase.
    pub phase_seconds: u64,
    /// Log one line per request to stderr.
    pub verbose: bool,
    /// When non-zero, the backend also serves `/health/generated` listing this many made-up
    /// components (the benchmark's scale test).
    pub generated_components: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            site_port: 8080,
            backend_port: 8000,
            auth_port: 8081,
            control_port: 8090,
            site_dir: None,
            site_prefix: "/bucket/status/".to_owned(),
            site_files: Vec::new(),
            csp_as_built: false,
            config_template: None,
            updates_template: None,
            probe_interval: None,
            incident_age_minutes: None,
            allow_origins: Vec::new(),
            generation: Generation::V1,
            phase: Phase::Outage,
            phase_seconds: 0,
            verbose: false,
            generated_components: 0,
        }
    }
}

/// The bound addresses of a running simulator and the URLs derived from them.
#[derive(Clone, Debug)]
pub struct SimAddrs {
    /// Host written into URLs: the bind address, or 127.0.0.1 when binding to all interfaces.
    pub host: String,
    /// Bucket listener.
    pub site: SocketAddr,
    /// Backend listener (HTTP and WebSocket).
    pub backend: SocketAddr,
    /// Auth service listener.
    pub auth: SocketAddr,
    /// Control API listener.
    pub control: SocketAddr,
    /// Bucket path prefix, with leading and trailing slash.
    pub prefix: String,
}

impl SimAddrs {
    fn url(&self, scheme: &str, addr: SocketAddr) -> String {
        format!("{scheme}://{}:{}", self.host, addr.port())
    }

    /// Origin of the bucket, e.g. `http://127.0.0.1:8080`.
    pub fn site_url(&self) -> String {
        self.url("http", self.site)
    }

    /// URL of the status page itself (the bucket prefix).
    pub fn page_url(&self) -> String {
        format!("{}{}", self.site_url(), self.prefix)
    }

    /// Base URL of the backend.
    pub fn backend_url(&self) -> String {
        self.url("http", self.backend)
    }

    /// Base URL of the auth service.
    pub fn auth_url(&self) -> String {
        self.url("http", self.auth)
    }

    /// Base URL of the control API.
    pub fn control_url(&self) -> String {
        self.url("http", self.control)
    }

    /// Full URL of the backend WebSocket endpoint.
    pub fn websocket_url(&self) -> String {
        format!("{}/ws", self.url("ws", self.backend))
    }

    /// The JSON object printed after `LOOKOUT_SIM_READY`.
    pub fn ready_json(&self) -> Value {
        json!({
            "site": self.site_url(),
            "page": self.page_url(),
            "backend": self.backend_url(),
            "auth": self.auth_url(),
            "control": self.control_url(),
            "websocket": self.websocket_url(),
        })
    }

    /// The single line the binary prints once every listener is bound; keys in the documented
    /// order (site, page, backend, auth, control, websocket).
    pub fn ready_line(&self) -> String {
        let fields = [
            ("site", self.site_url()),
            ("page", self.page_url()),
            ("backend", self.backend_url()),
            ("auth", self.auth_url()),
            ("control", self.control_url()),
            ("websocket", self.websocket_url()),
        ];
        let body: Vec<String> = fields
            .iter()
            .map(|(key, url)| format!("{}:{}", Value::from(*key), Value::from(url.as_str())))
            .collect();
        format!("LOOKOUT_SIM_READY {{{}}}", body.join(","))
    }
}

/// A running simulator. Dropping it stops every listener and open connection.
pub struct SimHandle {
    addrs: SimAddrs,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    /// Where the listeners are.
    pub fn addrs(&self) -> &SimAddrs {
        &self.addrs
    }

    /// Stops accepting, closes open connections (hung ones included) and waits for the listeners.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Binds the four listeners and starts serving; returns once all of them accept connections.
///
/// Fails when a port cannot be bound or a template file cannot be read as JSON.
pub async fn run(opts: SimOptions) -> io::Result<SimHandle> {
    let prefix = normalise_prefix(&opts.site_prefix);
    let site_listener = bind(opts.bind, opts.site_port).await?;
    let backend_listener = bind(opts.bind, opts.backend_port).await?;
    let auth_listener = bind(opts.bind, opts.auth_port).await?;
    let control_listener = bind(opts.bind, opts.control_port).await?;

    let host = match opts.bind {
        ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    };
    let addrs = SimAddrs {
        host,
        site: site_listener.local_addr()?,
        backend: backend_listener.local_addr()?,
        auth: auth_listener.local_addr()?,
        control: control_listener.local_addr()?,
        prefix: prefix.clone(),
    };

    let site = site::Site::new(&opts, &addrs)?;
    let sim = Arc::new(state::Sim::new(&opts, &addrs));
    let (shutdown, _) = watch::channel(false);

    let tasks = vec![
        server::spawn(
            site_listener,
            site::router(Arc::new(site), sim.clone()),
            shutdown.subscribe(),
        ),
        server::spawn(
            backend_listener,
            gateway::router(sim.clone(), state::Service::Backend),
            shutdown.subscribe(),
        ),
        server::spawn(
            auth_listener,
            gateway::router(sim.clone(), state::Service::Auth),
            shutdown.subscribe(),
        ),
        server::spawn(control_listener, control::router(sim), shutdown.subscribe()),
    ];

    Ok(SimHandle {
        addrs,
        shutdown,
        tasks,
    })
}

async fn bind(ip: IpAddr, port: u16) -> io::Result<TcpListener> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr)
        .await
        .map_err(|e| io::Error::new(e.kind(), format!("cannot bind {addr}: {e}")))
}

/// Gives the prefix exactly one leading and one trailing slash.
fn normalise_prefix(raw: &str) -> String {
    let trimmed = raw.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_prefix;

    #[test]
    fn prefix_gets_one_slash_each_side() {
        assert_eq!(normalise_prefix("bucket/status"), "/bucket/status/");
        assert_eq!(normalise_prefix("/bucket/status/"), "/bucket/status/");
        assert_eq!(normalise_prefix("/"), "/");
        assert_eq!(normalise_prefix(""), "/");
    }
}
