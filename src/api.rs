//! The page's one I/O edge: the only module that fetches or opens sockets.
//!
//! It records transport facts and hands them to the domain crate as
//! [`lookout_core::probe::ProbeResult`]s; it never interprets a body. It owns timeouts
//! (`AbortController`, covering the body as well as the headers), reading bodies chunk by chunk
//! up to [`MAX_BODY_BYTES`], the CORS-versus-redirect-versus-unreachable check and the WebSocket
//! handshake probe.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use chrono::Utc;
use gloo_net::http::{Request, Response};
use leptos::prelude::{set_timeout_with_handle, window};
use lookout_core::config::sources::{SourceRefused, SourceRole, Sources, ALLOWED_SOURCES_META};
use lookout_core::config::{Config, ConfigProblem};
use lookout_core::probe::{
    decode_body, parse_retry_after, HttpResponse, Probe, ProbeFailure, ProbeOutcome,
    WebSocketSession, MAX_BODY_BYTES, WEBSOCKET_LINGER_MS,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, CloseEvent, ReadableStreamDefaultReader, RequestCache, RequestMode,
    RequestRedirect, ResponseType, WebSocket,
};

/// How long a WebSocket probe keeps watching an opened socket for the server's verdict.
const WEBSOCKET_LINGER: Duration = Duration::from_millis(WEBSOCKET_LINGER_MS);

/// Why the configuration could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigLoadError {
    /// The file could not be fetched at all.
    Fetch {
        /// The URL tried.
        url: String,
        /// What the browser said.
        detail: String,
    },
    /// The server answered with an error status.
    Http {
        /// The URL tried.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The URL is not one this page may read its configuration from; nothing was fetched.
    Refused(SourceRefused),
    /// The file was read but is not a valid configuration.
    Invalid {
        /// The URL read.
        url: String,
        /// Every problem found.
        problems: Vec<ConfigProblem>,
    },
}

impl ConfigLoadError {
    /// One sentence naming the problem.
    pub fn summary(&self) -> String {
        match self {
            ConfigLoadError::Fetch { url, detail } => {
                format!("The configuration {url} could not be fetched: {detail}")
            }
            ConfigLoadError::Http { url, status } => {
                format!("The configuration {url} could not be loaded: the server answered HTTP {status}")
            }
            ConfigLoadError::Refused(refusal) => refusal.to_string(),
            ConfigLoadError::Invalid { url, problems } => format!(
                "The configuration {url} is not valid: {} problem{} found",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

impl ConfigLoadError {
    /// What the reader can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ConfigLoadError::Refused(_) => {
                "Open the page without ?config=, or with a file inside its directory. A deployer \
                 who needs another source lists it with cargo xtask build --allow-source."
            }
            _ => "Fix the file next to index.html (or the one named by ?config=) and reload.",
        }
    }
}

fn js_error_text(error: &gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}

/// A configuration that loaded, with what was ignored in it and when it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedConfig {
    /// The validated configuration.
    pub config: Config,
    /// Unknown fields and other ignored parts, with their JSON paths.
    pub warnings: Vec<ConfigProblem>,
    /// When the file was read.
    pub read_at: chrono::DateTime<Utc>,
}

/// Fetches and validates the runtime configuration, bypassing any cache so a new incident
/// update is never hidden.
pub async fn fetch_config(url: String) -> Result<LoadedConfig, ConfigLoadError> {
    let response = Request::get(&url)
        .cache(RequestCache::NoStore)
        .send()
        .await
        .map_err(|error| ConfigLoadError::Fetch {
            url: url.clone(),
            detail: js_error_text(&error),
        })?;
    if !response.ok() {
        return Err(ConfigLoadError::Http {
            url,
            status: response.status(),
        });
    }
    let text = read_text(&response)
        .await
        .map_err(|detail| ConfigLoadError::Fetch {
            url: url.clone(),
            detail,
        })?;
    let (config, warnings) = Config::parse_with_warnings(&text)
        .map_err(|problems| ConfigLoadError::Invalid { url, problems })?;
    Ok(LoadedConfig {
        config,
        warnings,
        read_at: Utc::now(),
    })
}

/// Milliseconds on the page's monotonic clock (`performance.now()`).
pub fn monotonic_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_default()
}

