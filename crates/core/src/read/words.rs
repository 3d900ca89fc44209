//! Status words as backends spell them, mapped onto the one scale of [`crate::status`]: Netra's
//! vocabulary, the IETF draft's (`pass`/`warn`/`fail`), Spring's (`UP`/`DOWN`/`OUT_OF_SERVICE`),
//! Statuspage's component words and traffic-light colours. Formats with their own severity
//! words (Statuspage's indicator) map them in their reader.

use crate::status::Status;

/// Maps a status word from a health payload to a level, case-insensitively; `None` for a
/// word Lookout has never seen (which callers report as unknown, naming the word).
pub fn status_from_word(word: &str) -> Option<Status> {
    let word = word.trim().to_ascii_lowercase();
    let status = match word.as_str() {
        "ok" | "healthy" | "ready" | "connected" | "pass" | "passed" | "up" | "running"
        | "operational" | "available" | "success" | "none" | "green" | "live" | "reachable"
        | "online" | "passing" => Status::Operational,
        // Optional dependencies that are deliberately off do not make a service worse.
        "skipped_optional" | "disabled_optional" | "disabled" | "bypassed_for_staging" => {
            Status::Operational
        }
        "degraded"
        | "warning"
        | "warn"
        | "recovering"
        | "degraded_but_functional"
        | "vpc_connectivity_degraded"
        | "optional_unavailable"
        | "degraded_performance"
        | "performance_issues"
        | "minor"
        | "infrastructure_degraded"
        | "half_open"
        | "yellow"
        | "amber" => Status::Degraded,
        "partial_outage" | "partial" | "major_partial" => Status::PartialOutage,
        "unhealthy" | "critical" | "error" | "failed" | "fail" | "failure" | "not_ready"
        | "unavailable" | "down" | "major" | "major_outage" | "disconnected" | "timeout"
        | "unreachable" | "open" | "red" | "offline" | "outage" => Status::MajorOutage,
        "maintenance" | "under_maintenance" | "out_of_service" => Status::Maintenance,
        "unknown" | "not_initialized" | "not_configured" | "no_metrics_available" | "pending" => {
            Status::Unknown
        }
        _ => return None,
    };
    Some(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_vocabulary_is_covered() {
        let cases = [
            ("ok", Status::Operational),
            ("READY", Status::Operational),
            ("healthy", Status::Operational),
            ("degraded", Status::Degraded),
            ("vpc_connectivity_degraded", Status::Degraded),
            ("recovering", Status::Degraded),
            ("critical", Status::MajorOutage),
            ("unhealthy", Status::MajorOutage),
            ("not_ready", Status::MajorOutage),
            ("error", Status::MajorOutage),
            ("unknown", Status::Unknown),
            ("skipped_optional", Status::Operational),
            ("UP", Status::Operational),
            ("pass", Status::Operational),
            ("warn", Status::Degraded),
            ("fail", Status::MajorOutage),
            ("DOWN", Status::MajorOutage),
            ("OUT_OF_SERVICE", Status::Maintenance),
            ("under_maintenance", Status::Maintenance),
            ("amber", Status::Degraded),
            ("offline", Status::MajorOutage),
        ];
        for (word, expected) in cases {
            assert_eq!(status_from_word(word), Some(expected), "{word}");
        }
        assert_eq!(status_from_word("purple"), None);
    }
}
