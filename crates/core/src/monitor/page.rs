//! The page model: everything any view shows, as one serialisable value that
//! [`Monitor::view`] computes at `now` — the banner, the component rows (keyed by component id),
//! the criteria, the impact, the timeline and cadence, the action items, the updates feed, how
//! fresh the data is and where it came from.
//!
//! The rules for which source speaks live here: with a published snapshot and no live probing
//! the snapshot's own model is shown (its banner unknown and every row stale once it is too
//! old); a viewer who goes live overlays their own newer probes on the snapshot's board. Times in
//! the model are absolute; views derive "5 s ago" from their clock.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::board::{overall, ComponentView, OverallView};
use crate::config::{Config, Incident, LiveMode};
use crate::incident::actions::{self, ActionView};
use crate::incident::criteria::CriterionView;
use crate::incident::impact::ImpactView;
use crate::incident::timeline::{self, TimelineView};
use crate::incident::updates::{cadence, feed, CadenceView, Update, UpdateView};
use crate::monitor::engine::Monitor;
use crate::monitor::schedule::stale_components;
use crate::monitor::snapshot::{self, Prober, Snapshot, SnapshotState};

/// One component row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The component as evaluated.
    #[serde(flatten)]
    pub component: ComponentView,
    /// Whether its data is too old to show as current.
    pub stale: bool,
}

/// How fresh the probed data is, for "Updated 4 s ago · next check in 26 s".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Freshness {
    /// Whether this instance probes itself (a page reading only a snapshot does not).
    pub probing: bool,
    /// When the latest probe finished.
    pub last_probe_at: Option<DateTime<Utc>>,
    /// When the next probe is due, `None` while one is in flight or due now.
    pub next_probe_at: Option<DateTime<Utc>>,
    /// How many probes are under way.
    pub in_flight: usize,
    /// Since when the browser has been offline.
    pub offline_since: Option<DateTime<Utc>>,
}

/// The published snapshot as the page stands with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotView {
    /// Loading, current, stale or unavailable.
    pub state: SnapshotState,
    /// What the config allows viewers.
    pub mode: LiveMode,
    /// Whether this viewer probes live too.
    pub live: bool,
    /// The configured age limit, in seconds.
    pub max_age_seconds: u32,
    /// When the snapshot shown was generated.
    pub generated_at: Option<DateTime<Utc>>,
    /// Who generated it.
    pub prober: Option<Prober>,
    /// Why the latest read failed, if it did.
    pub error: Option<String>,
}

impl SnapshotView {
    /// The source line: "Snapshot from 12:00 UTC (40 s ago) by …", "Out of date: …", or why
    /// there is none.
    pub fn notice(&self, now: DateTime<Utc>) -> String {
        let failed = self
            .error
            .as_ref()
            .map(|why| format!(" The latest read failed: {why}."))
            .unwrap_or_default();
        let described = self
            .generated_at
            .zip(self.prober.as_ref())
            .map(|(at, prober)| snapshot::describe(at, prober, now));
        match (self.state, described) {
            (SnapshotState::Current, Some(described)) => format!("{described}.{failed}"),
            (SnapshotState::Stale, Some(described)) => format!(
                "Out of date: {described}, older than {} s, so it is not shown as the current status.{failed}",
                self.max_age_seconds
            ),
            (SnapshotState::Unavailable, _) | (_, None) if self.error.is_some() => format!(
                "Snapshot status unknown: {}",
                self.error.clone().unwrap_or_default()
            ),
            _ => "Reading the published snapshot…".to_string(),
        }
    }
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageModel {
    /// What the incident is.
    pub incident: Incident,
    /// The banner.
    pub banner: OverallView,
    /// The components, in config order.
    pub rows: Vec<Row>,
    /// The success criteria, in config order.
    pub criteria: Vec<CriterionView>,
    /// The business impact, when configured.
    pub impact: Option<ImpactView>,
    /// The timeline against its estimates, when configured.
    pub timeline: Option<TimelineView>,
    /// When the next update is due, when configured.
    pub cadence: Option<CadenceView>,
    /// The action items with the live status of their components.
    pub actions: Vec<ActionView>,
    /// The status updates, newest first.
    pub updates: Vec<UpdateView>,
    /// How fresh the probed data is.
    pub freshness: Freshness,
    /// The published snapshot, when the config names one.
    pub snapshot: Option<SnapshotView>,
}

impl PageModel {
    /// The components, in config order.
    pub fn components(&self) -> Vec<ComponentView> {
        self.rows.iter().map(|row| row.component.clone()).collect()
    }
}

/// What the page's other sources have said: the updates file, the published snapshot, the
/// viewer's choice to go live and the browser's state.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inputs {
    updates: Vec<Update>,
    snapshot: Option<Snapshot>,
    snapshot_error: Option<String>,
    live: bool,
    offline_since: Option<DateTime<Utc>>,
    components: Option<Vec<ComponentView>>,
}

