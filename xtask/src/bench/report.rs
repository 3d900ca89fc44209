//! The benchmark report: what the driver (`bench/run.mjs`) measured, summarised, compared with
//! the budgets, and rendered as `REPORT.md`, `report.json` and the table printed to stdout.
//! Everything here is pure: the inputs come from one run, nothing is measured in this module.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::stats::Summary;
use crate::build::{self, Sizes};
use crate::util::{table, thousands, Align};

/// The memory budget: growth between the two measurement points, JS heap + wasm memory.
pub const MEMORY_BUDGET_BYTES: u64 = 1_000_000;

/// What `bench/run.mjs` writes: raw samples, no statistics.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Driver {
    /// `browser.version()` of the Chromium that ran everything.
    pub chromium: String,
    /// Time to first status, cold loads.
    pub ttfs: Ttfs,
    /// The 1,000-component config.
    pub scale: Scale,
    /// Memory after two numbers of poll cycles.
    pub memory: Memory,
    /// Lighthouse scores, or why they were skipped.
    pub lighthouse: Lighthouse,
    /// Requests per minute one open tab sends to the backend.
    pub requests: Requests,
    /// Many viewers probing live against the same number reading a prober's snapshot.
    pub viewers: Viewers,
}

/// The backend load of many viewers, live against snapshot (`bench/viewers.mjs`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Viewers {
    /// The default config's probe interval (and the prober's).
    pub interval_seconds: u64,
    /// Every viewer probing the backend on the page's schedule.
    pub live: Crowd,
    /// Every viewer reading `snapshot.json`; one `lookout-probe` probing the backend.
    pub snapshot: Crowd,
}

/// What one crowd of viewers cost over the window.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Crowd {
    /// How many viewers.
    pub viewers: u64,
    /// The measured window, after the warm-up.
    pub window_seconds: f64,
    /// Seconds the viewers ran before counting started.
    pub warmup_seconds: f64,
    /// How often a viewer re-read the snapshot (snapshot mode only).
    pub snapshot_refresh_seconds: Option<f64>,
    /// Requests the simulator's backend, auth and WebSocket listeners counted in the window.
    pub backend_requests: u64,
    /// Requests for bucket files (config, updates, snapshot) in the window.
    pub bucket_requests: u64,
    /// `backend_requests` per endpoint.
    pub backend_requests_by_endpoint: BTreeMap<String, u64>,
}

impl Crowd {
    /// Backend requests per second over the window.
    pub fn backend_per_second(&self) -> f64 {
        self.backend_requests as f64 / self.window_seconds
    }

    /// Bucket requests per second over the window.
    pub fn bucket_per_second(&self) -> f64 {
        self.bucket_requests as f64 / self.window_seconds
    }
}

/// Milliseconds from navigation start to the first painted component status, per cold load.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Ttfs {
    /// Lookout's page.
    pub lookout_ms: Vec<f64>,
    /// The hand-written floor page (`bench/floor/`).
    pub floor_ms: Vec<f64>,
}

/// The scale test's figures.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Scale {
    /// Components in the generated config.
    pub components: u64,
    /// `lookout:first-render`: navigation start to the dashboard (all rows) in the DOM.
    pub first_render_ms: f64,
    /// Navigation start to the first row with a known status.
    pub first_status_ms: f64,
    /// `lookout:apply-probe` for each poll of the generated endpoint, in order; the first one
    /// turns every row from pending to known, later ones change a seventh of the rows.
    pub apply_ms: Vec<f64>,
    /// `document.getElementsByTagName('*').length` once every row is known.
    pub dom_nodes: u64,
}

/// Memory after `points[0].cycles` and `points[1].cycles` poll cycles.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Memory {
    /// The bench build's probe interval and tick, ms.
    pub interval_ms: u64,
    /// The cycle counts aimed at (e.g. 100 and 10,000).
    pub target_cycles: Vec<u64>,
    /// Wall-clock seconds the cycles took.
    pub seconds: f64,
    /// One reading per target, after forced garbage collection.
    pub points: Vec<MemoryPoint>,
}

