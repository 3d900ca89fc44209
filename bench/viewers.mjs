// Load on the backend from many viewers: a load tool that fetches what each open page fetches,
// on the page's own schedule, and reads the simulator's request counters over a window.
// `bench/run.mjs` imports `measureViewers`; it also runs on its own:
//
//   node bench/viewers.mjs --page URL --control URL --mode live|snapshot
//        [--viewers 200] [--warmup S] [--seconds S]
//
// `--page` is the status page's URL on the simulator's site (its lookout.json has every
// services.*.base_url pointed at the simulator). In `live` mode each viewer probes every
// configured endpoint at its interval with the page's ±10 % jitter, one request in flight per
// endpoint, and the page's backoff (×2 per failure, at most ×4; Retry-After as a minimum). In
// `snapshot` mode each viewer reads the snapshot file at the pace the page does (the snapshot's
// `interval_seconds` within 15–300 s, 30 s without one) and nothing from the backend; whatever
// probes the backend then (the prober, started by the caller) shows in the same counters.
// Both modes also read lookout.json at start and updates.json every minute, as the page does.
//
// Returns (prints, run alone) one JSON object: requests that reached the backend side (the
// simulator's /__sim/counts: backend, auth, WebSocket and reports) and requests to the bucket
// (counted here) over the measured window, after a warm-up that spreads the viewers' start.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const UPDATES_REFRESH_S = 60;
const BACKOFF_CAP = 4;
const JITTER = 0.1;
/** The page's bounds on re-reading a snapshot (lookout-core snapshot.rs). */
const SNAPSHOT_REFRESH = { min: 15, max: 300, once: 30 };

function parseArgs(argv) {
  const opts = { viewers: 200, warmup: 66, seconds: 60 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--page': opts.page = value; break;
      case '--control': opts.control = value; break;
      case '--mode': opts.mode = value; break;
      case '--viewers': opts.viewers = Number(value); break;
      case '--warmup': opts.warmup = Number(value); break;
      case '--seconds': opts.seconds = Number(value); break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  if (!opts.page || !opts.control) throw new Error('--page and --control are required');
  if (!['live', 'snapshot'].includes(opts.mode)) throw new Error('--mode is live or snapshot');
  for (const key of ['viewers', 'warmup', 'seconds']) {
    if (!(opts[key] > 0)) throw new Error(`--${key} must be a positive number`);
  }
  return opts;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const jittered = (seconds) => seconds * 1000 * (1 - JITTER + Math.random() * 2 * JITTER);

/** One request the way a browser would make it; resolves to {ok, retryAfterS}. */
async function get(url, timeoutMs) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    await response.arrayBuffer();
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: response.status < 500 && response.status !== 429,
      retryAfterS: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0,
    };
  } catch {
    return { ok: false, retryAfterS: 0 };
  }
}

/** A WebSocket opening handshake, closed as soon as the server answers (as the page's probe). */
function handshake(url, timeoutMs) {
  return new Promise((resolve) => {
    const target = new URL(url.replace(/^ws/, 'http'));
    const request = http.get(target, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
      timeout: timeoutMs,
    });
    const done = (ok) => {
      request.destroy();
      resolve({ ok, retryAfterS: 0 });
    };
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      done(true);
    });
    request.on('response', (response) => {
      response.resume();
      done(response.statusCode < 500);
    });
    request.on('timeout', () => done(false));
    request.on('error', () => done(false));
  });
}

/** What a viewer probes: each endpoint's URL, kind, interval and timeout, from the config. */
function endpointsOf(config) {
  const probing = config.probing ?? {};
  const interval = probing.interval_seconds ?? 30;
  const timeout = probing.timeout_seconds ?? 10;
  return (config.endpoints ?? []).map((endpoint) => {
    const base = config.services?.[endpoint.service]?.base_url ?? '';
    return {
      url: base.replace(/\/$/, '') + endpoint.path,
      websocket: endpoint.kind === 'websocket',
      intervalS: endpoint.interval_seconds ?? interval,
      timeoutMs: (endpoint.timeout_seconds ?? timeout) * 1000,
    };
  });
}

