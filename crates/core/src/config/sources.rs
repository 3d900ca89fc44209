//! Where the page may read its files from: the configuration named by `?config=`, and the
//! updates file, snapshot and published history that configuration names.
//!
//! The status URL is trusted, so a link must not be able to point the page at a file someone
//! else wrote. A file is read only when its URL, resolved by the browser and then
//! percent-decoded, starts with this page's directory URL or with a prefix the deployment lists
//! in `index.html` (`<meta name="lookout-allowed-sources">`, written by
//! `cargo xtask build --allow-source`); a query string cannot add to that list. Decoding first
//! matters because servers decode before they look up an object: `..%2f` must not climb out of
//! the directory, and a decoded path with `.`/`..` segments or encoded separators left in it is
//! refused outright.
//!
//! On an origin that many sites share (`storage.googleapis.com` serves every bucket from one
//! origin), "same origin" means nothing, hence the path prefix; [`shared_origin_note`] says what
//! such an origin still shares (the browser's storage).

use std::fmt;

use percent_encoding::percent_decode_str;

/// The name of the `<meta>` whose content lists the extra allowed prefixes, space-separated.
pub const ALLOWED_SOURCES_META: &str = "lookout-allowed-sources";

/// Which file a URL was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceRole {
    /// The configuration (`?config=`).
    Config,
    /// `communication.updates_file`.
    UpdatesFile,
    /// `snapshot.url`.
    Snapshot,
    /// `probing.history_url`.
    History,
}

impl SourceRole {
    /// How the role is named in messages: the query parameter or the config field.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceRole::Config => "?config=",
            SourceRole::UpdatesFile => "communication.updates_file",
            SourceRole::Snapshot => "snapshot.url",
            SourceRole::History => "probing.history_url",
        }
    }
}

/// The prefixes this page may read from: its own directory and the deployment's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sources {
    /// The page's directory URL, ending with `/`.
    directory: String,
    /// Extra prefixes from the deployment, each an absolute http(s) URL ending with `/`.
    allowed: Vec<String>,
    /// Listed prefixes that are not usable, with why (shown in the page's notes).
    ignored: Vec<String>,
    /// The directory and the allowed prefixes, decoded once, as URLs are compared with them.
    decoded: Vec<String>,
}

/// A URL the page will not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRefused {
    /// Which file it was meant to be.
    pub role: SourceRole,
    /// The URL as resolved.
    pub url: String,
    /// Why it is refused, in one sentence naming the rule.
    pub reason: String,
}

impl fmt::Display for SourceRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Refused to read {} ({}): {}",
            self.url,
            self.role.as_str(),
            self.reason
        )
    }
}

impl Sources {
    /// The sources of a page at `page_url` (absolute, as the browser reports it) with the
    /// deployment's `allowed` prefixes, each already resolved against the page.
    pub fn new(page_url: &str, allowed: &[String]) -> Sources {
        let mut sources = Sources {
            directory: directory_of(page_url),
            allowed: Vec::new(),
            ignored: Vec::new(),
            decoded: Vec::new(),
        };
        for prefix in allowed {
            match usable_prefix(prefix) {
                Ok(()) => sources.allowed.push(prefix.clone()),
                Err(why) => sources.ignored.push(format!("{prefix}: {why}")),
            }
        }
        let prefixes = std::iter::once(&sources.directory).chain(&sources.allowed);
        sources.decoded = prefixes.map(|prefix| decoded_prefix(prefix)).collect();
        sources
    }

    /// The page's directory URL.
    pub fn directory(&self) -> &str {
        &self.directory
    }

    /// The path of the page's directory (`/netra-status/status/`): what this page keeps in the
    /// browser is filed under it.
    pub fn directory_path(&self) -> &str {
        &self.directory[after_authority(&self.directory)..]
    }

    /// The deployment's extra prefixes that are in use.
    pub fn allowed(&self) -> &[String] {
        &self.allowed
    }

    /// Listed prefixes that were ignored, each with why.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Whether the page may read `url` (absolute, resolved by the browser) as `role`.
    pub fn admit(&self, role: SourceRole, url: &str) -> Result<(), SourceRefused> {
        let refuse = |reason: String| SourceRefused {
            role,
            url: url.to_string(),
            reason,
        };
        let decoded =
            decoded_location(url).map_err(|why| refuse(format!("{why}; {}", self.rule())))?;
        if self
            .decoded
            .iter()
            .any(|prefix| decoded.starts_with(prefix))
        {
            return Ok(());
        }
        Err(refuse(self.rule()))
    }

