//! Times in the viewer's own time zone, which only the browser knows.

use chrono::{DateTime, Utc};

/// "14:05" in the viewer's time zone.
pub fn local_time(at: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    let hours = date.get_hours();
    let minutes = date.get_minutes();
    format!("{hours:02}:{minutes:02}")
}
