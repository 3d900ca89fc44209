//! How statuses combine under a rule: several observations of one unit (its checks, or list
//! elements that share its name) into the unit's status, and the units into the overall status
//! when the payload has none ([`Rollup::Worst`] or [`Rollup::Statuspage`]). An unknown unit
//! never makes the result operational.

use super::{Rollup, Rule};
use crate::read::{Finding, Problem, Reader, Sheet};
use crate::status::{worst_known, Status};

/// The most units a roll-up reason names.
const NAMED: usize = 6;

/// A top-level unit, for the roll-up.
#[derive(Clone, Debug)]
pub(super) struct TopUnit {
    pub name: String,
    pub status: Status,
    /// Marked non-critical by the rule's `critical` field: its outage counts as partial under
    /// [`Rollup::Worst`].
    pub non_critical: bool,
}

/// One unit's status from several observations: any maintenance puts the unit in maintenance
/// (a unit deliberately out of service is expected to fail its other checks, as Consul
/// aggregates them); else the worst known; unknown beside only operational ones stays unknown.
pub(super) fn combine(statuses: impl IntoIterator<Item = Status>) -> Status {
    let statuses: Vec<Status> = statuses.into_iter().collect();
    if statuses.contains(&Status::Maintenance) {
        return Status::Maintenance;
    }
    match worst_known(statuses.iter().copied()) {
        None => Status::Unknown,
        Some(Status::Operational) if statuses.contains(&Status::Unknown) => Status::Unknown,
        Some(worst) => worst,
    }
}

/// The overall finding from the top-level units, by the rule's roll-up policy.
pub(super) fn decide(reader: &Reader, rule: &Rule, top: &[TopUnit], sheet: &mut Sheet) -> Finding {
    let known = top.iter().filter(|u| u.status != Status::Unknown).count();
    if known == 0 {
        if sheet.problem.is_none() {
            sheet.problem = Some(Problem::UnexpectedShape);
        }
        let reason = if top.is_empty() {
            "JSON of an unexpected shape: no components to read".to_string()
        } else {
            format!("none of {} components has a known status", top.len())
        };
        return reader.finding(Status::Unknown, reason, "", "");
    }
    let (status, mut reason) = match rule.rollup {
        Rollup::Worst => worst(top),
        Rollup::Statuspage => statuspage(top),
    };
    let unknown = top.len() - known;
    if unknown > 0 {
        if status == Status::Operational {
            // Some units cannot be read: the whole is not known to be fine.
            let reason = format!(
                "{unknown} of {} components have no known status; the others are operational",
                top.len()
            );
            return reader.finding(Status::Unknown, reason, "", "");
        }
        reason.push_str(&format!(" ({unknown} unknown)"));
    }
    reader.finding(status, reason, "", "")
}

/// The worst unit, where a non-critical unit's major outage counts as a partial outage.
fn worst(top: &[TopUnit]) -> (Status, String) {
    let effective = |unit: &TopUnit| match unit.status {
        Status::MajorOutage if unit.non_critical => Status::PartialOutage,
        other => other,
    };
    let worst = worst_known(top.iter().map(effective)).unwrap_or(Status::Unknown);
    let names = names(top.iter().filter(|u| effective(u) == worst));
    let reason = format!(
        "worst of {} components: {names} {}",
        top.len(),
        worst.label().to_ascii_lowercase()
    );
    (worst, reason)
}

/// The level of known statuses (at least one) as a status page counts them: all down is a
/// major outage; some down (or in a partial outage) is a partial outage; else some degraded is
/// degraded; only maintenance is maintenance; operational beside maintenance is operational.
pub(crate) fn page_level(statuses: &[Status]) -> Status {
    let count = |level: Status| statuses.iter().filter(|s| **s == level).count();
    let down = count(Status::MajorOutage);
    if down == statuses.len() {
        Status::MajorOutage
    } else if down + count(Status::PartialOutage) > 0 {
        Status::PartialOutage
    } else if count(Status::Degraded) > 0 {
        Status::Degraded
    } else if count(Status::Maintenance) == statuses.len() {
        Status::Maintenance
    } else {
        Status::Operational
    }
}

/// The [`page_level`] of the known units, with the units that decided it named.
fn statuspage(top: &[TopUnit]) -> (Status, String) {
    let known: Vec<&TopUnit> = top.iter().filter(|u| u.status != Status::Unknown).collect();
    let count = known.len();
    let statuses: Vec<Status> = known.iter().map(|u| u.status).collect();
    let status = page_level(&statuses);
    let with = |test: fn(Status) -> bool| known.iter().filter(move |u| test(u.status)).copied();
    let reason = match status {
        Status::MajorOutage => format!(
            "all {count} components down: {}",
            names(known.iter().copied())
        ),
        Status::PartialOutage => {
            let outage: Vec<&TopUnit> =
                with(|s| matches!(s, Status::MajorOutage | Status::PartialOutage)).collect();
            let listed: Vec<String> = outage
                .iter()
                .take(NAMED)
                .map(|u| format!("{} {}", u.name, u.status.label().to_ascii_lowercase()))
                .collect();
            format!(
                "{} of {count} components down: {}",
                outage.len(),
                listed.join(", ")
            )
        }
        Status::Degraded => {
            let degraded = with(|s| s == Status::Degraded).count();
            let names = names(with(|s| s == Status::Degraded));
            format!("{degraded} of {count} components degraded: {names}")
        }
        Status::Maintenance => format!("all {count} components in maintenance"),
        _ => match with(|s| s == Status::Maintenance).count() {
            0 => format!("all {count} components operational"),
            resting => format!(
                "{} of {count} components operational, {resting} in maintenance: {}",
                count - resting,
                names(with(|s| s == Status::Maintenance))
            ),
        },
    };
    (status, reason)
}

/// The first few names of `units`, joined.
fn names<'u>(units: impl Iterator<Item = &'u TopUnit>) -> String {
    let units: Vec<&TopUnit> = units.collect();
    let mut names: Vec<String> = units.iter().take(NAMED).map(|u| u.name.clone()).collect();
    if units.len() > NAMED {
        names.push(format!("{} more", units.len() - NAMED));
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::{Degraded, Maintenance, MajorOutage, Operational, PartialOutage, Unknown};

    fn units(statuses: &[Status]) -> Vec<TopUnit> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, s)| TopUnit {
                name: format!("u{i}"),
                status: *s,
                non_critical: false,
            })
            .collect()
    }

    #[test]
    fn the_statuspage_policy_counts_known_units() {
        let cases = [
            (vec![MajorOutage, MajorOutage], MajorOutage),
            (vec![MajorOutage, Operational], PartialOutage),
            (vec![PartialOutage, PartialOutage], PartialOutage),
            (vec![Degraded, Operational], Degraded),
            (vec![Maintenance, Maintenance], Maintenance),
            (vec![Maintenance, Operational], Operational),
            (vec![Operational, Operational], Operational),
            (vec![MajorOutage, Unknown], MajorOutage),
        ];
        for (statuses, expected) in cases {
            let (status, _) = statuspage(&units(&statuses));
            assert_eq!(status, expected, "{statuses:?}");
        }
    }

    #[test]
    fn a_unit_in_maintenance_is_in_maintenance_whatever_its_other_checks() {
        assert_eq!(
            combine([MajorOutage, Maintenance, Operational]),
            Maintenance
        );
        assert_eq!(combine([Operational, Unknown]), Unknown);
        assert_eq!(combine([Degraded, Unknown]), Degraded);
        assert_eq!(combine([Unknown]), Unknown);
        assert_eq!(combine([]), Unknown);
    }
}
