//! The "Cloud Storage bucket" that hosts the page: static files under a path prefix, exactly as
//! a bucket serves objects (no SPA fallback, no rewrites, a plain 404 otherwise), plus the
//! generated `lookout.json` (the config template pointed at this simulator) and `updates.json`.
//!
//! Like a deployer who tightens the page's Content-Security-Policy to the exact endpoints, it
//! serves HTML with the CSP `<meta>`'s `connect-src` replaced by `'self'` plus its own backend,
//! auth and WebSocket origins ([`tighten_csp`]); the rest of the file is served byte for byte.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::Value;

use crate::state::Sim;
use crate::{SimAddrs, SimOptions};

/// What the bucket serves.
pub(crate) struct Site {
    prefix: String,
    dir: Option<PathBuf>,
    files: Vec<(String, PathBuf)>,
    config: Option<(PathBuf, ConfigTargets)>,
    updates: Option<PathBuf>,
    /// The `connect-src` sources written into served HTML's CSP `<meta>`; `None` serves HTML
    /// as built.
    connect_src: Option<String>,
}

/// The simulator's own base URLs, written into the config template.
struct ConfigTargets {
    probe_interval: Option<u64>,
    /// How far the incident's times move, fixed at start so they stay put while serving.
    shift: Option<chrono::Duration>,
    backend: String,
    auth: String,
    websocket: String,
    reports: String,
}

impl Site {
    /// Checks that the templates parse now, so a typo fails at start rather than on first load.
    pub(crate) fn new(opts: &SimOptions, addrs: &SimAddrs) -> io::Result<Self> {
        let shift = match (&opts.config_template, opts.incident_age_minutes) {
            (Some(path), Some(minutes)) => incident_shift(path, minutes)?,
            _ => None,
        };
        let targets = ConfigTargets {
            probe_interval: opts.probe_interval,
            shift,
            backend: addrs.backend_url(),
            auth: addrs.auth_url(),
            websocket: format!("ws://{}:{}", addrs.host, addrs.backend.port()),
            reports: format!("{}/reports", addrs.backend_url()),
        };
        let connect_src = format!(
            "'self' {} {} {}",
            targets.backend, targets.auth, targets.websocket
        );
        let site = Self {
            connect_src: (!opts.csp_as_built).then_some(connect_src),
            prefix: addrs.prefix.clone(),
            dir: opts.site_dir.clone(),
            files: opts.site_files.clone(),
            config: opts.config_template.clone().map(|p| (p, targets)),
            updates: opts.updates_template.clone(),
        };
        if let Some((path, targets)) = &site.config {
            rewrite_config(path, targets)?;
        }
        if let Some(path) = &site.updates {
            read_json(path)?;
        }
        if let Some(dir) = &site.dir {
            if !dir.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("--site {} is not a directory", dir.display()),
                ));
            }
        }
        Ok(site)
    }

    /// The object for a request path, if the bucket has one.
    async fn lookup(&self, path: &str) -> Option<Object> {
        // A file served at an absolute path stands for another bucket on the same origin.
        if let Some((_, file)) = self.files.iter().find(|(name, _)| name == path) {
            return Object::read(file, path).await.map(|o| self.tighten(o));
        }
        let key = path.strip_prefix(&self.prefix)?;
        // A bucket website serves index.html for the prefix and any "directory" below it.
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}index.html")
        } else {
            key.to_owned()
        };
        if key == "lookout.json" {
            if let Some((template, targets)) = &self.config {
                let text = rewrite_config(template, targets).ok()?.to_string();
                return Some(Object::json(text));
            }
        }
        if key == "updates.json" {
            if let Some(updates) = &self.updates {
                let bytes = tokio::fs::read(updates).await.ok()?;
                let shift = self.config.as_ref().and_then(|(_, targets)| targets.shift);
                return Some(match shift {
                    Some(shift) => Object::json(shift_updates(&bytes, shift)?),
                    None => Object::json_bytes(bytes),
                });
            }
        }
        let object = if let Some((_, file)) = self.files.iter().find(|(name, _)| *name == key) {
            Object::read(file, &key).await
        } else {
            let relative = safe_relative(&key)?;
            Object::read(&self.dir.as_ref()?.join(relative), &key).await
        }?;
        Some(self.tighten(object))
    }

    /// An HTML object with its CSP `connect-src` pointed at this simulator; others unchanged.
    fn tighten(&self, mut object: Object) -> Object {
        let Some(connect_src) = &self.connect_src else {
            return object;
        };
        if object.content_type == "text/html" {
            if let Some(bytes) = tighten_csp(&object.bytes, connect_src) {
                object.bytes = bytes;
            }
        }
        object
    }
}

