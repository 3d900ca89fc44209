//! What a page keeps in the browser's `localStorage`, and under which key.
//!
//! Every page on an origin shares its storage, and on a shared origin such as
//! `storage.googleapis.com` that is every bucket's pages. So keys are filed under the page's
//! directory path and the incident, which keeps two deployments (or two incidents) from
//! overwriting each other; they cannot stop a page on the same origin from writing a
//! well-formed forged entry. Hence what is read back is untrusted input: it only ever feeds the
//! history strips, labelled as this browser's own record ([`OWN_RECORD`]), and never a status,
//! a criterion or the banner.

/// What a stored entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredItem {
    /// Each component's status history ([`crate::monitor::history::History`]).
    History,
    /// The viewer chose "Go live" (`"1"`).
    Live,
    /// The viewer asked to be notified of changes (`"1"`).
    Notify,
}

impl StoredItem {
    /// The item's name, last in its key.
    pub fn as_str(self) -> &'static str {
        match self {
            StoredItem::History => "history",
            StoredItem::Live => "live",
            StoredItem::Notify => "notify",
        }
    }
}

/// How the history strips are labelled: they are what this browser saw (or was told it saw).
pub const OWN_RECORD: &str = "This browser's own record of what it saw";

/// The key of `item` for `incident` on the page in `directory_path` (`/bucket/status/`).
pub fn storage_key(directory_path: &str, incident: &str, item: StoredItem) -> String {
    format!("lookout:{directory_path}:{incident}:{}", item.as_str())
}

/// The key of the viewer's colour theme for the pages in `directory_path`: a setting of the
/// deployment, chosen before any incident is known.
pub fn theme_key(directory_path: &str) -> String {
    format!("lookout:{directory_path}:theme")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_filed_under_the_page_directory_and_the_incident() {
        assert_eq!(
            storage_key("/netra-status/status/", "1278", StoredItem::History),
            "lookout:/netra-status/status/:1278:history"
        );
        assert_ne!(
            storage_key("/other-bucket/status/", "1278", StoredItem::History),
            storage_key("/netra-status/status/", "1278", StoredItem::History)
        );
        assert_ne!(
            storage_key("/netra-status/status/", "1279", StoredItem::Live),
            storage_key("/netra-status/status/", "1278", StoredItem::Live)
        );
        assert_eq!(theme_key("/s/"), "lookout:/s/:theme");
    }
}
