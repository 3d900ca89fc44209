//! A point in time as people read it: local time, with UTC on hover and ISO for machines.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use lookout_core::time::{hh_mm, iso, ymd};

use crate::format::local_stamp;

/// `<time>` showing `at` in the viewer's zone, UTC in its title.
#[component]
pub fn Moment(
    /// The instant.
    at: DateTime<Utc>,
    /// The ticking clock (decides whether the date is shown).
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let title = format!("{} ({})", hh_mm(at), ymd(at));
    view! { <time datetime=iso(at) title=title>{move || local_stamp(at, now.get())}</time> }
}
