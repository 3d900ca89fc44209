//! Installing and checking the external tools the other tasks need: the wasm32 target,
//! Trunk, the wasm-bindgen CLI (at the exact version in Cargo.lock), wasm-opt, the brotli
//! CLI, and — for tests — Debian Chromium, chromedriver and the Playwright npm packages.
//! Every check is cheap and skips what is already present, so set-up is idempotent.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, SystemTime};

use crate::util::{self, capture, ok, repo_root, run, step, warn, which, Result};

/// The Trunk release this project builds with (0.22 needs a newer Rust than we have).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The npm package providing `wasm-opt` when none is on `PATH`.
const BINARYEN_NPM: &str = "binaryen@132";
/// Debian's Chromium, used by wasm-bindgen-test and Playwright alike.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver, matching [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Which tools a task needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Everything to build the page: wasm target, Trunk, wasm-bindgen, wasm-opt, brotli.
    Build,
    /// [`Needs::Build`] plus Chromium, chromedriver and `npm ci` in `tests/e2e`.
    Test,
}

/// Makes tools installed by `cargo install` findable and pins the cargo target directory.
///
/// CI shells often lack `~/.cargo/bin` on `PATH`, so `$CARGO_HOME/bin` is prepended for this
/// process and every child. `CARGO_TARGET_DIR` is set to `<repo>/target` because the demo and
/// the end-to-end tests look for what cargo and Trunk built there.
pub fn prepare_env() {
    let root = repo_root();
    let cargo_bin = cargo_home().join("bin");
    let mut dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    if !dirs.contains(&cargo_bin) {
        dirs.insert(0, cargo_bin);
    }
    if let Ok(path) = env::join_paths(dirs) {
        // The xtask is single-threaded until here, so changing the environment is sound.
        env::set_var("PATH", path);
    }
    env::set_var("CARGO_TARGET_DIR", root.join("target"));
}

fn cargo_home() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// Checks every tool `needs` asks for and installs whatever is missing or at the wrong version.
pub fn setup(needs: Needs) -> Result {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    wasm_opt()?;
    apt_tools(needs)?;
    if needs == Needs::Test {
        npm_ci()?;
    }
    Ok(())
}

