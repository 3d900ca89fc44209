//! "Copy status update": the live state as Markdown, ready for chat or email.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// A button that copies the digest; when the clipboard is refused, the text is shown to copy by
/// hand.
#[component]
pub fn CopyDigest(
    /// Builds the Markdown digest of the live state at the moment of the click.
    markdown: Callback<(), String>,
) -> impl IntoView {
    let (outcome, set_outcome) = signal(None::<Result<(), String>>);
    let (text, set_text) = signal(String::new());
    let copy = move |_| {
        let digest = markdown.run(());
        set_text.set(digest.clone());
        spawn_local(async move {
            let result = api::copy_to_clipboard(&digest).await;
            set_outcome.try_set(Some(result));
        });
    };
    view! {
        <div class="digest">
            <button type="button" class="digest__copy" on:click=copy data-testid="copy-digest">
                "Copy status update"
            </button>
            <span class="digest__outcome" role="status">
                {move || match outcome.get() {
                    Some(Ok(())) => "Copied as Markdown.".to_string(),
                    Some(Err(why)) => format!("Could not copy ({why}); select the text below."),
                    None => String::new(),
                }}
            </span>
            <Show when=move || matches!(outcome.get(), Some(Err(_)))>
                <textarea class="digest__text" readonly rows="12" aria-label="Status update in Markdown" prop:value=text></textarea>
            </Show>
        </div>
    }
}