fn elapsed_ms(started: f64) -> u32 {
    (monotonic_ms() - started).max(0.0).round() as u32
}

/// Names of the User Timing entries the page records (`performance.getEntriesByName`), read by
/// the benchmark (`cargo xtask bench`, `bench/run.mjs`) and visible in DevTools' performance
/// panel. Only the latest entry of each name is kept, so a tab open for days holds two.
pub mod timing {
    /// From navigation start until the dashboard (every component row, still pending) is in
    /// the DOM.
    pub const FIRST_RENDER: &str = "lookout:first-render";
    /// From one probe result reaching the board until the DOM updates it causes are done.
    pub const APPLY_PROBE: &str = "lookout:apply-probe";
}

/// The mark that starts the measure `name`.
fn start_mark(name: &str) -> String {
    format!("{name}:start")
}

/// Marks now as the start of the measure `name` (see [`timing`]); [`timing_end`] ends it.
pub fn timing_start(name: &str) {
    if let Some(performance) = window().performance() {
        let _ = performance.mark(&start_mark(name));
    }
}

/// Ends the measure `name` once the updates queued so far have run: Leptos applies signal
/// changes to the DOM in microtasks, so the measure is taken in the next task (a zero
/// timeout). With `from_navigation` the measure starts at navigation start instead of
/// [`timing_start`]'s mark. The previous measure of that name and the mark are cleared.
pub fn timing_end(name: &'static str, from_navigation: bool) {
    let measure = move || {
        let Some(performance) = window().performance() else {
            return;
        };
        performance.clear_measures_with_measure_name(name);
        let start = start_mark(name);
        let _ = if from_navigation {
            performance.measure(name)
        } else {
            performance.measure_with_start_mark(name, &start)
        };
        performance.clear_marks_with_mark_name(&start);
    };
    let _ = set_timeout_with_handle(measure, Duration::ZERO);
}

/// Whether the browser says it is online.
pub fn is_online() -> bool {
    window().navigator().on_line()
}

/// Whether this tab is hidden (another tab in front, window minimised).
pub fn is_hidden() -> bool {
    leptos::prelude::document().hidden()
}

/// Aborts a controller when a timeout runs out, remembering that it did.
struct Deadline {
    expired: Rc<Cell<bool>>,
    handle: Option<leptos::prelude::TimeoutHandle>,
}

impl Deadline {
    fn start(controller: &AbortController, timeout_ms: u32) -> Deadline {
        let expired = Rc::new(Cell::new(false));
        let flag = expired.clone();
        let controller = controller.clone();
        let handle = set_timeout_with_handle(
            move || {
                flag.set(true);
                controller.abort();
            },
            Duration::from_millis(u64::from(timeout_ms)),
        )
        .ok();
        Deadline { expired, handle }
    }

    fn expired(&self) -> bool {
        self.expired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.clear();
        }
    }
}

/// Probes an HTTP endpoint with a plain GET (no custom headers, so no CORS preflight).
pub async fn probe_http(endpoint: &str, url: &str, timeout_ms: u32) -> Probe {
    let started = monotonic_ms();
    let (outcome, retry_after_seconds) = http_outcome(url, timeout_ms).await;
    Probe::finished(
        endpoint,
        Utc::now(),
        elapsed_ms(started),
        outcome,
        retry_after_seconds,
    )
}

async fn http_outcome(url: &str, timeout_ms: u32) -> (ProbeOutcome, Option<u32>) {
    let controller = match AbortController::new() {
        Ok(controller) => controller,
        Err(_) => {
            let failure = ProbeFailure::Unreachable {
                detail: "this browser cannot abort requests".to_string(),
            };
            return (ProbeOutcome::Failed(failure), None);
        }
    };
    let deadline = Deadline::start(&controller, timeout_ms);
    let signal = controller.signal();
    let sent = Request::get(url)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .send()
        .await;
    let timeout = ProbeOutcome::Failed(ProbeFailure::Timeout {
        after_ms: timeout_ms,
    });
    let response = match sent {
        Ok(response) => response,
        Err(_) if deadline.expired() => return (timeout, None),
        Err(error) => {
            let outcome = network_failure(url, timeout_ms, js_error_text(&error)).await;
            return (outcome, None);
        }
    };
    // Only readable when the backend exposes it through CORS; Netra does not, so this is a bonus.
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| parse_retry_after(&value, Utc::now()));
    let outcome = match read_body(&response).await {
        Err(BodyError::Broken { received, .. }) if deadline.expired() => {
            ProbeOutcome::Failed(ProbeFailure::BodyTimeout {
                after_ms: timeout_ms,
                received,
            })
        }
        Err(error) => ProbeOutcome::Failed(error.into_failure()),
        Ok(bytes) => match decode_body(response.status(), bytes) {
            Err(failure) => ProbeOutcome::Failed(failure),
            Ok(body) => ProbeOutcome::Response(HttpResponse {
                status: response.status(),
                content_type: response.headers().get("content-type"),
                body,
            }),
        },
    };
    (outcome, retry_after)
}

