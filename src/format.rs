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

/// "Mon 14:05" in the viewer's time zone when `at` is not today, else "14:05".
pub fn local_stamp(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    let today = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        now.timestamp_millis() as f64
    ));
    let same_day = date.get_full_year() == today.get_full_year()
        && date.get_month() == today.get_month()
        && date.get_date() == today.get_date();
    if same_day {
        local_time(at)
    } else {
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][date.get_month() as usize % 12];
        format!(
            "{} {month} {} {}",
            date.get_date(),
            date.get_full_year(),
            local_time(at)
        )
    }
}
