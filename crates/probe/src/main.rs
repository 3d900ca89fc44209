//! `lookout-probe`'s entry point: reads the arguments and the config, resumes from the files
//! already published, then probes and publishes once or in rounds until stopped.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use lookout_core::config::{Config, EndpointKind};
use lookout_core::incident::updates::{parse_lenient, Update};
use lookout_core::monitor::snapshot::Prober;
use lookout_probe::cli::{self, Cadence, Options};
use lookout_probe::net;
use lookout_probe::output::Output;
use lookout_probe::round::{State, HISTORY_FILE, MEMORY_FILE, SNAPSHOT_FILE, SUMMARY_FILE};

/// Why the prober stopped early, with its exit code.
struct Stop(u8, String);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("lookout-probe: {why}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop(code, why)) => {
            eprintln!("lookout-probe: {why}");
            ExitCode::from(code)
        }
    }
}

fn is_url(location: &str) -> bool {
    let lower = location.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Reads a file or an http(s) URL as text.
async fn read_text(client: &reqwest::Client, location: &str) -> Result<String, String> {
    if is_url(location) {
        let response = client
            .get(location)
            .send()
            .await
            .map_err(|error| format!("{location} could not be fetched: {error}"))?;
        if !response.status().is_success() {
            return Err(format!("{location} answered HTTP {}", response.status()));
        }
        response
            .text()
            .await
            .map_err(|error| format!("{location} broke off: {error}"))
    } else {
        tokio::fs::read_to_string(location)
            .await
            .map_err(|error| format!("{location}: {error}"))
    }
}

/// `relative` resolved against the location of `base` (a file path or a URL).
fn beside(base: &str, relative: &str) -> String {
    if is_url(relative) || relative.starts_with('/') {
        return relative.to_string();
    }
    match base.rfind('/') {
        Some(at) => format!("{}{relative}", &base[..=at]),
        None => relative.to_string(),
    }
}

fn prober_id(options: &Options) -> String {
    if let Some(id) = &options.prober_id {
        return id.clone();
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let place = env("CLOUD_RUN_JOB")
        .map(|job| format!("cloud-run/{job}"))
        .or_else(|| env("GITHUB_REPOSITORY").map(|repo| format!("github-actions/{repo}")))
        .or_else(|| env("HOSTNAME"))
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "local".to_string());
    format!("lookout-probe@{place}")
}

async fn load_config(client: &reqwest::Client, location: &str) -> Result<Config, Stop> {
    let text = read_text(client, location)
        .await
        .map_err(|why| Stop(1, format!("cannot read the config: {why}")))?;
    Config::parse(&text).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        Stop(
            2,
            format!(
                "{location} is not a valid configuration ({} problem{}):\n{}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                lines.join("\n")
            ),
        )
    })
}

/// The status updates for summary.json; a missing or bad file only costs the incident's updates.
async fn load_updates(client: &reqwest::Client, config: &Config, location: &str) -> Vec<Update> {
    let url = beside(location, config.updates_file());
    match read_text(client, &url).await {
        Ok(text) => {
            let parsed = parse_lenient(&text);
            for problem in &parsed.errors {
                eprintln!("lookout-probe: {url}: {problem} (entry skipped)");
            }
            parsed.updates
        }
        Err(why) => {
            eprintln!("lookout-probe: no status updates in summary.json: {why}");
            Vec::new()
        }
    }
}