fn wasm_target() -> Result {
    step(format!("rust target {WASM_TARGET}"));
    if which("rustup").is_none() {
        // Without rustup (a distro toolchain) the target's std must already be in the sysroot.
        let sysroot = capture(Command::new("rustc").args(["--print", "sysroot"]))
            .ok_or("neither rustup nor rustc found")?;
        let lib = Path::new(&sysroot).join("lib/rustlib").join(WASM_TARGET);
        return if lib.is_dir() {
            ok(format!("{WASM_TARGET} (in {sysroot})"));
            Ok(())
        } else {
            Err(format!(
                "no rustup, and {} is missing; install the {WASM_TARGET} std for this toolchain",
                lib.display()
            ))
        };
    }
    let installed = capture(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        ok(format!("{WASM_TARGET} (already installed)"));
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    Ok(())
}

fn trunk() -> Result {
    step(format!("Trunk {TRUNK_VERSION}"));
    let want = format!("trunk {TRUNK_VERSION}");
    if let Some(v) = version_of("trunk") {
        if v == want {
            ok(format!("{want} (already installed)"));
            return Ok(());
        }
        println!("found `{v}`, need {want}");
    }
    wait_for_running_install("trunk");
    if version_of("trunk").as_deref() == Some(want.as_str()) {
        ok(format!("{want} (installed by the other cargo install)"));
        return Ok(());
    }
    println!(
        "installing Trunk {TRUNK_VERSION} with cargo install — the first compile takes ~13 minutes on 2 cores"
    );
    run(util::cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    expect_version("trunk", &want)
}

fn wasm_bindgen() -> Result {
    let lock_path = repo_root().join("Cargo.lock");
    if !lock_path.exists() {
        step("Cargo.lock is missing; resolving the workspace to create it");
        run(util::cargo()
            .args(["metadata", "--format-version", "1", "--quiet"])
            .stdout(std::process::Stdio::null()))?;
    }
    let lock = fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen")?;
    step(format!(
        "wasm-bindgen CLI {version} (the version Cargo.lock pins)"
    ));
    let want = format!("wasm-bindgen {version}");
    let runner_want = format!("wasm-bindgen-test-runner {version}");
    let cli = version_of("wasm-bindgen");
    let runner = version_of("wasm-bindgen-test-runner");
    if cli.as_deref() == Some(want.as_str()) && runner.as_deref() == Some(runner_want.as_str()) {
        ok(format!("{want} (already installed)"));
        return Ok(());
    }
    if let Some(v) = &cli {
        println!("found `{v}`, need {want}");
    }
    wait_for_running_install("wasm-bindgen-cli");
    if version_of("wasm-bindgen").as_deref() != Some(want.as_str()) {
        println!(
            "installing wasm-bindgen-cli {version} with cargo install — the first compile takes ~6 minutes on 2 cores"
        );
        // Not --locked: one of the CLI's locked dependencies is missing from the registry mirror.
        run(util::cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    expect_version("wasm-bindgen", &want)?;
    expect_version("wasm-bindgen-test-runner", &runner_want).map_err(|e| {
        format!("{e}\n(Cargo.lock pins wasm-bindgen {version}; Trunk and the test runner need the CLI at exactly that version)")
    })
}

/// The single version of `package` recorded in a Cargo.lock text.
pub fn locked_version(lock: &str, package: &str) -> Result<String> {
    let mut versions = Vec::new();
    let mut name: Option<&str> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(v) = toml_string(line, "name") {
            name = Some(v);
        } else if let Some(v) = toml_string(line, "version") {
            if name == Some(package) {
                versions.push(v.to_string());
            }
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("Cargo.lock has no `{package}` package")),
        many => Err(format!(
            "Cargo.lock has several `{package}` versions ({}); pin one with `{package} = \"=X.Y.Z\"`",
            many.join(", ")
        )),
    }
}

/// The value of a `key = "value"` line, if `line` is one.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    rest.strip_prefix('"')?.strip_suffix('"')
}

fn wasm_opt() -> Result {
    step("wasm-opt (any version; Trunk's --release build needs one offline)");
    if let Some(v) = version_of("wasm-opt") {
        ok(format!("{v} (already installed)"));
        return Ok(());
    }
    if which("npm").is_some() {
        let installed = run(Command::new("npm").args(["install", "-g", BINARYEN_NPM]));
        if let Err(e) = installed {
            warn(format!("{e}; trying Debian's binaryen"));
        } else if which("wasm-opt").is_none() {
            add_npm_global_bin_to_path();
        }
    }
    if which("wasm-opt").is_none() {
        apt_install(&["binaryen"])?;
    }
    let v = version_of("wasm-opt").ok_or("wasm-opt is still not on PATH after installing it")?;
    ok(format!("{v} (installed)"));
    Ok(())
}

/// `npm install -g` may put binaries outside `PATH` (a user-level npm prefix).
fn add_npm_global_bin_to_path() {
    let Some(prefix) = capture(Command::new("npm").args(["prefix", "-g"])) else {
        return;
    };
    let bin = Path::new(&prefix).join("bin");
    let mut dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.insert(0, bin);
    if let Ok(path) = env::join_paths(dirs) {
        env::set_var("PATH", path);
    }
}

/// Debian packages: brotli (for the size table) always; Chromium and chromedriver for tests.
fn apt_tools(needs: Needs) -> Result {
    step("brotli CLI (for the bundle size table)");
    let mut missing = Vec::new();
    match which("brotli") {
        Some(p) => ok(format!("brotli at {} (already installed)", p.display())),
        None => missing.push("brotli"),
    }
    if needs == Needs::Test {
        step(format!(
            "Chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER})"
        ));
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            if util::is_executable(Path::new(path)) {
                ok(format!("{path} (already installed)"));
            } else {
                missing.push(package);
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let result = apt_install(&missing);
    if needs == Needs::Build && missing == ["brotli"] {
        // The size table just shows "n/a" for brotli; not worth failing a build for.
        if let Err(e) = result {
            warn(format!("{e}; the size table will have no brotli column"));
        }
        return Ok(());
    }
    result?;
    if needs == Needs::Test {
        for path in [CHROMIUM, CHROMEDRIVER] {
            if !util::is_executable(Path::new(path)) {
                return Err(format!("{path} is still missing after apt-get install"));
            }
        }
    }
    Ok(())
}

/// Set once `apt-get update` has run, so one xtask run refreshes the lists at most once.
static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// `apt-get install -y <packages>`, refreshing the package lists first (only when something is
/// actually being installed).
fn apt_install(packages: &[&str]) -> Result {
    if which("apt-get").is_none() {
        return Err(format!(
            "apt-get not found; install {} by hand",
            packages.join(", ")
        ));
    }
    println!("installing {} with apt-get", packages.join(", "));
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        run(Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    run(Command::new("apt-get")
        .args(["install", "-y"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

/// `npm ci` in tests/e2e when node_modules is missing or older than package-lock.json.
fn npm_ci() -> Result {
    step("npm packages in tests/e2e (Playwright)");
    let dir = repo_root().join("tests/e2e");
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let stale = match (mtime(&lock), mtime(&installed)) {
        (Some(lock), Some(installed)) => lock > installed,
        (None, _) => return Err(format!("{} is missing", lock.display())),
        (Some(_), None) => true,
    };
    if !stale {
        ok("tests/e2e/node_modules (up to date with package-lock.json)");
        return Ok(());
    }
    if which("npm").is_none() {
        return Err("npm not found; install Node.js 20 and npm".into());
    }
    // Playwright's own browser download cannot work here; Debian's Chromium is used instead.
    run(Command::new("npm")
        .arg("ci")
        .current_dir(&dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    Ok(())
}

fn mtime(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The first line of `<tool> --version`, if the tool runs.
fn version_of(tool: &str) -> Option<String> {
    which(tool)?;
    let out = capture(Command::new(tool).arg("--version"))?;
    out.lines().next().map(|l| l.trim().to_string())
}

fn expect_version(tool: &str, want: &str) -> Result {
    match version_of(tool) {
        Some(v) if v == want => {
            ok(format!("{want} (installed)"));
            Ok(())
        }
        Some(v) => Err(format!(
            "`{tool} --version` says `{v}`, need `{want}`; another {tool} earlier on PATH ({}) shadows the installed one",
            which(tool).map(|p| p.display().to_string()).unwrap_or_default()
        )),
        None => Err(format!("{tool} is not on PATH after installing it")),
    }
}

/// Waits while another `cargo install <krate>` is running (e.g. started by hand or by a
/// concurrent xtask), instead of compiling the same thing twice on a small machine.
fn wait_for_running_install(krate: &str) {
    let mut announced = false;
    let mut waited = Duration::ZERO;
    while let Some(pid) = running_cargo_install(krate) {
        if !announced || waited.as_secs().is_multiple_of(60) {
            println!(
                "waiting for the running `cargo install {krate}` (pid {pid}) to finish ({} s so far)",
                waited.as_secs()
            );
            announced = true;
        }
        thread::sleep(Duration::from_secs(5));
        waited += Duration::from_secs(5);
    }
}

/// The pid of another process whose command line is `cargo install ... <krate> ...` (Linux).
fn running_cargo_install(krate: &str) -> Option<u32> {
    let me = std::process::id();
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        let is_cargo = args
            .first()
            .is_some_and(|a| a.ends_with(b"/cargo") || *a == b"cargo");
        if is_cargo && args.get(1) == Some(&&b"install"[..]) && args.contains(&krate.as_bytes()) {
            return Some(pid);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-futures"
version = "0.4.53"

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
"#;

    #[test]
    fn reads_the_locked_version() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-futures").unwrap(),
            "0.4.53"
        );
    }

    #[test]
    fn missing_or_ambiguous_versions_are_errors() {
        assert!(locked_version(LOCK, "trunk").is_err());
        let two = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.100\"\n");
        let err = locked_version(&two, "wasm-bindgen").unwrap_err();
        assert!(err.contains("0.2.130, 0.2.100"), "{err}");
    }
}
