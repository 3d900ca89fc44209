//! Business impact areas, clocks and cost of delay; action items joined with live components.

mod incident_support;

use incident_support::*;
use lookout_core::config::Config;
use lookout_core::incident::actions::{by_owner, join, ActionState};
use lookout_core::incident::impact::{format_money, AreaState, ImpactTracker};
use lookout_core::status::Status;
use serde_json::json;

fn config() -> Config {
    Config::parse(DEFAULT_CONFIG).unwrap()
}

#[test]
fn a_down_staging_blocks_every_area_and_costs_money_by_the_hour() {
    let mut tracker = ImpactTracker::new(&config());
    let now = hm(14, 12);
    let view = tracker.evaluate(&components(Status::MajorOutage), &criteria(2, now), now);
    assert_eq!(view.state, AreaState::Blocked);
    assert!(view.areas.iter().all(|a| a.state == AreaState::Blocked));
    assert_eq!(view.areas[1].state.as_str(), "blocked");
    assert!(
        view.areas[1]
            .reason
            .starts_with("Blocked: backend service major outage, auth service major outage"),
        "{}",
        view.areas[1].reason
    );
    assert_eq!(
        view.impaired_since,
        Some(hm(8, 0)),
        "clock from the incident's start"
    );
    assert_eq!(view.impaired_seconds, Some(6 * 3600 + 12 * 60));
    assert_eq!(view.areas[0].impaired_seconds, Some(6 * 3600 + 12 * 60));
    let arr = view.arr.as_ref().unwrap();
    assert_eq!(arr.label, "$500K+");
    let cost = view.cost_of_delay.as_ref().unwrap();
    assert!((cost.per_hour - 500_000.0 / 8760.0).abs() < 1e-9);
    assert!((cost.total - 500_000.0 / 8760.0 * 6.2).abs() < 1e-6);
    assert_eq!(cost.text, "≈ $57 per hour, ≈ $354 over 6 h 12 min");
    assert!(
        cost.assumption.contains("8,760 hours"),
        "{}",
        cost.assumption
    );
    assert_eq!(
        view.summary,
        "$500K+ ARR pipeline blocked (100% of the pipeline); 4 of 4 areas blocked, 0 restored; impaired for 6 h 12 min so far."
    );
}

#[test]
fn healthy_components_with_unmet_criteria_are_at_risk_until_everything_holds() {
    let mut tracker = ImpactTracker::new(&config());
    let t1 = hm(15, 0);
    let view = tracker.evaluate(&components(Status::Operational), &criteria(3, t1), t1);
    assert_eq!(view.state, AreaState::AtRisk);
    let staging = &view.areas[0];
    assert_eq!(staging.state, AreaState::AtRisk);
    assert_eq!(
        staging.reason,
        "At risk: not met yet: websocket connections."
    );
    let velocity = &view.areas[2];
    assert_eq!(
        velocity.state,
        AreaState::Restored,
        "its criteria are the first two"
    );
    assert_eq!(
        velocity.reason,
        "Restored: all 3 components operational, all 2 criteria met."
    );

    let t2 = hm(16, 0);
    let view = tracker.evaluate(&components(Status::Operational), &criteria(5, t2), t2);
    assert_eq!(view.state, AreaState::Restored);
    assert_eq!(view.restored_at, Some(t2));
    assert_eq!(view.areas[0].restored_at, Some(t2));
    assert!(view.cost_of_delay.is_some());
    let t3 = hm(18, 0);
    let view = tracker.evaluate(&components(Status::Operational), &criteria(5, t3), t3);
    assert_eq!(
        view.impaired_seconds,
        Some(8 * 3600),
        "the clock stopped at 16:00"
    );
    assert!(view.summary.starts_with("$500K+ ARR pipeline no longer blocked; 0 of 4 areas blocked, 4 restored; impaired for 8 h."), "{}", view.summary);

    // A regression reopens the clock.
    let t4 = hm(18, 30);
    let mut down = components(Status::Operational);
    down[1] = component("cloud_sql", Status::PartialOutage);
    let view = tracker.evaluate(&down, &criteria(5, t4), t4);
    assert_eq!(view.state, AreaState::Blocked);
    assert_eq!(view.restored_at, None);
    assert_eq!(view.impaired_seconds, Some(10 * 3600 + 30 * 60));
}

