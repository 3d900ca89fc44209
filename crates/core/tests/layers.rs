//! The core's layout holds: each folder imports only the root leaves and the folders below it,
//! and every module name is unique, so "where is the rule for X?" has one answer.
//!
//! Layers, lowest first: the root leaves (`status`, `order`, `probe`, `time`), then `read`,
//! `config`, `board`, `incident`, `monitor`, `publish`. A reference (code or doc link) from a
//! lower layer to a higher one is a cycle waiting to happen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const LAYERS: [&str; 6] = ["read", "config", "board", "incident", "monitor", "publish"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer of a source file: 0 for a root leaf, else 1 + its folder's place in [`LAYERS`].
fn layer(file: &Path) -> usize {
    let relative = file.strip_prefix(src()).expect("under src");
    let top = relative.components().next().expect("a component");
    let top = top.as_os_str().to_string_lossy();
    LAYERS
        .iter()
        .position(|folder| *folder == top)
        .map_or(0, |at| at + 1)
}

#[test]
fn no_folder_reaches_up_to_a_higher_one() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let own = layer(file);
        for (number, line) in text.lines().enumerate() {
            for (at, folder) in LAYERS.iter().enumerate() {
                let reference = format!("crate::{folder}");
                let reaches = line.match_indices(&reference).any(|(i, _)| {
                    let rest = &line[i + reference.len()..];
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if reaches && at + 1 > own {
                    violations.push(format!("{}:{}: {line}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn every_module_name_is_unique() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let name = if stem == "mod" {
            let parent = file.parent().unwrap();
            parent.file_name().unwrap().to_string_lossy().to_string()
        } else {
            stem
        };
        if name != "lib" {
            names
                .entry(name)
                .or_default()
                .push(file.display().to_string());
        }
    }
    let clashes: Vec<String> = names
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}
