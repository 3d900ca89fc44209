//! `cargo xtask test`: every check CI runs, as timed phases — set-up, fmt, clippy (native and
//! wasm32), native tests, browser tests, the release build with its size table, and the
//! Playwright end-to-end tests against the simulator, and the quick benchmark (figures into
//! `target/bench-quick/`, budgets printed, not asserted) — then a summary table whose last line is
//! `total: N passed, M failed`.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::Instant;

use crate::util::{self, repo_root, run, run_tee, step, strip_ansi, table, Align, Result};
use crate::{bench, build, tools};

/// Capabilities for wasm-bindgen-test-runner's chromedriver session. The runner appends
/// `headless`, `disable-dev-shm-usage` and `no-sandbox` itself; the rest keep Chromium from
/// reaching for the network, which is refused here and slows start-up.
const WEBDRIVER_JSON: &str = r#"{
  "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run"
    ]
  }
}
"#;

/// Options of `cargo xtask test`.
#[derive(Debug, Default)]
pub struct Options {
    /// Skip phase 1 (tools are known to be installed).
    pub skip_setup: bool,
}

/// Test counts parsed from a runner's output.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Tests that passed (Playwright's flaky tests included: they passed on a retry).
    pub passed: u64,
    /// Tests that failed (Playwright: also interrupted ones and errors outside tests).
    pub failed: u64,
    /// Ignored (cargo) or skipped / did-not-run (Playwright) tests.
    pub skipped: u64,
    /// Playwright tests that passed only on a retry.
    pub flaky: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.flaky += other.flaky;
    }
}

/// Sums the `test result: ok. N passed; M failed; K ignored; ...` lines of `cargo test`
/// (libtest and wasm-bindgen-test-runner print the same format). `None` if there are none.
pub fn parse_cargo_test(output: &str) -> Option<Counts> {
    let mut total: Option<Counts> = None;
    for line in strip_ansi(output).lines() {
        let Some((_, rest)) = line.split_once("test result: ") else {
            continue;
        };
        let mut counts = Counts::default();
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            // "ok. 3 passed" / "1 failed" / "0 filtered out": a number followed by its label.
            for pair in words.windows(2) {
                let Ok(n) = pair[0].parse::<u64>() else {
                    continue;
                };
                match pair[1] {
                    "passed" => counts.passed += n,
                    "failed" => counts.failed += n,
                    "ignored" => counts.skipped += n,
                    _ => {}
                }
            }
        }
        total.get_or_insert_with(Counts::default).add(counts);
    }
    total
}

/// Reads the summary Playwright prints at the end of a run:
///
/// ```text
///   1 failed
///     [chromium] › specs/smoke.spec.ts:4:1 › page shows an overall status
///   1 flaky
///   2 skipped
///   5 passed (12.3s)
/// ```
///
/// plus `N did not run`, `N interrupted` and `N error(s) was/were not a part of any test`.
/// Only whole lines in that shape count, and the last one of each kind wins, so test output
/// that happens to mention "3 passed" cannot skew the numbers. `None` if there is no summary.
pub fn parse_playwright(output: &str) -> Option<Counts> {
    const LABELS: [&str; 8] = [
        "passed",
        "failed",
        "flaky",
        "skipped",
        "did not run",
        "interrupted",
        "error was not a part of any test, see above for details",
        "errors were not a part of any test, see above for details",
    ];
    let mut seen: [Option<u64>; LABELS.len()] = [None; LABELS.len()];
    for line in strip_ansi(output).lines() {
        let Some((number, label)) = line.trim().split_once(' ') else {
            continue;
        };
        let Ok(n) = number.parse::<u64>() else {
            continue;
        };
        // "5 passed (12.3s)": the duration is optional.
        let label = match label.split_once(" (") {
            Some((head, tail)) if tail.ends_with(')') => head,
            _ => label,
        };
        if let Some(i) = LABELS.iter().position(|l| *l == label) {
            seen[i] = Some(n);
        }
    }
    if seen.iter().all(Option::is_none) {
        return None;
    }
    let [passed, failed, flaky, skipped, not_run, interrupted, error, errors] =
        seen.map(Option::unwrap_or_default);
    Some(Counts {
        passed: passed + flaky,
        failed: failed + interrupted + error + errors,
        skipped: skipped + not_run,
        flaky,
    })
}