/// One memory reading.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct MemoryPoint {
    /// Poll cycles done when read (answers of `/health/infrastructure`).
    pub cycles: u64,
    /// CDP `Runtime.getHeapUsage` `usedSize`.
    pub js_heap_bytes: u64,
    /// The wasm module's `memory.buffer.byteLength`.
    pub wasm_bytes: u64,
}

/// Lighthouse runs.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Lighthouse {
    /// Why no run was made (e.g. `--quick`), if none was.
    pub skipped: Option<String>,
    /// `lighthouse --version`.
    pub version: Option<String>,
    /// One run per mode.
    pub runs: Vec<LighthouseRun>,
}

/// The four category scores (0–1) of one Lighthouse run.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LighthouseRun {
    /// `full` or `embed`.
    pub mode: String,
    /// The URL audited (path and query only).
    pub path: String,
    /// Category scores; `None` when Lighthouse could not score the category.
    pub performance: Option<f64>,
    /// Accessibility score.
    pub accessibility: Option<f64>,
    /// Best-practices score.
    pub best_practices: Option<f64>,
    /// SEO score.
    pub seo: Option<f64>,
}

/// Backend requests counted by the simulator over a window, one tab each.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Requests {
    /// Length of the counting window.
    pub window_seconds: f64,
    /// The default config's probe interval (what "default" meant in this run).
    pub interval_seconds: u64,
    /// Requests per endpoint from the visible tab.
    pub visible: BTreeMap<String, u64>,
    /// Requests per endpoint from the hidden tab.
    pub hidden: BTreeMap<String, u64>,
}

impl Requests {
    fn per_minute(&self, counts: &BTreeMap<String, u64>) -> f64 {
        counts.values().sum::<u64>() as f64 * 60.0 / self.window_seconds
    }
}

/// Where and how the run happened.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// `nproc`.
    pub cpus: usize,
    /// Chromium's version string.
    pub chromium: String,
    /// UTC date and time of the run.
    pub date: String,
    /// `git rev-parse --short HEAD` (with `-dirty` when the tree had changes).
    pub commit: String,
    /// The command that produced every figure.
    pub command: String,
}

/// How the run was configured (full or quick).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// `--quick`: fewer loads, fewer cycles, shorter windows.
    pub quick: bool,
    /// Cold loads per page for time to first status.
    pub loads: usize,
}

/// A figure compared with its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    /// Within the budget.
    Pass,
    /// Over the budget.
    Over,
    /// No budget: printed for information.
    Info,
    /// Not measured in this variant.
    Skipped,
}

impl Verdict {
    /// `PASS` / `OVER` / empty / `skipped`.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Over => "OVER",
            Verdict::Info => "",
            Verdict::Skipped => "skipped",
        }
    }

    /// `Pass` when `value <= budget`, else `Over`.
    pub fn at_most(value: f64, budget: f64) -> Verdict {
        if value <= budget {
            Verdict::Pass
        } else {
            Verdict::Over
        }
    }

    /// `Pass` when `value < budget`, else `Over`.
    pub fn under(value: f64, budget: f64) -> Verdict {
        if value < budget {
            Verdict::Pass
        } else {
            Verdict::Over
        }
    }
}

/// One line of the headline table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Section: bundle, first status, scale, memory, lighthouse, load.
    pub area: &'static str,
    /// What was measured.
    pub figure: String,
    /// The figure with its unit.
    pub value: String,
    /// The budget, if there is one.
    pub budget: String,
    /// The comparison.
    pub verdict: Verdict,
}

fn row(area: &'static str, figure: impl Into<String>, value: impl Into<String>) -> Row {
    Row {
        area,
        figure: figure.into(),
        value: value.into(),
        budget: String::new(),
        verdict: Verdict::Info,
    }
}

/// Everything one run produced, ready to render.
#[derive(Debug)]
pub struct Report {
    /// The machine and command.
    pub machine: Machine,
    /// Full or quick.
    pub plan: Plan,
    /// The shipped bundle (`dist/`).
    pub sizes: Sizes,
    /// What the driver measured.
    pub driver: Driver,
}