/// Why a body could not be read whole.
enum BodyError {
    /// It grew past [`MAX_BODY_BYTES`]; reading stopped there.
    TooLarge,
    /// The stream failed (aborted by the deadline, connection reset) after `received` bytes.
    Broken { received: usize, detail: String },
}

impl BodyError {
    fn into_failure(self) -> ProbeFailure {
        match self {
            BodyError::TooLarge => ProbeFailure::BodyTooLarge {
                limit: MAX_BODY_BYTES,
            },
            BodyError::Broken { detail, .. } => ProbeFailure::Unreachable {
                detail: format!("the response broke off: {detail}"),
            },
        }
    }
}

fn js_value_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the body stream failed".to_string())
}

/// Reads a body chunk by chunk and stops (cancelling the stream) as soon as it passes
/// [`MAX_BODY_BYTES`], so a huge or endless answer never sits in memory whole; a declared
/// `Content-Length` over the limit is refused before reading.
async fn read_body(response: &Response) -> Result<Vec<u8>, BodyError> {
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|length| length.trim().parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        if let Some(stream) = response.body() {
            let _ = stream.cancel();
        }
        return Err(BodyError::TooLarge);
    }
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|error| BodyError::Broken {
                received: bytes.len(),
                detail: js_value_text(&error),
            })?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|done| done.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let Some(part) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value"))
            .ok()
            .and_then(|value| value.dyn_into::<js_sys::Uint8Array>().ok())
        else {
            continue;
        };
        let length = part.length() as usize;
        if bytes.len() + length > MAX_BODY_BYTES {
            let _ = reader.cancel();
            return Err(BodyError::TooLarge);
        }
        let start = bytes.len();
        bytes.resize(start + length, 0);
        part.copy_to(&mut bytes[start..]);
    }
}

/// Reads a body as strict UTF-8 within [`MAX_BODY_BYTES`]; the error says why not.
async fn read_text(response: &Response) -> Result<String, String> {
    let bytes = read_body(response)
        .await
        .map_err(|error| error.into_failure().describe())?;
    decode_body(response.status(), bytes).map_err(|failure| failure.describe())
}

/// Tells "reachable but this origin is not allowed" from "unreachable": an opaque `no-cors`
/// request succeeds only when the server answered. Only then is a third request spent, to tell
/// a refused cross-origin redirect from a missing CORS header, so an unreachable backend costs
/// two requests per probe, not three.
async fn network_failure(url: &str, timeout_ms: u32, detail: String) -> ProbeOutcome {
    if !is_online() {
        return ProbeOutcome::Failed(ProbeFailure::Offline);
    }
    let Ok(controller) = AbortController::new() else {
        return ProbeOutcome::Failed(ProbeFailure::Unreachable { detail });
    };
    let deadline = Deadline::start(&controller, timeout_ms);
    let signal = controller.signal();
    let opaque = Request::get(url)
        .mode(RequestMode::NoCors)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .send()
        .await;
    let failure = match opaque {
        Ok(_) => {
            // A redirect the browser refused to follow (to an origin that does not allow this
            // page) fails like CORS; asked not to follow, the browser shows that there was one.
            let manual = Request::get(url)
                .redirect(RequestRedirect::Manual)
                .cache(RequestCache::NoStore)
                .abort_signal(Some(&signal))
                .send()
                .await;
            if manual.is_ok_and(|response| response.type_() == ResponseType::Opaqueredirect) {
                ProbeFailure::Redirected
            } else {
                ProbeFailure::CorsBlocked {
                    origin: window().location().origin().unwrap_or_default(),
                }
            }
        }
        Err(_) if deadline.expired() => ProbeFailure::Timeout {
            after_ms: timeout_ms,
        },
        Err(_) => ProbeFailure::Unreachable {
            detail: if detail.trim().is_empty() || detail == "Failed to fetch" {
                "no connection could be made (refused, reset or DNS failure)".to_string()
            } else {
                detail
            },
        },
    };
    ProbeOutcome::Failed(failure)
}