/// What a phase did: its counts if it ran tests, and an error if it failed.
struct Ran {
    counts: Option<Counts>,
    error: Option<String>,
    note: Option<String>,
}

impl Ran {
    fn from(result: Result) -> Ran {
        Ran {
            counts: None,
            error: result.err(),
            note: None,
        }
    }
}

enum Outcome {
    Ok,
    Failed(String),
    Skipped(String),
}

struct Phase {
    name: &'static str,
    seconds: f64,
    outcome: Outcome,
    counts: Option<Counts>,
    note: Option<String>,
}

impl Phase {
    /// Passed and failed for the summary. A failed phase with no failing test in it (a lint,
    /// a compile error, a crash before the summary) counts as one failure so the total line
    /// can never read "0 failed" for a failed run.
    fn tally(&self) -> (u64, u64) {
        let counts = self.counts.unwrap_or_default();
        match self.outcome {
            Outcome::Failed(_) => (counts.passed, counts.failed.max(1)),
            _ => (counts.passed, counts.failed),
        }
    }

    fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }
}

#[derive(Default)]
struct Report {
    phases: Vec<Phase>,
}

impl Report {
    fn run(&mut self, name: &'static str, body: impl FnOnce() -> Ran) -> bool {
        let number = self.phases.len() + 1;
        println!();
        step(format!("phase {number}: {name}"));
        let start = Instant::now();
        let ran = body();
        let seconds = start.elapsed().as_secs_f64();
        let outcome = match ran.error {
            Some(e) => {
                println!("FAILED: {name}: {e}");
                Outcome::Failed(e)
            }
            None if ran.counts.is_some_and(|c| c.failed > 0) => {
                Outcome::Failed("failing tests".into())
            }
            None => Outcome::Ok,
        };
        self.phases.push(Phase {
            name,
            seconds,
            outcome,
            counts: ran.counts,
            note: ran.note,
        });
        !self.phases.last().is_some_and(Phase::failed)
    }

    fn skip(&mut self, name: &'static str, why: &str) {
        println!();
        step(format!(
            "phase {}: {name} — skipped ({why})",
            self.phases.len() + 1
        ));
        self.phases.push(Phase {
            name,
            seconds: 0.0,
            outcome: Outcome::Skipped(why.to_string()),
            counts: None,
            note: None,
        });
    }

    fn ok(&self, name: &str) -> bool {
        self.phases
            .iter()
            .any(|p| p.name == name && matches!(p.outcome, Outcome::Ok))
    }

