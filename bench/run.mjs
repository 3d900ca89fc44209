// The browser half of `cargo xtask bench`: starts simulators, drives Debian Chromium with
// Playwright (and Lighthouse's CLI), and writes raw measurements as JSON to $BENCH_OUT. It
// computes no statistics and compares nothing with budgets: the xtask does that
// (xtask/src/bench/report.rs). Any measurement that cannot be taken makes it exit non-zero.
//
// Run it through `cargo xtask bench [--quick]`, which builds what it needs and sets:
//   LOOKOUT_SIM_BIN, LOOKOUT_DIST (production page), LOOKOUT_BENCH_DIST (`bench` feature build),
//   LOOKOUT_CONFIG, LOOKOUT_UPDATES, BENCH_SCALE_CONFIG, BENCH_SCALE_COMPONENTS, BENCH_OUT,
//   BENCH_LOADS, BENCH_SCALE_POLLS, BENCH_CYCLES ("100,10000"), BENCH_WINDOW_SECONDS,
//   BENCH_LIGHTHOUSE ("1", or "skip: <why>"), BENCH_VIEWERS, BENCH_VIEWERS_WARMUP_SECONDS,
//   LOOKOUT_PROBE_BIN, CHROME_PATH.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { measureViewers } from './viewers.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const e2e = join(repo, 'tests/e2e');
// Playwright and Lighthouse are installed with the end-to-end tests (`npm ci` in tests/e2e).
const { chromium } = createRequire(join(e2e, 'package.json'))('playwright');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through \`cargo xtask bench\``);
  return value;
};
const CHROME = env('CHROME_PATH');
const CHROME_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOADS = Number(env('BENCH_LOADS'));
const SCALE_POLLS = Number(env('BENCH_SCALE_POLLS'));
const CYCLES = env('BENCH_CYCLES').split(',').map(Number);
const WINDOW_SECONDS = Number(env('BENCH_WINDOW_SECONDS'));
const VIEWERS = Number(env('BENCH_VIEWERS'));
const VIEWERS_WARMUP_SECONDS = Number(env('BENCH_VIEWERS_WARMUP_SECONDS'));
/** The prober's interval in the snapshot half of the viewers run: the default config's. */
const PROBER_EVERY = 'config';
/** The bench build's interval (src/hooks/use_probes.rs BENCH_INTERVAL_MS). */
const BENCH_INTERVAL_MS = 20;
/** The default config's interval (config/lookout.json probing.interval_seconds). */
const DEFAULT_INTERVAL_SECONDS = JSON.parse(readFileSync(env('LOOKOUT_CONFIG'), 'utf8')).probing.interval_seconds;
/** Longest a memory run may take before its second reading is taken where it stands. */
const MEMORY_CAP_MS = 25 * 60_000;
/** What counts as a poll cycle in the memory run: one answered probe of this endpoint. */
const CYCLE_KEY = 'backend GET /health/infrastructure';
const READY = 'LOOKOUT_SIM_READY ';