/// Whether a viewer who chose `chosen` probes live: always without a snapshot section, never
/// when it says `off`, always when it says `on`, as chosen for `opt_in`.
fn live_allowed(config: &Config, chosen: bool) -> bool {
    match config.snapshot.as_ref().map(|s| s.live) {
        None | Some(LiveMode::On) => true,
        Some(LiveMode::Off) => false,
        Some(LiveMode::OptIn) => chosen,
    }
}

impl Inputs {
    pub(crate) fn new(config: &Config) -> Inputs {
        Inputs {
            live: live_allowed(config, false),
            ..Inputs::default()
        }
    }

    /// Forgets the components computed from the board, which changed.
    pub(crate) fn board_changed(&mut self) {
        self.components = None;
    }
}

impl Monitor {
    /// The updates file's entries as last taken.
    pub fn updates(&self) -> &[Update] {
        &self.inputs.updates
    }

    /// Takes the updates file's entries.
    pub fn set_updates(&mut self, updates: Vec<Update>) {
        self.inputs.updates = updates;
    }

    /// Takes a snapshot just read; a CDN may briefly serve an older copy than one already
    /// taken, so the newer is kept.
    pub fn set_snapshot(&mut self, snapshot: Snapshot) {
        let newer = self
            .inputs
            .snapshot
            .as_ref()
            .is_none_or(|shown| shown.generated_at <= snapshot.generated_at);
        if newer {
            self.inputs.snapshot = Some(snapshot);
            self.inputs.board_changed();
        }
        self.inputs.snapshot_error = None;
    }

    /// Notes why the latest snapshot read failed (the snapshot read before, if any, is kept and
    /// its age shows how old it is).
    pub fn set_snapshot_error(&mut self, why: String) {
        self.inputs.snapshot_error = Some(why);
    }

    /// Whether this viewer probes live: as the viewer chose, where the config lets them (see
    /// [`live_allowed`]).
    pub fn set_live(&mut self, live: bool) {
        let allowed = live_allowed(&self.config, live);
        if allowed != self.inputs.live {
            self.inputs.live = allowed;
            self.inputs.board_changed();
        }
    }

    /// Whether this instance probes the endpoints itself.
    pub fn is_live(&self) -> bool {
        self.inputs.live
    }

    /// Notes that the browser went offline at `since`, or (`None`) is back online.
    pub fn set_offline(&mut self, since: Option<DateTime<Utc>>) {
        self.inputs.offline_since = since;
    }

    /// The page at `now` (`now_ms` on the schedule's clock). Criteria and the impact clock
    /// remember what they saw, so this is the one place they advance.
    pub fn view(&mut self, now: DateTime<Utc>, now_ms: f64) -> PageModel {
        let snapshot_state = self.snapshot_state(now);
        let only_snapshot = self.config.snapshot.is_some() && !self.inputs.live;
        let components = self.components();
        let criteria = self.criteria_at(now, only_snapshot);
        let banner = match (&self.inputs.snapshot, snapshot_state) {
            (Some(published), Some(state)) if only_snapshot => snapshot::banner(published, state),
            _ => overall(&components),
        };
        // A snapshot's rows are as fresh as the snapshot: all stale or none.
        let all_stale = only_snapshot && snapshot_state == Some(SnapshotState::Stale);
        let stale = if only_snapshot {
            Default::default()
        } else {
            stale_components(&self.config, &components, self.schedule(), now)
        };
        let impact = self
            .config
            .impact
            .is_some()
            .then(|| self.impact.evaluate(&components, &criteria, now));
        let updates = &self.inputs.updates;
        PageModel {
            incident: self.config.incident.clone(),
            banner,
            actions: actions::join(&self.config.action_items, &components),
            rows: components
                .into_iter()
                .map(|component| Row {
                    stale: all_stale || stale.contains(&component.id),
                    component,
                })
                .collect(),
            criteria,
            impact,
            timeline: timeline::evaluate(&self.config, updates, now),
            cadence: cadence(&self.config, updates, now),
            updates: feed(updates, &self.config),
            freshness: self.freshness(now, now_ms),
            snapshot: self.snapshot_view(snapshot_state),
        }
    }

