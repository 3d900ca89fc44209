//! The release build of the page (`trunk build --release` into `dist/`, then
//! [`csp::harden`](crate::csp::harden) so it runs under the strict Content-Security-Policy,
//! and the config's JSON Schema beside `lookout.json`) and the bundle size table: raw, gzip -9
//! and brotli -q 11 bytes per kind of file, and the shipped total against the size budget.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::csp;
use crate::schema_file;
use crate::scope::{self, Deployment};
use crate::util::{self, repo_root, run, step, table, thousands, which, Align, Result};

/// What the page may ship, compressed with gzip -9: wasm + JS + CSS. Reported, never enforced.
pub const BUDGET_BYTES: u64 = 100_000;

/// The prefix of every asset URL in `index.html`: relative, so the page works from any bucket
/// sub-path with no rewrites.
pub const PUBLIC_URL: &str = "./";

/// Kinds of files in `dist/`, in table order.
const KINDS: [&str; 5] = ["wasm", "js", "css", "html", "other"];

/// Builds the page with Trunk in release mode into `<repo>/dist`, moves the inline loader out
/// and adds Subresource Integrity ([`csp::harden`]), then prints the size table.
pub fn release() -> Result<Sizes> {
    release_into(&repo_root().join("dist"), &[])
}

/// [`release`], then scoped to `deployment` ([`scope::scope`]); without a deploy URL it says
/// why the unscoped policy is weak on a shared origin.
pub fn release_for(deployment: &Deployment) -> Result<Sizes> {
    let dist = repo_root().join("dist");
    let sizes = release_into(&dist, &[])?;
    if !deployment.is_empty() {
        step("scoping the page to its deployment (CSP and allowed sources)");
        let policy = scope::scope(&dist, deployment)?;
        println!("  policy: {policy}");
    }
    if deployment.deploy_url.is_none() {
        eprintln!("{}", scope::UNSCOPED_WARNING);
    }
    Ok(sizes)
}

/// [`release`] into `dist` with the app's cargo `features` (e.g. `bench`, which only
/// `cargo xtask bench` builds, into a directory that is never deployed).
pub fn release_into(dist: &Path, features: &[&str]) -> Result<Sizes> {
    let root = repo_root();
    let shown = dist
        .strip_prefix(&root)
        .unwrap_or(dist)
        .display()
        .to_string();
    step("fetching crates (so the --offline build below finds them)");
    run(util::cargo().arg("fetch").current_dir(&root))?;
    let with = if features.is_empty() {
        String::new()
    } else {
        format!(" with features {}", features.join(","))
    };
    step(format!(
        "release build of the page with Trunk into {shown}/{with}"
    ));
    // --offline and the env var keep Trunk from its update check and from downloading tools:
    // the set-up step put the exact wasm-bindgen and a wasm-opt on PATH. (Trunk 0.21 parses
    // the variable as a bool: "1" is rejected, "true" works.)
    let mut trunk = Command::new("trunk");
    trunk
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            PUBLIC_URL,
        ])
        .arg("--dist")
        .arg(dist)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .current_dir(&root);
    if !features.is_empty() {
        trunk.args(["--features", &features.join(",")]);
    }
    run(&mut trunk)?;
    step(format!(
        "strict CSP: external loader and Subresource Integrity in {shown}/index.html"
    ));
    let hardened = csp::harden(dist, PUBLIC_URL)?;
    print!("{}", hardened.summary());
    step(format!(
        "the config's JSON Schema into {shown}/{}",
        schema_file::SCHEMA_FILE
    ));
    schema_file::write(dist)?;
    let sizes = measure(dist)?;
    step(format!("bundle sizes ({shown}/)"));
    print!("{}", sizes.table());
    Ok(sizes)
}

/// Sizes of one kind of file, summed over its files.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KindSize {
    /// `wasm`, `js`, `css`, `html` or `other`.
    pub kind: &'static str,
    /// The files' paths relative to `dist/`.
    pub files: Vec<String>,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after `gzip -9`; `None` if gzip is unavailable.
    pub gzip: Option<u64>,
    /// Bytes after `brotli -q 11`; `None` if the brotli CLI is unavailable.
    pub brotli: Option<u64>,
}

/// The measured contents of `dist/`, one entry per kind present.
#[derive(Debug, Default)]
pub struct Sizes {
    /// Per-kind sizes in [`KINDS`] order; kinds without files are left out.
    pub kinds: Vec<KindSize>,
}

impl Sizes {
    /// gzip bytes of wasm + js + css, the part the budget is about.
    pub fn shipped_gzip(&self) -> Option<u64> {
        self.kinds
            .iter()
            .filter(|k| matches!(k.kind, "wasm" | "js" | "css"))
            .map(|k| k.gzip)
            .sum()
    }

