//! Timeline phases, ETA windows and the update cadence, with `now` passed in.

mod incident_support;

use chrono::{Duration, TimeZone, Utc};
use incident_support::*;
use lookout_core::config::Config;
use lookout_core::incident::timeline::{
    evaluate, hours_range, EstimateState, PhaseProgress, PhaseSource,
};
use lookout_core::incident::updates::{self, cadence, feed as update_feed, CadenceState, Update};
use serde_json::json;

fn config() -> Config {
    Config::parse(DEFAULT_CONFIG).unwrap()
}

fn update(at: chrono::DateTime<Utc>, phase: Option<&str>) -> Update {
    Update {
        at,
        author: "Infrastructure team".into(),
        team: "Infrastructure".into(),
        phase: phase.map(str::to_string),
        text: "progress".into(),
        links: Vec::new(),
    }
}

#[test]
fn without_updates_the_phase_follows_the_time_since_the_start() {
    let config = config();
    let view = evaluate(&config, &[], hm(9, 0)).unwrap();
    assert_eq!(view.source, PhaseSource::Elapsed);
    assert_eq!(view.current.as_deref(), Some("diagnosis"));
    assert_eq!(view.phase_started_at, Some(hm(8, 0)));
    assert_eq!(view.spent_seconds, Some(3600));
    assert_eq!(view.estimate_state, Some(EstimateState::Within));
    let eta = view.eta.unwrap();
    assert_eq!((eta.earliest, eta.latest), (hm(15, 0), hm(22, 0)));
    assert_eq!(
        view.summary,
        "Infrastructure diagnosis (phase 1 of 3), estimated from the time since the start: 1 h of its 2–4 h estimate; resolution expected 15:00–22:00 UTC."
    );
    assert_eq!(view.total_estimate, "8–12 h");
    assert_eq!(view.overall_state, Some(EstimateState::Within));
    let progress: Vec<&str> = view.phases.iter().map(|p| p.progress.as_str()).collect();
    assert_eq!(progress, ["current", "upcoming", "upcoming"]);

    let near = evaluate(&config, &[], hm(11, 30)).unwrap();
    assert_eq!(
        near.estimate_state,
        Some(EstimateState::NearMax),
        "3.5 h of 4 h is past 80%"
    );
    assert_eq!(near.estimate_state.unwrap().as_str(), "near_max");
}

#[test]
fn elapsed_time_beyond_every_phase_is_over_estimate() {
    let config = config();
    let view = evaluate(&config, &[], hm(21, 0)).unwrap();
    assert_eq!(view.current.as_deref(), Some("validation"));
    assert_eq!(
        view.phase_started_at,
        Some(hm(20, 0)),
        "phases laid end to end at their maximum"
    );
    assert_eq!(view.overall_state, Some(EstimateState::Over));
    assert!(
        view.summary
            .contains("past its 8–12 h estimate (13 h since the start)"),
        "{}",
        view.summary
    );
    let eta = view.eta.unwrap();
    assert_eq!((eta.earliest, eta.latest), (hm(21, 0), hm(22, 0)));

    let next_day = hm(8, 0) + Duration::hours(30);
    let view = evaluate(&config, &[], next_day).unwrap();
    assert_eq!(view.estimate_state, Some(EstimateState::Over));
    assert!(
        view.summary
            .contains("18 h in, over its 1–2 h estimate by 16 h"),
        "{}",
        view.summary
    );
}

#[test]
fn the_latest_update_naming_a_phase_decides_and_a_phase_can_run_over() {
    let config = config();
    let updates = [
        update(hm(10, 0), Some("diagnosis")),
        update(hm(11, 0), None),
    ];
    let view = evaluate(&config, &updates, hm(14, 30)).unwrap();
    assert_eq!(view.source, PhaseSource::Update);
    assert_eq!(view.phase_started_at, Some(hm(10, 0)));
    assert_eq!(view.estimate_state, Some(EstimateState::Over));
    assert_eq!(view.phases[0].estimate_state.unwrap().as_str(), "over");
    let eta = view.eta.unwrap();
    assert_eq!(
        eta.earliest,
        hm(19, 30),
        "the phase may end now; then 4 + 1 h at the least"
    );
    assert_eq!(eta.latest, hm(14, 30) + Duration::hours(10));
    assert_eq!(
        view.summary,
        "Infrastructure diagnosis (phase 1 of 3): 4 h 30 min in, over its 2–4 h estimate by 30 min; resolution expected 16 Sep 19:30 – 17 Sep 00:30 UTC."
    );
}

#[test]
fn phases_done_carry_the_times_updates_gave_them() {
    let config = config();
    let updates = [
        update(hm(13, 0), Some("resolution")),
        update(hm(10, 0), Some("diagnosis")),
        update(hm(11, 0), Some("diagnosis")),
    ];
    let view = evaluate(&config, &updates, hm(14, 0)).unwrap();
    assert_eq!(view.current.as_deref(), Some("resolution"));
    let diagnosis = &view.phases[0];
    assert_eq!(diagnosis.progress, PhaseProgress::Done);
    assert_eq!(
        (diagnosis.started_at, diagnosis.ended_at),
        (Some(hm(10, 0)), Some(hm(13, 0)))
    );
    assert_eq!(view.phases[1].spent_seconds, Some(3600));
    assert_eq!(view.phases[2].progress, PhaseProgress::Upcoming);
    let eta = view.eta.unwrap();
    assert_eq!((eta.earliest, eta.latest), (hm(18, 0), hm(23, 0)));
}

