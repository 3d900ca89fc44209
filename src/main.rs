//! Entry point of the page: panic hook, then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    lookout::mount();
}