#[test]
fn degraded_or_unknown_dependencies() {
    let mut tracker = ImpactTracker::new(&config());
    let now = hm(12, 0);
    let view = tracker.evaluate(&components(Status::Unknown), &[], now);
    assert_eq!(view.state, AreaState::Unknown);
    assert_eq!(
        view.areas[0].reason,
        "Unknown: none of its components or criteria could be checked yet."
    );

    let mut mixed = components(Status::Operational);
    mixed[2] = component("redis", Status::Degraded);
    let view = tracker.evaluate(&mixed, &criteria(5, now), now);
    assert_eq!(view.areas[0].state, AreaState::AtRisk);
    assert_eq!(view.areas[0].reason, "At risk: redis degraded.");
    assert_eq!(view.areas[3].state, AreaState::Restored);
}

#[test]
fn the_first_observed_clock_starts_when_this_page_saw_it() {
    let mut doc = value(DEFAULT_CONFIG);
    doc["impact"]["clock"] = json!("first_observed");
    let config = Config::parse(&doc.to_string()).unwrap();
    let mut tracker = ImpactTracker::new(&config);
    let view = tracker.evaluate(&components(Status::MajorOutage), &[], hm(14, 0));
    assert_eq!(view.impaired_since, Some(hm(14, 0)));
    assert_eq!(view.impaired_seconds, Some(0));
    let view = tracker.evaluate(&components(Status::MajorOutage), &[], hm(14, 30));
    assert_eq!(view.impaired_seconds, Some(1800));
    assert_eq!(view.clock.as_str(), "first_observed");
}

#[test]
fn money_is_compact() {
    assert_eq!(format_money(500_000.0, "USD"), "$500K");
    assert_eq!(format_money(57.077, "USD"), "$57");
    assert_eq!(format_money(1_250_000.0, "EUR"), "€1.2M");
    assert_eq!(format_money(3_400.0, "CHF"), "CHF 3.4K");
    assert_eq!(format_money(342_000.0, "GBP"), "£342K");
}

#[test]
fn action_items_show_the_live_status_of_their_components() {
    let config = config();
    let mut live = components(Status::Operational);
    live[0] = component("vpc_connector", Status::MajorOutage);
    live[5] = component("auth_service", Status::Unknown);
    let views = join(&config.action_items, &live);
    let states: Vec<(&str, &str)> = views
        .iter()
        .map(|v| (v.id.as_str(), v.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("vpc_connector", "open"),
            ("cloud_sql", "components_healthy"),
            ("load_balancer", "components_healthy"),
            ("cloud_run", "unknown"),
        ]
    );
    assert_eq!(views[0].status, Status::MajorOutage);
    assert_eq!(views[0].components[0].reason, "Major outage because");
    assert_eq!(
        views[0].summary,
        "Open: vpc connector major outage; 0 of 3 steps done."
    );
    assert_eq!(
        views[0].evidence[0],
        "Redis VPC connectivity \"error -3\" with IP 10.166.204.83"
    );
    assert_eq!(views[3].components.len(), 2);

    let mut items = config.action_items.clone();
    for step in &mut items[0].checklist {
        step.done = true;
    }
    for step in &mut items[1].checklist {
        step.done = true;
    }
    let views = join(&items, &live);
    assert_eq!(
        views[0].state,
        ActionState::Open,
        "a ticked checklist does not hide the outage"
    );
    assert!(
        views[0]
            .summary
            .ends_with("(checklist complete, but the component is still failing)."),
        "{}",
        views[0].summary
    );
    assert_eq!(views[1].state, ActionState::Done);
    assert_eq!(views[1].done_steps, 2);

    let groups = by_owner(&views);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].0, "Infrastructure team");
    assert_eq!(groups[0].1.len(), 4);
}