    /// The rule in words, naming the prefixes.
    fn rule(&self) -> String {
        let mut rule = format!(
            "a file must be inside this page's directory {}",
            self.directory
        );
        match self.allowed.as_slice() {
            [] => rule.push_str(
                " (this deployment lists no other allowed source: cargo xtask build --allow-source)",
            ),
            listed => rule.push_str(&format!(
                " or under a source this deployment allows ({})",
                listed.join(", ")
            )),
        }
        rule
    }
}

/// `url` without its query and fragment, and everything up to the last `/` of the path.
fn directory_of(url: &str) -> String {
    let location = url.split(['?', '#']).next().unwrap_or_default();
    match location.rfind('/') {
        Some(at) if at + 1 >= after_authority(location) => location[..=at].to_string(),
        _ => format!("{location}/"),
    }
}

/// Where the path of an absolute URL starts (its length if it has none).
fn after_authority(url: &str) -> usize {
    let start = url.find("://").map_or(0, |at| at + 3);
    url[start..].find('/').map_or(url.len(), |at| start + at)
}

/// Why a listed prefix cannot be used, if it cannot.
fn usable_prefix(prefix: &str) -> Result<(), &'static str> {
    if !(prefix.starts_with("https://") || prefix.starts_with("http://")) {
        return Err("not an absolute http(s) URL");
    }
    if !prefix.ends_with('/') || prefix.contains(['?', '#']) {
        return Err("a source is a directory URL ending with /");
    }
    decoded_location(prefix)
        .map(drop)
        .map_err(|_| "not a plain path")
}

/// A prefix compared in decoded form, like the URLs checked against it.
fn decoded_prefix(prefix: &str) -> String {
    decoded_location(prefix).unwrap_or_else(|_| prefix.to_string())
}

/// The URL up to its query, path percent-decoded, refusing anything a server could read as
/// another path than the one it seems to name.
fn decoded_location(url: &str) -> Result<String, String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err("only http(s) URLs are read".to_string());
    }
    let location = url.split(['?', '#']).next().unwrap_or_default();
    let (origin, path) = location.split_at(after_authority(location));
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| "its path is not valid UTF-8 once decoded".to_string())?;
    if decoded.contains(['\\', '\0']) || decoded.to_ascii_lowercase().contains("%2") {
        return Err("its path hides a separator or a dot behind an escape".to_string());
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err("its path climbs with . or .. once decoded".to_string());
    }
    Ok(format!("{}{decoded}", origin.to_ascii_lowercase()))
}

/// Hosts whose one origin serves many unrelated sites, so `localStorage` and `'self'` are
/// shared with all of them. A suffix starting with `.` matches any subdomain.
const SHARED_HOSTS: [&str; 5] = [
    "storage.googleapis.com",
    "storage.cloud.google.com",
    "s3.amazonaws.com",
    ".github.io",
    "raw.githubusercontent.com",
];