    fn snapshot_state(&self, now: DateTime<Utc>) -> Option<SnapshotState> {
        let source = self.config.snapshot.as_ref()?;
        Some(snapshot::state(
            self.inputs.snapshot.as_ref(),
            self.inputs.snapshot_error.is_some(),
            now,
            source.max_age_seconds,
        ))
    }

    /// The rows' components: the own board's; the snapshot's as published while only the
    /// snapshot speaks; the snapshot's board overlaid with this viewer's newer probes while live.
    fn components(&mut self) -> Vec<ComponentView> {
        if let Some(cached) = &self.inputs.components {
            return cached.clone();
        }
        let published = self.inputs.snapshot.as_ref();
        let computed = match (&self.config.snapshot, published) {
            (None, _) | (Some(_), None) => self.board.components(&self.config),
            (Some(_), Some(published)) if !self.inputs.live => published.model.components(),
            (Some(_), Some(published)) => published
                .board
                .overlaid(&self.board)
                .components(&self.config),
        };
        self.inputs.components = Some(computed.clone());
        computed
    }

    /// The criteria: the own tracker's, or the snapshot's while only it speaks or this viewer
    /// has probed nothing yet.
    fn criteria_at(&mut self, now: DateTime<Utc>, only_snapshot: bool) -> Vec<CriterionView> {
        let published =
            self.inputs.snapshot.as_ref().filter(|_| {
                self.config.snapshot.is_some() && (only_snapshot || self.board.is_empty())
            });
        match published {
            Some(published) => published.model.criteria.clone(),
            None if only_snapshot => Vec::new(),
            None => self.criteria.evaluate(now),
        }
    }

    fn freshness(&self, now: DateTime<Utc>, now_ms: f64) -> Freshness {
        let next = self.next_due_in_ms(now_ms).map(|ms| {
            // Whole seconds, so the model does not change between ticks for rounding alone.
            let seconds = (ms / 1000.0).ceil() as i64;
            now + Duration::seconds(seconds)
        });
        Freshness {
            probing: self.inputs.live,
            last_probe_at: self.last_probe_at,
            next_probe_at: next,
            in_flight: self.schedule().in_flight(),
            offline_since: self.inputs.offline_since,
        }
    }

    fn snapshot_view(&self, state: Option<SnapshotState>) -> Option<SnapshotView> {
        let source = self.config.snapshot.as_ref()?;
        let published = self.inputs.snapshot.as_ref();
        Some(SnapshotView {
            state: state.unwrap_or(SnapshotState::Loading),
            mode: source.live,
            live: self.inputs.live,
            max_age_seconds: source.max_age_seconds,
            generated_at: published.map(|s| s.generated_at),
            prober: published.map(|s| s.prober.clone()),
            error: self.inputs.snapshot_error.clone(),
        })
    }

    /// The snapshot a prober publishes of this monitor at `now`: its page model and the board
    /// a viewer going live overlays with their own probes.
    pub fn snapshot(
        &mut self,
        now: DateTime<Utc>,
        now_ms: f64,
        prober: Prober,
        interval_seconds: Option<u32>,
    ) -> Snapshot {
        Snapshot {
            schema: snapshot::SNAPSHOT_SCHEMA,
            incident: self.config.incident.id.clone(),
            generated_at: now,
            prober,
            interval_seconds,
            board: self.board.clone(),
            model: self.view(now, now_ms),
        }
    }
}