/// One served object.
struct Object {
    content_type: &'static str,
    bytes: Vec<u8>,
    no_cache: bool,
}

impl Object {
    fn json(text: String) -> Self {
        Self::json_bytes(text.into_bytes())
    }

    fn json_bytes(bytes: Vec<u8>) -> Self {
        Self {
            content_type: "application/json",
            bytes,
            no_cache: true,
        }
    }

    async fn read(path: &Path, key: &str) -> Option<Self> {
        if !tokio::fs::metadata(path).await.ok()?.is_file() {
            return None;
        }
        let bytes = tokio::fs::read(path).await.ok()?;
        Some(Self {
            content_type: content_type(key),
            bytes,
            // The page and its config must be revalidated; hashed assets may be cached.
            no_cache: key.ends_with(".html") || key.ends_with(".json"),
        })
    }
}

/// The bucket's router.
pub(crate) fn router(site: Arc<Site>, sim: Arc<Sim>) -> Router {
    Router::new().fallback(serve).with_state((site, sim))
}

async fn serve(State((site, sim)): State<(Arc<Site>, Arc<Sim>)>, req: Request) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    sim.counts.site(format!("site {method} {path}"));
    let response = if method != Method::GET && method != Method::HEAD {
        plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    } else {
        match site.lookup(&path).await {
            Some(object) => {
                let length = object.bytes.len();
                let body = if method == Method::HEAD {
                    Body::empty()
                } else {
                    Body::from(object.bytes)
                };
                let mut response = Response::new(body);
                let h = response.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(object.content_type),
                );
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
                let cache = if object.no_cache {
                    "no-cache"
                } else {
                    "public, max-age=3600"
                };
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
                response
            }
            None => no_such_key(),
        }
    };
    sim.log(format_args!(
        "site {method} {path} -> {} ({} ms)",
        response.status().as_u16(),
        started.elapsed().as_millis()
    ));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Cloud Storage's 404 body.
fn no_such_key() -> Response {
    let mut response = Response::new(Body::from(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code>\
         <Message>The specified key does not exist.</Message></Error>",
    ));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=UTF-8"),
    );
    response
}

/// The key as a relative path, refusing anything that could leave the site directory.
fn safe_relative(key: &str) -> Option<PathBuf> {
    let path = Path::new(key);
    let ok = path.components().all(|c| matches!(c, Component::Normal(_)));
    (ok && !key.contains('\\')).then(|| path.to_path_buf())
}

/// Content type by extension, as the deploy script sets object metadata.
fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "txt" => "text/plain",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn read_json(path: &Path) -> io::Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is not valid JSON: {e}", path.display()),
        )
    })
}

/// `html` with the `connect-src` of its `<meta http-equiv="Content-Security-Policy">` set to
/// `sources` (added if the policy has none); `None` if there is no such meta (or the file is not
/// UTF-8), so the file is served as it is. Only the directive's value changes.
pub(crate) fn tighten_csp(html: &[u8], sources: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(html).ok()?;
    let (start, end, quote) = csp_meta_content(text)?;
    let policy = &text[start..end];
    let sources = if quote == Some('\'') {
        sources.replace('\'', "&#39;")
    } else {
        sources.to_owned()
    };
    let mut out = String::with_capacity(text.len() + sources.len());
    out.push_str(&text[..start]);
    let mut offset = 0;
    let mut replaced = false;
    for directive in policy.split_inclusive(';') {
        let body = directive.strip_suffix(';').unwrap_or(directive);
        let lead = body.len() - body.trim_start().len();
        let name_end = body[lead..]
            .find(|c: char| c.is_ascii_whitespace())
            .map_or(body.len(), |i| lead + i);
        let value_end = body.trim_end().len().max(name_end);
        if !replaced && body[lead..name_end].eq_ignore_ascii_case("connect-src") {
            let at = start + offset;
            out.push_str(&text[at..at + name_end]);
            out.push(' ');
            out.push_str(&sources);
            out.push_str(&text[at + value_end..at + directive.len()]);
            replaced = true;
        } else {
            out.push_str(directive);
        }
        offset += directive.len();
    }
    if !replaced {
        out.push_str(match policy.trim_end().chars().last() {
            None => "",
            Some(';') if policy.ends_with(|c: char| c.is_ascii_whitespace()) => "",
            Some(';') => " ",
            Some(_) => "; ",
        });
        out.push_str("connect-src ");
        out.push_str(&sources);
    }
    out.push_str(&text[end..]);
    Some(out.into_bytes())
}

