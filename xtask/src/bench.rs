//! `cargo xtask bench [--quick]`: builds the production page and a `bench`-feature page, builds
//! the simulator, runs the browser driver `bench/run.mjs` (Playwright + Lighthouse, Debian
//! Chromium) and turns its measurements into `REPORT.md` and `report.json` (in `bench/`, or
//! `target/bench-quick/` for `--quick`) plus a table on stdout. Every figure comes from this one
//! run; budgets are compared and printed, never asserted. The run fails only when a
//! measurement cannot be taken.

mod report;
mod scale;
mod stats;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, capture, repo_root, run, step, Result};
use crate::{build, tools};
use report::{Driver, Machine, Plan, Report};

/// What `cargo xtask bench` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Fewer loads, fewer cycles, shorter windows: the CI variant.
    pub quick: bool,
    /// Install or check the tools first (the test runner has already done it).
    pub setup: bool,
    /// Measure the `dist/` that is there instead of rebuilding it (the test runner's release
    /// build phase has just made it).
    pub reuse_dist: bool,
    /// Where REPORT.md and report.json go; default `bench/` (full) or `target/bench-quick/`.
    pub out: Option<PathBuf>,
}

impl Options {
    /// Parses `bench`'s options.
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            quick: false,
            setup: true,
            reuse_dist: false,
            out: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--out" => {
                    let dir = args.next().ok_or("--out needs a directory")?;
                    options.out = Some(PathBuf::from(dir));
                }
                other => return Err(format!("unknown bench option {other}")),
            }
        }
        Ok(options)
    }

    /// The command line that reproduces this run.
    fn command(&self) -> String {
        let mut command = "cargo xtask bench".to_string();
        if self.quick {
            command.push_str(" --quick");
        }
        command
    }
}

/// How much of each measurement a variant takes (passed to the driver as environment).
struct Variant {
    loads: usize,
    scale_polls: usize,
    cycles: [u64; 2],
    window_seconds: u64,
    lighthouse: bool,
    viewers: u64,
    viewers_warmup_seconds: u64,
}

impl Variant {
    fn new(quick: bool) -> Variant {
        if quick {
            Variant {
                loads: 3,
                scale_polls: 2,
                cycles: [100, 1_000],
                window_seconds: 40,
                // Two Lighthouse runs take ~40 s here: cheap enough to keep them working in CI.
                lighthouse: true,
                viewers: 200,
                // One default interval: every viewer has probed every 30 s endpoint once.
                viewers_warmup_seconds: 33,
            }
        } else {
            Variant {
                loads: 10,
                scale_polls: 5,
                cycles: [100, 10_000],
                window_seconds: 180,
                lighthouse: true,
                viewers: 200,
                // The longest interval in the default config (60 s) plus its jitter: every
                // viewer's every endpoint is on its steady schedule.
                viewers_warmup_seconds: 66,
            }
        }
    }
}

