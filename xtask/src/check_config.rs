//! `cargo xtask check-config FILE [UPDATES]`: the page's own validation of a configuration
//! (and optionally an updates file), run natively, before it is uploaded.

use lookout_core::config::Config;
use lookout_core::incident::updates;

/// Validates `config_path` (and `updates_path`), printing every error and warning with its JSON
/// path; fails when there is any error.
pub fn run(config_path: &str, updates_path: Option<&str>) -> Result<(), String> {
    let text = std::fs::read_to_string(config_path)
        .map_err(|e| format!("cannot read {config_path}: {e}"))?;
    let mut errors = 0;
    let config = match Config::parse_with_warnings(&text) {
        Ok((config, warnings)) => {
            for warning in &warnings {
                println!("warning: {config_path}: {warning}");
            }
            Some(config)
        }
        Err(problems) => {
            for problem in &problems {
                println!("error: {config_path}: {problem}");
            }
            errors += problems.len();
            None
        }
    };
    if let Some(updates_path) = updates_path {
        let text = std::fs::read_to_string(updates_path)
            .map_err(|e| format!("cannot read {updates_path}: {e}"))?;
        match updates::parse_with_warnings(&text) {
            Ok((list, warnings)) => {
                for warning in &warnings {
                    println!("warning: {updates_path}: {warning}");
                }
                if let Some(config) = &config {
                    for problem in updates::problems(&list, config) {
                        println!("error: {updates_path}: {problem}");
                        errors += 1;
                    }
                }
            }
            Err(problems) => {
                for problem in &problems {
                    println!("error: {updates_path}: {problem}");
                }
                errors += problems.len();
            }
        }
    }
    if errors > 0 {
        return Err(format!(
            "{errors} error{} found",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if let Some(config) = config {
        println!(
            "ok: {config_path} is valid: incident #{}, {} endpoints, {} components, {} criteria",
            config.incident.id,
            config.endpoints.len(),
            config.components.len(),
            config.criteria.len()
        );
        if let Some(snapshot) = &config.snapshot {
            println!(
                "ok: reads the snapshot {} first (stale after {} s, live probing {})",
                snapshot.url,
                snapshot.max_age_seconds,
                snapshot.live.as_str()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(path: &str) -> String {
        format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_shipped_incident_passes() {
        run(
            &repo("config/lookout.json"),
            Some(&repo("config/updates.json")),
        )
        .unwrap();
    }

    #[test]
    fn a_broken_config_fails_with_its_count() {
        let error = run(&repo("tests/e2e/fixtures/broken-config.json"), None).unwrap_err();
        assert_eq!(error, "4 errors found");
        assert!(run(&repo("no/such/file.json"), None)
            .unwrap_err()
            .starts_with("cannot read"));
    }
}