fn ms(v: f64) -> String {
    format!("{v:.0} ms")
}

/// Bytes in KB (1 KB = 1,000 B, as the size budget), or MB from 1,000,000 B on.
pub fn kb(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    }
}

/// A signed byte difference, e.g. `+12.3 KB` or `-0.4 KB`.
pub fn signed_kb(bytes: i64) -> String {
    let sign = if bytes < 0 { "-" } else { "+" };
    format!("{sign}{}", kb(bytes.unsigned_abs()))
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "n/a".to_string(), |s| format!("{:.0}", s * 100.0))
}

impl Report {
    /// Time-to-first-status summaries of Lookout and the floor, and their median ratio.
    pub fn ttfs(&self) -> (Option<Summary>, Option<Summary>, Option<f64>) {
        let lookout = Summary::of(&self.driver.ttfs.lookout_ms);
        let floor = Summary::of(&self.driver.ttfs.floor_ms);
        let ratio = match (lookout, floor) {
            (Some(l), Some(f)) if f.median > 0.0 => Some(l.median / f.median),
            _ => None,
        };
        (lookout, floor, ratio)
    }

    /// Growth of JS heap and wasm memory between the two readings, bytes (may be negative).
    pub fn memory_growth(&self) -> Option<(i64, i64)> {
        match self.driver.memory.points.as_slice() {
            [a, b] => Some((
                b.js_heap_bytes as i64 - a.js_heap_bytes as i64,
                b.wasm_bytes as i64 - a.wasm_bytes as i64,
            )),
            _ => None,
        }
    }