async fn run(options: Options) -> Result<(), Stop> {
    let client = net::client().map_err(|why| Stop(1, why))?;
    let config = load_config(&client, &options.config).await?;
    let output = Output::parse(&options.out).map_err(|why| Stop(2, why))?;
    let updates = load_updates(&client, &config, &options.config).await;
    let round = match options.cadence {
        Cadence::Once => None,
        Cadence::Every(every) => Some(every),
        Cadence::ConfigInterval => Some(Duration::from_secs(u64::from(
            config.probing.interval_seconds,
        ))),
    };
    let page_url = options.page_url.clone().unwrap_or_else(|| {
        if is_url(&options.config) {
            beside(&options.config, "")
        } else {
            String::new()
        }
    });
    let prober = Prober {
        id: prober_id(&options),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let mut state = State::new(
        config,
        updates,
        prober,
        round.map(|r| r.as_secs() as u32),
        page_url,
    );
    let previous_snapshot = output.read(SNAPSHOT_FILE).await.unwrap_or_else(|why| {
        eprintln!("lookout-probe: previous snapshot not read: {why}");
        None
    });
    let previous_history = output.read(HISTORY_FILE).await.unwrap_or_else(|why| {
        eprintln!("lookout-probe: previous history not read: {why}");
        None
    });
    let memory = output.read(MEMORY_FILE).await.unwrap_or_else(|why| {
        eprintln!("lookout-probe: previous memory not read: {why}");
        None
    });
    for note in state.resume(
        memory.as_deref(),
        previous_snapshot.as_deref(),
        previous_history.as_deref(),
    ) {
        eprintln!("lookout-probe: {note}");
    }

    let clock = Clock::new(options.clock);
    let Some(round) = round else {
        probe_round(&client, &mut state, &clock).await;
        return publish(&output, &mut state, &options.cache_control, &clock).await;
    };
    let mut ticker = tokio::time::interval(round);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = &mut stop => return Ok(()),
        }
        probe_round(&client, &mut state, &clock).await;
        // A failed write is retried next round; the page shows the snapshot's age meanwhile.
        if let Err(Stop(_, why)) =
            publish(&output, &mut state, &options.cache_control, &clock).await
        {
            eprintln!("lookout-probe: {why}");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM (Cloud Run stops a job task with SIGTERM).
async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The prober's wall clock: the system's, or one that starts at `--clock` and runs at the
/// system's pace (a test compares the prober with a page on a fake clock). The schedule runs on
/// its milliseconds, so a later one-off run resumes it.
struct Clock {
    started: Instant,
    start: DateTime<Utc>,
}

impl Clock {
    fn new(start: Option<DateTime<Utc>>) -> Clock {
        Clock {
            started: Instant::now(),
            start: start.unwrap_or_else(Utc::now),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.start + self.started.elapsed()
    }

    fn now_ms(&self) -> f64 {
        self.now().timestamp_millis() as f64
    }
}

/// Probes every endpoint due now concurrently, one request each, and records each probe.
async fn probe_round(client: &reqwest::Client, state: &mut State, clock: &Clock) {
    let due = state.due(clock.now_ms());
    let probes = due.into_iter().map(|request| {
        let client = client.clone();
        async move {
            let timeout = Duration::from_millis(u64::from(request.timeout_ms));
            let (id, url) = (&request.endpoint, &request.url);
            let probe = match request.kind {
                EndpointKind::Http => net::probe_http(&client, id, url, timeout).await,
                EndpointKind::Websocket => net::probe_websocket(id, url, timeout).await,
            };
            (request.index, probe)
        }
    });
    for (index, mut probe) in futures_util::future::join_all(probes).await {
        probe.result.at = clock.now();
        state.record(index, probe, clock.now_ms());
    }
}

/// Writes the files, the snapshot last.
async fn publish(
    output: &Output,
    state: &mut State,
    cache_control: &str,
    clock: &Clock,
) -> Result<(), Stop> {
    let documents = state.documents(clock.now(), clock.now_ms());
    for (name, text) in [
        (MEMORY_FILE, &documents.memory),
        (HISTORY_FILE, &documents.history),
        (SUMMARY_FILE, &documents.summary),
        (SNAPSHOT_FILE, &documents.snapshot),
    ] {
        output
            .write(name, text, cache_control)
            .await
            .map_err(|why| Stop(1, format!("could not publish {name}: {why}")))?;
    }
    eprintln!(
        "lookout-probe: published {SNAPSHOT_FILE}, {HISTORY_FILE}, {SUMMARY_FILE} to {output}"
    );
    Ok(())
}
