//! Scopes a built page to where it is deployed: `cargo xtask build --deploy-url URL
//! [--allow-source PREFIX]... [--config FILE]`, or `cargo xtask scope DIST ...` on a build that
//! already exists (one build, several deployments).
//!
//! On a shared origin such as `storage.googleapis.com`, `'self'` is every bucket, so the
//! shipped policy (`default-src 'self'; script-src 'self' ...; connect-src 'self' https: wss:`)
//! lets a script or a config from any bucket in. With a deploy URL, [`scoped_policy`] replaces
//! `'self'` by the deployment's path prefix everywhere, and `connect-src` becomes that prefix,
//! the allowed sources and the configured backends' origins, nothing else.
//!
//! `--allow-source` also fills `<meta name="lookout-allowed-sources">`, the only list of places
//! outside the page's directory that the page reads a config (or its updates, snapshot and
//! history) from; a link cannot add to it (`lookout_core::config::sources`).

use std::fs;
use std::path::{Path, PathBuf};

use lookout_core::config::sources::ALLOWED_SOURCES_META;
use lookout_core::config::{Config, EndpointKind};

use crate::csp::{self, Tag};
use crate::util::{repo_root, Result};

/// Where a build is deployed and what it may read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deployment {
    /// The page's directory URL (`https://storage.googleapis.com/BUCKET/status/`).
    pub deploy_url: Option<String>,
    /// Extra sources for configs and the files they name: absolute URLs or paths, ending in `/`.
    pub allowed: Vec<String>,
    /// The configuration whose backends `connect-src` names.
    pub config: Option<PathBuf>,
}

impl Deployment {
    /// Reads `--deploy-url URL`, `--allow-source PREFIX` (repeatable) and `--config FILE`.
    pub fn parse(options: &[String]) -> Result<Deployment> {
        let mut deployment = Deployment::default();
        let mut options = options.iter();
        while let Some(option) = options.next() {
            let mut value = || {
                options
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{option} needs a value"))
            };
            match option.as_str() {
                "--deploy-url" => deployment.deploy_url = Some(checked_deploy_url(&value()?)?),
                "--allow-source" => deployment.allowed.push(checked_source(&value()?)?),
                "--config" => deployment.config = Some(PathBuf::from(value()?)),
                other => return Err(format!("unknown option {other}")),
            }
        }
        if deployment.config.is_some() && deployment.deploy_url.is_none() {
            return Err("--config only names the backends for --deploy-url".to_string());
        }
        Ok(deployment)
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.deploy_url.is_none() && self.allowed.is_empty()
    }
}

/// Rewrites `<dist>/index.html` for `deployment`; returns the policy it now ships.
pub fn scope(dist: &Path, deployment: &Deployment) -> Result<String> {
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let backends = match &deployment.deploy_url {
        Some(_) => {
            let path = deployment
                .config
                .clone()
                .unwrap_or_else(|| repo_root().join("config/lookout.json"));
            backends(&path)?
        }
        None => Vec::new(),
    };
    let (html, policy) = rewrite(&html, deployment, &backends)?;
    fs::write(&index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok(policy)
}

/// What the build prints when it ships the unscoped policy.
pub const UNSCOPED_WARNING: &str =
    "warning: no --deploy-url, so the page ships `connect-src 'self' https: wss:` and \
     `script-src 'self'`. On a shared origin such as storage.googleapis.com, 'self' is every \
     bucket: scripts and files from any bucket count as this page's own. Pass --deploy-url \
     https://HOST/PATH/ (the page's directory) to scope the policy to it (docs/deploy.md).";

/// The new `index.html` and its policy.
fn rewrite(html: &str, deployment: &Deployment, backends: &[String]) -> Result<(String, String)> {
    let tags = csp::tags(html);
    let meta = tags
        .iter()
        .find(|t| {
            t.name == "meta"
                && t.attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        })
        .ok_or("index.html has no <meta http-equiv=\"Content-Security-Policy\">")?;
    let mut policy = meta.attr("content").unwrap_or_default().to_string();
    if let Some(url) = &deployment.deploy_url {
        let mut connect = vec![url.clone()];
        connect.extend(deployment.allowed.iter().map(|s| absolute(s, url)));
        connect.extend(backends.iter().cloned());
        policy = scoped_policy(&policy, url, &connect);
    }
    let csp_meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}" />"#);
    let mut edits = vec![(meta.start, meta.end, csp_meta)];
    let sources_meta = format!(
        r#"<meta name="{ALLOWED_SOURCES_META}" content="{}" />"#,
        deployment.allowed.join(" ")
    );
    match tags.iter().find(|t| is_sources_meta(t)) {
        Some(old) => edits.push((old.start, old.end, sources_meta)),
        None if !deployment.allowed.is_empty() => {
            edits.push((meta.end, meta.end, format!("\n    {sources_meta}")))
        }
        None => {}
    }
    let mut out = html.to_string();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    for (start, end, text) in edits {
        out.replace_range(start..end, &text);
    }
    Ok((out, policy))
}