    /// The headline table, one row per figure.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for kind in &self.sizes.kinds {
            let gz = kind.gzip.map_or("n/a".to_string(), kb);
            let br = kind.brotli.map_or("n/a".to_string(), kb);
            rows.push(row(
                "bundle",
                format!("{} (raw / gzip -9 / brotli -q 11)", kind.kind),
                format!("{} / {gz} / {br}", kb(kind.raw)),
            ));
        }
        let mut shipped = row("bundle", "wasm + js + css, gzip -9", "n/a");
        shipped.budget = format!("≤ {}", kb(build::BUDGET_BYTES));
        match self.sizes.shipped_gzip() {
            Some(total) => {
                shipped.value = kb(total);
                shipped.verdict = Verdict::at_most(total as f64, build::BUDGET_BYTES as f64);
            }
            None => shipped.verdict = Verdict::Skipped,
        }
        rows.push(shipped);

        let (lookout, floor, ratio) = self.ttfs();
        for (name, summary) in [("Lookout", lookout), ("floor (vanilla JS)", floor)] {
            rows.push(row(
                "first status",
                format!("{name}, {} cold loads", summary.map_or(0, |s| s.n)),
                summary.map_or("n/a".to_string(), |s| {
                    format!(
                        "median {} (min {}, p90 {}, max {})",
                        ms(s.median),
                        ms(s.min),
                        ms(s.p90),
                        ms(s.max)
                    )
                }),
            ));
        }
        rows.push(row(
            "first status",
            "ratio Lookout / floor (medians)",
            ratio.map_or("n/a".to_string(), |r| format!("{r:.2}x")),
        ));

        let scale = &self.driver.scale;
        let n = scale.components;
        rows.push(row(
            "scale",
            format!("{n} components: first render (navigation → rows in DOM)"),
            ms(scale.first_render_ms),
        ));
        rows.push(row(
            "scale",
            format!("{n} components: first status painted"),
            ms(scale.first_status_ms),
        ));
        if let Some((first, later)) = scale.apply_ms.split_first() {
            rows.push(row(
                "scale",
                "apply the first poll (every row pending → known)",
                ms(*first),
            ));
            if let Some(s) = Summary::of(later) {
                rows.push(row(
                    "scale",
                    format!("apply one later poll (1/7 of rows change), {} polls", s.n),
                    format!("median {} (max {})", ms(s.median), ms(s.max)),
                ));
            }
        }
        rows.push(row(
            "scale",
            format!("{n} components: DOM nodes"),
            thousands(scale.dom_nodes),
        ));

        let memory = &self.driver.memory;
        for p in &memory.points {
            rows.push(row(
                "memory",
                format!(
                    "after {} poll cycles: JS heap / wasm memory",
                    thousands(p.cycles)
                ),
                format!("{} / {}", kb(p.js_heap_bytes), kb(p.wasm_bytes)),
            ));
        }
        let mut growth = row("memory", "growth between them (JS heap + wasm)", "n/a");
        growth.budget = format!("< {}", kb(MEMORY_BUDGET_BYTES));
        growth.verdict = Verdict::Skipped;
        if let (Some((js, wasm)), [a, b]) = (self.memory_growth(), memory.points.as_slice()) {
            growth.figure = format!(
                "growth {} → {} cycles: JS heap {}, wasm {}",
                thousands(a.cycles),
                thousands(b.cycles),
                signed_kb(js),
                signed_kb(wasm)
            );
            growth.value = signed_kb(js + wasm);
            growth.verdict = Verdict::under((js + wasm) as f64, MEMORY_BUDGET_BYTES as f64);
        }
        rows.push(growth);

        let lighthouse = &self.driver.lighthouse;
        if let Some(why) = &lighthouse.skipped {
            let mut skipped = row("lighthouse", "full and embed", why.clone());
            skipped.verdict = Verdict::Skipped;
            rows.push(skipped);
        }
        for run in &lighthouse.runs {
            rows.push(row(
                "lighthouse",
                format!(
                    "{} ({}): performance / accessibility / best practices / SEO",
                    run.mode, run.path
                ),
                format!(
                    "{} / {} / {} / {}",
                    score(run.performance),
                    score(run.accessibility),
                    score(run.best_practices),
                    score(run.seo)
                ),
            ));
        }

        let requests = &self.driver.requests;
        for (name, counts) in [("visible", &requests.visible), ("hidden", &requests.hidden)] {
            rows.push(row(
                "backend load",
                format!(
                    "requests/min per tab, {name}, default config ({} s interval), {:.0} s window",
                    requests.interval_seconds, requests.window_seconds
                ),
                format!(
                    "{:.1} ({} requests)",
                    requests.per_minute(counts),
                    counts.values().sum::<u64>()
                ),
            ));
        }
        let crowd = &self.driver.viewers;
        for (name, load) in [
            ("live probing", &crowd.live),
            ("snapshot + 1 prober", &crowd.snapshot),
        ] {
            rows.push(row(
                "viewers",
                format!(
                    "{} viewers, {name}: requests/s reaching the backend / the bucket, {:.0} s window",
                    load.viewers, load.window_seconds
                ),
                format!(
                    "{:.2} / {:.2}",
                    load.backend_per_second(),
                    load.bucket_per_second()
                ),
            ));
        }
        rows
    }

    /// The rows as an aligned text table (stdout).
    pub fn text_table(&self) -> String {
        let rows = self.rows();
        let cells: Vec<[String; 5]> =
            std::iter::once(["area", "figure", "value", "budget", "verdict"].map(String::from))
                .chain(rows.iter().map(|r| {
                    [
                        r.area.to_string(),
                        r.figure.clone(),
                        r.value.clone(),
                        r.budget.clone(),
                        r.verdict.word().to_string(),
                    ]
                }))
                .collect();
        table(&cells, [Align::Left; 5])
    }

    /// The rows as a Markdown table.
    pub fn markdown_table(&self) -> String {
        let mut out =
            String::from("| area | figure | value | budget | verdict |\n|---|---|---|---|---|\n");
        for r in self.rows() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                r.area,
                r.figure.replace('|', "\\|"),
                r.value,
                r.budget,
                r.verdict.word()
            );
        }
        out
    }

    /// `REPORT.md`.
    pub fn markdown(&self) -> String {
        let m = &self.machine;
        let memory = &self.driver.memory;
        let requests = &self.driver.requests;
        let mut out = String::new();
        let variant = if self.plan.quick {
            "**quick variant** (CI: fewer loads, fewer cycles, shorter windows — not the published figures)"
        } else {
            "full variant"
        };
        let _ = writeln!(out, "# Lookout benchmark report\n");
        let _ = writeln!(
            out,
            "Every figure below comes from one run of `{}` ({variant}), on one machine:\n",
            m.command
        );
        let _ = writeln!(out, "- date: {}", m.date);
        let _ = writeln!(out, "- git commit: {}", m.commit);
        let _ = writeln!(out, "- CPUs (nproc): {}", m.cpus);
        let _ = writeln!(out, "- browser: Chromium {} (headless)", m.chromium);
        let _ = writeln!(
            out,
            "\nBudgets are compared, never asserted: PASS / OVER is information, the run fails only when a figure cannot be measured. The machine is shared, so timings are noisy; compare medians, and Lookout with the floor measured in the same run.\n"
        );
        let _ = writeln!(out, "## Figures\n");
        out.push_str(&self.markdown_table());

        let _ = writeln!(out, "\n## Bundle (`dist/`, the production build)\n");
        let _ = writeln!(out, "```text\n{}```", self.sizes.table());
        let _ = writeln!(
            out,
            "For comparison (issue #7): Gatus ships 181 KB, Cachet 3,150 KB, Upptime's home page 51 KB."
        );

        let _ = writeln!(out, "\n## How each figure is taken\n");
        let _ = writeln!(
            out,
            "- **Time to first status**: headless Chromium, a fresh browser context per load (empty cache), Lookout and the floor page alternating after one discarded warm-up load each (browser process start), both served by the same simulator (`--phase recovered`). An init script's MutationObserver waits for the first element with `data-component` and a `data-status` other than `unknown`, then records `performance.now()` in the next animation frame (navigation start is 0). The floor is `bench/floor/` ({} loads each): plain JS that fetches `/health/infrastructure` cross-origin and writes one line.",
            self.plan.loads
        );
        let _ = writeln!(
            out,
            "- **Scale**: a generated config with {} components on one endpoint (`lookout-sim --generated-components {}` serves `/health/generated`, each answer turning a different seventh of the components degraded; interval {} s). `lookout:first-render` and `lookout:apply-probe` are User Timing measures the page records (`src/api.rs` `timing`), read with a buffered PerformanceObserver; DOM nodes are `document.getElementsByTagName('*').length` once every row is known.",
            self.driver.scale.components, self.driver.scale.components, super::scale::INTERVAL_SECONDS
        );
        let _ = writeln!(
            out,
            "- **Memory**: a separate build with the app's `bench` cargo feature (target/bench-dist, never deployed) probes every endpoint and ticks every {} ms instead of the configured interval and 1 s; a production build cannot do this, since config validation keeps intervals at or above `MIN_INTERVAL_SECONDS` (5 s) and no config or URL reaches the constant. A poll cycle is one answered `/health/infrastructure` probe of the default config (all seven endpoints are probed at the same interval; each has at most one probe in flight), counted by the simulator. The driver adds nothing to this page but a handle on the wasm memory (no observers, no collected entries). Before each reading the driver forces garbage collection (CDP `HeapProfiler.collectGarbage`, twice); JS heap is CDP `Runtime.getHeapUsage` `usedSize`, wasm memory is `memory.buffer.byteLength` of the instance Trunk's loader announces (`TrunkApplicationStarted`). The {} cycles took {:.0} s. Wasm memory never shrinks, so its figure is a high-water mark.",
            memory.interval_ms,
            memory
                .points
                .last()
                .map_or("0".to_string(), |p| thousands(p.cycles)),
            memory.seconds
        );
        let _ = writeln!(
            out,
            "- **Lighthouse**: {}, CLI from npm, Debian Chromium (`CHROME_PATH=/usr/bin/chromium`, `--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync`), default settings (mobile emulation, simulated throttling), one run per mode against the simulator.",
            self.driver.lighthouse.version.as_deref().unwrap_or("Lighthouse 12")
        );
        let _ = writeln!(
            out,
            "- **Backend load**: one tab per simulator with the default config (`config/lookout.json`, {} s interval), counted by `/__sim/counts` (backend and auth listeners; the bucket's `lookout.json`/`updates.json` are static files and not counted) over {:.0} s after the page settled. The hidden tab is hidden the way `tests/e2e/specs/politeness.spec.ts` does it (`document.hidden` overridden, `visibilitychange` dispatched).",
            requests.interval_seconds, requests.window_seconds
        );
        let _ = writeln!(out, "\nRequests per endpoint in the window:\n");
        let _ = writeln!(out, "| endpoint | visible | hidden |\n|---|---|---|");
        let keys: std::collections::BTreeSet<&String> = requests
            .visible
            .keys()
            .chain(requests.hidden.keys())
            .collect();
        for key in keys {
            let _ = writeln!(
                out,
                "| `{key}` | {} | {} |",
                requests.visible.get(key).copied().unwrap_or(0),
                requests.hidden.get(key).copied().unwrap_or(0)
            );
        }
        let _ = writeln!(out, "\n## Samples\n");
        let fmt = |v: &[f64]| {
            v.iter()
                .map(|x| format!("{x:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "- Lookout first status, ms: {}",
            fmt(&self.driver.ttfs.lookout_ms)
        );
        let _ = writeln!(
            out,
            "- floor first status, ms: {}",
            fmt(&self.driver.ttfs.floor_ms)
        );
        let _ = writeln!(
            out,
            "- scale, apply one poll, ms: {}",
            fmt(&self.driver.scale.apply_ms)
        );
        let crowd = &self.driver.viewers;
        let _ = writeln!(
            out,
            "\n## {} viewers: live vs snapshot\n",
            crowd.live.viewers
        );
        let _ = writeln!(
            out,
            "Two simulators with the default config ({} s interval, phase `recovered`: no backoff, the highest steady load), side by side. **Live**: `bench/viewers.mjs` runs {} viewers that fetch what the page fetches on the page's schedule (every endpoint at its interval with ±10 % jitter, one request in flight per endpoint, backoff and Retry-After as on the page, the WebSocket handshake, `updates.json` every minute). **Snapshot**: {} viewers read `snapshot.json` (every {} s, the page's pace for this prober) and `updates.json`, while one real `lookout-probe --every config` probes the backend and publishes beside the page. Counting starts after a {:.0} s warm-up that spreads the viewers' starts; backend requests are the simulator's `/__sim/counts`, bucket requests are counted by the load tool.\n",
            crowd.interval_seconds,
            crowd.live.viewers,
            crowd.snapshot.viewers,
            crowd
                .snapshot
                .snapshot_refresh_seconds
                .map_or_else(|| "?".to_string(), |s| format!("{s:.0}")),
            crowd.live.warmup_seconds,
        );
        let _ = writeln!(out, "| endpoint | live | snapshot |\n|---|---|---|");
        let keys: std::collections::BTreeSet<&String> = crowd
            .live
            .backend_requests_by_endpoint
            .keys()
            .chain(crowd.snapshot.backend_requests_by_endpoint.keys())
            .collect();
        for key in keys {
            let count = |c: &Crowd| {
                c.backend_requests_by_endpoint
                    .get(key)
                    .copied()
                    .unwrap_or(0)
            };
            let _ = writeln!(
                out,
                "| `{key}` | {} | {} |",
                count(&crowd.live),
                count(&crowd.snapshot)
            );
        }
        let _ = writeln!(
            out,
            "| **backend, per second** | **{:.2}** | **{:.2}** |\n| bucket, per second | {:.2} | {:.2} |",
            crowd.live.backend_per_second(),
            crowd.snapshot.backend_per_second(),
            crowd.live.bucket_per_second(),
            crowd.snapshot.bucket_per_second()
        );
        out
    }

    /// `report.json`: machine, plan, rows and the raw measurements.
    pub fn json(&self) -> Value {
        let (lookout, floor, ratio) = self.ttfs();
        let sizes: Vec<Value> = self
            .sizes
            .kinds
            .iter()
            .map(|k| {
                json!({"kind": k.kind, "files": k.files, "raw": k.raw, "gzip": k.gzip, "brotli": k.brotli})
            })
            .collect();
        json!({
            "machine": self.machine,
            "plan": self.plan,
            "rows": self.rows(),
            "bundle": {
                "kinds": sizes,
                "shipped_gzip": self.sizes.shipped_gzip(),
                "budget_gzip": build::BUDGET_BYTES,
            },
            "first_status": {"lookout": lookout, "floor": floor, "ratio": ratio},
            "memory_growth": self.memory_growth().map(|(js, wasm)| json!({
                "js_heap_bytes": js, "wasm_bytes": wasm, "budget_bytes": MEMORY_BUDGET_BYTES,
            })),
            "measurements": self.driver,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::KindSize;

    fn report(memory: [(u64, u64, u64); 2], shipped_gzip: u64) -> Report {
        Report {
            machine: Machine {
                cpus: 2,
                chromium: "142.0".into(),
                date: "2026-11-29 06:00 UTC".into(),
                commit: "abc1234".into(),
                command: "cargo xtask bench".into(),
            },
            plan: Plan {
                quick: false,
                loads: 3,
            },
            sizes: Sizes {
                kinds: vec![KindSize {
                    kind: "wasm",
                    files: vec!["a.wasm".into()],
                    raw: 300_000,
                    gzip: Some(shipped_gzip),
                    brotli: Some(shipped_gzip.saturating_sub(1000)),
                }],
            },
            driver: Driver {
                chromium: "142.0".into(),
                ttfs: Ttfs {
                    lookout_ms: vec![300.0, 100.0, 200.0],
                    floor_ms: vec![50.0, 40.0, 60.0],
                },
                scale: Scale {
                    components: 1000,
                    first_render_ms: 900.0,
                    first_status_ms: 1500.0,
                    apply_ms: vec![400.0, 100.0, 120.0],
                    dom_nodes: 40_000,
                },
                memory: Memory {
                    interval_ms: 20,
                    target_cycles: vec![100, 10_000],
                    seconds: 300.0,
                    points: memory
                        .iter()
                        .map(|&(cycles, js, wasm)| MemoryPoint {
                            cycles,
                            js_heap_bytes: js,
                            wasm_bytes: wasm,
                        })
                        .collect(),
                },
                lighthouse: Lighthouse {
                    skipped: None,
                    version: Some("12.8.2".into()),
                    runs: vec![LighthouseRun {
                        mode: "embed".into(),
                        path: "/bucket/status/?embed=1".into(),
                        performance: Some(0.87),
                        accessibility: Some(1.0),
                        best_practices: None,
                        seo: Some(0.9),
                    }],
                },
                requests: Requests {
                    window_seconds: 180.0,
                    interval_seconds: 30,
                    visible: BTreeMap::from([
                        ("backend GET /health".into(), 6),
                        ("auth GET /health".into(), 33),
                    ]),
                    hidden: BTreeMap::new(),
                },
                viewers: Viewers {
                    interval_seconds: 30,
                    live: crowd(2_600, 120, [("backend GET /health", 400)]),
                    snapshot: crowd(14, 960, [("backend GET /health", 2)]),
                },
            },
        }
    }

    fn crowd(backend: u64, bucket: u64, by_endpoint: [(&str, u64); 1]) -> Crowd {
        Crowd {
            viewers: 200,
            window_seconds: 60.0,
            warmup_seconds: 66.0,
            snapshot_refresh_seconds: Some(30.0),
            backend_requests: backend,
            bucket_requests: bucket,
            backend_requests_by_endpoint: by_endpoint
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect(),
        }
    }

    #[test]
    fn viewers_are_reported_per_second_side_by_side() {
        let r = report([(100, 1, 1), (200, 1, 1)], 1);
        let rows = r.rows();
        assert_eq!(find(&rows, "live probing").value, "43.33 / 2.00");
        assert_eq!(find(&rows, "snapshot + 1 prober").value, "0.23 / 16.00");
        let md = r.markdown();
        assert!(md.contains("## 200 viewers: live vs snapshot"));
        assert!(md.contains("| `backend GET /health` | 400 | 2 |"));
        assert!(md.contains("| **backend, per second** | **43.33** | **0.23** |"));
    }

    fn find<'a>(rows: &'a [Row], figure: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.figure.contains(figure))
            .unwrap_or_else(|| panic!("no row {figure}"))
    }

    #[test]
    fn budgets_are_compared() {
        let within = report(
            [(100, 2_000_000, 3_000_000), (10_000, 2_400_000, 3_500_000)],
            99_000,
        );
        let rows = within.rows();
        assert_eq!(find(&rows, "wasm + js + css").verdict, Verdict::Pass);
        let growth = find(&rows, "growth");
        assert_eq!(growth.verdict, Verdict::Pass);
        assert_eq!(growth.value, "+900.0 KB");
        assert_eq!(kb(1_008_000), "1.01 MB");
        assert_eq!(kb(999_949), "999.9 KB");

        let over = report(
            [(100, 2_000_000, 3_000_000), (10_000, 2_500_000, 3_500_000)],
            100_001,
        );
        let rows = over.rows();
        assert_eq!(find(&rows, "wasm + js + css").verdict, Verdict::Over);
        // Exactly 1 MB of growth is not "under 1 MB".
        assert_eq!(find(&rows, "growth").verdict, Verdict::Over);
    }

    #[test]
    fn shrinking_memory_is_negative_growth() {
        let r = report(
            [(100, 2_000_000, 3_000_000), (10_000, 1_500_000, 3_000_000)],
            1,
        );
        assert_eq!(r.memory_growth(), Some((-500_000, 0)));
        assert_eq!(signed_kb(2_142_100), "+2.14 MB");
        assert_eq!(find(&r.rows(), "growth").value, "-500.0 KB");
    }

    #[test]
    fn first_status_ratio_and_load_per_minute() {
        let r = report([(100, 1, 1), (200, 1, 1)], 1);
        let (lookout, floor, ratio) = r.ttfs();
        assert_eq!(lookout.unwrap().median, 200.0);
        assert_eq!(floor.unwrap().median, 50.0);
        assert_eq!(ratio, Some(4.0));
        let rows = r.rows();
        assert_eq!(find(&rows, "ratio").value, "4.00x");
        // 39 requests in 3 minutes.
        assert_eq!(find(&rows, "visible").value, "13.0 (39 requests)");
        assert_eq!(find(&rows, "hidden").value, "0.0 (0 requests)");
        assert_eq!(find(&rows, "embed").value, "87 / 100 / n/a / 90");
    }

    #[test]
    fn rendering_shows_budgets_and_the_machine() {
        let r = report(
            [(100, 2_000_000, 3_000_000), (10_000, 2_100_000, 3_000_000)],
            120_000,
        );
        let md = r.markdown();
        assert!(md.contains("`cargo xtask bench`"));
        assert!(md.contains("- CPUs (nproc): 2"));
        assert!(md.contains("| bundle | wasm + js + css, gzip -9 | 120.0 KB | ≤ 100.0 KB | OVER |"));
        assert!(md.contains("| memory | growth 100 → 10,000 cycles: JS heap +100.0 KB, wasm +0.0 KB | +100.0 KB | < 1.00 MB | PASS |"), "{md}");
        let text = r.text_table();
        assert!(text.lines().next().unwrap().starts_with("  area"));
        assert!(text.contains("OVER"));
        let json = r.json();
        assert_eq!(json["first_status"]["ratio"], 4.0);
        assert_eq!(json["rows"][1]["verdict"], "OVER");
    }
}
