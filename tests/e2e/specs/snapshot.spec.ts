// Snapshot mode end to end: the real `lookout-probe` binary probes a per-test simulator and
// writes snapshot.json, history.json and summary.json into a directory the simulator serves
// beside the page; the page reads the snapshot first and must show the same statuses as live
// probing in the same scenario, mark an old snapshot as stale (never as current), and say
// "unknown" with the reason when there is no snapshot, costing the backend nothing until a
// viewer goes live.
//
// `cargo xtask test` sets LOOKOUT_PROBE_BIN; it defaults to target/debug/lookout-probe.
import { test, expect } from '../fixtures/sim';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const probeBin = process.env.LOOKOUT_PROBE_BIN || join(repo, 'target/debug/lookout-probe');
const configPath = process.env.LOOKOUT_CONFIG || join(repo, 'config/lookout.json');
const UPDATE = { timeout: 30_000 };
const FILES = ['snapshot.json', 'history.json', 'summary.json'];
const BACKEND_ENDPOINTS = [
  'backend GET /health',
  'backend GET /health/ready',
  'backend GET /health/infrastructure',
  'auth GET /health',
];

/** A directory for the prober's output and a config template that reads the snapshot first. */
function workspace(live: string): { root: string; out: string; config: string; simArgs: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'lookout-snapshot-'));
  const out = join(root, 'out');
  execFileSync('mkdir', ['-p', out]);
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  config.snapshot = { url: 'snapshot.json', max_age_seconds: 120, live };
  config.probing = { ...config.probing, history_url: 'history.json' };
  const template = join(root, 'lookout.json');
  writeFileSync(template, JSON.stringify(config, null, 2));
  return {
    root,
    out,
    config: template,
    simArgs: [
      // Live probes every 5 s, so the live comparison settles quickly.
      '--probe-interval',
      '5',
      '--config-template',
      template,
      ...FILES.flatMap((name) => ['--site-file', `${name}=${join(out, name)}`]),
      '--site-file',
      `live.json=${join(root, 'live.json')}`,
    ],
  };
}

const space = workspace('opt_in');
const offSpace = workspace('off');
test.use({ simArgs: space.simArgs });
// The tests of one file run one after another in one worker, so they can share the workspace.
test.beforeEach(() => {
  // Each test starts with an empty bucket prefix, the prober's own memory included.
  for (const name of [...FILES, 'probe-state.json']) rmSync(join(space.out, name), { force: true });
});

/** Runs the prober once against the simulator's served config, into the served directory. */
function probe(configUrl: string, out = space.out): string {
  if (!existsSync(probeBin)) {
    throw new Error(`no prober at ${probeBin}: run \`cargo build -p lookout-probe\` or set LOOKOUT_PROBE_BIN`);
  }
  return execFileSync(probeBin, ['--config', configUrl, '--out', out, '--once', '--prober-id', 'e2e-prober'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

/** Serves `live.json`: the simulator's own config for this test without the snapshot section,
 * so `?config=live.json` is the same page in plain live mode. */
async function serveLiveConfig(configUrl: string): Promise<void> {
  const config = await (await fetch(configUrl)).json();
  delete config.snapshot;
  writeFileSync(join(space.root, 'live.json'), JSON.stringify(config));
}

/** axe-core's violations on the page as it stands, as `id: targets` lines. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
}

/** Every component row's `data-status`, by `data-component`. */
async function statuses(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-component]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-component'), row.getAttribute('data-status')])),
  );
}

function backendCount(counts: Record<string, number>): number {
  return BACKEND_ENDPOINTS.reduce((sum, key) => sum + (counts[key] ?? 0), 0);
}

for (const phase of ['outage', 'recovered']) {
  test(`${phase}: the snapshot shows the same statuses as live probing`, async ({ sim, page, context, pageErrors }) => {
    await sim.setScenario({ phase });
    probe(`${sim.page}lookout.json`);
    for (const name of FILES) expect(existsSync(join(space.out, name)), name).toBe(true);
    const summary = JSON.parse(readFileSync(join(space.out, 'summary.json'), 'utf8'));
    expect(summary.status.indicator).toBe(phase === 'outage' ? 'critical' : 'none');
    const snapshotFile = JSON.parse(readFileSync(join(space.out, 'snapshot.json'), 'utf8'));
    expect(snapshotFile.prober.id).toBe('e2e-prober');
    // The prober judges every criterion whatever the snapshot section tells viewers.
    expect(snapshotFile.model.criteria.map((c: any) => c.id)).toEqual(['health_200', 'vpc_no_error_3', 'db_within_timeout', 'websocket_connections', 'validation_report']);

    const before = backendCount((await sim.counts()).requests);
    await page.goto(sim.page);
    const notice = page.locator('[data-testid="snapshot"]');
    await expect(notice).toHaveAttribute('data-snapshot', 'current', UPDATE);
    await expect(notice).toHaveAttribute('data-live', 'false');
    await expect(notice).toContainText(/Snapshot from \d\d:\d\d UTC \((just now|\d+ s ago)\) by e2e-prober/);
    const banner = page.locator('[data-testid="overall"]');
    await expect(banner).toHaveAttribute('data-status', phase === 'outage' ? 'major_outage' : 'operational', UPDATE);
    const fromSnapshot = await statuses(page);
    expect(Object.keys(fromSnapshot).length).toBe(7);
    for (const status of Object.values(fromSnapshot)) {
      expect(status).toBe(phase === 'outage' ? 'major_outage' : 'operational');
    }
    await expect(page.locator('[data-component][data-stale="true"]')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
    // Reading the snapshot cost the backend nothing.
    await page.waitForTimeout(2_000);
    expect(backendCount((await sim.counts()).requests), 'no backend request in snapshot mode').toBe(before);

    // The same scenario in plain live mode (the config without its snapshot section): the
    // browser probes everything itself and must end on the same statuses. Before its first
    // answers every row is "unknown", so the comparison cannot pass by accident.
    await serveLiveConfig(`${sim.page}lookout.json`);
    const live = await context.newPage();
    await live.goto(`${sim.page}?config=live.json`);
    await expect(live.locator('[data-testid="snapshot"]')).toHaveCount(0);
    await expect.poll(() => statuses(live), UPDATE).toEqual(fromSnapshot);
    await expect(live.locator('[data-testid="overall"]')).toHaveAttribute(
      'data-status',
      (await banner.getAttribute('data-status')) ?? '',
    );
    await live.close();
    expect(backendCount((await sim.counts()).requests)).toBeGreaterThan(before);

    // "Go live" on the snapshot page: this browser probes too, and keeps the same statuses.
    await page.getByTestId('go-live').click();
    await expect(notice).toHaveAttribute('data-live', 'true');
    await expect(page.getByTestId('next-check')).toBeVisible(UPDATE);
    await expect.poll(() => statuses(page), UPDATE).toEqual(fromSnapshot);
    expect(pageErrors).toEqual([]);

    // The choice is remembered for this incident.
    await page.reload();
    await expect(page.locator('[data-testid="snapshot"]')).toHaveAttribute('data-live', 'true', UPDATE);
  });
}

test('an old snapshot is shown as stale with its time, never as current', async ({ sim, page }) => {
  await sim.setScenario({ phase: 'recovered' });
  probe(`${sim.page}lookout.json`);
  const file = join(space.out, 'snapshot.json');
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const old = new Date(Date.now() - 10 * 60_000);
  snapshot.generated_at = old.toISOString();
  writeFileSync(file, JSON.stringify(snapshot));
  const hhmm = old.toISOString().slice(11, 16);

  await page.goto(sim.page);
  const notice = page.locator('[data-testid="snapshot"]');
  await expect(notice).toHaveAttribute('data-snapshot', 'stale', UPDATE);
  await expect(notice).toContainText(`Out of date: Snapshot from ${hhmm} UTC (10 min ago)`);
  const banner = page.locator('[data-testid="overall"]');
  await expect(banner).toHaveAttribute('data-status', 'unknown');
  await expect(banner).toContainText('out of date');
  await expect(banner).toContainText(`${hhmm} UTC`);
  await expect(banner.locator('.overall__headline')).toHaveText('Status unknown: the snapshot is out of date');
  // Every row keeps what the snapshot said, marked as stale.
  await expect(page.locator('[data-component][data-stale="true"]')).toHaveCount(7);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeViolations(page)).toEqual([]);

  // The wiki embed says the same: unknown, not the old green.
  await page.goto(`${sim.page}?embed=1`);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'unknown', UPDATE);
  await expect(page.locator('[data-testid="overall"]')).toContainText('out of date');
});

