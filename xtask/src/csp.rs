//! Makes Trunk's release output run under the strict Content-Security-Policy that
//! `index.html` ships (`script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`, no
//! `'unsafe-inline'`), with Subresource Integrity on every asset.
//!
//! After `trunk build`, [`harden`] rewrites `dist/index.html`:
//!
//! 1. Trunk's inline `<script type="module">` loader moves into `boot-<hash>.js` next to
//!    `index.html`, referenced by `<script type="module" src=... integrity=...>`. The loader's
//!    `init({ module_or_path: '<wasm>' })` becomes
//!    `init({ module_or_path: fetch('<wasm>', { integrity: 'sha384-...' }) })`, so the wasm the
//!    glue instantiates is checked too (a preload's `integrity` alone checks only the preload).
//! 2. Every local `<link rel="stylesheet|modulepreload|preload">` and `<script src>` gets a
//!    sha384 `integrity` if it has none; one Trunk already wrote is recomputed and must match.
//! 3. The result is checked: the CSP `<meta>` is present and allows no inline script or
//!    `eval`, and nothing in the markup is inline (`<script>` text, `<style>`, `style=`,
//!    `on*=` handlers, `javascript:` URLs).
//!
//! Running it again on its own output only re-verifies the integrity values.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::util::Result;

/// The file name prefix of the externalised loader.
const BOOT_PREFIX: &str = "boot-";

/// What [`harden`] did, for the build log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Hardened {
    /// The loader's file name in `dist/`, if this run moved it out of `index.html`.
    pub boot: Option<String>,
    /// Asset URLs that got an `integrity` attribute.
    pub added: Vec<String>,
    /// Asset URLs whose existing `integrity` was recomputed and matched.
    pub verified: Vec<String>,
    /// The shipped policy, as found in the `<meta>`.
    pub policy: String,
}

impl Hardened {
    /// A few lines for the build log.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if let Some(boot) = &self.boot {
            out.push_str(&format!(
                "  loader moved to {boot} (wasm fetched with integrity)\n"
            ));
        }
        for url in &self.added {
            out.push_str(&format!("  integrity added:    {url}\n"));
        }
        for url in &self.verified {
            out.push_str(&format!("  integrity verified: {url}\n"));
        }
        out.push_str(&format!("  policy: {}\n", self.policy));
        out
    }
}

/// Rewrites `<dist>/index.html` as described in the module docs. `public_url` is the prefix
/// Trunk put in front of asset names (`--public-url`); URLs under it map to files in `dist`.
pub fn harden(dist: &Path, public_url: &str) -> Result<Hardened> {
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let assets = Assets { dist, public_url };
    let (html, hardened) = rewrite(&html, &assets)?;
    if let Some((name, body)) = &hardened.boot_file {
        let path = dist.join(name);
        fs::write(&path, body).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    fs::write(&index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok(hardened.report)
}

/// Where asset URLs point on disk.
struct Assets<'a> {
    dist: &'a Path,
    public_url: &'a str,
}

impl Assets<'_> {
    /// The file behind `url`, if it is one of ours (under the public URL, no query, no `..`).
    fn file(&self, url: &str) -> Option<PathBuf> {
        let rest = url.strip_prefix(self.public_url)?;
        let ok = !rest.is_empty()
            && !rest.contains(['?', '#', '\\'])
            && rest
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        ok.then(|| self.dist.join(rest))
    }

    fn read(&self, url: &str) -> Result<Vec<u8>> {
        let path = self
            .file(url)
            .ok_or_else(|| format!("{url} is not under the public URL {}", self.public_url))?;
        fs::read(&path).map_err(|e| format!("cannot read {} (for {url}): {e}", path.display()))
    }
}

/// The rewritten page's side products.
struct Rewritten {
    report: Hardened,
    /// The loader file to write: name and contents.
    boot_file: Option<(String, String)>,
}