fn is_sources_meta(tag: &Tag) -> bool {
    tag.name == "meta" && tag.attr("name") == Some(ALLOWED_SOURCES_META)
}

/// `policy` with `'self'` replaced by `prefix` in every directive and `connect-src` set to
/// `connect` (plus `'wasm-unsafe-eval'` and the like, which stay where they were).
pub fn scoped_policy(policy: &str, prefix: &str, connect: &[String]) -> String {
    let mut directives: Vec<String> = Vec::new();
    let mut has_connect = false;
    for directive in policy.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut words = directive.split_ascii_whitespace();
        let name = words.next().unwrap_or_default().to_ascii_lowercase();
        let sources: Vec<String> = if name == "connect-src" {
            has_connect = true;
            connect.to_vec()
        } else {
            words
                .map(|w| if w == "'self'" { prefix } else { w }.to_string())
                .collect()
        };
        directives.push(
            format!("{name} {}", sources.join(" "))
                .trim_end()
                .to_string(),
        );
    }
    if !has_connect {
        directives.push(format!("connect-src {}", connect.join(" ")));
    }
    directives.join("; ")
}

/// A listed source as an absolute URL (a path is on the deploy URL's origin).
fn absolute(source: &str, deploy_url: &str) -> String {
    if source.starts_with('/') {
        format!("{}{source}", origin_of(deploy_url))
    } else {
        source.to_string()
    }
}

/// What the page probes, as CSP sources: each endpoint's service base URL, as a directory
/// when it has a path (a service at `https://storage.googleapis.com/BUCKET/reports` must not
/// open every bucket), else its origin. WebSocket endpoints keep `ws:`/`wss:`.
fn backends(config: &Path) -> Result<Vec<String>> {
    let text =
        fs::read_to_string(config).map_err(|e| format!("cannot read {}: {e}", config.display()))?;
    let config = Config::parse(&text).map_err(|problems| {
        let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
        format!("{} is not a valid config: {first}", config.display())
    })?;
    let mut sources: Vec<String> = Vec::new();
    for endpoint in &config.endpoints {
        let Some(service) = config.services.get(&endpoint.service) else {
            continue;
        };
        let base = service.base_url.trim_end_matches('/').to_ascii_lowercase();
        let schemes = match endpoint.kind {
            EndpointKind::Http => ["https://", "http://"],
            EndpointKind::Websocket => ["wss://", "ws://"],
        };
        if !schemes.iter().any(|s| base.starts_with(s)) {
            continue;
        }
        let source = match origin_of(&base) {
            origin if origin == base => origin,
            _ => format!("{base}/"),
        };
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    Ok(sources)
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    url[..end].to_ascii_lowercase()
}

/// Characters that would end a CSP source or an HTML attribute.
fn plain(value: &str) -> bool {
    !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ';' | ',' | '"' | '\'' | '<' | '>' | '&'))
}

fn checked_deploy_url(url: &str) -> Result<String> {
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    let directory = url.ends_with('/') && !url.contains(['?', '#', '*']);
    if absolute && directory && plain(url) && origin_of(url).len() < url.len() {
        Ok(url.to_string())
    } else {
        Err(format!(
            "--deploy-url {url:?}: expected the page's directory as an http(s) URL ending with /, \
             e.g. https://storage.googleapis.com/BUCKET/status/"
        ))
    }
}

