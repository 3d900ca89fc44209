//! What the browser tab shows, so a viewer with many tabs sees the status without switching:
//! a title that leads with the banner in words ("Major outage · #1278 Staging connectivity")
//! and a favicon of the banner's level, one shape per level (a circle with a check, a triangle,
//! a diamond, an octagon with a cross, a square, a dashed ring), never told apart by colour
//! alone. The icons are files next to the page (`favicon/<level>.svg`), so the strict CSP
//! needs no `data:` or inline image.

use crate::board::OverallView;
use crate::config::Incident;
use crate::status::Status;

/// The title of a page that has not read its configuration yet.
pub const DEFAULT_TITLE: &str = "Lookout — incident status";

/// The tab's title and icon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabView {
    /// The document title.
    pub title: String,
    /// The favicon's URL, relative to the page.
    pub icon: String,
}

/// The tab for `incident` under `banner`.
pub fn tab(incident: &Incident, banner: &OverallView) -> TabView {
    TabView {
        title: format!(
            "{} · #{} {}",
            banner.status.label(),
            incident.id,
            incident.title
        ),
        icon: favicon(banner.status),
    }
}

/// The favicon of a level.
pub fn favicon(status: Status) -> String {
    format!("favicon/{}.svg", status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident() -> Incident {
        serde_json::from_value(serde_json::json!({
            "id": "1278", "title": "Staging connectivity"
        }))
        .expect("an incident")
    }

    fn banner(status: Status) -> OverallView {
        OverallView {
            status,
            headline: String::new(),
            detail: String::new(),
        }
    }

    #[test]
    fn the_title_leads_with_the_banner_in_words() {
        let view = tab(&incident(), &banner(Status::MajorOutage));
        assert_eq!(view.title, "Major outage · #1278 Staging connectivity");
        assert_eq!(view.icon, "favicon/major_outage.svg");
        let unknown = tab(&incident(), &banner(Status::Unknown));
        assert_eq!(unknown.title, "Unknown · #1278 Staging connectivity");
    }

    #[test]
    fn every_level_has_its_own_icon_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
        for status in Status::ALL {
            let file = root.join(favicon(status));
            let svg = std::fs::read_to_string(&file).expect("an icon per level");
            assert!(
                svg.contains(&format!("<title>{}</title>", status.label())),
                "{}",
                file.display()
            );
        }
    }
}