/** Probes one endpoint on the page's schedule until `stop()`. */
async function probeLoop(endpoint, stop) {
  await sleep(Math.random() * endpoint.intervalS * 1000);
  let failures = 0;
  while (!stop()) {
    const started = Date.now();
    const result = endpoint.websocket
      ? await handshake(endpoint.url, endpoint.timeoutMs)
      : await get(endpoint.url, endpoint.timeoutMs);
    failures = result.ok ? 0 : failures + 1;
    const backoff = Math.min(2 ** failures, BACKOFF_CAP);
    const waitMs = Math.max(jittered(endpoint.intervalS) * backoff, result.retryAfterS * 1000);
    await sleep(started + waitMs - Date.now());
  }
}

/** Reads one bucket file on a period until `stop()`, counting each read. */
async function readLoop(url, periodS, stop, counter) {
  await sleep(Math.random() * periodS * 1000);
  while (!stop()) {
    const started = Date.now();
    await get(url, 10_000);
    counter.count += 1;
    await sleep(started + jittered(periodS) - Date.now());
  }
}

async function counts(control) {
  const response = await fetch(`${control}/__sim/counts`);
  if (!response.ok) throw new Error(`GET /__sim/counts answered ${response.status}`);
  const body = await response.json();
  return body.requests ?? {};
}

const total = (requests) => Object.values(requests).reduce((sum, n) => sum + n, 0);

/**
 * Runs `viewers` simulated pages against the simulator at `page` / `control` and returns what
 * reached the backend side and the bucket over `seconds`, after `warmup` seconds.
 */
export async function measureViewers({ page, control, mode, viewers, warmup, seconds }) {
  page = page.endsWith('/') ? page : `${page}/`;
  const configResponse = await fetch(new URL('lookout.json', page));
  if (!configResponse.ok) throw new Error(`lookout.json answered ${configResponse.status}`);
  const config = await configResponse.json();
  const snapshotUrl = config.snapshot?.url ? new URL(config.snapshot.url, page).href : null;
  let snapshotRefreshS = null;
  if (mode === 'snapshot') {
    if (!snapshotUrl) throw new Error('snapshot mode needs a config with snapshot.url');
    const response = await fetch(snapshotUrl);
    if (!response.ok) throw new Error(`${snapshotUrl} answered ${response.status}`);
    const interval = (await response.json()).interval_seconds;
    snapshotRefreshS = interval
      ? Math.min(Math.max(interval, SNAPSHOT_REFRESH.min), SNAPSHOT_REFRESH.max)
      : SNAPSHOT_REFRESH.once;
  }
  const endpoints = endpointsOf(config);
  let stopped = false;
  const stop = () => stopped;
  const bucket = { count: 0 };
  for (let viewer = 0; viewer < viewers; viewer += 1) {
    // The loops run until `stopped`; nobody awaits them.
    readLoop(new URL('updates.json', page).href, UPDATES_REFRESH_S, stop, bucket);
    if (mode === 'live') {
      for (const endpoint of endpoints) probeLoop(endpoint, stop);
    } else {
      readLoop(snapshotUrl, snapshotRefreshS, stop, bucket);
    }
  }
  await sleep(warmup * 1000);
  const before = await counts(control);
  const bucketBefore = bucket.count;
  const windowStart = Date.now();
  await sleep(seconds * 1000);
  const after = await counts(control);
  const bucketRequests = bucket.count - bucketBefore;
  const measured = (Date.now() - windowStart) / 1000;
  stopped = true;
  const byEndpoint = {};
  for (const [key, n] of Object.entries(after)) {
    const delta = n - (before[key] ?? 0);
    if (delta > 0) byEndpoint[key] = delta;
  }
  const backendRequests = total(after) - total(before);
  return {
    mode,
    viewers,
    window_seconds: Number(measured.toFixed(1)),
    warmup_seconds: warmup,
    endpoints: endpoints.length,
    snapshot_refresh_seconds: snapshotRefreshS,
    backend_requests: backendRequests,
    bucket_requests: bucketRequests,
    backend_requests_by_endpoint: byEndpoint,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  console.log(JSON.stringify(await measureViewers(opts)));
  // Loops still sleeping end with the process; in-flight requests end by their own timeouts.
  process.exit(0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`viewers: ${error.message}`);
    process.exit(1);
  });
}
