//! The director sentence and the Markdown status digest, including injection attempts.

mod incident_support;

use chrono::{DateTime, Utc};
use incident_support::*;
use lookout_core::board::{overall, ComponentView};
use lookout_core::config::Config;
use lookout_core::incident::criteria::{CriterionState, CriterionView};
use lookout_core::incident::digest::{director_sentence, escape, markdown, DigestInputs};
use lookout_core::incident::impact::{ImpactTracker, ImpactView};
use lookout_core::incident::timeline::{self, TimelineView};
use lookout_core::incident::updates::{self, CadenceView, Update, UpdateView};
use lookout_core::status::Status;

struct World {
    config: Config,
    components: Vec<ComponentView>,
    criteria: Vec<CriterionView>,
    updates: Vec<Update>,
}

struct Views {
    overall: lookout_core::board::OverallView,
    impact: ImpactView,
    timeline: TimelineView,
    cadence: CadenceView,
    feed: Vec<UpdateView>,
}

impl World {
    fn new(status: Status, met: usize, now: DateTime<Utc>) -> World {
        World {
            config: Config::parse(DEFAULT_CONFIG).unwrap(),
            components: components(status),
            criteria: criteria(met, now),
            updates: vec![Update {
                at: hm(12, 0),
                author: "Infrastructure team".into(),
                team: String::new(),
                phase: Some("resolution".into()),
                text: "Connector replaced; Cloud SQL next.".into(),
                links: Vec::new(),
            }],
        }
    }

    fn views(&self, now: DateTime<Utc>) -> Views {
        Views {
            overall: overall(&self.components),
            impact: ImpactTracker::new(&self.config).evaluate(
                &self.components,
                &self.criteria,
                now,
            ),
            timeline: timeline::evaluate(&self.config, &self.updates, now).unwrap(),
            cadence: updates::cadence(&self.config, &self.updates, now).unwrap(),
            feed: updates::feed(&self.updates, &self.config),
        }
    }

    fn snapshot<'a>(&'a self, views: &'a Views) -> DigestInputs<'a> {
        DigestInputs {
            incident: &self.config.incident,
            overall: &views.overall,
            components: &self.components,
            criteria: &self.criteria,
            impact: Some(&views.impact),
            timeline: Some(&views.timeline),
            cadence: Some(&views.cadence),
            latest_update: views.feed.first(),
        }
    }
}

#[test]
fn the_director_sentence_says_it_all_in_one_line() {
    let now = hm(14, 12);
    let world = World::new(Status::MajorOutage, 2, now);
    let views = world.views(now);
    assert_eq!(
        director_sentence(&world.snapshot(&views), now),
        "Staging is down for 6 h 12 min: $500K+ ARR pipeline blocked, Golden Path testing, Development velocity and Customer validation blocked; 2 of 5 success criteria met; resolution expected 17:00–22:00 UTC."
    );
}

#[test]
fn the_sentence_follows_recovery_and_overruns() {
    let now = hm(15, 0);
    let world = World::new(Status::Operational, 4, now);
    let views = world.views(now);
    assert_eq!(
        director_sentence(&world.snapshot(&views), now),
        "Staging is operational: $500K+ ARR pipeline at risk; 4 of 5 success criteria met; resolution expected 17:00–22:00 UTC."
    );

    let mut world = World::new(Status::Degraded, 5, now);
    world.updates[0].phase = Some("resolved".into());
    let views = world.views(now);
    assert_eq!(
        director_sentence(&world.snapshot(&views), now),
        "Staging is degraded for 7 h: $500K+ ARR pipeline at risk; 5 of 5 success criteria met; resolved at 12:00 UTC."
    );

    let late = hm(8, 0) + chrono::Duration::hours(26);
    let world = World::new(Status::PartialOutage, 1, late);
    let views = world.views(late);
    let sentence = director_sentence(&world.snapshot(&views), late);
    assert!(
        sentence.starts_with("Staging is partly down for 1 d 2 h: $500K+ ARR pipeline blocked"),
        "{sentence}"
    );
    assert!(
        sentence.ends_with("; 1 of 5 success criteria met; past the 8–12 h estimate, resolution now expected 11:00–12:00 UTC."),
        "{sentence}"
    );
}