/// Runs the benchmark and writes its report.
pub fn run_bench(options: &Options) -> Result {
    let root = repo_root();
    let plan = Variant::new(options.quick);
    if options.setup {
        tools::setup(tools::Needs::Test)?;
    }
    let dist = root.join("dist");
    let sizes = if options.reuse_dist && dist.join("index.html").exists() {
        step("bundle sizes (dist/, from the release build phase)");
        let sizes = build::measure(&dist)?;
        print!("{}", sizes.table());
        sizes
    } else {
        build::release()?
    };
    let target = root.join("target");
    let bench_dist = target.join("bench-dist");
    build::release_into(&bench_dist, &["bench"])?;
    step("the simulator and the prober");
    run(util::cargo().args(["build", "-p", "lookout-sim", "-p", "lookout-probe"]))?;

    let work = target.join("bench-work");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let scale_config = work.join("scale-config.json");
    write(
        &scale_config,
        &serde_json::to_string_pretty(&scale::config(scale::COMPONENTS))
            .map_err(|e| e.to_string())?,
    )?;
    let measurements = work.join("measurements.json");
    let _ = fs::remove_file(&measurements);

    step(format!(
        "browser measurements (bench/run.mjs{})",
        if options.quick { ", quick" } else { "" }
    ));
    run(Command::new("node")
        .arg(root.join("bench/run.mjs"))
        .current_dir(&root)
        .env("LOOKOUT_SIM_BIN", target.join("debug/lookout-sim"))
        .env("LOOKOUT_DIST", &dist)
        .env("LOOKOUT_BENCH_DIST", &bench_dist)
        .env("LOOKOUT_CONFIG", root.join("config/lookout.json"))
        .env("LOOKOUT_UPDATES", root.join("config/updates.json"))
        .env("BENCH_SCALE_CONFIG", &scale_config)
        .env("BENCH_SCALE_COMPONENTS", scale::COMPONENTS.to_string())
        .env("BENCH_OUT", &measurements)
        .env("BENCH_LOADS", plan.loads.to_string())
        .env("BENCH_SCALE_POLLS", plan.scale_polls.to_string())
        .env(
            "BENCH_CYCLES",
            format!("{},{}", plan.cycles[0], plan.cycles[1]),
        )
        .env("BENCH_WINDOW_SECONDS", plan.window_seconds.to_string())
        .env("BENCH_VIEWERS", plan.viewers.to_string())
        .env(
            "BENCH_VIEWERS_WARMUP_SECONDS",
            plan.viewers_warmup_seconds.to_string(),
        )
        .env("LOOKOUT_PROBE_BIN", target.join("debug/lookout-probe"))
        .env(
            "BENCH_LIGHTHOUSE",
            if plan.lighthouse {
                "1"
            } else {
                "skip: --quick"
            },
        )
        .env("CHROME_PATH", tools::CHROMIUM))?;
    let text = fs::read_to_string(&measurements)
        .map_err(|e| format!("the driver wrote no {}: {e}", measurements.display()))?;
    let driver: Driver = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not the expected measurements: {e}",
            measurements.display()
        )
    })?;

    let report = Report {
        machine: Machine {
            cpus: std::thread::available_parallelism().map_or(0, usize::from),
            chromium: driver.chromium.clone(),
            date: capture(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
                .unwrap_or_else(|| "unknown".into()),
            commit: commit(&root),
            command: options.command(),
        },
        plan: Plan {
            quick: options.quick,
            loads: plan.loads,
        },
        sizes,
        driver,
    };
    let out = options.out.clone().unwrap_or_else(|| {
        if options.quick {
            target.join("bench-quick")
        } else {
            root.join("bench")
        }
    });
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    write(&out.join("REPORT.md"), &report.markdown())?;
    let json = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
    write(&out.join("report.json"), &format!("{json}\n"))?;
    step(format!(
        "benchmark figures ({}; written to {})",
        report.machine.command,
        out.display()
    ));
    print!("{}", report.text_table());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The short commit hash, `-dirty` when the work tree has changes.
fn commit(root: &Path) -> String {
    let hash = capture(
        Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(root),
    )
    .unwrap_or_else(|| "unknown".into());
    let dirty = capture(
        Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .current_dir(root),
    )
    .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{hash}-dirty")
    } else {
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let quick = Options::parse(&["--quick".into()]).unwrap();
        assert!(quick.quick);
        assert_eq!(quick.command(), "cargo xtask bench --quick");
        let full = Options::parse(&["--out".into(), "/tmp/x".into()]).unwrap();
        assert!(!full.quick);
        assert_eq!(full.out, Some(PathBuf::from("/tmp/x")));
        assert!(Options::parse(&["--slow".into()]).is_err());
        assert!(Options::parse(&["--out".into()]).is_err());
    }

    #[test]
    fn the_full_plan_meets_the_issue() {
        let full = Variant::new(false);
        assert!(full.loads >= 10);
        assert_eq!(full.cycles, [100, 10_000]);
        assert!(full.window_seconds >= 180);
        assert!(full.lighthouse);
        assert_eq!(full.viewers, 200);
        assert!(
            full.viewers_warmup_seconds > 60,
            "past the 60 s report interval"
        );
    }
}