/// The note a page served from a shared origin shows once: what else can read and change this
/// browser's stored history and settings. `None` on a dedicated origin.
pub fn shared_origin_note(page_url: &str) -> Option<String> {
    let location = page_url.split(['?', '#']).next().unwrap_or_default();
    let authority =
        &location[location.find("://").map_or(0, |at| at + 3)..after_authority(location)];
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let shared = SHARED_HOSTS
        .iter()
        .any(|known| match known.strip_prefix('.') {
            Some(suffix) => host.ends_with(known) && host.len() > suffix.len() + 1,
            None => host == *known,
        });
    shared.then(|| {
        format!(
            "This page is served from {host}, an origin shared with other sites: the history \
             and settings this browser keeps for it can be read and changed by pages on those \
             sites. Statuses, criteria and the banner never come from them."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://storage.googleapis.com/netra-status/status/index.html?embed=1";

    fn sources() -> Sources {
        Sources::new(PAGE, &[])
    }

    fn refused(sources: &Sources, url: &str) -> String {
        sources
            .admit(SourceRole::Config, url)
            .expect_err(url)
            .to_string()
    }

    #[test]
    fn the_directory_is_the_page_url_up_to_its_last_slash() {
        assert_eq!(
            sources().directory(),
            "https://storage.googleapis.com/netra-status/status/"
        );
        let bare = Sources::new("http://127.0.0.1:8080", &[]);
        assert_eq!(bare.directory(), "http://127.0.0.1:8080/");
        let slash_in_query = Sources::new("https://a.example/s/page.html?x=/y/", &[]);
        assert_eq!(slash_in_query.directory(), "https://a.example/s/");
        assert_eq!(sources().directory_path(), "/netra-status/status/");
        assert_eq!(bare.directory_path(), "/");
    }

    #[test]
    fn files_inside_the_directory_are_read() {
        let s = sources();
        for url in [
            "https://storage.googleapis.com/netra-status/status/lookout.json",
            "https://storage.googleapis.com/netra-status/status/configs/other.json?v=2",
            "https://STORAGE.googleapis.com/netra-status/status/a%20b.json",
        ] {
            assert_eq!(s.admit(SourceRole::Config, url), Ok(()), "{url}");
        }
    }

    #[test]
    fn a_foreign_origin_is_refused_naming_the_rule() {
        let message = refused(&sources(), "https://attacker.example/lookout.json");
        assert_eq!(
            message,
            "Refused to read https://attacker.example/lookout.json (?config=): a file must be \
             inside this page's directory https://storage.googleapis.com/netra-status/status/ \
             (this deployment lists no other allowed source: cargo xtask build --allow-source)"
        );
    }

    #[test]
    fn another_bucket_on_the_same_origin_is_refused() {
        let s = sources();
        for url in [
            "https://storage.googleapis.com/some-other-bucket/fake.json",
            "https://storage.googleapis.com/netra-status/status-fake/lookout.json",
            "https://storage.googleapis.com/netra-status/lookout.json",
            "https://storage.googleapis.com@attacker.example/netra-status/status/x.json",
        ] {
            assert!(s.admit(SourceRole::Config, url).is_err(), "{url}");
        }
    }

    #[test]
    fn escapes_hidden_behind_percent_encoding_are_refused() {
        let s = sources();
        for url in [
            "https://storage.googleapis.com/netra-status/status/..%2f..%2fother/fake.json",
            "https://storage.googleapis.com/netra-status/status/%2e%2e/x.json",
            "https://storage.googleapis.com/netra-status/status/%252e%252e/x.json",
            "https://storage.googleapis.com/netra-status/status/a%5c..%5cx.json",
            "https://storage.googleapis.com/netra-status/status/%ff.json",
        ] {
            assert!(s.admit(SourceRole::Config, url).is_err(), "{url}");
        }
    }

    #[test]
    fn only_http_urls_are_read() {
        let s = sources();
        for url in [
            "javascript:alert(1)",
            "data:application/json,{}",
            "lookout.json",
        ] {
            assert!(refused(&s, url).contains("only http(s) URLs"), "{url}");
        }
    }

    #[test]
    fn a_listed_prefix_widens_what_is_read_and_is_named_in_refusals() {
        let listed = [
            "https://storage.googleapis.com/netra-shared/lookout/".to_string(),
            "https://storage.googleapis.com/no-slash".to_string(),
            "ftp://files.example/".to_string(),
            "https://status.netra.example/".to_string(),
        ];
        let s = Sources::new(PAGE, &listed);
        assert_eq!(s.allowed(), [listed[0].clone(), listed[3].clone()]);
        assert_eq!(s.ignored().len(), 2);
        let dedicated = "https://status.netra.example/incident/lookout.json";
        assert_eq!(s.admit(SourceRole::Config, dedicated), Ok(()));
        let shared = "https://storage.googleapis.com/netra-shared/lookout/incident.json";
        assert_eq!(s.admit(SourceRole::Snapshot, shared), Ok(()));
        let message = refused(&s, "https://storage.googleapis.com/netra-shared/other.json");
        let named = "or under a source this deployment allows \
                     (https://storage.googleapis.com/netra-shared/lookout/, https://status.netra.example/)";
        assert!(message.contains(named), "{message}");
        let climb = "https://storage.googleapis.com/netra-shared/lookout/%2e%2e/x.json";
        assert!(s.admit(SourceRole::History, climb).is_err());
    }

    #[test]
    fn each_role_is_named_by_its_field() {
        let s = sources();
        let refusal = s
            .admit(SourceRole::UpdatesFile, "https://evil.example/u.json")
            .unwrap_err();
        assert!(refusal.to_string().contains("(communication.updates_file)"));
    }

    #[test]
    fn shared_origins_are_recognised() {
        assert!(shared_origin_note(PAGE)
            .unwrap()
            .starts_with("This page is served from storage.googleapis.com"));
        assert!(shared_origin_note("https://someone.github.io/status/").is_some());
        assert!(shared_origin_note("https://github.io/").is_none());
        assert!(shared_origin_note("https://status.netra.example/").is_none());
        assert!(shared_origin_note("https://netra-status.storage.googleapis.com/x").is_none());
        assert!(shared_origin_note("http://127.0.0.1:8080/bucket/status/").is_none());
    }
}