    /// The table as text, ending with the budget line.
    pub fn table(&self) -> String {
        let header = ["kind", "files", "raw", "gzip -9", "brotli -q 11"];
        let mut rows: Vec<[String; 5]> = vec![header.map(String::from)];
        for k in &self.kinds {
            let files = match k.files.as_slice() {
                [one] => one.clone(),
                many => format!("{} files", many.len()),
            };
            rows.push([
                k.kind.to_string(),
                files,
                thousands(k.raw),
                opt_bytes(k.gzip),
                opt_bytes(k.brotli),
            ]);
        }
        // Names left-aligned, numbers right-aligned.
        let mut out = table(
            &rows,
            [
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
        );
        out.push_str(&self.budget_line());
        out.push('\n');
        out
    }

    /// `wasm+js+css gzip: N B of the 100 KB budget (P%) — within budget` (or over).
    pub fn budget_line(&self) -> String {
        match self.shipped_gzip() {
            Some(total) => {
                let percent = total as f64 * 100.0 / BUDGET_BYTES as f64;
                let verdict = if total <= BUDGET_BYTES {
                    "within budget".to_string()
                } else {
                    format!("OVER budget by {} B", thousands(total - BUDGET_BYTES))
                };
                format!(
                    "  wasm+js+css gzip: {} B of the {} KB budget ({percent:.0}%) — {verdict}",
                    thousands(total),
                    BUDGET_BYTES / 1000
                )
            }
            None => "  wasm+js+css gzip: unknown (gzip not available)".to_string(),
        }
    }
}

fn opt_bytes(n: Option<u64>) -> String {
    n.map(thousands).unwrap_or_else(|| "n/a".to_string())
}

/// Measures every file under `dir` (recursively), grouped by kind.
pub fn measure(dir: &Path) -> Result<Sizes> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(format!("{} has no files", dir.display()));
    }
    let gzip = which("gzip").is_some();
    let brotli = which("brotli").is_some();
    let mut kinds: Vec<KindSize> = Vec::new();
    for kind in KINDS {
        let mut size = KindSize {
            kind,
            gzip: gzip.then_some(0),
            brotli: brotli.then_some(0),
            ..KindSize::default()
        };
        for file in files.iter().filter(|f| kind_of(f) == kind) {
            size.files
                .push(file.strip_prefix(dir).unwrap_or(file).display().to_string());
            size.raw += fs::metadata(file).map_err(|e| e.to_string())?.len();
            size.gzip = add(size.gzip, || compressed_len("gzip", &["-9", "-c"], file));
            size.brotli = add(size.brotli, || {
                compressed_len("brotli", &["-q", "11", "-c"], file)
            });
        }
        if !size.files.is_empty() {
            kinds.push(size);
        }
    }
    Ok(Sizes { kinds })
}

/// Adds a measurement to a running total; one failed measurement makes the total unknown.
fn add(total: Option<u64>, measure: impl FnOnce() -> Option<u64>) -> Option<u64> {
    Some(total? + measure()?)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // Trunk stages the next build in dist/.stage; it is not part of what ships.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The table kind of a file, from its extension.
pub fn kind_of(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wasm") => "wasm",
        Some("js" | "mjs") => "js",
        Some("css") => "css",
        Some("html" | "htm") => "html",
        _ => "other",
    }
}

/// Length of `<tool> <args> <file>`'s stdout, i.e. the compressed size.
fn compressed_len(tool: &str, args: &[&str], file: &Path) -> Option<u64> {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_extensions() {
        assert_eq!(kind_of(Path::new("lookout-1a2b_bg.wasm")), "wasm");
        assert_eq!(kind_of(Path::new("snippets/x/inline0.js")), "js");
        assert_eq!(kind_of(Path::new("style-9f.css")), "css");
        assert_eq!(kind_of(Path::new("index.html")), "html");
        assert_eq!(kind_of(Path::new("favicon.svg")), "other");
    }

    #[test]
    fn measures_a_directory_and_prints_the_budget() {
        let dir = std::env::temp_dir().join(format!("xtask-sizes-{}", std::process::id()));
        fs::create_dir_all(dir.join("snippets")).unwrap();
        fs::create_dir_all(dir.join(".stage")).unwrap();
        fs::write(dir.join(".stage/next.wasm"), "staged").unwrap();
        fs::write(dir.join("app_bg.wasm"), vec![0u8; 5000]).unwrap();
        fs::write(dir.join("app.js"), "export const a = 1;\n".repeat(100)).unwrap();
        fs::write(dir.join("snippets/b.js"), "x").unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        let sizes = measure(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();

        let kinds: Vec<_> = sizes.kinds.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, ["wasm", "js", "html"]);
        assert_eq!(sizes.kinds[0].raw, 5000);
        assert_eq!(sizes.kinds[1].files, ["app.js", "snippets/b.js"]);
        assert_eq!(sizes.kinds[1].raw, 2001);
        if which("gzip").is_some() {
            // 5000 zero bytes compress to a few dozen.
            assert!(sizes.kinds[0].gzip.unwrap() < 100);
            assert!(sizes.table().contains("within budget"));
        }
        assert!(sizes.table().contains("2 files"));
    }

    #[test]
    fn budget_line_reports_overruns() {
        let sizes = Sizes {
            kinds: vec![KindSize {
                kind: "wasm",
                files: vec!["a.wasm".into()],
                raw: 300_000,
                gzip: Some(120_000),
                brotli: None,
            }],
        };
        assert_eq!(
            sizes.budget_line(),
            "  wasm+js+css gzip: 120,000 B of the 100 KB budget (120%) — OVER budget by 20,000 B"
        );
        assert!(sizes.table().contains("n/a"));
    }
}