const started = Date.now();
const log = (message) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a private simulator with every port ephemeral; resolves once it prints its URLs. */
async function startSim(args) {
  const bin = env('LOOKOUT_SIM_BIN');
  const all = [
    '--site-port', '0', '--backend-port', '0', '--auth-port', '0', '--control-port', '0',
    '--site-prefix', '/bucket/status/', '--phase', 'recovered', '--phase-seconds', '0',
    ...args,
  ];
  const child = spawn(bin, all, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => (output += chunk));
  const urls = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lookout-sim printed no ready line\n${output}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`lookout-sim exited (${code})\n${output}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)));
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    ...urls,
    async counts() {
      const response = await fetch(new URL('/__sim/counts', urls.control));
      if (!response.ok) throw new Error(`/__sim/counts: HTTP ${response.status}`);
      return (await response.json()).requests;
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}

/** The production page, its config and updates, and the floor page, from one simulator. */
function pageArgs(dist) {
  return [
    '--site', dist,
    '--config-template', env('LOOKOUT_CONFIG'),
    '--updates-template', env('LOOKOUT_UPDATES'),
    '--site-file', `floor/index.html=${join(repo, 'bench/floor/index.html')}`,
    '--site-file', `floor/floor.js=${join(repo, 'bench/floor/floor.js')}`,
  ];
}

// Runs before the page's own scripts in the timing runs: records performance.now() in the
// animation frame after the first component with a known status appears, and every User
// Timing measure.
const INIT_SCRIPT = `(() => {
  const SELECTOR = '[data-component][data-status]:not([data-status="unknown"])';
  const observer = new MutationObserver(() => {
    if (document.querySelector(SELECTOR)) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__benchFirstStatus = performance.now(); });
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  window.__benchMeasures = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchMeasures.push({ name: e.name, start: e.startTime, duration: e.duration });
  }).observe({ type: 'measure', buffered: true });
})();`;

// The memory run's only addition to the page: a handle on the wasm memory Trunk's loader
// announces. (The script above keeps every measure in an array, which would itself grow.)
const WASM_MEMORY_SCRIPT = `addEventListener('TrunkApplicationStarted', (event) => { window.__benchWasmMemory = event.detail.wasm.memory; });`;

async function firstStatus(browser, url) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__benchFirstStatus !== undefined, null, { timeout: 60_000 });
    return await page.evaluate(() => window.__benchFirstStatus);
  } finally {
    await context.close();
  }
}

async function timeToFirstStatus(browser) {
  const sim = await startSim(pageArgs(env('LOOKOUT_DIST')));
  try {
    const pages = {
      lookout: sim.page,
      floor: `${sim.page}floor/index.html?endpoint=${encodeURIComponent(`${sim.backend}/health/infrastructure`)}`,
    };
    // One discarded load each: the first navigation of a browser also pays for process start.
    for (const url of Object.values(pages)) await firstStatus(browser, url);
    const result = { lookout_ms: [], floor_ms: [] };
    for (let i = 0; i < LOADS; i++) {
      for (const [name, url] of Object.entries(pages)) {
        const ms = await firstStatus(browser, url);
        result[`${name}_ms`].push(ms);
        log(`first status, ${name} load ${i + 1}/${LOADS}: ${ms.toFixed(0)} ms`);
      }
    }
    return result;
  } finally {
    sim.stop();
  }
}

async function scale(browser) {
  const components = Number(env('BENCH_SCALE_COMPONENTS'));
  const sim = await startSim([
    '--site', env('LOOKOUT_DIST'),
    '--config-template', env('BENCH_SCALE_CONFIG'),
    '--generated-components', String(components),
  ]);
  const context = await browser.newContext();
  try {
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto(sim.page);
    const applies = () => page.evaluate(() => window.__benchMeasures.filter((m) => m.name === 'lookout:apply-probe'));
    // One poll every 5 s: the first plus SCALE_POLLS later ones.
    await page.waitForFunction(
      (n) => window.__benchMeasures.filter((m) => m.name === 'lookout:apply-probe').length >= n,
      SCALE_POLLS + 1,
      { timeout: (SCALE_POLLS + 4) * 8_000 },
    );
    const known = await page.locator('[data-component][data-status]:not([data-status="unknown"])').count();
    if (known !== components) throw new Error(`scale: ${known} of ${components} rows have a status`);
    const measures = await page.evaluate(() => window.__benchMeasures);
    const firstRender = measures.find((m) => m.name === 'lookout:first-render');
    if (!firstRender) throw new Error('scale: the page recorded no lookout:first-render measure');
    const result = {
      components,
      first_render_ms: firstRender.duration,
      first_status_ms: await page.evaluate(() => window.__benchFirstStatus),
      apply_ms: (await applies()).slice(0, SCALE_POLLS + 1).map((m) => m.duration),
      dom_nodes: await page.evaluate(() => document.getElementsByTagName('*').length),
    };
    log(`scale: first render ${result.first_render_ms.toFixed(0)} ms, applies ${result.apply_ms.map((d) => d.toFixed(0)).join(', ')} ms, ${result.dom_nodes} DOM nodes`);
    return result;
  } finally {
    await context.close();
    sim.stop();
  }
}

function lighthouseVersion() {
  return execFileSync(join(e2e, 'node_modules/.bin/lighthouse'), ['--version'], { encoding: 'utf8' }).trim();
}

async function lighthouse() {
  const setting = env('BENCH_LIGHTHOUSE');
  if (setting !== '1') return { skipped: setting.replace(/^skip: /, 'skipped in '), version: null, runs: [] };
  const sim = await startSim(pageArgs(env('LOOKOUT_DIST')));
  const dir = mkdtempSync(join(tmpdir(), 'lookout-lighthouse-'));
  try {
    const runs = [];
    for (const [mode, query] of [['full', ''], ['embed', '?embed=1']]) {
      const url = `${sim.page}${query}`;
      const out = join(dir, `${mode}.json`);
      log(`lighthouse ${mode}: ${url}`);
      await new Promise((resolve, reject) => {
        const child = spawn(join(e2e, 'node_modules/.bin/lighthouse'), [
          url,
          '--output=json',
          `--output-path=${out}`,
          '--quiet',
          '--only-categories=performance,accessibility,best-practices,seo',
          `--chrome-flags=--headless=new ${CHROME_FLAGS.join(' ')}`,
        ], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHROME_PATH: CHROME } });
        const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          code === 0 ? resolve() : reject(new Error(`lighthouse ${mode} exited with ${code}`));
        });
      });
      const lhr = JSON.parse(readFileSync(out, 'utf8'));
      if (lhr.runtimeError) throw new Error(`lighthouse ${mode}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const score = (id) => lhr.categories[id]?.score ?? null;
      const run = {
        mode,
        path: new URL(url).pathname + new URL(url).search,
        performance: score('performance'),
        accessibility: score('accessibility'),
        best_practices: score('best-practices'),
        seo: score('seo'),
      };
      log(`lighthouse ${mode}: ${JSON.stringify(run)}`);
      runs.push(run);
    }
    return { skipped: null, version: `Lighthouse ${lighthouseVersion()}`, runs };
  } finally {
    sim.stop();
  }
}