#[test]
fn a_resolved_update_closes_the_timeline_and_the_cadence() {
    let config = config();
    let updates = [
        update(hm(10, 0), Some("diagnosis")),
        update(hm(20, 0), Some("resolved")),
    ];
    let view = evaluate(&config, &updates, hm(21, 0)).unwrap();
    assert_eq!(view.resolved_at, Some(hm(20, 0)));
    assert_eq!(view.current, None);
    assert_eq!(view.eta, None);
    assert!(view
        .phases
        .iter()
        .all(|p| p.progress == PhaseProgress::Done));
    assert_eq!(view.elapsed_seconds, Some(12 * 3600));
    assert_eq!(
        view.summary,
        "Resolved at 20:00 UTC after 12 h (estimate 8–12 h)."
    );
    let cadence = cadence(&config, &updates, hm(23, 0)).unwrap();
    assert_eq!(cadence.state, CadenceState::Closed);
}

#[test]
fn without_a_start_time_the_configured_phase_is_used() {
    let mut doc = value(DEFAULT_CONFIG);
    doc["incident"]
        .as_object_mut()
        .unwrap()
        .remove("started_at");
    doc["timeline"]["current_phase"] = json!("resolution");
    let config = Config::parse(&doc.to_string()).unwrap();
    let view = evaluate(&config, &[], hm(9, 0)).unwrap();
    assert_eq!(view.source, PhaseSource::Configured);
    assert_eq!(view.spent_seconds, None);
    let eta = view.eta.unwrap();
    assert_eq!((eta.earliest, eta.latest), (hm(10, 0), hm(19, 0)));
    assert_eq!(
        view.summary,
        "Infrastructure resolution (phase 2 of 3): estimate 4–8 h; resolution expected 10:00–19:00 UTC."
    );

    doc["timeline"]
        .as_object_mut()
        .unwrap()
        .remove("current_phase");
    let config = Config::parse(&doc.to_string()).unwrap();
    let view = evaluate(&config, &[], hm(9, 0)).unwrap();
    assert_eq!(
        (view.source, view.current.as_deref()),
        (PhaseSource::Default, Some("diagnosis"))
    );
    let cadence = cadence(&config, &[], hm(9, 0)).unwrap();
    assert_eq!(cadence.state, CadenceState::Unknown);
}

#[test]
fn cadence_counts_from_the_start_until_the_first_update() {
    let config = config();
    let view = cadence(&config, &[], hm(9, 23)).unwrap();
    assert_eq!(view.due_at, Some(hm(10, 0)));
    assert_eq!(view.state, CadenceState::OnTrack);
    assert_eq!(
        view.text,
        "First update due in 37 min (10:00 UTC, 2 h after the start)"
    );
    let soon = cadence(&config, &[], hm(9, 50)).unwrap();
    assert_eq!(soon.state, CadenceState::DueSoon);
    assert_eq!(soon.state.as_str(), "due_soon");
    let late = cadence(&config, &[], hm(10, 12)).unwrap();
    assert_eq!(
        late.text,
        "First update overdue by 12 min (was due 10:00 UTC, 2 h after the start)"
    );
}

#[test]
fn cadence_counts_from_the_latest_update() {
    let config = config();
    let updates = [
        update(hm(12, 0), None),
        update(hm(10, 0), Some("diagnosis")),
    ];
    let view = cadence(&config, &updates, hm(13, 23)).unwrap();
    assert_eq!(view.last_update_at, Some(hm(12, 0)));
    assert_eq!(view.text, "Next update due in 37 min (14:00 UTC)");
    assert_eq!(view.channel, "Issue #1278");
    let view = cadence(&config, &updates, hm(14, 12)).unwrap();
    assert_eq!(view.state, CadenceState::Overdue);
    assert_eq!(view.text, "Update overdue by 12 min (was due 14:00 UTC)");
}

#[test]
fn the_shipped_story_seen_in_2026_is_honestly_long_overdue() {
    let config = config();
    let shipped = updates::parse(DEFAULT_UPDATES).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let timeline = evaluate(&config, &shipped, now).unwrap();
    assert_eq!(timeline.current.as_deref(), Some("diagnosis"));
    assert_eq!(timeline.estimate_state, Some(EstimateState::Over));
    assert_eq!(timeline.overall_state, Some(EstimateState::Over));
    let cadence = cadence(&config, &shipped, now).unwrap();
    assert_eq!(cadence.state, CadenceState::Overdue);
    assert_eq!(
        cadence.text,
        "Update overdue by 165 d 19 h (was due 16 Sep 2025 14:00 UTC)"
    );

    let feed = update_feed(&shipped, &config);
    assert_eq!(feed[0].at, hm(12, 0), "newest first");
    assert_eq!(
        feed[1].phase_name.as_deref(),
        Some("Infrastructure diagnosis")
    );
    assert_eq!(feed[2].at, hm(8, 0));
}

#[test]
fn estimates_read_naturally() {
    assert_eq!(hours_range(2.0, 4.0), "2–4 h");
    assert_eq!(hours_range(1.5, 2.0), "1.5–2 h");
    assert_eq!(hours_range(3.0, 3.0), "3 h");
}
