//! The `lookout-sim` binary: parses the command line, starts the simulator, prints the
//! `LOOKOUT_SIM_READY {..}` line once every listener is bound, and exits on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use lookout_sim::{run, Generation, Phase, SimOptions};

const USAGE: &str = "\
lookout-sim: a simulated Netra backend, auth service and status-page bucket

USAGE: lookout-sim [OPTIONS]

Listeners (port 0 lets the OS pick):
  --bind IP                 address of every listener [127.0.0.1]
  --site-port PORT          bucket serving the page [8080]
  --backend-port PORT       Netra backend, WebSocket /ws and the validation report [8000]
  --auth-port PORT          auth service [8081]
  --control-port PORT       test control API (/__sim/*) [8090]

Bucket:
  --site DIR                directory served under the prefix
  --site-prefix PATH        path prefix of the bucket [/bucket/status/]
  --site-file NAME=PATH     serve PATH at prefix+NAME, or at NAME itself when it starts
                            with / (another bucket on the same origin) (repeatable)
  --csp-as-built            serve HTML as built (by default the CSP's connect-src is
                            pointed at this simulator, as a deployer would)
  --config-template PATH    serve it as prefix+lookout.json with services.*.base_url
                            pointed at this simulator
  --updates-template PATH   serve it unchanged as prefix+updates.json
  --probe-interval N        in the served config, probe every N s (tests and demo)
  --incident-age-minutes N  move the incident's start (and its updates) to N minutes ago

Backend and auth:
  --allow-origin ORIGIN     CORS origin admitted besides the site's own (repeatable)
  --generation v1|v2        backend health.py generation [v1]
  --phase PHASE             outage | diagnosis | partial_recovery | recovered [outage]
  --phase-seconds N         advance the phase every N seconds, 0 holds it [0]
  --generated-components N  also serve /health/generated listing N made-up components
                            (the benchmark's scale test) [0: not served]

  --verbose                 log one line per request to stderr
  -h, --help                show this help
";

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SimOptions>, String> {
    let mut opts = SimOptions::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        let port = |name: &str, v: String| -> Result<u16, String> {
            v.parse()
                .map_err(|_| format!("{name}: {v:?} is not a port number"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--verbose" => opts.verbose = true,
            "--csp-as-built" => opts.csp_as_built = true,
            "--bind" => {
                let v = value(&flag)?;
                opts.bind = v
                    .parse::<IpAddr>()
                    .map_err(|_| format!("--bind: {v:?} is not an IP address"))?;
            }
            "--site-port" => opts.site_port = port(&flag, value(&flag)?)?,
            "--backend-port" => opts.backend_port = port(&flag, value(&flag)?)?,
            "--auth-port" => opts.auth_port = port(&flag, value(&flag)?)?,
            "--control-port" => opts.control_port = port(&flag, value(&flag)?)?,
            "--site" => opts.site_dir = Some(PathBuf::from(value(&flag)?)),
            "--site-prefix" => opts.site_prefix = value(&flag)?,
            "--site-file" => {
                let v = value(&flag)?;
                let (name, path) = v
                    .split_once('=')
                    .filter(|(n, p)| !n.is_empty() && !p.is_empty())
                    .ok_or_else(|| format!("--site-file: expected NAME=PATH, got {v:?}"))?;
                opts.site_files.push((name.to_owned(), PathBuf::from(path)));
            }
            "--config-template" => opts.config_template = Some(PathBuf::from(value(&flag)?)),
            "--updates-template" => opts.updates_template = Some(PathBuf::from(value(&flag)?)),
            "--probe-interval" => {
                let v = value(&flag)?;
                opts.probe_interval = Some(
                    v.parse()
                        .map_err(|_| format!("--probe-interval: {v:?} is not a whole number"))?,
                );
            }
            "--incident-age-minutes" => {
                let v = value(&flag)?;
                opts.incident_age_minutes =
                    Some(v.parse().map_err(|_| {
                        format!("--incident-age-minutes: {v:?} is not a whole number")
                    })?);
            }
            "--allow-origin" => opts.allow_origins.push(value(&flag)?),
            "--generation" => opts.generation = value(&flag)?.parse::<Generation>()?,
            "--phase" => opts.phase = value(&flag)?.parse::<Phase>()?,
            "--phase-seconds" => {
                let v = value(&flag)?;
                opts.phase_seconds = v
                    .parse()
                    .map_err(|_| format!("--phase-seconds: {v:?} is not a whole number"))?;
            }
            "--generated-components" => {
                let v = value(&flag)?;
                opts.generated_components = v
                    .parse()
                    .map_err(|_| format!("--generated-components: {v:?} is not a whole number"))?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(opts))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Some(opts)) => opts,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("lookout-sim: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let handle = match run(opts).await {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("lookout-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let printed = writeln!(stdout, "{}", handle.addrs().ready_line()).and_then(|()| stdout.flush());
    drop(stdout);
    if let Err(e) = printed {
        eprintln!("lookout-sim: cannot write the ready line: {e}");
        return ExitCode::FAILURE;
    }
    shutdown_signal().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_args;

    fn parse(args: &[&str]) -> Result<Option<lookout_sim::SimOptions>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_take_separate_or_inline_values() {
        let opts = parse(&[
            "--site-port=0",
            "--backend-port",
            "0",
            "--phase",
            "partial_recovery",
            "--generation=v2",
            "--site-file",
            "extra.json=/tmp/x.json",
            "--allow-origin",
            "http://localhost:5173",
            "--allow-origin",
            "http://example.test",
            "--verbose",
            "--csp-as-built",
            "--site-file",
            "/other-bucket/fake.json=/tmp/y.json",
        ])
        .unwrap()
        .unwrap();
        assert!(opts.csp_as_built);
        assert_eq!(opts.site_files[1].0, "/other-bucket/fake.json");
        assert_eq!(opts.site_port, 0);
        assert_eq!(opts.backend_port, 0);
        assert_eq!(opts.auth_port, 8081);
        assert_eq!(opts.phase, lookout_sim::Phase::PartialRecovery);
        assert_eq!(opts.generation, lookout_sim::Generation::V2);
        assert_eq!(opts.site_files[0].0, "extra.json");
        assert_eq!(opts.allow_origins.len(), 2);
        assert!(opts.verbose);
    }

    #[test]
    fn bad_input_is_reported() {
        assert!(parse(&["--phase", "later"]).is_err());
        assert!(parse(&["--site-port", "http"]).is_err());
        assert!(parse(&["--site-file", "noequals"]).is_err());
        assert!(parse(&["--backend-port"]).is_err());
        assert!(parse(&["--frobnicate"]).is_err());
        assert!(parse(&["--generated-components", "many"]).is_err());
        let generated = parse(&["--generated-components=1000"]).unwrap().unwrap();
        assert_eq!(generated.generated_components, 1000);
        assert!(parse(&["--help"]).unwrap().is_none());
    }
}