fn checked_source(source: &str) -> Result<String> {
    let absolute = source.starts_with("https://") || source.starts_with("http://");
    let ok = (absolute || source.starts_with('/'))
        && source.ends_with('/')
        && !source.contains(['?', '#', '*'])
        && plain(source);
    if ok {
        Ok(source.to_string())
    } else {
        Err(format!(
            "--allow-source {source:?}: expected a directory ending with /, as an http(s) URL \
             or a path on the page's origin, e.g. https://storage.googleapis.com/BUCKET/shared/"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' https: wss:; object-src 'none'; base-uri 'self'; form-action 'none'";
    const DEPLOY: &str = "https://storage.googleapis.com/netra-status/status/";

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_deploy_url_scopes_every_self_and_connect_src() {
        let connect = [
            DEPLOY.to_string(),
            "https://api.staging.netrasystems.ai".to_string(),
            "wss://api.staging.netrasystems.ai".to_string(),
        ];
        let policy = scoped_policy(SHIPPED, DEPLOY, &connect);
        assert_eq!(
            policy,
            format!(
                "default-src {DEPLOY}; script-src {DEPLOY} 'wasm-unsafe-eval'; style-src {DEPLOY}; \
                 connect-src {DEPLOY} https://api.staging.netrasystems.ai wss://api.staging.netrasystems.ai; \
                 object-src 'none'; base-uri {DEPLOY}; form-action 'none'"
            )
        );
        assert!(!policy.contains("'self'") && !policy.contains("https:;"));
    }

    #[test]
    fn the_index_gets_the_policy_and_the_allowed_sources() {
        let html = format!(
            "<html><head>\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{SHIPPED}\" />\n    <title>x</title></head></html>"
        );
        let deployment = Deployment::parse(&args(&[
            "--deploy-url",
            DEPLOY,
            "--allow-source",
            "/netra-shared/lookout/",
        ]))
        .unwrap();
        let backends = ["https://api.example".to_string()];
        let (out, policy) = rewrite(&html, &deployment, &backends).unwrap();
        assert!(policy.contains(&format!(
            "connect-src {DEPLOY} https://storage.googleapis.com/netra-shared/lookout/ https://api.example;"
        )));
        assert!(out.contains(&format!("content=\"{policy}\"")));
        assert!(out.contains(
            "<meta name=\"lookout-allowed-sources\" content=\"/netra-shared/lookout/\" />"
        ));
        // Scoping again replaces, never duplicates.
        let (again, _) = rewrite(&out, &deployment, &backends).unwrap();
        assert_eq!(again.matches("lookout-allowed-sources").count(), 1);
        assert_eq!(again.matches("Content-Security-Policy").count(), 1);
    }

    #[test]
    fn without_a_deploy_url_the_policy_is_kept() {
        let html = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{SHIPPED}\">");
        let (out, policy) = rewrite(&html, &Deployment::default(), &[]).unwrap();
        assert_eq!(policy, SHIPPED);
        assert!(!out.contains("lookout-allowed-sources"));
    }

    #[test]
    fn bad_options_are_refused_with_an_example() {
        for bad in [
            &["--deploy-url", "https://storage.googleapis.com/b/status"][..],
            &["--deploy-url", "https://x.example/s/?a=1"],
            &["--deploy-url", "https://x.example/s/\" onload=\"x/"],
            &["--deploy-url", "ftp://x.example/s/"],
            &["--allow-source", "shared/"],
            &["--allow-source", "https://x.example/shared"],
            &["--allow-source", "https://x.example/a b/"],
            &["--config", "c.json"],
            &["--deploy-url"],
            &["--frobnicate"],
        ] {
            assert!(Deployment::parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn backends_are_the_services_scoped_to_their_paths() {
        let sources = backends(&repo_root().join("config/lookout.json")).unwrap();
        assert!(sources.contains(&"https://staging.netrasystems.ai".to_string()));
        assert!(sources.contains(&"wss://api-staging.netrasystems.ai".to_string()));
        // A service inside a shared origin is scoped to its own path.
        assert!(sources
            .contains(&"https://storage.googleapis.com/netra-status/issue-1278/".to_string()));
        assert!(!sources.contains(&"https://storage.googleapis.com".to_string()));
    }
}