/// The byte range of the `content` value of the first CSP `<meta>` in `html`, and the quote
/// around it (`None` if unquoted).
fn csp_meta_content(html: &str) -> Option<(usize, usize, Option<char>)> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<meta") {
        let tag_start = from + found;
        let mut csp = false;
        let mut content = None;
        let mut i = tag_start + "<meta".len();
        let bytes = lower.as_bytes();
        // Attribute by attribute, so a `>` inside a quoted value does not end the tag.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let name_start = i;
            while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') {
                if bytes[i].is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            let name = &lower[name_start..i];
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = (i, i, None);
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let len = lower[i + 1..].find(q as char)?;
                        value = (i + 1, i + 1 + len, Some(q as char));
                        i += len + 2;
                    }
                    _ => {
                        let v = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = (v, i, None);
                    }
                }
            }
            match name {
                "http-equiv" => csp = &lower[value.0..value.1] == "content-security-policy",
                "content" => content = Some(value),
                _ => {}
            }
        }
        if csp {
            return content;
        }
        from = i.max(tag_start + 1);
    }
    None
}

/// The template with each present `services.<key>.base_url` pointed at this simulator.
fn rewrite_config(path: &Path, targets: &ConfigTargets) -> io::Result<Value> {
    let mut config = read_json(path)?;
    if let Some(services) = config.get_mut("services").and_then(Value::as_object_mut) {
        for (key, url) in [
            ("backend", &targets.backend),
            ("auth", &targets.auth),
            ("websocket", &targets.websocket),
            ("reports", &targets.reports),
        ] {
            if let Some(service) = services.get_mut(key).and_then(Value::as_object_mut) {
                service.insert("base_url".to_owned(), Value::String(url.clone()));
            }
        }
    }
    if let Some(shift) = targets.shift {
        if let Some(started) = config.pointer_mut("/incident/started_at") {
            *started = shifted(started, shift);
        }
    }
    if let Some(interval) = targets.probe_interval {
        if let Some(probing) = config.get_mut("probing").and_then(Value::as_object_mut) {
            probing.insert("interval_seconds".to_owned(), Value::from(interval));
            let timeout = probing.get("timeout_seconds").and_then(Value::as_u64);
            if timeout.is_none_or(|t| t > interval) {
                probing.insert("timeout_seconds".to_owned(), Value::from(interval));
            }
        }
    }
    Ok(config)
}

/// The shift that puts the template's incident start `minutes` before now.
fn incident_shift(path: &Path, minutes: i64) -> io::Result<Option<chrono::Duration>> {
    let config = read_json(path)?;
    let started = config
        .pointer("/incident/started_at")
        .and_then(Value::as_str)
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok());
    Ok(started.map(|started| {
        let target = chrono::Utc::now() - chrono::Duration::minutes(minutes);
        target.signed_duration_since(started)
    }))
}

