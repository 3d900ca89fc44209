// Politeness and endurance: what the page costs a struggling backend, measured on the
// simulator's own request counters, and what survives a reload.
import { test, expect } from '../fixtures/sim';
import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test.use({ simArgs: ['--probe-interval', '5', '--phase', 'recovered'] });

const UPDATE = { timeout: 30_000 };
/** The endpoints of the default config, as the simulator counts them. */
const ENDPOINTS = [
  'backend GET /health',
  'backend GET /health/ready',
  'backend GET /health/infrastructure',
  'auth GET /health',
  'backend GET /ws/health',
  'backend WS /ws',
];

async function setVisibility(page: Page, hidden: boolean) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

function pick(counts: Record<string, number>): number[] {
  return ENDPOINTS.map((key) => counts[key] ?? 0);
}

test('a hidden tab makes no requests; returning makes exactly one per endpoint', async ({ sim, page }) => {
  test.setTimeout(90_000);
  await page.goto(sim.page);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'operational', UPDATE);
  await setVisibility(page, true);
  // Let probes already in flight (the WebSocket probe lingers 1.5 s) finish.
  await page.waitForTimeout(2_500);
  const hiddenAt = pick((await sim.counts()).requests);
  await page.waitForTimeout(12_000);
  expect(pick((await sim.counts()).requests), 'no request while hidden').toEqual(hiddenAt);

  await setVisibility(page, false);
  await page.waitForTimeout(3_000);
  const back = pick((await sim.counts()).requests);
  expect(back, 'exactly one probe per endpoint on return').toEqual(hiddenAt.map((n) => n + 1));
});

test('an endpoint slower than its interval never has two requests in flight', async ({ sim, page }) => {
  test.setTimeout(60_000);
  await sim.fault({ service: 'backend', path: '/health/ready', latency_ms: 4_500 });
  await page.goto(sim.page);
  await page.waitForTimeout(25_000);
  const counts = await sim.counts();
  expect(counts.requests['backend GET /health/ready']).toBeGreaterThanOrEqual(2);
  expect(counts.in_flight_max['backend GET /health/ready']).toBe(1);
});

test('a failing endpoint is probed at growing gaps, and normally again after it recovers', async ({ sim, page }) => {
  test.setTimeout(120_000);
  const times: number[] = [];
  page.on('request', (request) => {
    if (request.url() === `${sim.auth}/health` && request.method() === 'GET') times.push(Date.now());
  });
  await sim.fault({ service: 'auth', path: '/health', status: 503 });
  await page.goto(sim.page);
  await expect.poll(() => times.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
  const failing = times.slice(1).map((t, i) => t - times[i]);
  // 5 s interval doubled per failure (±10% jitter), capped at 4x: ~10 s, ~20 s, ~20 s.
  expect(failing[0]).toBeGreaterThan(8_000);
  expect(failing[1]).toBeGreaterThan(failing[0] * 1.5);

  await sim.clearFaults();
  const recoveredFrom = times.length;
  await expect.poll(() => times.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(recoveredFrom + 3);
  const healthy = times.slice(recoveredFrom + 1).map((t, i) => t - times[recoveredFrom + i]);
  for (const gap of healthy) expect(gap).toBeLessThan(7_000);
  await expect(page.locator('[data-component="auth_service"]')).toHaveAttribute('data-status', 'operational');
});

test('refresh now probes at once, without doubling requests in flight', async ({ sim, page }) => {
  await page.goto(sim.page);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'operational', UPDATE);
  await page.waitForTimeout(2_000);
  const before = (await sim.counts()).requests['backend GET /health'];
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.waitForTimeout(1_000);
  const after = await sim.counts();
  expect(after.requests['backend GET /health']).toBe(before + 1);
  expect(after.in_flight_max['backend GET /health']).toBe(1);
  await expect(page.getByTestId('updated')).toContainText(/Updated (just now|\d+ s ago)/);
});

test('offline stops probing and says so; online resumes', async ({ sim, page, context }) => {
  await page.goto(sim.page);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'operational', UPDATE);
  await context.setOffline(true);
  await expect(page.getByTestId('offline')).toContainText(/You are offline: showing data from \d\d:\d\d/);
  await page.waitForTimeout(2_500);
  const offlineAt = pick((await sim.counts()).requests);
  await page.waitForTimeout(7_000);
  expect(pick((await sim.counts()).requests)).toEqual(offlineAt);
  await context.setOffline(false);
  await expect(page.getByTestId('offline')).toHaveCount(0);
  await expect.poll(async () => pick((await sim.counts()).requests)[0], { timeout: 10_000 }).toBeGreaterThan(offlineAt[0]);
});

test('history survives a reload; a corrupted entry does not break the page', async ({ sim, page, consoleErrors }) => {
  test.setTimeout(90_000);
  await page.goto(sim.page);
  const bars = page.locator('[data-component="redis"] .history__bars rect:not(.bar--empty)');
  await expect.poll(() => bars.count(), UPDATE).toBeGreaterThanOrEqual(2);
  const before = await bars.count();
  await page.reload();
  await expect.poll(() => bars.count(), UPDATE).toBeGreaterThan(before);
  await expect(page.locator('[data-component="redis"] .history__uptime')).toContainText('% up');

  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.evaluate(() => localStorage.setItem('lookout:/bucket/status/:1278:history', '{"schema":1,"incident":"1278","components":{"redis":[{"at":"x"'));
  await page.reload();
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'operational', UPDATE);
  await expect.poll(() => warnings.join('\n')).toContain('stored history is corrupt');
  await expect.poll(() => bars.count(), UPDATE).toBeGreaterThanOrEqual(1);
  expect(consoleErrors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
});

test.describe('a published history file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-history-'));
  const config = JSON.parse(readFileSync(new URL('../../../config/lookout.json', import.meta.url), 'utf8'));
  config.probing.history_url = 'history.json';
  writeFileSync(join(dir, 'lookout.json'), JSON.stringify(config));
  const now = Math.floor(Date.now() / 1000);
  const samples = Array.from({ length: 20 }, (_, i) => ({ at: now - 3600 + i * 60, status: 'major_outage' }));
  writeFileSync(
    join(dir, 'history.json'),
    JSON.stringify({ schema: 1, incident: '1278', components: { redis: samples } }),
  );
  test.use({
    simArgs: [
      '--probe-interval', '5', '--phase', 'recovered',
      '--config-template', join(dir, 'lookout.json'),
      '--site-file', `history.json=${join(dir, 'history.json')}`,
    ],
  });

  test('is merged so a first-time viewer sees the past', async ({ sim, page }) => {
    await page.goto(sim.page);
    const outages = page.locator('[data-component="redis"] .history__bars rect.status--major_outage');
    await expect(outages).toHaveCount(20, UPDATE);
    await expect(page.locator('[data-component="redis"] .history__bars rect.status--operational')).not.toHaveCount(0, UPDATE);
    // 20 outage samples in the last two hours against the live operational ones.
    await expect(page.locator('[data-component="redis"] .history__uptime')).not.toContainText('100.0%');
  });
});