/// What the WebSocket callbacks saw so far.
#[derive(Default)]
struct SocketWatch {
    opened: bool,
    closed: Option<(u16, String)>,
    resolve: Option<js_sys::Function>,
}

impl SocketWatch {
    fn finish(&mut self) {
        if let Some(resolve) = self.resolve.take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// Probes a WebSocket endpoint: opens a socket without credentials and watches how the
/// handshake ends.
pub async fn probe_websocket(endpoint: &str, url: &str, timeout_ms: u32) -> Probe {
    let started = monotonic_ms();
    let outcome = websocket_outcome(url, timeout_ms).await;
    Probe::finished(endpoint, Utc::now(), elapsed_ms(started), outcome, None)
}

async fn websocket_outcome(url: &str, timeout_ms: u32) -> ProbeOutcome {
    let socket = match WebSocket::new(url) {
        Ok(socket) => socket,
        Err(error) => {
            return ProbeOutcome::Failed(ProbeFailure::Unreachable {
                detail: error
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "invalid WebSocket URL".to_string()),
            })
        }
    };
    let watch = Rc::new(RefCell::new(SocketWatch::default()));
    let done = {
        let watch = watch.clone();
        js_sys::Promise::new(&mut move |resolve, _reject| {
            watch.borrow_mut().resolve = Some(resolve);
        })
    };
    let linger: Rc<RefCell<Option<leptos::prelude::TimeoutHandle>>> = Rc::default();
    let on_open = {
        let watch = watch.clone();
        let linger = linger.clone();
        Closure::<dyn FnMut()>::new(move || {
            watch.borrow_mut().opened = true;
            let watch = watch.clone();
            *linger.borrow_mut() =
                set_timeout_with_handle(move || watch.borrow_mut().finish(), WEBSOCKET_LINGER).ok();
        })
    };
    let on_close = {
        let watch = watch.clone();
        Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            let mut watch = watch.borrow_mut();
            watch.closed = Some((event.code(), event.reason()));
            watch.finish();
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let deadline = {
        let watch = watch.clone();
        set_timeout_with_handle(
            move || watch.borrow_mut().finish(),
            Duration::from_millis(u64::from(timeout_ms)),
        )
        .ok()
    };
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    socket.set_onopen(None);
    socket.set_onclose(None);
    if let Some(handle) = deadline {
        handle.clear();
    }
    if let Some(handle) = linger.borrow_mut().take() {
        handle.clear();
    }
    let watch = watch.borrow();
    if watch.closed.is_none() {
        let _ = socket.close_with_code(1000);
    }
    match (&watch.closed, watch.opened) {
        (None, false) => ProbeOutcome::Failed(ProbeFailure::Timeout {
            after_ms: timeout_ms,
        }),
        (closed, opened) => ProbeOutcome::WebSocket(WebSocketSession {
            opened,
            close_code: closed.as_ref().map(|(code, _)| *code),
            close_reason: closed
                .as_ref()
                .map(|(_, reason)| reason.clone())
                .unwrap_or_default(),
        }),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Reads a `localStorage` entry; `None` when absent or storage is unavailable (private mode).
pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes a `localStorage` entry; the error says why it could not (e.g. the quota is full).
pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let storage = local_storage().ok_or_else(|| "localStorage is unavailable".to_string())?;
    storage.set_item(key, value).map_err(|error| {
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "the browser refused to store it".to_string())
    })
}

/// Removes a `localStorage` entry, if storage is available.
pub fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Fetches a small text file next to the page (or at any URL), bypassing caches; the error says
/// why it could not be read.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url)
        .cache(RequestCache::NoStore)
        .send()
        .await
        .map_err(|error| format!("{url} could not be fetched: {}", js_error_text(&error)))?;
    if !response.ok() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    read_text(&response)
        .await
        .map_err(|why| format!("{url}: {why}"))
}

/// Fetches a published snapshot. Unlike [`fetch_text`] it lets the browser's HTTP cache answer
/// within the object's short `Cache-Control` (the prober sets 15 s): the file changes only that
/// often, and a `no-store` request would make every re-read travel to the bucket.
pub async fn fetch_snapshot(url: &str) -> Result<String, String> {
    let response = Request::get(url)
        .cache(RequestCache::Default)
        .send()
        .await
        .map_err(|error| format!("{url} could not be fetched: {}", js_error_text(&error)))?;
    if !response.ok() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|error| format!("{url} broke off: {}", js_error_text(&error)))?;
    if text.len() > MAX_BODY_BYTES * 4 {
        return Err(format!(
            "{url} is larger than {} KB",
            MAX_BODY_BYTES * 4 / 1024
        ));
    }
    Ok(text)
}