/// The pure part of [`harden`]: the new `index.html` text and what to write beside it.
fn rewrite(html: &str, assets: &Assets) -> Result<(String, Rewritten)> {
    let mut report = Hardened {
        policy: csp_policy(html)?,
        ..Hardened::default()
    };
    let mut boot_file = None;
    // (start, end, replacement), applied back to front so earlier offsets stay valid.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for tag in tags(html) {
        match tag.name.as_str() {
            "script" if tag.attr("src").is_none() => {
                let (start, end, loader) = (tag.start, tag.element_end, tag.text(html));
                let module = tag.attr("type") == Some("module");
                if !module || boot_file.is_some() || tag.attrs.len() != 1 {
                    return Err(format!(
                        "index.html has an inline script the CSP would block: {}",
                        excerpt(&html[start..end])
                    ));
                }
                let body = fetch_wasm_with_integrity(loader, assets)?;
                let integrity = sri(Algorithm::Sha384, body.as_bytes());
                let name = format!("{BOOT_PREFIX}{}.js", short_hash(body.as_bytes()));
                let src = format!("{}{name}", assets.public_url);
                edits.push((
                    start,
                    end,
                    format!(
                        r#"<script type="module" src="{src}" integrity="{integrity}"></script>"#
                    ),
                ));
                report.boot = Some(name.clone());
                report.added.push(src);
                boot_file = Some((name, body));
            }
            "script" | "link" => {
                let url = match (tag.name.as_str(), tag.attr("rel")) {
                    ("script", _) => tag.attr("src"),
                    ("link", Some(rel)) if needs_integrity(rel) => tag.attr("href"),
                    _ => None,
                };
                let Some(url) = url.filter(|u| assets.file(u).is_some()) else {
                    continue;
                };
                let bytes = assets.read(url)?;
                match tag.attr("integrity") {
                    Some(existing) => {
                        check_integrity(url, existing, &bytes)?;
                        report.verified.push(url.to_owned());
                    }
                    None => {
                        let value = sri(Algorithm::Sha384, &bytes);
                        edits.push((
                            tag.insert_at,
                            tag.insert_at,
                            format!(r#" integrity="{value}""#),
                        ));
                        report.added.push(url.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = html.to_owned();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    for (start, end, text) in edits {
        out.replace_range(start..end, &text);
    }
    let problems = inline_problems(&out);
    if !problems.is_empty() {
        return Err(format!(
            "index.html would break under its Content-Security-Policy:\n  {}",
            problems.join("\n  ")
        ));
    }
    Ok((out, Rewritten { report, boot_file }))
}

/// `rel` values whose fetch can carry (and, with SRI, check) an integrity value.
fn needs_integrity(rel: &str) -> bool {
    rel.split_ascii_whitespace().any(|r| {
        ["stylesheet", "modulepreload", "preload"]
            .iter()
            .any(|want| r.eq_ignore_ascii_case(want))
    })
}

/// The loader with `module_or_path: '<wasm>'` turned into an integrity-checked `fetch`.
fn fetch_wasm_with_integrity(loader: &str, assets: &Assets) -> Result<String> {
    const KEY: &str = "module_or_path: ";
    let found = loader.match_indices(KEY).find_map(|(at, _)| {
        let value_start = at + KEY.len();
        let quote = loader[value_start..].chars().next()?;
        if quote != '\'' && quote != '"' {
            return None;
        }
        let len = loader[value_start + 1..].find(quote)?;
        Some((value_start, value_start + 1 + len + 1))
    });
    let Some((start, end)) = found else {
        return Err(format!(
            "Trunk's loader has no `{KEY}'<wasm>'` to add integrity to (did Trunk change?):\n{loader}"
        ));
    };
    let literal = &loader[start..end];
    let url = &literal[1..literal.len() - 1];
    let integrity = sri(Algorithm::Sha384, &assets.read(url)?);
    Ok(format!(
        "{}fetch({literal}, {{ integrity: '{integrity}' }}){}",
        &loader[..start],
        &loader[end..]
    ))
}

/// Checks an existing `integrity` value: every hash with an algorithm we know must match.
fn check_integrity(url: &str, value: &str, bytes: &[u8]) -> Result {
    let mut known = 0;
    for token in value.split_ascii_whitespace() {
        let Some((alg, _)) = token.split_once('-') else {
            continue;
        };
        let Some(alg) = Algorithm::parse(alg) else {
            continue;
        };
        known += 1;
        // Options (`sha384-...?opt`) are reserved by the SRI spec; compare the digest only.
        let digest = token.split('?').next().unwrap_or(token);
        let expected = sri(alg, bytes);
        if digest != expected {
            return Err(format!(
                "{url}: integrity {digest} does not match the file ({expected})"
            ));
        }
    }
    if known == 0 {
        return Err(format!(
            "{url}: integrity {value:?} names no sha256/384/512 hash"
        ));
    }
    Ok(())
}

/// The hash functions SRI allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Algorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }
}

/// An SRI value such as `sha384-<base64>`.
fn sri(alg: Algorithm, bytes: &[u8]) -> String {
    let (name, digest) = match alg {
        Algorithm::Sha256 => ("sha256", Sha256::digest(bytes).to_vec()),
        Algorithm::Sha384 => ("sha384", Sha384::digest(bytes).to_vec()),
        Algorithm::Sha512 => ("sha512", Sha512::digest(bytes).to_vec()),
    };
    format!(
        "{name}-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// 16 hex digits naming a file by its contents, like Trunk's own file hashes.
fn short_hash(bytes: &[u8]) -> String {
    Sha384::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The `content` of the Content-Security-Policy `<meta>`; an error if it is missing or lets
/// inline script or `eval` through.
fn csp_policy(html: &str) -> Result<String> {
    let policy = tags(html)
        .into_iter()
        .filter(|t| t.name == "meta")
        .find(|t| {
            t.attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        })
        .and_then(|t| t.attr("content").map(str::to_owned))
        .ok_or("index.html has no <meta http-equiv=\"Content-Security-Policy\" content=...>")?;
    let directive = |name: &str| {
        policy.split(';').map(str::trim).find_map(|d| {
            let (key, value) = d.split_once(char::is_whitespace).unwrap_or((d, ""));
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    };
    let scripts = directive("script-src")
        .or_else(|| directive("default-src"))
        .ok_or("the CSP sets neither script-src nor default-src")?;
    for weak in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"] {
        if scripts.split_ascii_whitespace().any(|s| s == weak) {
            return Err(format!("the CSP's script-src allows {weak}: {policy}"));
        }
    }
    Ok(policy)
}

/// Markup a strict CSP blocks: inline scripts and styles, handlers, `javascript:` URLs.
fn inline_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for tag in tags(html) {
        let shown = excerpt(&html[tag.start..tag.end]);
        if tag.name == "script" && tag.attr("src").is_none() {
            problems.push(format!("inline <script>: {shown}"));
        }
        if tag.name == "style" {
            problems.push(format!("inline <style>: {shown}"));
        }
        for (name, value) in &tag.attrs {
            if name == "style" {
                problems.push(format!("style attribute: {shown}"));
            } else if name.starts_with("on") {
                problems.push(format!("{name} handler: {shown}"));
            } else if value.as_deref().is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
            }) {
                problems.push(format!("javascript: URL in {name}: {shown}"));
            }
        }
    }
    problems
}

fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// A start tag found by [`tags`].
#[derive(Debug)]
pub(crate) struct Tag {
    /// Lower-case element name.
    pub(crate) name: String,
    /// Attributes in order: lower-case name and unescaped-as-written value.
    attrs: Vec<(String, Option<String>)>,
    /// Offset of the `<`.
    pub(crate) start: usize,
    /// Where a new attribute goes: before the closing `>` (or `/>`).
    insert_at: usize,
    /// Offset just past the start tag's `>`.
    pub(crate) end: usize,
    /// For `<script>` and `<style>`: just past the matching end tag; otherwise `end`.
    element_end: usize,
}

impl Tag {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// The raw text between a `<script>`/`<style>` start tag and its end tag.
    fn text<'h>(&self, html: &'h str) -> &'h str {
        let close = html[self.end..self.element_end]
            .rfind("</")
            .map_or(self.element_end, |i| self.end + i);
        &html[self.end..close]
    }
}

/// The start tags of an HTML document, skipping comments, doctype, end tags and the raw text
/// inside `<script>`/`<style>`. Enough HTML for what Trunk writes; not a general parser.
pub(crate) fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        if !bytes
            .get(start + 1)
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            i = start + 1;
            continue;
        }
        let Some(tag) = parse_tag(html, start) else {
            break;
        };
        i = tag.element_end;
        out.push(tag);
    }
    out
}

fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    let name = html[start + 1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        if bytes[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
        {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let len = html[i + 1..].find(q as char)?;
                    value = Some(html[i + 1..i + 1 + len].to_owned());
                    i += len + 2;
                }
                _ => {
                    let v = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = Some(html[v..i].to_owned());
                }
            }
        }
        attrs.push((attr, value));
    }
    let end = i + 1;
    let insert_at = if bytes[i - 1] == b'/' { i - 1 } else { i };
    let element_end = if name == "script" || name == "style" {
        let close = format!("</{name}");
        let lower = html[end..].to_ascii_lowercase();
        let at = lower.find(&close)?;
        let gt = html[end + at..].find('>')?;
        end + at + gt + 1
    } else {
        end
    };
    Some(Tag {
        name,
        attrs,
        start,
        insert_at,
        end,
        element_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Trunk 0.21.14 writes for this project (hashes shortened), around a CSP meta.
    const TRUNK: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' https: wss:" />
    <title>Lookout — incident status</title>
    <link rel="stylesheet" href="./main-1.css" integrity="INTEGRITY_CSS"/>
    <!-- a <script> in a comment is not a script -->
<script type="module">
import init, * as bindings from './lookout-1.js';
const wasm = await init({ module_or_path: './lookout-1_bg.wasm' });
window.wasmBindings = bindings;
</script>
  <link rel="modulepreload" href="./lookout-1.js" crossorigin="anonymous"><link rel="preload" href="./lookout-1_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"></head>
  <body><div id="lookout"></div></body>
</html>"#;

    fn dist(files: &[(&str, &[u8])]) -> PathBuf {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("xtask-csp-{}-{n}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in files {
            fs::write(dir.join(name), bytes).unwrap();
        }
        dir
    }

    fn project_dist(index: &str) -> PathBuf {
        let css = sri(Algorithm::Sha384, b"body{}");
        dist(&[
            (
                "index.html",
                index.replace("INTEGRITY_CSS", &css).as_bytes(),
            ),
            ("main-1.css", b"body{}"),
            ("lookout-1.js", b"export default function init() {}"),
            ("lookout-1_bg.wasm", b"\0asm\x01\0\0\0"),
        ])
    }

    #[test]
    fn sri_values_match_openssl() {
        // printf abc | openssl dgst -sha384 -binary | base64
        assert_eq!(
            sri(Algorithm::Sha384, b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
        assert_eq!(
            sri(Algorithm::Sha256, b"abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(short_hash(b"abc").len(), 16);
    }

    #[test]
    fn moves_the_loader_out_and_adds_integrity_everywhere() {
        let dir = project_dist(TRUNK);
        let report = harden(&dir, "./").unwrap();
        let html = fs::read_to_string(dir.join("index.html")).unwrap();
        let boot_name = report.boot.clone().unwrap();
        let boot = fs::read_to_string(dir.join(&boot_name)).unwrap();
        let wasm = sri(Algorithm::Sha384, b"\0asm\x01\0\0\0");

        assert!(boot_name.starts_with("boot-") && boot_name.ends_with(".js"));
        assert_eq!(boot_name.len(), "boot-".len() + 16 + ".js".len());
        assert!(boot.contains("import init, * as bindings from './lookout-1.js';"));
        assert!(
            boot.contains(&format!(
                "init({{ module_or_path: fetch('./lookout-1_bg.wasm', {{ integrity: '{wasm}' }}) }})"
            )),
            "{boot}"
        );
        assert!(boot.contains("window.wasmBindings = bindings;"));
        let tag = format!(
            r#"<script type="module" src="./{boot_name}" integrity="{}"></script>"#,
            sri(Algorithm::Sha384, boot.as_bytes())
        );
        assert!(html.contains(&tag), "{html}");
        assert!(!html.contains("import init"));
        let js = sri(Algorithm::Sha384, b"export default function init() {}");
        assert!(html.contains(&format!(
            r#"<link rel="modulepreload" href="./lookout-1.js" crossorigin="anonymous" integrity="{js}">"#
        )));
        assert!(html.contains(&format!(r#"type="application/wasm" integrity="{wasm}">"#)));
        assert_eq!(report.verified, ["./main-1.css"]);
        assert_eq!(
            report.added,
            [
                format!("./{boot_name}"),
                "./lookout-1.js".into(),
                "./lookout-1_bg.wasm".into()
            ]
        );
        assert!(report.policy.starts_with("default-src 'self';"));
        // Everything else is left as Trunk wrote it.
        assert!(html.contains("<!-- a <script> in a comment is not a script -->"));
        assert!(html.ends_with("<body><div id=\"lookout\"></div></body>\n</html>"));

        // A second run finds nothing to move and re-verifies what the first one wrote.
        let again = harden(&dir, "./").unwrap();
        assert_eq!(again.boot, None);
        assert!(again.added.is_empty());
        assert_eq!(again.verified.len(), 4);
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), html);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_wrong_integrity_fails_the_build() {
        let dir = project_dist(&TRUNK.replace("INTEGRITY_CSS", "sha384-AAAA"));
        let err = harden(&dir, "./").unwrap_err();
        assert!(
            err.contains("./main-1.css: integrity sha384-AAAA does not match"),
            "{err}"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn inline_code_and_weak_policies_are_refused() {
        for (from, to, expect) in [
            (
                "<body>",
                "<body><script>alert(1)</script>",
                "inline script the CSP would block",
            ),
            ("<body>", "<body><style>p{}</style>", "inline <style>"),
            ("<div id", "<div style=\"color:red\" id", "style attribute"),
            ("<div id", "<div onclick=\"x()\" id", "onclick handler"),
            (
                "<div id",
                "<a href='javascript:void 0'></a><div id",
                "javascript: URL",
            ),
            (
                "script-src 'self'",
                "script-src 'self' 'unsafe-inline'",
                "allows 'unsafe-inline'",
            ),
            (
                "http-equiv=\"Content-Security-Policy\"",
                "name=\"csp\"",
                "has no <meta",
            ),
        ] {
            let dir = project_dist(&TRUNK.replace(from, to));
            let err = harden(&dir, "./").unwrap_err();
            assert!(err.contains(expect), "{to}: {err}");
            fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn a_loader_without_a_wasm_path_is_an_error() {
        let dir = project_dist(&TRUNK.replace("{ module_or_path: './lookout-1_bg.wasm' }", ""));
        let err = harden(&dir, "./").unwrap_err();
        assert!(err.contains("did Trunk change?"), "{err}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn asset_urls_map_into_dist_only() {
        let assets = Assets {
            dist: Path::new("/d"),
            public_url: "/bucket/status/",
        };
        assert_eq!(
            assets.file("/bucket/status/app.js"),
            Some(PathBuf::from("/d/app.js"))
        );
        assert_eq!(
            assets.file("/bucket/status/snippets/x/inline0.js"),
            Some(PathBuf::from("/d/snippets/x/inline0.js"))
        );
        for outside in [
            "./app.js",
            "https://cdn.example/app.js",
            "/bucket/status/../secret",
            "/bucket/status/app.js?v=1",
            "/bucket/status/",
        ] {
            assert_eq!(assets.file(outside), None, "{outside}");
        }
    }

    #[test]
    fn tags_are_read_with_their_attributes() {
        let html = r#"<p class=a data-x='1 2' hidden><img src="x.png"/><script src="a.js"></script><SCRIPT>if (a<b) {}</SCRIPT>"#;
        let found = tags(html);
        let names: Vec<_> = found.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["p", "img", "script", "script"]);
        assert_eq!(found[0].attr("class"), Some("a"));
        assert_eq!(found[0].attr("data-x"), Some("1 2"));
        assert_eq!(found[0].attr("hidden"), Some(""));
        assert_eq!(&html[found[1].insert_at..found[1].end], "/>");
        assert_eq!(found[3].text(html), "if (a<b) {}");
        assert_eq!(found[3].element_end, html.len());
    }
}