    /// The summary table followed by the `total:` line, and whether the run passed.
    fn summary(&self) -> (String, bool) {
        let mut out = String::new();
        let failures: Vec<_> = self
            .phases
            .iter()
            .filter_map(|p| match &p.outcome {
                Outcome::Failed(why) => Some((p.name, why)),
                _ => None,
            })
            .collect();
        if !failures.is_empty() {
            out.push_str("failed:\n");
            for (name, why) in failures {
                let _ = writeln!(out, "  {name}: {}", why.lines().next().unwrap_or_default());
            }
            out.push('\n');
        }
        let mut rows = vec![[
            "phase".to_string(),
            "seconds".into(),
            "passed".into(),
            "failed".into(),
            "result".into(),
        ]];
        let (mut passed, mut failed) = (0, 0);
        for p in &self.phases {
            let (p_passed, p_failed) = p.tally();
            passed += p_passed;
            failed += p_failed;
            let count = |n: u64| {
                if p.counts.is_some() || (p.failed() && n > 0) {
                    n.to_string()
                } else {
                    "-".to_string()
                }
            };
            let mut result = match &p.outcome {
                Outcome::Ok => "ok".to_string(),
                Outcome::Failed(_) => "FAILED".to_string(),
                Outcome::Skipped(why) => format!("skipped: {why}"),
            };
            let mut notes = Vec::new();
            if let Some(c) = p.counts {
                if c.skipped > 0 {
                    notes.push(format!("{} skipped/ignored", c.skipped));
                }
                if c.flaky > 0 {
                    notes.push(format!("{} flaky", c.flaky));
                }
            }
            notes.extend(p.note.clone());
            if !notes.is_empty() {
                result = format!("{result} ({})", notes.join(", "));
            }
            rows.push([
                p.name.to_string(),
                format!("{:.1}", p.seconds),
                count(p_passed),
                count(p_failed),
                result,
            ]);
        }
        let total_seconds: f64 = self.phases.iter().map(|p| p.seconds).sum();
        rows.push([
            "all".to_string(),
            format!("{total_seconds:.1}"),
            passed.to_string(),
            failed.to_string(),
            String::new(),
        ]);
        out.push_str(&table(
            &rows,
            [
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
        ));
        let any_failed = self.phases.iter().any(Phase::failed) || failed > 0;
        if passed + failed == 0 {
            out.push_str("no tests ran — that counts as a failure\n");
        }
        let _ = writeln!(out, "total: {passed} passed, {failed} failed");
        (out, !any_failed && passed + failed > 0)
    }
}

/// Runs every phase and prints the summary; returns the process exit code (0 only if every
/// phase passed and at least one test ran).
pub fn run_tests(options: &Options) -> i32 {
    let root = repo_root();
    let mut report = Report::default();

    let setup_ok = if options.skip_setup {
        report.skip("setup", "--skip-setup");
        true
    } else {
        report.run("setup", || Ran::from(tools::setup(tools::Needs::Test)))
    };

    // Nothing below can work without the tools; later phases are independent of each other
    // except the end-to-end tests, which need the release build.
    let phases = [
        "fmt",
        "clippy",
        "clippy wasm32",
        "native tests",
        "browser tests",
        "release build",
        "e2e",
        "bench (quick)",
    ];
    if !setup_ok {
        for name in phases {
            report.skip(name, "set-up failed");
        }
    } else {
        report.run("fmt", || {
            Ran::from(run(util::cargo().args(["fmt", "--all", "--", "--check"])).map(drop))
        });
        report.run("clippy", || {
            Ran::from(
                run(util::cargo().args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
                .map(drop),
            )
        });
        report.run("clippy wasm32", || {
            Ran::from(
                run(util::cargo().args([
                    "clippy",
                    "-p",
                    "lookout",
                    "-p",
                    "lookout-core",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]))
                .map(drop),
            )
        });
        report.run("native tests", || {
            tests(
                util::cargo().args(["test", "--workspace"]),
                parse_cargo_test,
            )
        });
        report.run("browser tests", || {
            let webdriver = root.join("webdriver.json");
            if !webdriver.exists() {
                if let Err(e) = fs::write(&webdriver, WEBDRIVER_JSON) {
                    return Ran::from(Err(format!("cannot write {}: {e}", webdriver.display())));
                }
            }
            tests(
                util::cargo()
                    .args([
                        "test",
                        "-p",
                        "lookout",
                        "--target",
                        "wasm32-unknown-unknown",
                    ])
                    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                    .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver),
                parse_cargo_test,
            )
        });
        report.run("release build", || match build::release() {
            Ok(sizes) => Ran {
                counts: None,
                error: None,
                note: sizes
                    .shipped_gzip()
                    .map(|b| format!("{} B gzip shipped", util::thousands(b))),
            },
            Err(e) => Ran::from(Err(e)),
        });
        if report.ok("release build") {
            report.run("e2e", || {
                if let Err(e) =
                    run(util::cargo().args(["build", "-p", "lookout-sim", "-p", "lookout-probe"]))
                {
                    return Ran::from(Err(e));
                }
                let abs = |p: &str| root.join(p);
                tests(
                    Command::new("npx")
                        .args(["--no", "playwright", "test"])
                        .current_dir(root.join("tests/e2e"))
                        .env("LOOKOUT_SIM_BIN", abs("target/debug/lookout-sim"))
                        .env("LOOKOUT_PROBE_BIN", abs("target/debug/lookout-probe"))
                        .env("LOOKOUT_XTASK_BIN", xtask_bin(&root))
                        .env("LOOKOUT_DIST", abs("dist"))
                        .env("LOOKOUT_CONFIG", abs("config/lookout.json"))
                        .env("LOOKOUT_UPDATES", abs("config/updates.json")),
                    parse_playwright,
                )
            });
            // Budgets are printed, not asserted: this fails only if a figure cannot be taken.
            report.run("bench (quick)", || {
                Ran::from(bench::run_bench(&bench::Options {
                    quick: true,
                    setup: false,
                    reuse_dist: true,
                    out: None,
                }))
            });
        } else {
            report.skip("e2e", "needs the release build");
            report.skip("bench (quick)", "needs the release build");
        }
    }

    let (summary, passed) = report.summary();
    println!();
    step("summary");
    print!("{summary}");
    i32::from(!passed)
}

/// Runs a test command, teeing its output, and reads its counts with `parse`.
fn tests(cmd: &mut Command, parse: fn(&str) -> Option<Counts>) -> Ran {
    let teed = match run_tee(cmd) {
        Ok(t) => t,
        Err(e) => return Ran::from(Err(e)),
    };
    let counts = parse(&teed.stdout);
    let error = (!teed.status.success()).then(|| teed.status.to_string());
    let note = counts
        .is_none()
        .then(|| "no test summary in the output".to_string());
    Ran {
        counts,
        error,
        note,
    }
}

/// This task runner's own binary, which the end-to-end tests run to scope a copy of the build
/// (`xtask scope`) as a deployer would.
fn xtask_bin(root: &std::path::Path) -> std::path::PathBuf {
    std::env::current_exe().unwrap_or_else(|_| root.join("target/debug/xtask"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARGO_OK: &str = "\
   Compiling lookout-core v0.1.0
running 3 tests
test status::tests::worst_wins ... ok
test status::tests::unknown_is_not_ok ... ok
test config::tests::parses ... ignored

test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s

running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests lookout_core

running 4 tests
test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.42s
";

    const CARGO_FAILED: &str = "\
running 3 tests
test a ... ok
test b ... FAILED
test c ... FAILED

failures:
    b
    c

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

error: test failed, to rerun pass `-p lookout-core --lib`
";

    const WASM_RUNNER: &str = "\
Running headless tests in Chrome on `http://127.0.0.1:45627/`
Try find `webdriver.json` for configure browser's capabilities:
Ok
running 5 tests

test web::renders_banner ... ok
test web::renders_rows ... ok

test result: ok. 5 passed; 0 failed; 0 ignored; 0 filtered out; finished in 1.23s
";

    #[test]
    fn sums_cargo_test_results() {
        assert_eq!(
            parse_cargo_test(CARGO_OK),
            Some(Counts {
                passed: 6,
                failed: 0,
                skipped: 1,
                flaky: 0
            })
        );
        let both = format!("{CARGO_OK}{CARGO_FAILED}");
        let counts = parse_cargo_test(&both).unwrap();
        assert_eq!((counts.passed, counts.failed), (7, 2));
    }

    #[test]
    fn reads_the_wasm_bindgen_test_runner() {
        let counts = parse_cargo_test(WASM_RUNNER).unwrap();
        assert_eq!((counts.passed, counts.failed), (5, 0));
    }

    #[test]
    fn reads_coloured_cargo_output() {
        let coloured = "test result: \u{1b}[32mok\u{1b}[0m. 3 passed; 0 failed; 0 ignored";
        assert_eq!(parse_cargo_test(coloured).unwrap().passed, 3);
    }

    #[test]
    fn no_cargo_summary_is_none() {
        assert_eq!(
            parse_cargo_test("error[E0425]: cannot find value `x`\n"),
            None
        );
    }

    const PLAYWRIGHT_OK: &str = "
Running 3 tests using 2 workers

  ✓  1 [chromium] › specs/smoke.spec.ts:4:1 › the page shows an overall status (2.1s)
  ✓  2 [chromium] › specs/outage.spec.ts:6:1 › 3 passed checks are shown (1.0s)
  -  3 [chromium] › specs/ws.spec.ts:9:1 › websocket

  1 skipped
  2 passed (5.3s)
";

    const PLAYWRIGHT_FAILED: &str = "
Running 6 tests using 2 workers

  ✘  1 [chromium] › specs/smoke.spec.ts:4:1 › the page shows an overall status (15.1s)

  1) [chromium] › specs/smoke.spec.ts:4:1 › the page shows an overall status

    Error: Timed out 15000ms waiting for expect(locator).toHaveAttribute(expected)
    log: 4 passed

  2 failed
    [chromium] › specs/smoke.spec.ts:4:1 › the page shows an overall status
    [chromium] › specs/rows.spec.ts:4:1 › rows
  1 flaky
    [chromium] › specs/ws.spec.ts:9:1 › websocket
  1 interrupted
  1 did not run
  1 passed (40.2s)
  1 error was not a part of any test, see above for details
";

    #[test]
    fn reads_the_playwright_summary() {
        assert_eq!(
            parse_playwright(PLAYWRIGHT_OK),
            Some(Counts {
                passed: 2,
                failed: 0,
                skipped: 1,
                flaky: 0
            })
        );
        assert_eq!(
            parse_playwright(PLAYWRIGHT_FAILED),
            Some(Counts {
                passed: 2,
                failed: 4,
                skipped: 1,
                flaky: 1
            })
        );
    }

    #[test]
    fn reads_coloured_playwright_output() {
        let out = "  \u{1b}[32m7 passed\u{1b}[39m\u{1b}[2m (3.0s)\u{1b}[22m\n";
        assert_eq!(parse_playwright(out).unwrap().passed, 7);
    }

    #[test]
    fn no_playwright_summary_is_none() {
        assert_eq!(parse_playwright("Error: No tests found\n"), None);
    }

    fn phase(name: &'static str, outcome: Outcome, counts: Option<Counts>) -> Phase {
        Phase {
            name,
            seconds: 1.0,
            outcome,
            counts,
            note: None,
        }
    }

    #[test]
    fn summary_ends_with_the_total_line() {
        let report = Report {
            phases: vec![
                phase("fmt", Outcome::Ok, None),
                phase(
                    "native tests",
                    Outcome::Ok,
                    Some(Counts {
                        passed: 40,
                        ..Counts::default()
                    }),
                ),
                phase(
                    "e2e",
                    Outcome::Failed("failing tests".into()),
                    Some(Counts {
                        passed: 3,
                        failed: 2,
                        ..Counts::default()
                    }),
                ),
            ],
        };
        let (text, passed) = report.summary();
        assert!(!passed);
        assert_eq!(text.lines().last(), Some("total: 43 passed, 2 failed"));
    }

    #[test]
    fn a_failed_phase_without_tests_counts_as_one_failure() {
        let report = Report {
            phases: vec![
                phase("clippy", Outcome::Failed("lint".into()), None),
                phase(
                    "native tests",
                    Outcome::Ok,
                    Some(Counts {
                        passed: 5,
                        ..Counts::default()
                    }),
                ),
            ],
        };
        let (text, passed) = report.summary();
        assert!(!passed);
        assert!(text.ends_with("total: 5 passed, 1 failed\n"));
    }

    #[test]
    fn zero_tests_is_a_failure() {
        let report = Report {
            phases: vec![
                phase("fmt", Outcome::Ok, None),
                phase("native tests", Outcome::Ok, Some(Counts::default())),
            ],
        };
        let (text, passed) = report.summary();
        assert!(!passed);
        assert!(
            text.ends_with("no tests ran — that counts as a failure\ntotal: 0 passed, 0 failed\n")
        );
    }

    #[test]
    fn committed_webdriver_json_is_the_one_written() {
        let committed = fs::read_to_string(repo_root().join("webdriver.json")).unwrap();
        assert_eq!(committed, WEBDRIVER_JSON);
    }

    #[test]
    fn webdriver_json_is_valid() {
        let v: serde_json::Value = serde_json::from_str(WEBDRIVER_JSON).unwrap();
        assert_eq!(v["goog:chromeOptions"]["binary"], "/usr/bin/chromium");
    }
}
