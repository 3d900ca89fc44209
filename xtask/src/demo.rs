//! `cargo xtask demo`: builds the page and the simulator, runs the simulator serving the page
//! under `/bucket/status/` with a scripted incident, prints where to look, and stops the
//! simulator on Ctrl-C (or whenever the xtask ends).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::util::{self, repo_root, run, step, Result};
use crate::{build, tools};

/// The line prefix the simulator prints once all its listeners are up.
pub const READY_PREFIX: &str = "LOOKOUT_SIM_READY ";
/// How long the simulator may take to print [`READY_PREFIX`].
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Options of `cargo xtask demo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Seconds each scripted incident phase lasts.
    pub phase_seconds: u32,
    /// The backend generation the simulator imitates (`v1` or `v2`).
    pub generation: String,
    /// Port of the static site (the page).
    pub port: u16,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            phase_seconds: 90,
            generation: "v1".to_string(),
            port: 8080,
        }
    }
}

impl Options {
    /// Parses `[--phase-seconds N] [--generation v1|v2] [--port P]`.
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| format!("{flag} needs a value"))
                    .cloned()
            };
            match flag.as_str() {
                "--phase-seconds" => {
                    options.phase_seconds = value()?
                        .parse()
                        .map_err(|_| "--phase-seconds takes a whole number of seconds")?;
                }
                "--generation" => {
                    let g = value()?;
                    if g != "v1" && g != "v2" {
                        return Err(format!("--generation must be v1 or v2, not {g}"));
                    }
                    options.generation = g;
                }
                "--port" => {
                    options.port = value()?.parse().map_err(|_| "--port takes a port number")?;
                }
                other => return Err(format!("unknown demo option {other}")),
            }
        }
        Ok(options)
    }
}

/// The URLs from the simulator's ready line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ready {
    /// The page itself (site + prefix).
    pub page: String,
    /// The simulated backend API.
    pub backend: String,
    /// The simulated auth service.
    pub auth: String,
    /// The control API for scenarios and faults.
    pub control: String,
    /// The backend's WebSocket endpoint.
    pub websocket: String,
}

/// Parses a `LOOKOUT_SIM_READY {json}` line; `None` for any other line.
pub fn parse_ready(line: &str) -> Option<Result<Ready>> {
    let json = line.trim_end().strip_prefix(READY_PREFIX)?;
    let value: serde_json::Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return Some(Err(format!("bad ready line from the simulator: {e}"))),
    };
    let field = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Some(Ok(Ready {
        page: field("page"),
        backend: field("backend"),
        auth: field("auth"),
        control: field("control"),
        websocket: field("websocket"),
    }))
}

/// Runs the demo until Ctrl-C.
pub fn run_demo(options: &Options) -> Result {
    let root = repo_root();
    tools::setup(tools::Needs::Build)?;
    build::release()?;
    step("building the simulator");
    run(util::cargo().args(["build", "-p", "lookout-sim"]))?;
    serve(options, &root.join("target/debug/lookout-sim"))
}

/// Runs the simulator binary `sim` until it exits or a stop signal arrives.
fn serve(options: &Options, sim: &Path) -> Result {
    let root = repo_root();
    step(format!(
        "starting the simulator (generation {}, {} s per phase)",
        options.generation, options.phase_seconds
    ));
    let mut cmd = Command::new(sim);
    cmd.arg("--site")
        .arg(root.join("dist"))
        .args(["--site-prefix", "/bucket/status/"])
        .arg("--config-template")
        .arg(root.join("config/lookout.json"));
    let updates = root.join("config/updates.json");
    if updates.exists() {
        cmd.arg("--updates-template").arg(updates);
    }
    cmd.args(["--phase-seconds", &options.phase_seconds.to_string()])
        .args(["--generation", &options.generation])
        // Probe every 10 s so each 90 s phase is seen, and play the incident as if it had
        // started 4 h 10 min ago, so its timeline, cadence and impact read as live.
        .args(["--probe-interval", "10", "--incident-age-minutes", "250"])
        .args(["--site-port", &options.port.to_string()])
        .args([
            "--backend-port",
            "8000",
            "--auth-port",
            "8081",
            "--control-port",
            "8090",
        ])
        .current_dir(&root)
        .stdout(Stdio::piped());
    println!("    $ {}", util::describe(&cmd));
    signals::kill_with_parent(&mut cmd);
    let child = cmd
        .spawn()
        .map_err(|e| format!("could not start the simulator: {e}"))?;
    let mut sim = Guard(child);
    signals::forward_to(sim.0.id());

    // A reader thread lets the wait for the ready line time out.
    let stdout = sim.0.stdout.take().ok_or("simulator stdout not captured")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let mut ready = false;
    while !ready {
        match rx.recv_timeout(READY_TIMEOUT) {
            Ok(line) => match parse_ready(&line) {
                Some(urls) => {
                    print_box(&urls?);
                    ready = true;
                }
                None => println!("{line}"),
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "the simulator printed no `{}` line within {} s",
                    READY_PREFIX.trim(),
                    READY_TIMEOUT.as_secs()
                ))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    for line in rx {
        println!("{line}");
    }
    let status = sim
        .0
        .wait()
        .map_err(|e| format!("waiting for the simulator: {e}"))?;
    if signals::interrupted() {
        println!("stopped.");
        Ok(())
    } else if ready {
        Err(format!("the simulator exited on its own ({status})"))
    } else {
        Err(format!(
            "the simulator exited before it was ready ({status})"
        ))
    }
}

fn print_box(ready: &Ready) {
    let lines = [
        format!("Lookout demo: open {}", ready.page),
        String::new(),
        format!("backend    {}", ready.backend),
        format!("websocket  {}", ready.websocket),
        format!("auth       {}", ready.auth),
        format!("control    {}", ready.control),
        String::new(),
        "Ctrl-C stops everything".to_string(),
    ];
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    println!();
    println!("┌{}┐", "─".repeat(width + 2));
    for line in &lines {
        println!("│ {line:<width$} │");
    }
    println!("└{}┘", "─".repeat(width + 2));
    println!();
}

/// Kills and reaps the simulator when dropped, whichever way `run_demo` ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Signal plumbing through libc (which std already links), so the xtask stays dependency-free:
/// Ctrl-C/SIGTERM/SIGHUP stop the simulator and let the xtask exit 0, and the kernel kills
/// the simulator if the xtask dies without cleaning up (e.g. SIGKILL).
#[cfg(target_os = "linux")]
mod signals {
    use std::os::raw::{c_int, c_ulong};
    use std::os::unix::process::CommandExt;
    use std::process::Command;
    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

    const SIGHUP: c_int = 1;
    const SIGINT: c_int = 2;
    const SIGTERM: c_int = 15;
    const PR_SET_PDEATHSIG: c_int = 1;

    extern "C" {
        fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
        fn kill(pid: c_int, sig: c_int) -> c_int;
        fn prctl(option: c_int, ...) -> c_int;
    }

    static CHILD: AtomicI32 = AtomicI32::new(0);
    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    extern "C" fn on_signal(_: c_int) {
        // Only async-signal-safe work here: an atomic store and kill(2).
        INTERRUPTED.store(true, Ordering::SeqCst);
        let pid = CHILD.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) is async-signal-safe and `pid` is our own child.
            unsafe { kill(pid, SIGTERM) };
        }
    }

    /// Has the simulator to receive SIGTERM when the xtask dies.
    pub fn kill_with_parent(cmd: &mut Command) {
        // SAFETY: prctl(2) is async-signal-safe, so it may run between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                prctl(PR_SET_PDEATHSIG, SIGTERM as c_ulong);
                Ok(())
            });
        }
    }

    /// From now on, SIGINT/SIGTERM/SIGHUP stop `pid` instead of killing the xtask outright.
    /// (Installed after spawning: the child must not inherit the handlers' dispositions.)
    pub fn forward_to(pid: u32) {
        CHILD.store(pid as i32, Ordering::SeqCst);
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            // SAFETY: `on_signal` only touches atomics and calls kill(2).
            unsafe { signal(sig, on_signal) };
        }
    }

    /// Whether one of those signals arrived.
    pub fn interrupted() -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}

/// Elsewhere the default signal behaviour applies; the guard still kills the child on return.
#[cfg(not(target_os = "linux"))]
mod signals {
    use std::process::Command;

    pub fn kill_with_parent(_: &mut Command) {}
    pub fn forward_to(_: u32) {}
    pub fn interrupted() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_options() {
        assert_eq!(Options::parse(&[]).unwrap(), Options::default());
        let o = Options::parse(&strings(&[
            "--phase-seconds",
            "5",
            "--generation",
            "v2",
            "--port",
            "9000",
        ]))
        .unwrap();
        assert_eq!(
            o,
            Options {
                phase_seconds: 5,
                generation: "v2".into(),
                port: 9000
            }
        );
        assert!(Options::parse(&strings(&["--generation", "v3"])).is_err());
        assert!(Options::parse(&strings(&["--port"])).is_err());
        assert!(Options::parse(&strings(&["--bogus"])).is_err());
    }

    #[test]
    fn parses_the_ready_line() {
        let line = r#"LOOKOUT_SIM_READY {"site":"http://127.0.0.1:8080","page":"http://127.0.0.1:8080/bucket/status/","backend":"http://127.0.0.1:8000","auth":"http://127.0.0.1:8081","control":"http://127.0.0.1:8090","websocket":"ws://127.0.0.1:8000/ws"}"#;
        let ready = parse_ready(line).unwrap().unwrap();
        assert_eq!(ready.page, "http://127.0.0.1:8080/bucket/status/");
        assert_eq!(ready.websocket, "ws://127.0.0.1:8000/ws");
        assert!(parse_ready("listening on 8080").is_none());
        assert!(parse_ready("LOOKOUT_SIM_READY {oops").unwrap().is_err());
    }
}
