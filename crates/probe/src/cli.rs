//! The command line: `lookout-probe --config <file-or-url> --out <dir-or-gs://bucket/prefix>
//! [--once | --every 30s] [--cache-control VALUE] [--prober-id NAME] [--page-url URL]`.

use std::time::Duration;

use crate::output::DEFAULT_CACHE_CONTROL;

/// The usage text.
pub const USAGE: &str = "\
lookout-probe: probe every endpoint of a Lookout config and publish snapshot.json,
history.json and summary.json (Statuspage shape) for status pages to read first.

usage: lookout-probe --config FILE|URL --out DIR|gs://BUCKET/PREFIX [options]

  --config FILE|URL      the page's lookout.json (a path, or an http(s) URL)
  --out DIR|gs://B/P     a directory, or a Cloud Storage prefix (credentials from
                         GOOGLE_APPLICATION_CREDENTIALS or the metadata server)
  --once                 probe every endpoint that is due once, publish, exit (the
                         default); a run resumes the previous run's backoff and
                         Retry-After from probe-state.json, as a looping prober would
  --every DURATION       probe in rounds this far apart (e.g. 30s, 1m) until stopped,
                         publishing after every round; the period replaces
                         probing.interval_seconds (an endpoint's own interval_seconds
                         is kept; failing endpoints back off as on the page);
                         `--every config` uses probing.interval_seconds
  --cache-control VALUE  Cache-Control of the published objects [public, max-age=15]
  --prober-id NAME       who the snapshot says probed [lookout-probe@<host>]
  --page-url URL         the public status page, for summary.json's page.url
  --clock TIME           start the prober's clock at this RFC 3339 time instead of now
                         (for tests that compare it with a page on a fake clock)
  -h, --help             show this help

exit codes: 0 published (or stopped by a signal), 1 could not publish or read the
config, 2 bad arguments or an invalid config";

/// How often to probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// One round, then exit.
    Once,
    /// Rounds this far apart.
    Every(Duration),
    /// Rounds at the config's `probing.interval_seconds`.
    ConfigInterval,
}

/// The parsed arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `--config`.
    pub config: String,
    /// `--out`.
    pub out: String,
    /// `--once` / `--every`.
    pub cadence: Cadence,
    /// `--cache-control`.
    pub cache_control: String,
    /// `--prober-id`.
    pub prober_id: Option<String>,
    /// `--page-url`.
    pub page_url: Option<String>,
    /// `--clock`: the time the prober's clock reads at start, instead of the system's.
    pub clock: Option<chrono::DateTime<chrono::Utc>>,
}

/// Parses a duration: `30s`, `2m`, `1h` or plain seconds; at least 5 s, like the page's interval.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, "s"),
    };
    let value: u64 = number
        .parse()
        .map_err(|_| format!("--every: {text:?} is not a duration like 30s or 1m"))?;
    let seconds = match unit {
        "s" => value,
        "m" => value * 60,
        "h" => value * 3600,
        _ => {
            return Err(format!(
                "--every: {text:?} is not a duration like 30s or 1m"
            ))
        }
    };
    let min = u64::from(lookout_core::config::MIN_INTERVAL_SECONDS);
    if seconds < min {
        return Err(format!(
            "--every: {seconds} s is too fast for a struggling backend: at least {min} s"
        ));
    }
    Ok(Duration::from_secs(seconds))
}

/// Parses the arguments (without the program name); `Ok(None)` for `--help`.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut config = None;
    let mut out = None;
    let mut cadence = None;
    let mut cache_control = DEFAULT_CACHE_CONTROL.to_string();
    let mut prober_id = None;
    let mut page_url = None;
    let mut clock = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let mut set_cadence = |new: Cadence| {
            if cadence.replace(new).is_some() {
                Err("give either --once or --every, once".to_string())
            } else {
                Ok(())
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--config" => config = Some(value(&flag)?),
            "--out" => out = Some(value(&flag)?),
            "--once" => set_cadence(Cadence::Once)?,
            "--every" => {
                let text = value(&flag)?;
                let new = if text == "config" {
                    Cadence::ConfigInterval
                } else {
                    Cadence::Every(parse_duration(&text)?)
                };
                set_cadence(new)?;
            }
            "--cache-control" => {
                cache_control = value(&flag)?;
                if cache_control.trim().is_empty() || cache_control.contains(['\r', '\n']) {
                    return Err("--cache-control must be one non-empty header line".to_string());
                }
            }
            "--prober-id" => prober_id = Some(value(&flag)?),
            "--page-url" => page_url = Some(value(&flag)?),
            "--clock" => {
                let text = value(&flag)?;
                let at = chrono::DateTime::parse_from_rfc3339(&text)
                    .map_err(|e| format!("--clock: {text:?} is not an RFC 3339 time ({e})"))?;
                clock = Some(at.with_timezone(&chrono::Utc));
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Some(Options {
        config: config.ok_or("--config is required (see --help)")?,
        out: out.ok_or("--out is required (see --help)")?,
        cadence: cadence.unwrap_or(Cadence::Once),
        cache_control,
        prober_id,
        page_url,
        clock,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(args: &[&str]) -> Result<Option<Options>, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments_parse_with_defaults_and_clear_errors() {
        let options = parse_all(&["--config", "lookout.json", "--out=gs://b/status"])
            .unwrap()
            .unwrap();
        assert_eq!(options.cadence, Cadence::Once);
        assert_eq!(options.cache_control, "public, max-age=15");
        assert_eq!(options.out, "gs://b/status");
        let options = parse_all(&["--config", "c", "--out", "d", "--every", "1m"])
            .unwrap()
            .unwrap();
        assert_eq!(options.cadence, Cadence::Every(Duration::from_secs(60)));
        let options = parse_all(&["--config", "c", "--out", "d", "--every=config"])
            .unwrap()
            .unwrap();
        assert_eq!(options.cadence, Cadence::ConfigInterval);
        assert_eq!(parse_all(&["--help"]), Ok(None));
        assert!(parse_all(&["--out", "d"]).unwrap_err().contains("--config"));
        assert!(parse_all(&["--config", "c", "--out", "d", "--every", "1s"])
            .unwrap_err()
            .contains("too fast"));
        assert!(
            parse_all(&["--config", "c", "--out", "d", "--every", "soon"])
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(
            parse_all(&["--config", "c", "--out", "d", "--once", "--every", "30s"])
                .unwrap_err()
                .contains("either")
        );
        assert!(parse_all(&["--config", "c", "--out", "d", "--bogus"])
            .unwrap_err()
            .contains("--bogus"));
        assert!(parse_all(&[
            "--config",
            "c",
            "--out",
            "d",
            "--cache-control",
            "a\r\nb: c"
        ])
        .is_err());
    }
}
