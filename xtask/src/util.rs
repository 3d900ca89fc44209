//! Running external programs: echo each command before it runs, time it, optionally tee its
//! standard output so callers can parse it, and find programs on `PATH`. Also the shared
//! `==> step` / `ok:` / `warning:` output style, aligned text tables and the repository paths.

use std::env;
use std::ffi::OsStr;
use std::fmt::Display;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Errors are messages for a human; the xtask never recovers from them programmatically.
pub type Result<T = (), E = String> = std::result::Result<T, E>;

/// Prints a `==> step` line announcing what happens next.
pub fn step(msg: impl Display) {
    println!("==> {msg}");
}

/// Prints an `ok: ...` line for something that needed no work.
pub fn ok(msg: impl Display) {
    println!("ok: {msg}");
}

/// Prints a `warning: ...` line for something that is wrong but does not stop the task.
pub fn warn(msg: impl Display) {
    println!("warning: {msg}");
}

/// The workspace root (the parent of this crate's manifest directory).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A `cargo` command using the same cargo that runs the xtask (`$CARGO`), so the toolchain
/// chosen by `rust-toolchain`/rustup for this invocation is used for everything.
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The command line as a shell user would type it, with explicitly set environment
/// variables in front and the working directory (relative to the repository) after.
pub fn describe(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let program = Path::new(cmd.get_program());
    // `$CARGO` is an absolute path into the toolchain; `cargo` reads better.
    let program = if program.file_stem() == Some(OsStr::new("cargo")) {
        "cargo".to_string()
    } else {
        program.to_string_lossy().into_owned()
    };
    parts.push(program);
    parts.extend(cmd.get_args().map(|a| quote(&a.to_string_lossy())));
    let mut line = parts.join(" ");
    if let Some(dir) = cmd.get_current_dir() {
        let root = repo_root();
        match dir.strip_prefix(&root) {
            // The repository root is where every command runs unless told otherwise.
            Ok(rel) if rel.as_os_str().is_empty() => {}
            Ok(rel) => line.push_str(&format!("   (in {})", rel.display())),
            Err(_) => line.push_str(&format!("   (in {})", dir.display())),
        }
    }
    line
}

fn quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Formats a duration as seconds with one decimal, e.g. `12.3s`.
pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

fn spawn_error(cmd: &Command, e: io::Error) -> String {
    format!(
        "could not start `{}`: {e}",
        cmd.get_program().to_string_lossy()
    )
}

fn status_error(cmd: &Command, status: ExitStatus) -> String {
    format!("`{}` failed ({status})", describe(cmd))
}

/// Echoes and runs `cmd` with inherited stdio; fails unless it exits successfully.
/// Returns how long it took.
pub fn run(cmd: &mut Command) -> Result<Duration> {
    println!("    $ {}", describe(cmd));
    let start = Instant::now();
    let status = cmd.status().map_err(|e| spawn_error(cmd, e))?;
    let took = start.elapsed();
    if !status.success() {
        return Err(status_error(cmd, status));
    }
    println!("    (done in {})", secs(took));
    Ok(took)
}

/// The result of [`run_tee`]: the exit status and everything the program wrote to stdout.
pub struct Teed {
    /// How the program exited.
    pub status: ExitStatus,
    /// Its complete standard output (standard error went straight to the terminal).
    pub stdout: String,
}

/// Echoes and runs `cmd`, copying its stdout line by line to ours while keeping a copy for
/// parsing; stderr is inherited so compiler progress and diagnostics look as usual.
/// A non-zero exit is reported in [`Teed::status`], not as an error.
pub fn run_tee(cmd: &mut Command) -> Result<Teed> {
    println!("    $ {}", describe(cmd));
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(cmd, e))?;
    let mut stdout = String::new();
    if let Some(pipe) = child.stdout.take() {
        let mut out = io::stdout();
        for line in BufReader::new(pipe).split(b'\n') {
            let Ok(line) = line else { break };
            // Programs may print non-UTF-8 (e.g. a test's debug output); keep going lossily.
            let line = String::from_utf8_lossy(&line);
            // Ignoring write errors: a closed terminal must not abort the run being parsed.
            let _ = writeln!(out, "{line}");
            stdout.push_str(&line);
            stdout.push('\n');
        }
    }
    let status = child.wait().map_err(|e| spawn_error(cmd, e))?;
    let elapsed = start.elapsed();
    println!(
        "    (exited {} after {})",
        status_word(status),
        secs(elapsed)
    );
    Ok(Teed { status, stdout })
}

fn status_word(status: ExitStatus) -> String {
    match status.code() {
        Some(0) => "ok".to_string(),
        Some(code) => format!("with code {code}"),
        None => status.to_string(),
    }
}

/// Runs `cmd` quietly and returns its trimmed stdout, or `None` if it cannot start or fails.
/// Used for version probes.
pub fn capture(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Finds an executable named `name` in the directories of `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is an existing file with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Removes ANSI escape sequences (colours) so output can be parsed whatever `FORCE_COLOR`
/// or `CARGO_TERM_COLOR` say.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // A CSI sequence ends with a byte in '@'..='~'.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Formats a byte count with thousands separators, e.g. `187,344`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a column of [`table`] lines up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Names and words.
    Left,
    /// Numbers.
    Right,
}

/// Rows as aligned text, one line each: two spaces before and between columns, every column
/// as wide as its widest cell (counted in characters), trailing spaces trimmed.
pub fn table<const N: usize>(rows: &[[String; N]], align: [Align; N]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for ((cell, width), align) in row.iter().zip(widths).zip(align) {
            let pad = " ".repeat(width - cell.chars().count());
            line.push_str("  ");
            match align {
                Align::Left => {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
                Align::Right => {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(
            strip_ansi("test result: \u{1b}[32mok\u{1b}[0m. 3 passed"),
            "test result: ok. 3 passed"
        );
        assert_eq!(strip_ansi("plain"), "plain");
    }

    #[test]
    fn tables_align_names_left_and_numbers_right() {
        let rows = [
            ["kind".to_string(), "raw".to_string(), "note".to_string()],
            ["wasm".to_string(), "1,006".to_string(), String::new()],
            ["é".to_string(), "7".to_string(), "ok".to_string()],
        ];
        let text = table(&rows, [Align::Left, Align::Right, Align::Left]);
        assert_eq!(
            text,
            "  kind    raw  note\n  wasm  1,006\n  é         7  ok\n"
        );
    }

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(187_344), "187,344");
        assert_eq!(thousands(1_603_435), "1,603,435");
    }

    #[test]
    fn describes_commands_like_a_shell() {
        let mut cmd = Command::new("trunk");
        cmd.args(["build", "--public-url", "./", "it's"])
            .env("TRUNK_SKIP_VERSION_CHECK", "1");
        assert_eq!(
            describe(&cmd),
            r"TRUNK_SKIP_VERSION_CHECK=1 trunk build --public-url ./ 'it'\''s'"
        );
    }
}