/// An RFC 3339 string moved by `shift`; anything else unchanged.
fn shifted(value: &Value, shift: chrono::Duration) -> Value {
    match value
        .as_str()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
    {
        Some(at) => Value::String(
            (at.with_timezone(&chrono::Utc) + shift)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
        None => value.clone(),
    }
}

/// The updates file with every update's `at` moved by `shift`.
fn shift_updates(bytes: &[u8], shift: chrono::Duration) -> Option<String> {
    let mut file: Value = serde_json::from_slice(bytes).ok()?;
    if let Some(updates) = file.get_mut("updates").and_then(Value::as_array_mut) {
        for update in updates {
            if let Some(at) = update.get_mut("at") {
                *at = shifted(at, shift);
            }
        }
    }
    Some(file.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_moves_rfc3339_times_only() {
        let shift = chrono::Duration::hours(2);
        assert_eq!(
            shifted(&Value::from("2025-09-16T08:00:00Z"), shift),
            Value::from("2025-09-16T10:00:00Z")
        );
        assert_eq!(
            shifted(&Value::from("not a time"), shift),
            Value::from("not a time")
        );
        let updates = shift_updates(
            br#"{"updates":[{"at":"2025-09-16T08:00:00Z","text":"x"}]}"#,
            shift,
        )
        .unwrap();
        assert!(updates.contains("2025-09-16T10:00:00Z"), "{updates}");
    }

    #[test]
    fn keys_cannot_escape_the_directory() {
        assert!(safe_relative("index.html").is_some());
        assert!(safe_relative("assets/app.wasm").is_some());
        assert!(safe_relative("../secret").is_none());
        assert!(safe_relative("a/../../b").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("./x").is_none());
    }

    const SOURCES: &str = "'self' http://127.0.0.1:1 ws://127.0.0.1:1";

    fn tightened(html: &str) -> Option<String> {
        tighten_csp(html.as_bytes(), SOURCES).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn csp_connect_src_is_replaced_and_nothing_else() {
        let page = "<!DOCTYPE html>\n<head>\n<meta charset=\"utf-8\" />\n\
            <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
            connect-src 'self' https: wss:; object-src 'none'\" />\n<title>x</title>";
        let expected = page.replace(
            "connect-src 'self' https: wss:;",
            "connect-src 'self' http://127.0.0.1:1 ws://127.0.0.1:1;",
        );
        assert_eq!(tightened(page).unwrap(), expected);
        let last = page.replace("; object-src 'none'", "");
        assert_eq!(
            tightened(&last).unwrap(),
            last.replace("'self' https: wss:", SOURCES)
        );
    }

    #[test]
    fn csp_without_connect_src_gets_one() {
        for (policy, expected) in [
            ("default-src 'self'", "default-src 'self'; connect-src "),
            ("default-src 'self';", "default-src 'self'; connect-src "),
            ("default-src 'self'; ", "default-src 'self'; connect-src "),
            ("", "connect-src "),
        ] {
            let page = format!(r#"<meta content="{policy}" HTTP-EQUIV="content-security-policy">"#);
            assert_eq!(
                tightened(&page).unwrap(),
                format!(
                    r#"<meta content="{expected}{SOURCES}" HTTP-EQUIV="content-security-policy">"#
                ),
                "{policy:?}"
            );
        }
    }

    #[test]
    fn csp_edge_cases() {
        assert_eq!(tightened("<!doctype html><title>no policy</title>"), None);
        assert_eq!(
            tightened(r#"<meta name="x" content="connect-src a"><p>"#),
            None,
            "only the CSP meta counts"
        );
        assert_eq!(
            tighten_csp(b"\xff<meta http-equiv=content-security-policy>", SOURCES),
            None
        );
        // A single-quoted attribute keeps its quotes balanced.
        assert_eq!(
            tightened("<meta http-equiv='Content-Security-Policy' content='connect-src *'>")
                .unwrap(),
            "<meta http-equiv='Content-Security-Policy' content='connect-src \
             &#39;self&#39; http://127.0.0.1:1 ws://127.0.0.1:1'>"
        );
        // A `>` inside another attribute's value does not end the tag.
        assert_eq!(
            tightened(r#"<meta data-x="a>b" http-equiv="Content-Security-Policy" content="connect-src *">"#)
                .unwrap(),
            format!(r#"<meta data-x="a>b" http-equiv="Content-Security-Policy" content="connect-src {SOURCES}">"#)
        );
    }

    #[test]
    fn content_types_match_bucket_metadata() {
        assert_eq!(content_type("app_bg.wasm"), "application/wasm");
        assert_eq!(content_type("app.js"), "text/javascript");
        assert_eq!(content_type("style.CSS"), "text/css");
        assert_eq!(content_type("lookout.json"), "application/json");
        assert_eq!(content_type("index.html"), "text/html");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
