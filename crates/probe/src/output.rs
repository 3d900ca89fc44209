//! Where the published files go: a local directory (written to a temporary name in the same
//! directory, flushed, then renamed over the old file, so a reader sees the old or the new file
//! and never half of one) or a Cloud Storage prefix through `object_store` (each object is one
//! upload, which Cloud Storage makes visible whole or not at all), with a short `Cache-Control`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

/// The `Cache-Control` the three files get unless told otherwise: short enough that a page
/// re-reading every 15–30 s sees each new snapshot, long enough that a CDN absorbs an audience.
pub const DEFAULT_CACHE_CONTROL: &str = "public, max-age=15";

/// A destination for the published files.
#[derive(Debug)]
pub enum Output {
    /// A local directory.
    Dir(PathBuf),
    /// An object store (Cloud Storage, or in tests an in-memory one) under a prefix.
    Store {
        /// The store.
        store: Arc<dyn ObjectStore>,
        /// The prefix the files are written under, e.g. `status` (no slashes at either end).
        prefix: String,
        /// For people: `gs://bucket/status`.
        display: String,
    },
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Output::Dir(dir) => write!(f, "{}", dir.display()),
            Output::Store { display, .. } => f.write_str(display),
        }
    }
}

impl Output {
    /// Parses `--out`: `gs://bucket/prefix` (credentials from the environment: a service
    /// account key named by `GOOGLE_APPLICATION_CREDENTIALS`, or the metadata server on Cloud
    /// Run and GCE), else a directory that must exist.
    pub fn parse(spec: &str) -> Result<Output, String> {
        if let Some(rest) = spec.strip_prefix("gs://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!("--out {spec}: no bucket name after gs://"));
            }
            let store = GoogleCloudStorageBuilder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map_err(|error| format!("--out {spec}: {error}"))?;
            return Ok(Output::Store {
                store: Arc::new(store),
                prefix: prefix.trim_matches('/').to_string(),
                display: format!("gs://{bucket}/{}", prefix.trim_matches('/')),
            });
        }
        if spec.contains("://") {
            return Err(format!(
                "--out {spec}: only a directory or gs://bucket/prefix is supported"
            ));
        }
        let dir = PathBuf::from(spec);
        if !dir.is_dir() {
            return Err(format!("--out {spec}: no such directory"));
        }
        Ok(Output::Dir(dir))
    }

    fn object(prefix: &str, name: &str) -> ObjectPath {
        if prefix.is_empty() {
            ObjectPath::from(name)
        } else {
            ObjectPath::from(format!("{prefix}/{name}"))
        }
    }

    /// Reads a previously published file; `Ok(None)` when there is none.
    pub async fn read(&self, name: &str) -> Result<Option<String>, String> {
        match self {
            Output::Dir(dir) => match tokio::fs::read(dir.join(name)).await {
                Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(format!("{}: {error}", dir.join(name).display())),
            },
            Output::Store { store, prefix, .. } => {
                let location = Output::object(prefix, name);
                match store.get(&location).await {
                    Ok(found) => {
                        let bytes = found
                            .bytes()
                            .await
                            .map_err(|error| format!("{self}/{name}: {error}"))?;
                        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
                    }
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(error) => Err(format!("{self}/{name}: {error}")),
                }
            }
        }
    }

    /// Publishes `text` as `name` atomically, as JSON with `cache_control`.
    pub async fn write(&self, name: &str, text: &str, cache_control: &str) -> Result<(), String> {
        match self {
            Output::Dir(dir) => {
                let dir = dir.clone();
                let file = name.to_string();
                let text = text.to_string();
                tokio::task::spawn_blocking(move || write_atomically(&dir, &file, text.as_bytes()))
                    .await
                    .map_err(|error| format!("writing {name}: {error}"))?
            }
            Output::Store { store, prefix, .. } => {
                let mut attributes = Attributes::new();
                attributes.insert(Attribute::CacheControl, cache_control.to_string().into());
                attributes.insert(
                    Attribute::ContentType,
                    "application/json; charset=utf-8".into(),
                );
                let options = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                store
                    .put_opts(
                        &Output::object(prefix, name),
                        PutPayload::from(text.to_string()),
                        options,
                    )
                    .await
                    .map(|_| ())
                    .map_err(|error| format!("{self}/{name}: {error}"))
            }
        }
    }
}

/// Writes `bytes` to `dir/name` through a temporary file in the same directory (so the rename
/// stays on one file system and is atomic), flushed to disk before the rename. On failure the
/// old file is untouched and the temporary one removed.
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let target = dir.join(name);
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    result.map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        format!("{}: {error}", target.display())
    })
}
