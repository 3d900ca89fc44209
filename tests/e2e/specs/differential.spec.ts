// The page and the prober drive one monitor, so for the same answers they must give the same
// page model. Both real drivers are pointed at the same simulator endpoints with the same
// faults, on the same clock: the page in Chromium on Playwright's fake clock (Math.random fixed
// at 0.5, the prober's "no jitter"), `lookout-probe --once --clock T` natively, resuming its
// memory between steps as a scheduled prober does. After each step both models are compared:
// banner, every row (status, reason, stale, which step it was last checked in), criteria,
// affected areas and action items.
//
// The steps cover healthy, degraded and outage answers; invalid UTF-8, an oversized body, JSON
// 10,000 levels deep, wrong types, HTML, a truncated body and a cross-origin redirect; a 429
// with `Retry-After: 3600` (bounded to 600 s by the monitor: the next step, 11 min later, is
// probed by both; an unbounded prober would skip it); WebSocket 1006 (outage) and 1008
// (recovered) closes.
import { test, expect } from '../fixtures/sim';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const probeBin = process.env.LOOKOUT_PROBE_BIN || join(repo, 'target/debug/lookout-probe');

type Fault = Record<string, unknown>;
interface Step {
  name: string;
  /** Seconds after the start. */
  at: number;
  phase: string;
  faults: Fault[];
}

const STEPS: Step[] = [
  { name: 'healthy', at: 0, phase: 'recovered', faults: [] },
  {
    name: 'invalid UTF-8, oversized, deep',
    at: 150,
    phase: 'recovered',
    faults: [
      { service: 'backend', path: '/health', body: 'invalid_utf8' },
      { service: 'backend', path: '/health/ready', body: 'huge' },
      { service: 'backend', path: '/health/infrastructure', body: 'deep' },
    ],
  },
  {
    name: 'wrong types, HTML, truncated, redirect',
    at: 300,
    phase: 'recovered',
    faults: [
      { service: 'backend', path: '/health', body: 'wrong_types' },
      { service: 'backend', path: '/health/ready', body: 'html' },
      { service: 'backend', path: '/health/infrastructure', body: 'truncated' },
      { service: 'auth', path: '/health', body: 'redirect' },
    ],
  },
  {
    name: 'outage, 429 with Retry-After 3600',
    at: 450,
    phase: 'outage',
    faults: [{ service: 'auth', path: '/health', status: 429, retry_after: 3600 }],
  },
  { name: 'degraded, 11 min later', at: 450 + 660, phase: 'partial_recovery', faults: [] },
];

/** What both drivers must agree on, without the times and latencies only one clock sees. */
function essence(model: any, start: number): unknown {
  const stepOf = (at: string | null) => {
    if (!at) return null;
    const seconds = (Date.parse(at) - start) / 1000;
    return STEPS.filter((step) => step.at <= seconds).map((step) => step.name).pop() ?? null;
  };
  return {
    banner: { status: model.banner.status, headline: model.banner.headline, detail: model.banner.detail },
    rows: model.rows.map((row: any) => ({
      id: row.id,
      status: row.status,
      // The simulator stamps each answer with its own time, so the invalid byte of two answers
      // a few milliseconds apart can sit at a different offset.
      reason: row.reason.replace(/at offset \d+/, 'at offset N'),
      stale: row.stale,
      checked: stepOf(row.checked_at),
    })),
    criteria: model.criteria.map((c: any) => ({ id: c.id, state: c.state, met: c.met, progress: c.progress })),
    areas: (model.impact?.areas ?? []).map((a: any) => ({ id: a.id, state: a.state })),
    actions: model.actions.map((a: any) => ({ id: a.id, state: a.state, status: a.status })),
  };
}

/** The page's model once nothing is in flight and everything due at `at` has been recorded. */
async function settledPageModel(page: Page, at: number): Promise<any> {
  for (let round = 0; round < 40; round++) {
    const text = await page.evaluate(() => (window as any).lookoutModel?.() ?? '');
    if (text) {
      const model = JSON.parse(text);
      const last = model.freshness.last_probe_at ? Date.parse(model.freshness.last_probe_at) : 0;
      if (model.freshness.in_flight === 0 && last >= at) return model;
    }
    // WebSocket probes watch an opened socket for 1.5 s of the page's (fake) time.
    await page.clock.runFor(250);
    await page.waitForTimeout(100);
  }
  throw new Error('the page did not settle');
}

function proberModel(configUrl: string, out: string, at: number): any {
  if (!existsSync(probeBin)) {
    throw new Error(`no prober at ${probeBin}: run \`cargo build -p lookout-probe\` or set LOOKOUT_PROBE_BIN`);
  }
  execFileSync(
    probeBin,
    ['--config', configUrl, '--out', out, '--once', '--clock', new Date(at).toISOString(), '--prober-id', 'differential'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
  );
  return JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')).model;
}

test('the page and the prober give the same page model for the same answers', async ({ sim, page, pageErrors }) => {
  test.setTimeout(180_000);
  const out = mkdtempSync(join(tmpdir(), 'lookout-differential-'));
  // A whole second, so both clocks stamp the same times.
  const start = Math.floor(Date.now() / 1000) * 1000;
  await page.addInitScript(() => {
    Math.random = () => 0.5;
  });
  await page.clock.install({ time: start - 1000 });
  await page.clock.pauseAt(start);

  for (const [index, step] of STEPS.entries()) {
    await sim.clearFaults();
    await sim.setScenario({ phase: step.phase });
    for (const fault of step.faults) await sim.fault(fault);
    const at = start + step.at * 1000;
    if (index === 0) {
      await page.goto(sim.page);
    } else {
      await page.clock.fastForward(at - (await page.evaluate(() => Date.now())));
    }
    const fromPage = essence(await settledPageModel(page, at), start);
    const fromProber = essence(proberModel(`${sim.page}lookout.json`, out, at), start);
    expect(fromProber, `step "${step.name}"`).toEqual(fromPage);
  }
  expect(pageErrors).toEqual([]);
});