#[test]
fn the_digest_covers_the_live_state() {
    let now = hm(14, 12);
    let world = World::new(Status::MajorOutage, 2, now);
    let views = world.views(now);
    let text = markdown(&world.snapshot(&views), now);
    let expected_lines = [
        "**Incident #1278 (P0): Staging infrastructure connectivity failures \\(VPC connector / Cloud SQL timeouts\\)**",
        "Status at 14:12 UTC: **Major outage** Affected: vpc connector, cloud sql, redis, load balancer, backend service, auth service, websocket.",
        "**Components**",
        "- ✕ vpc connector: Major outage. Major outage because",
        "**Success criteria: 2 of 5 success criteria met**",
        "- ✓ health 200: met.",
        "- ✕ db within timeout: not met (40%).",
        "**Business impact**",
        "- $500K+ ARR pipeline blocked \\(100% of the pipeline\\); 4 of 4 areas blocked, 0 restored; impaired for 6 h 12 min so far.",
        "- Golden Path testing: Blocked. Blocked: backend service major outage, auth service major outage, websocket major outage, cloud sql major outage, redis major outage.",
        "**Timeline**",
        "- Infrastructure resolution \\(phase 2 of 3\\): 2 h 12 min of its 4–8 h estimate; resolution expected 17:00–22:00 UTC.",
        "- Current phase: Within estimate",
        "**Updates:** Update overdue by 12 min \\(was due 14:00 UTC\\), in Issue #1278",
        "**Latest update** (12:00 UTC, Infrastructure team): Connector replaced; Cloud SQL next.",
    ];
    for line in expected_lines {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
    assert!(
        text.contains("Cost of delay: ≈ $57 per hour, ≈ $354 over 6 h 12 min."),
        "{text}"
    );
    assert!(!text.contains('<'), "no HTML: {text}");
}

#[test]
fn nothing_from_outside_can_inject_markdown() {
    let now = hm(14, 12);
    let mut world = World::new(Status::MajorOutage, 2, now);
    let attacks = [
        "[click me](javascript:alert(1))",
        "![pixel](https://evil.example/p.png)",
        "<img src=x onerror=alert(1)>",
        "`rm -rf /`",
        "**bold** and _em_",
        "# Heading",
        "| a | b |",
        "line one\n# injected heading\n[link](https://evil.example)",
        "\\[already escaped\\]",
    ];
    world.config.incident.title = attacks[5].to_string();
    world.components[0].reason = attacks[0].to_string();
    world.components[1].name = attacks[1].to_string();
    world.components[2].reason = attacks[2].to_string();
    world.criteria[0].title = attacks[3].to_string();
    world.criteria[1].summary = attacks[4].to_string();
    world.criteria[2].summary = attacks[6].to_string();
    world.updates[0].text = attacks[7].to_string();
    world.updates[0].author = attacks[8].to_string();
    let views = world.views(now);
    let text = markdown(&world.snapshot(&views), now);

    // The template itself uses none of these; every one in the text came from outside.
    for special in ['[', ']', '<', '>', '!', '`', '|', '~', '_'] {
        assert_eq!(
            unescaped(&text, special),
            None,
            "unescaped {special:?} in:\n{text}"
        );
    }
    for raw in ["**bold**", "_em_"] {
        assert!(!text.contains(raw), "{raw:?} survived in:\n{text}");
    }
    for escaped in [
        "\\[click me\\]\\(javascript:alert\\(1\\)\\)",
        "\\!\\[pixel\\]\\(https://evil.example/p.png\\)",
        "\\<img src=x onerror=alert\\(1\\)\\>",
        "\\`rm -rf /\\`",
        "\\*\\*bold\\*\\* and \\_em\\_",
        "Incident #1278 (P0): \\# Heading",
        "\\| a \\| b \\|",
        "line one # injected heading \\[link\\]\\(https://evil.example\\)",
        "\\\\\\[already escaped\\\\\\]",
    ] {
        assert!(text.contains(escaped), "{escaped:?} missing in:\n{text}");
    }
    assert!(
        text.lines().all(|line| !line.starts_with('#')),
        "no line may start a heading:\n{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("**Latest update**"))
            .count(),
        1
    );
}

/// The byte offset of an occurrence of `special` not preceded by an odd number of backslashes.
fn unescaped(text: &str, special: char) -> Option<usize> {
    let bytes = text.as_bytes();
    text.char_indices().find_map(|(index, c)| {
        if c != special {
            return None;
        }
        let backslashes = bytes[..index]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        (backslashes % 2 == 0).then_some(index)
    })
}

#[test]
fn escape_rules() {
    assert_eq!(escape("# top"), "\\# top");
    assert_eq!(escape("a # b"), "a # b");
    assert_eq!(escape("a\r\nb\tc"), "a  b c");
    assert_eq!(escape("50% (approx) ~ok~"), "50% \\(approx\\) \\~ok\\~");
    assert_eq!(escape("plain text, 1.2s"), "plain text, 1.2s");
}

#[test]
fn met_criteria_name_since_when() {
    let now = hm(14, 12);
    let mut world = World::new(Status::MajorOutage, 1, now);
    world.criteria[0].met_since = Some(hm(13, 58));
    world.criteria[1].state = CriterionState::Unknown;
    let views = world.views(now);
    let text = markdown(&world.snapshot(&views), now);
    assert!(
        text.contains("- ✓ health 200: met since 13:58 UTC."),
        "{text}"
    );
    assert!(
        text.contains("- ? vpc no error 3: unknown (40%)."),
        "{text}"
    );
}