async function memory(browser) {
  const sim = await startSim(pageArgs(env('LOOKOUT_BENCH_DIST')));
  const context = await browser.newContext();
  try {
    await context.addInitScript(WASM_MEMORY_SCRIPT);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const t0 = Date.now();
    await page.goto(sim.page);
    const points = [];
    for (const target of CYCLES) {
      let cycles = 0;
      for (;;) {
        cycles = (await sim.counts())[CYCLE_KEY] ?? 0;
        if (cycles >= target) break;
        if (Date.now() - t0 > MEMORY_CAP_MS) {
          log(`memory: time cap reached at ${cycles} of ${target} cycles; reading there`);
          break;
        }
        await sleep(200);
      }
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const wasm = await page.evaluate(() => window.__benchWasmMemory?.buffer.byteLength ?? null);
      if (wasm === null) throw new Error('memory: the page announced no wasm memory (TrunkApplicationStarted)');
      const point = { cycles, js_heap_bytes: heap.usedSize, wasm_bytes: wasm };
      log(`memory after ${cycles} cycles: ${JSON.stringify(point)}`);
      points.push(point);
    }
    return { interval_ms: BENCH_INTERVAL_MS, target_cycles: CYCLES, seconds: (Date.now() - t0) / 1000, points };
  } finally {
    await context.close();
    sim.stop();
  }
}

async function setHidden(page, hidden) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

/** Requests one tab sends to the backend over the window, per endpoint. */
async function requests(browser) {
  const tab = async (hidden) => {
    const sim = await startSim(pageArgs(env('LOOKOUT_DIST')));
    const context = await browser.newContext();
    const page = await context.newPage();
    return { sim, context, page, hidden };
  };
  const tabs = [await tab(false), await tab(true)];
  try {
    for (const t of tabs) {
      await t.page.goto(t.sim.page);
      await t.page.locator('[data-testid="overall"][data-status="operational"]').waitFor({ timeout: 60_000 });
    }
    for (const t of tabs) if (t.hidden) await setHidden(t.page, true);
    // Let probes already in flight (the WebSocket probe lingers 1.5 s) finish.
    await sleep(2_500);
    const before = await Promise.all(tabs.map((t) => t.sim.counts()));
    log(`backend load: counting for ${WINDOW_SECONDS} s`);
    await sleep(WINDOW_SECONDS * 1000);
    const after = await Promise.all(tabs.map((t) => t.sim.counts()));
    const diff = (a, b) => Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]));
    const result = {
      window_seconds: WINDOW_SECONDS,
      interval_seconds: DEFAULT_INTERVAL_SECONDS,
      visible: diff(before[0], after[0]),
      hidden: diff(before[1], after[1]),
    };
    log(`backend load: ${JSON.stringify(result)}`);
    return result;
  } finally {
    for (const t of tabs) {
      await t.context.close();
      t.sim.stop();
    }
  }
}

