//! In an iframe, tells the parent page how tall the content is, so a wiki that allows a small
//! script can size the frame: `{"type": "lookout:height", "height": <px>}` via `postMessage`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Posts the document's height to the parent whenever it changes, until the owner is disposed.
/// Does nothing outside an iframe.
pub fn use_report_height() {
    let window = window();
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    let Some(body) = document().body() else {
        return;
    };
    let last = std::cell::Cell::new(-1);
    let report = Closure::<dyn FnMut()>::new(move || {
        let height = document()
            .document_element()
            .map_or(0, |root| root.scroll_height());
        if height == last.replace(height) {
            return;
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"lookout:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        // Only a height is sent, nothing private, so any embedding origin may read it.
        let _ = parent.post_message(&message, "*");
    });
    let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(&body);
    let kept = StoredValue::new_local((observer, report));
    on_cleanup(move || {
        kept.try_with_value(|(observer, _)| observer.disconnect());
    });
}
