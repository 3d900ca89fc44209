//! The one status scale Lookout speaks, for components and for the whole page.
//!
//! Every backend has its own words (`ok`, `ready`, `healthy`, `UP`, `pass`, `critical`…); they
//! all end up as one of these six levels, each carried with the reason it was chosen.

use serde::{Deserialize, Serialize};

/// A normalised status level. The order of the variants is not the severity order: use
/// [`Status::severity`] to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Working as expected.
    Operational,
    /// Working, but slower or with reduced function.
    Degraded,
    /// Some of it is down, or a non-critical part is down.
    PartialOutage,
    /// Down.
    MajorOutage,
    /// Intentionally out of service.
    Maintenance,
    /// Lookout cannot tell; the reason says why.
    Unknown,
}

impl Status {
    /// Every level, from best to worst known, then the unknown.
    pub const ALL: [Status; 6] = [
        Status::Operational,
        Status::Maintenance,
        Status::Degraded,
        Status::PartialOutage,
        Status::MajorOutage,
        Status::Unknown,
    ];

    /// The stable identifier used in `data-status` attributes and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::Degraded => "degraded",
            Status::PartialOutage => "partial_outage",
            Status::MajorOutage => "major_outage",
            Status::Maintenance => "maintenance",
            Status::Unknown => "unknown",
        }
    }

    /// Parses the identifier produced by [`Status::as_str`].
    pub fn from_id(id: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == id)
    }

    /// Words for people, as shown next to the icon.
    pub fn label(self) -> &'static str {
        match self {
            Status::Operational => "Operational",
            Status::Degraded => "Degraded",
            Status::PartialOutage => "Partial outage",
            Status::MajorOutage => "Major outage",
            Status::Maintenance => "Maintenance",
            Status::Unknown => "Unknown",
        }
    }

    /// A glyph that carries the status without colour.
    pub fn icon(self) -> &'static str {
        match self {
            Status::Operational => "✓",
            Status::Degraded => "◐",
            Status::PartialOutage => "▲",
            Status::MajorOutage => "✕",
            Status::Maintenance => "⚙",
            Status::Unknown => "?",
        }
    }

    /// How bad a *known* status is: higher is worse. Unknown is not on this scale.
    pub fn severity(self) -> Option<u8> {
        match self {
            Status::Operational => Some(0),
            Status::Maintenance => Some(1),
            Status::Degraded => Some(2),
            Status::PartialOutage => Some(3),
            Status::MajorOutage => Some(4),
            Status::Unknown => None,
        }
    }

    /// Whether this is a known level other than operational.
    pub fn is_problem(self) -> bool {
        self.severity().is_some_and(|s| s > 0)
    }
}

/// The worst known status of a set, or `None` when the set has no known status.
pub fn worst_known(statuses: impl IntoIterator<Item = Status>) -> Option<Status> {
    statuses
        .into_iter()
        .filter(|s| s.severity().is_some())
        .max_by_key(|s| s.severity())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::from_id(status.as_str()), Some(status));
        }
        assert_eq!(Status::from_id("down"), None);
    }

    #[test]
    fn worst_known_ignores_unknown() {
        assert_eq!(
            worst_known([Status::Unknown, Status::Degraded, Status::Operational]),
            Some(Status::Degraded)
        );
        assert_eq!(worst_known([Status::Unknown]), None);
        assert_eq!(
            worst_known([Status::MajorOutage, Status::PartialOutage]),
            Some(Status::MajorOutage)
        );
    }
}