/**
 * Backend load from VIEWERS viewers, live against snapshot, side by side on two simulators with
 * the default config: every viewer probing (bench/viewers.mjs, the page's schedule), against
 * every viewer reading the snapshot that one real `lookout-probe` publishes beside the page.
 */
async function viewers() {
  const root = mkdtempSync(join(tmpdir(), 'lookout-viewers-'));
  const config = JSON.parse(readFileSync(env('LOOKOUT_CONFIG'), 'utf8'));
  config.snapshot = { url: 'snapshot.json', max_age_seconds: 120, live: 'opt_in' };
  const snapshotConfig = join(root, 'lookout.json');
  writeFileSync(snapshotConfig, JSON.stringify(config, null, 2));
  const files = ['snapshot.json', 'history.json', 'summary.json'];
  const live = await startSim(pageArgs(env('LOOKOUT_DIST')));
  const published = await startSim([
    '--site', env('LOOKOUT_DIST'),
    '--config-template', snapshotConfig,
    '--updates-template', env('LOOKOUT_UPDATES'),
    ...files.flatMap((name) => ['--site-file', `${name}=${join(root, name)}`]),
  ]);
  const prober = spawn(env('LOOKOUT_PROBE_BIN'), [
    '--config', `${published.page}lookout.json`, '--out', root, '--every', PROBER_EVERY,
    '--prober-id', 'bench-prober',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let proberLog = '';
  prober.stderr.setEncoding('utf8');
  prober.stderr.on('data', (chunk) => (proberLog += chunk));
  try {
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(root, 'snapshot.json'))) {
      if (prober.exitCode !== null || Date.now() > deadline) {
        throw new Error(`lookout-probe published no snapshot (exit ${prober.exitCode})\n${proberLog}`);
      }
      await sleep(200);
    }
    log(`viewers: ${VIEWERS} live and ${VIEWERS} on the snapshot, ${VIEWERS_WARMUP_SECONDS} s warm-up, ${WINDOW_SECONDS} s window`);
    const plan = { viewers: VIEWERS, warmup: VIEWERS_WARMUP_SECONDS, seconds: WINDOW_SECONDS };
    const [liveLoad, snapshotLoad] = await Promise.all([
      measureViewers({ ...plan, page: live.page, control: live.control, mode: 'live' }),
      measureViewers({ ...plan, page: published.page, control: published.control, mode: 'snapshot' }),
    ]);
    if (prober.exitCode !== null) throw new Error(`lookout-probe stopped (exit ${prober.exitCode})\n${proberLog}`);
    const result = { interval_seconds: DEFAULT_INTERVAL_SECONDS, live: liveLoad, snapshot: snapshotLoad };
    log(`viewers: ${JSON.stringify(result)}`);
    return result;
  } finally {
    prober.kill('SIGTERM');
    live.stop();
    published.stop();
  }
}

const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: CHROME_FLAGS });
let failed = false;
try {
  log(`Chromium ${browser.version()}; ${LOADS} loads, ${SCALE_POLLS} scale polls, cycles ${CYCLES.join(' and ')}, ${WINDOW_SECONDS} s window`);
  // Timing-sensitive measurements run alone; the two long ones that count (memory, requests)
  // run side by side.
  const ttfs = await timeToFirstStatus(browser);
  const scaled = await scale(browser);
  const lh = await lighthouse();
  const [mem, load, crowd] = await Promise.all([memory(browser), requests(browser), viewers()]);
  const result = { chromium: browser.version(), ttfs, scale: scaled, memory: mem, lighthouse: lh, requests: load, viewers: crowd };
  writeFileSync(env('BENCH_OUT'), JSON.stringify(result, null, 2) + '\n');
  log(`measurements written to ${env('BENCH_OUT')}`);
} catch (error) {
  console.error(`bench: ${error.stack ?? error}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
