//! The page model as one signal per section, each written only when that section changed, so
//! a tick that only moves the impact clock re-renders the impact section and leaves the
//! thousand rows alone (no clone, no comparison of them downstream).

use leptos::prelude::*;
use lookout_core::board::OverallView;
use lookout_core::incident::actions::ActionView;
use lookout_core::incident::criteria::CriterionView;
use lookout_core::incident::impact::ImpactView;
use lookout_core::incident::timeline::TimelineView;
use lookout_core::incident::updates::{CadenceView, UpdateView};
use lookout_core::monitor::page::{Freshness, Row, SnapshotView};
use lookout_core::monitor::PageModel;

/// The sections of the page model, each its own signal.
#[derive(Clone, Copy)]
pub struct ModelSignals {
    /// The banner.
    pub banner: RwSignal<OverallView>,
    /// The component rows.
    pub rows: RwSignal<Vec<Row>>,
    /// The success criteria.
    pub criteria: RwSignal<Vec<CriterionView>>,
    /// The business impact.
    pub impact: RwSignal<Option<ImpactView>>,
    /// The timeline.
    pub timeline: RwSignal<Option<TimelineView>>,
    /// The update cadence.
    pub cadence: RwSignal<Option<CadenceView>>,
    /// The action items.
    pub actions: RwSignal<Vec<ActionView>>,
    /// The updates feed.
    pub updates: RwSignal<Vec<UpdateView>>,
    /// How fresh the data is.
    pub freshness: RwSignal<Freshness>,
    /// The published snapshot's standing.
    pub snapshot: RwSignal<Option<SnapshotView>>,
    incident: StoredValue<lookout_core::config::Incident>,
}

/// Writes `value` into `signal` only if it differs from what the signal holds.
fn write_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    signal.try_maybe_update(|shown| {
        let changed = *shown != value;
        if changed {
            *shown = value;
        }
        (changed, ())
    });
}

impl ModelSignals {
    /// Signals holding `model`.
    pub fn new(model: PageModel) -> ModelSignals {
        ModelSignals {
            banner: RwSignal::new(model.banner),
            rows: RwSignal::new(model.rows),
            criteria: RwSignal::new(model.criteria),
            impact: RwSignal::new(model.impact),
            timeline: RwSignal::new(model.timeline),
            cadence: RwSignal::new(model.cadence),
            actions: RwSignal::new(model.actions),
            updates: RwSignal::new(model.updates),
            freshness: RwSignal::new(model.freshness),
            snapshot: RwSignal::new(model.snapshot),
            incident: StoredValue::new(model.incident),
        }
    }

    /// Takes a new model, notifying only the sections that changed.
    pub fn write(&self, model: PageModel) {
        write_if_changed(self.banner, model.banner);
        write_if_changed(self.rows, model.rows);
        write_if_changed(self.criteria, model.criteria);
        write_if_changed(self.impact, model.impact);
        write_if_changed(self.timeline, model.timeline);
        write_if_changed(self.cadence, model.cadence);
        write_if_changed(self.actions, model.actions);
        write_if_changed(self.updates, model.updates);
        write_if_changed(self.freshness, model.freshness);
        write_if_changed(self.snapshot, model.snapshot);
        self.incident.set_value(model.incident);
    }

    /// The whole model as it stands, read without subscribing (for `window.lookoutModel()`).
    pub fn current(&self) -> PageModel {
        PageModel {
            incident: self.incident.get_value(),
            banner: self.banner.get_untracked(),
            rows: self.rows.get_untracked(),
            criteria: self.criteria.get_untracked(),
            impact: self.impact.get_untracked(),
            timeline: self.timeline.get_untracked(),
            cadence: self.cadence.get_untracked(),
            actions: self.actions.get_untracked(),
            updates: self.updates.get_untracked(),
            freshness: self.freshness.get_untracked(),
            snapshot: self.snapshot.get_untracked(),
        }
    }
}
