//! Lookout's task runner (`cargo xtask <command>`): parses the command line, prepares the
//! environment every command shares, and dispatches to the task modules.

mod bench;
mod build;
mod check_config;
#[cfg(test)]
mod config_doc;
mod csp;
mod demo;
mod explain;
mod schema_file;
mod scope;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup [--test]      install or check the tools: wasm32 target, Trunk, wasm-bindgen CLI,
                      wasm-opt, brotli; with --test also Chromium, chromedriver and the
                      Playwright npm packages
  demo [--phase-seconds N] [--generation v1|v2] [--port P]
                      build the page and the simulator, then serve a scripted incident
                      (defaults: 90 s per phase, generation v1, page on port 8080)
  test [--skip-setup] run every check CI runs (fmt, clippy, native, browser and end-to-end
                      tests, release build, quick benchmark); the last line is
                      `total: N passed, M failed`
  build [--deploy-url URL] [--allow-source PREFIX]... [--config FILE]
                      release build of the page into dist/ (inline loader moved out, SRI
                      checked for the strict CSP) and a bundle size table; --deploy-url (the
                      page's directory URL) scopes the CSP to it and to the config's backends,
                      --allow-source lets the page read configs from PREFIX too
  scope DIST [--deploy-url URL] [--allow-source PREFIX]... [--config FILE]
                      the same scoping, applied to an existing build in DIST
  bench [--quick] [--out DIR]
                      benchmarks: bundle size, time to first status against a vanilla-JS
                      floor, 1,000 components, memory over 10,000 poll cycles, Lighthouse,
                      backend requests per tab; writes bench/REPORT.md and bench/report.json
                      (--quick: fewer runs, into target/bench-quick/, as CI runs it)
  check-config FILE [UPDATES]
                      validate a config (and an updates file) as the page does; exits 1 on
                      any error, printing each with its JSON path
  check-config --explain ENDPOINT_URL|FILE [--format F]
                      read one live answer (or a saved body, as an HTTP 200) as the page
                      would and print what Lookout makes of it: level, parts and their names,
                      numbers with their JSON pointers, times. F: auto (default), netra, ietf,
                      spring, statuspage, kubernetes, plain_http or '{\"rule\": {...}}'
  help                show this message
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    tools::prepare_env();
    let result = match (command.as_str(), rest) {
        ("setup", []) => tools::setup(tools::Needs::Build),
        ("setup", [flag]) if flag == "--test" => tools::setup(tools::Needs::Test),
        ("build", options) => scope::Deployment::parse(options).and_then(|deployment| {
            tools::setup(tools::Needs::Build)?;
            build::release_for(&deployment).map(drop)
        }),
        ("scope", [dist, options @ ..]) => scope::Deployment::parse(options).and_then(|d| {
            let policy = scope::scope(std::path::Path::new(dist), &d)?;
            println!("policy: {policy}");
            Ok(())
        }),
        ("bench", options) => bench::Options::parse(options).and_then(|o| bench::run_bench(&o)),
        ("check-config", [flag, rest @ ..]) if flag == "--explain" => {
            explain::Options::parse(rest).and_then(|options| explain::run(&options))
        }
        ("check-config", [config]) => check_config::run(config, None),
        ("check-config", [config, updates]) => check_config::run(config, Some(updates)),
        ("demo", options) => demo::Options::parse(options).and_then(|o| demo::run_demo(&o)),
        ("test", options) => {
            let mut opts = test::Options::default();
            for option in options {
                match option.as_str() {
                    "--skip-setup" => opts.skip_setup = true,
                    other => return usage_error(&format!("unknown test option {other}")),
                }
            }
            // `test` prints its own summary; nothing may follow its `total:` line.
            let code = test::run_tests(&opts);
            return ExitCode::from(code as u8);
        }
        ("help" | "-h" | "--help", _) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage_error(&format!("unknown command: {}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\n");
    eprint!("{USAGE}");
    ExitCode::from(2)
}
