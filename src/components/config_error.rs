//! What the page shows when its configuration cannot be used: the problem, precisely.

use leptos::prelude::*;

use crate::api::ConfigLoadError;

/// A readable account of a configuration that could not be loaded or is invalid.
#[component]
pub fn ConfigErrorView(
    /// What went wrong.
    error: ConfigLoadError,
) -> impl IntoView {
    let problems = match &error {
        ConfigLoadError::Invalid { problems, .. } => problems.clone(),
        _ => Vec::new(),
    };
    view! {
        <section class="config-error" role="alert" data-testid="config-error">
            <h1>"This status page cannot start"</h1>
            <p class="config-error__summary">{error.summary()}</p>
            <ul class="config-error__problems">
                {problems
                    .into_iter()
                    .map(|problem| {
                        view! {
                            <li>
                                <code>{problem.path}</code>
                                ": "
                                {problem.message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>{error.hint()}</p>
        </section>
    }
}
