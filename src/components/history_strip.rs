//! A component's recent history as a strip of bars (drawn here, no chart library) with its
//! uptime over the window.

use chrono::Duration;
use leptos::prelude::*;
use lookout_core::monitor::history::Sample;
use lookout_core::monitor::stored::OWN_RECORD;
use lookout_core::time::hh_mm_ss;

/// Bars drawn at most.
const BARS: usize = 60;
/// The uptime window shown next to the strip.
const UPTIME_WINDOW_HOURS: i64 = 2;

/// The last [`BARS`] samples, oldest left, each coloured by status and titled with its status
/// and time; the uptime percentage over the last two hours beside it.
#[component]
pub fn HistoryStrip(
    /// The component's samples, oldest first.
    #[prop(into)]
    samples: Signal<Vec<Sample>>,
    /// The component's uptime over the window, if any known samples.
    #[prop(into)]
    uptime: Signal<Option<f64>>,
) -> impl IntoView {
    let bars = move || {
        samples.with(|all| {
            let shown = &all[all.len().saturating_sub(BARS)..];
            let offset = BARS - shown.len();
            let empty = (0..offset)
                .map(|index| {
                    view! { <rect class="bar bar--empty" x=index * 4 y="0" width="3" height="16" rx="1"></rect> }
                })
                .collect_view();
            let samples = shown
                .iter()
                .enumerate()
                .map(|(index, sample)| {
                    let title = format!(
                        "{} at {}",
                        sample.status.label(),
                        sample
                            .time()
                            .map(hh_mm_ss)
                            .unwrap_or_default()
                    );
                    view! {
                        <rect
                            class=format!("bar status--{}", sample.status.as_str())
                            x=(offset + index) * 4
                            y="0"
                            width="3"
                            height="16"
                            rx="1"
                        >
                            <title>{title}</title>
                        </rect>
                    }
                })
                .collect_view();
            (empty, samples)
        })
    };
    let label = move || match uptime.get() {
        Some(percent) => format!("{percent:.1}% up, last {UPTIME_WINDOW_HOURS} h"),
        None => "no history yet".to_string(),
    };
    view! {
        <div class="history" title=OWN_RECORD>
            <svg
                class="history__bars"
                viewBox=format!("0 0 {} 16", BARS * 4)
                preserveAspectRatio="none"
                role="img"
                aria-label=move || format!("Recent checks seen by this browser: {}", label())
            >
                {bars}
            </svg>
            <span class="history__uptime">{label}</span>
        </div>
    }
}

/// The window [`HistoryStrip`]'s uptime covers.
pub fn uptime_window() -> Duration {
    Duration::hours(UPTIME_WINDOW_HOURS)
}