test('a snapshot that cannot be read is unknown with the reason, then the viewer can go live', async ({ sim, page }) => {
  await sim.setScenario({ phase: 'recovered' });
  // No prober ran: the bucket answers 404 for snapshot.json.
  await page.goto(sim.page);
  const notice = page.locator('[data-testid="snapshot"]');
  await expect(notice).toHaveAttribute('data-snapshot', 'unavailable', UPDATE);
  await expect(notice).toContainText('Snapshot status unknown');
  await expect(notice).toContainText('HTTP 404');
  const banner = page.locator('[data-testid="overall"]');
  await expect(banner).toHaveAttribute('data-status', 'unknown');
  await expect(page.locator('[data-component][data-status="operational"]')).toHaveCount(0);
  for (const status of Object.values(await statuses(page))) expect(status).toBe('unknown');
  expect(backendCount((await sim.counts()).requests), 'nothing probed until the viewer chooses').toBe(0);

  await page.getByTestId('go-live').click();
  await expect(banner).toHaveAttribute('data-status', 'operational', UPDATE);
  await expect(page.locator('[data-component][data-status="operational"]')).toHaveCount(7, UPDATE);
});

test('a snapshot that is not JSON is refused with the reason, never shown as green', async ({ sim, page }) => {
  writeFileSync(join(space.out, 'snapshot.json'), '<html><body>Service Unavailable</body></html>');
  await page.goto(sim.page);
  const notice = page.locator('[data-testid="snapshot"]');
  await expect(notice).toHaveAttribute('data-snapshot', 'unavailable', UPDATE);
  await expect(notice).toContainText('not readable');
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'unknown');
  await expect(page.locator('[data-component][data-status="operational"]')).toHaveCount(0);
});

test.describe('with live probing off', () => {
  test.use({ simArgs: offSpace.simArgs });

  test('viewers never probe: no Go live control, no backend request, even without a snapshot', async ({ sim, page }) => {
    for (const name of [...FILES, 'probe-state.json']) rmSync(join(offSpace.out, name), { force: true });
    await sim.setScenario({ phase: 'outage' });
    await page.goto(sim.page);
    const notice = page.locator('[data-testid="snapshot"]');
    await expect(notice).toHaveAttribute('data-snapshot', 'unavailable', UPDATE);
    await expect(page.getByTestId('go-live')).toHaveCount(0);
    await expect(page.getByTestId('next-check')).toHaveCount(0);

    // The prober publishes; the page picks it up on its next read, still without probing.
    probe(`${sim.page}lookout.json`, offSpace.out);
    await page.reload();
    await expect(notice).toHaveAttribute('data-snapshot', 'current', UPDATE);
    await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'major_outage');
    const afterProber = backendCount((await sim.counts()).requests);
    await page.waitForTimeout(6_000);
    expect(backendCount((await sim.counts()).requests), 'the page itself never probed').toBe(afterProber);
  });
});