/// Puts text on the clipboard; the error says why not (permission, insecure page).
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|error| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "the browser refused".to_string())
        })
}

/// This page's URL.
pub fn page_url() -> String {
    window().location().href().unwrap_or_default()
}

/// Where this page may read files from: its directory and the prefixes its `index.html` lists
/// (resolved against the page; a query string cannot add any).
pub fn page_sources() -> Sources {
    let page = page_url();
    let listed = leptos::prelude::document()
        .query_selector(&format!("meta[name=\"{ALLOWED_SOURCES_META}\"]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default();
    let allowed: Vec<String> = listed
        .split_whitespace()
        .map(|prefix| resolve_url(prefix, &page))
        .collect();
    Sources::new(&page, &allowed)
}

/// `relative` resolved against `base` (as [`resolve_url`]) if `sources` admit it as `role`.
pub fn admitted_url(
    sources: &Sources,
    role: SourceRole,
    relative: &str,
    base: &str,
) -> Result<String, SourceRefused> {
    let url = resolve_url(relative, base);
    sources.admit(role, &url).map(|()| url)
}

/// Resolves `relative` against `base` (itself resolved against the page), as the browser
/// would; falls back to `relative` as given.
pub fn resolve_url(relative: &str, base: &str) -> String {
    let page = window().location().href().unwrap_or_default();
    let base = web_sys::Url::new_with_base(base, &page)
        .map(|url| url.href())
        .unwrap_or(page);
    web_sys::Url::new_with_base(relative, &base)
        .map(|url| url.href())
        .unwrap_or_else(|_| relative.to_string())
}

/// What the browser says about desktop notifications for this page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyPermission {
    /// The browser has no Notification API (or not in this context).
    Unsupported,
    /// Not asked yet (or the viewer closed the prompt).
    Ask,
    /// Allowed.
    Granted,
    /// Blocked in the browser's site settings; the page cannot ask again.
    Denied,
}

fn notifications_supported() -> bool {
    js_sys::Reflect::has(&window(), &JsValue::from_str("Notification")).unwrap_or(false)
}

fn permission_of(permission: web_sys::NotificationPermission) -> NotifyPermission {
    match permission {
        web_sys::NotificationPermission::Granted => NotifyPermission::Granted,
        web_sys::NotificationPermission::Denied => NotifyPermission::Denied,
        _ => NotifyPermission::Ask,
    }
}

/// Whether this page may show desktop notifications now.
pub fn notify_permission() -> NotifyPermission {
    if !notifications_supported() {
        return NotifyPermission::Unsupported;
    }
    permission_of(web_sys::Notification::permission())
}

/// Asks the viewer (only call it from a click) and says what they chose.
pub async fn request_notify_permission() -> NotifyPermission {
    if !notifications_supported() {
        return NotifyPermission::Unsupported;
    }
    let Ok(promise) = web_sys::Notification::request_permission() else {
        return notify_permission();
    };
    match JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
    {
        Some(answer) if answer == "granted" => NotifyPermission::Granted,
        Some(answer) if answer == "denied" => NotifyPermission::Denied,
        _ => notify_permission(),
    }
}

/// Shows a desktop notification; one with the same `tag` replaces it.
pub fn show_notification(title: &str, body: &str, tag: &str) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    let _ = web_sys::Notification::new_with_options(title, &options);
}
