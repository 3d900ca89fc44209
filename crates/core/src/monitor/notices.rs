//! What a viewer who asked to be notified is told while the page is open: the banner moving
//! from one known level to another, and a success criterion becoming met or no longer met.
//!
//! [`Watch`] remembers the last levels seen and, given the next ones, says what changed, in a
//! short text for a desktop notification. "Unknown" is not news: a banner or a criterion that
//! cannot be judged (a failed probe, the first seconds after loading) neither announces nor
//! resets anything, so a flaky probe does not spam "unknown" and "back" every minute, and a
//! real change across an unknown spell is still announced once.

use crate::board::OverallView;
use crate::config::Incident;
use crate::incident::criteria::{CriterionState, CriterionView};
use crate::status::Status;

/// One notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The headline ("Operational · #1278").
    pub title: String,
    /// One or two sentences.
    pub body: String,
    /// Notifications with the same tag replace each other, so a burst shows the latest.
    pub tag: String,
}

/// The last known levels, and what changed since.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Watch {
    banner: Option<Status>,
    /// Each criterion's last known state (met or not met), by id. A handful of entries: a
    /// list, because a map of a new key and value type costs the page kilobytes of wasm.
    criteria: Vec<(String, bool)>,
}

impl Watch {
    /// What changed between the last known levels and these; remembers these.
    pub fn next(
        &mut self,
        incident: &Incident,
        banner: &OverallView,
        criteria: &[CriterionView],
    ) -> Vec<Notice> {
        let mut notices = Vec::new();
        if let Some(notice) = self.banner_change(incident, banner) {
            notices.push(notice);
        }
        let changed = self.criteria_changes(criteria);
        if !changed.is_empty() {
            notices.push(criteria_notice(incident, criteria, &changed));
        }
        notices
    }

    fn banner_change(&mut self, incident: &Incident, banner: &OverallView) -> Option<Notice> {
        if banner.status == Status::Unknown {
            return None;
        }
        let before = self.banner.replace(banner.status)?;
        (before != banner.status).then(|| Notice {
            title: format!("{} · #{}", banner.status.label(), incident.id),
            body: format!(
                "{} (was {}). {}",
                banner.headline,
                before.label().to_lowercase(),
                banner.detail
            )
            .trim_end()
            .to_string(),
            tag: format!("lookout-{}-banner", incident.id),
        })
    }

    /// The criteria whose known state flipped, with their new state.
    fn criteria_changes<'c>(&mut self, criteria: &'c [CriterionView]) -> Vec<(&'c str, bool)> {
        let mut changed = Vec::new();
        for view in criteria {
            if view.state == CriterionState::Unknown {
                continue;
            }
            match self.criteria.iter_mut().find(|(id, _)| *id == view.id) {
                Some((_, was)) => {
                    if *was != view.met {
                        changed.push((view.title.as_str(), view.met));
                    }
                    *was = view.met;
                }
                None => self.criteria.push((view.id.clone(), view.met)),
            }
        }
        changed
    }
}

/// "Success criteria: 3 of 5 met" with each flip named.
fn criteria_notice(
    incident: &Incident,
    criteria: &[CriterionView],
    changed: &[(&str, bool)],
) -> Notice {
    let met = criteria.iter().filter(|c| c.met).count();
    let lines: Vec<String> = changed
        .iter()
        .map(|(title, now_met)| match now_met {
            true => format!("Met: {title}"),
            false => format!("No longer met: {title}"),
        })
        .collect();
    Notice {
        title: format!(
            "{met} of {} success criteria met · #{}",
            criteria.len(),
            incident.id
        ),
        body: lines.join("\n"),
        tag: format!("lookout-{}-criteria", incident.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::criteria::CriterionKind;
    use chrono::{TimeZone, Utc};

    fn incident() -> Incident {
        serde_json::from_value(serde_json::json!({"id": "1278", "title": "Staging"})).unwrap()
    }

    fn banner(status: Status) -> OverallView {
        OverallView {
            status,
            headline: status.label().to_string(),
            detail: String::new(),
        }
    }

    fn criterion(id: &str, state: CriterionState) -> CriterionView {
        CriterionView {
            id: id.to_string(),
            title: format!("{id} holds"),
            description: String::new(),
            kind: CriterionKind::HttpOk,
            state,
            met: state == CriterionState::Met,
            progress: 0,
            summary: String::new(),
            evidence: Vec::new(),
            evaluated_at: Utc.timestamp_opt(0, 0).unwrap(),
            observed_at: None,
            since: None,
            met_since: None,
            last_met: None,
        }
    }

    #[test]
    fn the_first_known_levels_are_not_news() {
        let mut watch = Watch::default();
        let criteria = [criterion("a", CriterionState::NotMet)];
        assert!(watch
            .next(&incident(), &banner(Status::Unknown), &[])
            .is_empty());
        assert!(watch
            .next(&incident(), &banner(Status::MajorOutage), &criteria)
            .is_empty());
    }

    #[test]
    fn a_banner_change_between_known_levels_is_announced_once() {
        let mut watch = Watch::default();
        watch.next(&incident(), &banner(Status::MajorOutage), &[]);
        let notices = watch.next(&incident(), &banner(Status::Operational), &[]);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].title, "Operational · #1278");
        assert_eq!(notices[0].body, "Operational (was major outage).");
        assert!(watch
            .next(&incident(), &banner(Status::Operational), &[])
            .is_empty());
    }

    #[test]
    fn an_unknown_spell_neither_announces_nor_forgets() {
        let mut watch = Watch::default();
        watch.next(&incident(), &banner(Status::MajorOutage), &[]);
        assert!(watch
            .next(&incident(), &banner(Status::Unknown), &[])
            .is_empty());
        assert!(watch
            .next(&incident(), &banner(Status::MajorOutage), &[])
            .is_empty());
        let notices = watch.next(&incident(), &banner(Status::Degraded), &[]);
        assert_eq!(notices[0].title, "Degraded · #1278");
    }

    #[test]
    fn criteria_flips_are_named_with_the_tally() {
        let mut watch = Watch::default();
        let before = [
            criterion("a", CriterionState::NotMet),
            criterion("b", CriterionState::Met),
            criterion("c", CriterionState::NotMet),
        ];
        watch.next(&incident(), &banner(Status::MajorOutage), &before);
        let after = [
            criterion("a", CriterionState::Met),
            criterion("b", CriterionState::NotMet),
            criterion("c", CriterionState::Unknown),
        ];
        let notices = watch.next(&incident(), &banner(Status::MajorOutage), &after);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].title, "1 of 3 success criteria met · #1278");
        assert_eq!(notices[0].body, "Met: a holds\nNo longer met: b holds");
        // c went unknown: nothing; back to not met as before: still nothing.
        let again = [
            criterion("a", CriterionState::Met),
            criterion("b", CriterionState::NotMet),
            criterion("c", CriterionState::NotMet),
        ];
        assert!(watch
            .next(&incident(), &banner(Status::MajorOutage), &again)
            .is_empty());
    }
}
