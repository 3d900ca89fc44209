// The Issue #1278 story end to end: the real page, served from a bucket-like sub-path, probes
// the simulator cross-origin from Chromium and follows the incident from outage to recovery
// without a reload.
import { test, expect } from '../fixtures/sim';
import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Probing every 5 s (the minimum the config allows) keeps each transition under ~6 s. */
test.use({ simArgs: ['--probe-interval', '5'] });

const UPDATE = { timeout: 30_000 };

const COMPONENTS = [
  'vpc_connector',
  'cloud_sql',
  'redis',
  'load_balancer',
  'backend_service',
  'auth_service',
  'websocket',
];

async function expectStatuses(page: Page, expected: Record<string, string>) {
  for (const [id, status] of Object.entries(expected)) {
    await expect(page.locator(`[data-component="${id}"]`), id).toHaveAttribute('data-status', status, UPDATE);
  }
}

function all(status: string): Record<string, string> {
  return Object.fromEntries(COMPONENTS.map((id) => [id, status]));
}

for (const generation of ['v1', 'v2']) {
  test(`outage to recovery on the ${generation} backend, without a reload`, async ({ sim, page, pageErrors }) => {
    await sim.setScenario({ phase: 'outage', generation });
    const crossOrigin: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(sim.backend)) crossOrigin.push(request.url());
    });
    await page.goto(sim.page);
    const banner = page.locator('[data-testid="overall"]');
    await expect(banner).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await expect(banner).toContainText('Major outage');
    await expectStatuses(page, all('major_outage'));
    // Visible words say the same as the attribute, and the reason names the evidence.
    await expect(page.locator('[data-component="vpc_connector"]')).toContainText('Major outage');
    if (generation === 'v1') {
      await expect(page.locator('[data-component="redis"]')).toContainText('Error -3');
    }
    await expect(page.locator('[data-component="websocket"]')).toContainText(/before opening/);

    await sim.setScenario({ phase: 'recovered' });
    await expect(banner).toHaveAttribute('data-status', 'operational', UPDATE);
    await expect(banner).toContainText('All systems operational');
    await expectStatuses(page, all('operational'));
    await expect(page.locator('[data-component="websocket"]')).toContainText('1008');

    expect(crossOrigin.length, 'the page probes the backend on its own origin').toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });
}

test('the tab leads with the banner in words and shows its level as a shape', async ({ sim, page }) => {
  const icon = page.locator('link[rel~="icon"]');
  await page.goto(sim.page);
  await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', UPDATE);
  await expect(page).toHaveTitle('Major outage · #1278 Staging infrastructure connectivity failures (VPC connector / Cloud SQL timeouts)');
  await expect(icon).toHaveAttribute('href', 'favicon/major_outage.svg');
  await expect(icon).toHaveCount(1);
  // Each level's icon is served next to the page, as an SVG with its level in words.
  for (const level of ['operational', 'degraded', 'partial_outage', 'major_outage', 'maintenance', 'unknown']) {
    const response = await page.request.get(`${sim.page}favicon/${level}.svg`);
    expect(response.ok(), level).toBe(true);
    expect(response.headers()['content-type']).toContain('image/svg+xml');
    expect(await response.text()).toContain('<title>');
  }
  await sim.setScenario({ phase: 'recovered' });
  await expect(page).toHaveTitle(/^Operational · #1278 /, UPDATE);
  await expect(icon).toHaveAttribute('href', 'favicon/operational.svg');
});

test.describe('notifications the viewer asks for', () => {
  /** Records every notification the page shows (the browser's own Notification still runs). */
  const RECORD = () => {
    const shown: { title: string; body: string; tag: string }[] = [];
    (window as any).__notices = shown;
    const Original = window.Notification;
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
  };

  test('after a click and the permission: the banner change and criteria that flip, remembered', async ({ sim, page, context }) => {
    test.setTimeout(180_000);
    await context.grantPermissions(['notifications'], { origin: new URL(sim.page).origin });
    await page.addInitScript(RECORD);
    await page.goto(sim.page);
    const control = page.getByTestId('notify');
    await expect(control).toHaveAttribute('data-notify', 'off');
    await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await control.getByRole('button', { name: 'Notify me of changes' }).click();
    await expect(control).toHaveAttribute('data-notify', 'on');
    await sim.setScenario({ phase: 'recovered' });
    await expect
      .poll(() => page.evaluate(() => (window as any).__notices.map((n: any) => n.title)), { timeout: 120_000 })
      .toContainEqual('Operational · #1278');
    const notices: { title: string; body: string }[] = await page.evaluate(() => (window as any).__notices);
    expect(notices.find((n) => n.title === 'Operational · #1278')?.body).toContain('(was major outage)');
    await expect
      .poll(() => page.evaluate(() => (window as any).__notices.some((n: any) => /success criteria met/.test(n.title) && /Met: /.test(n.body))), { timeout: 120_000 })
      .toBe(true);
    // Remembered for this page and incident.
    await page.reload();
    await expect(page.getByTestId('notify')).toHaveAttribute('data-notify', 'on');
    await page.getByRole('button', { name: 'Notifications on · turn off' }).click();
    await expect(page.getByTestId('notify')).toHaveAttribute('data-notify', 'off');
  });

  test('a blocked permission is said in words and nothing is shown', async ({ sim, page }) => {
    // No permission granted: headless Chromium answers the prompt with "denied", as a browser
    // whose site settings block notifications does.
    await page.addInitScript(RECORD);
    await page.goto(sim.page);
    const control = page.getByTestId('notify');
    await expect(control).toHaveAttribute('data-notify', /^(off|denied)$/, UPDATE);
    await control.getByRole('button').click();
    await expect(control).toHaveAttribute('data-notify', 'denied');
    await expect(control).toContainText("blocked for this page in your browser's site settings");
    expect(await page.evaluate(() => (window as any).__notices.length)).toBe(0);
  });
});

test('partial recovery shows the database still degraded', async ({ sim, page }) => {
  await sim.setScenario({ phase: 'partial_recovery', generation: 'v2' });
  await page.goto(sim.page);
  await expectStatuses(page, {
    vpc_connector: 'operational',
    redis: 'operational',
    cloud_sql: 'degraded',
    auth_service: 'operational',
  });
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'degraded', UPDATE);
});

test('a backend that drops CORS headers is unknown with the reason, not an outage', async ({ sim, page }) => {
  await sim.setScenario({ phase: 'recovered' });
  await sim.fault({ service: 'auth', path: '/health', drop_cors: true });
  await page.goto(sim.page);
  const auth = page.locator('[data-component="auth_service"]');
  await expect(auth).toHaveAttribute('data-status', 'unknown', UPDATE);
  await expect(auth).toContainText('CORS');
  await expect(auth).toContainText(new URL(sim.page).origin);
  await expect(page.locator('[data-component="vpc_connector"]')).toHaveAttribute('data-status', 'operational', UPDATE);
  // One component unknown and the rest fine is not "all operational".
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'unknown', UPDATE);
});

test('an HTML page with HTTP 200 is unknown, never operational', async ({ sim, page }) => {
  await sim.setScenario({ phase: 'recovered' });
  await sim.fault({ service: 'auth', path: '/health', body: 'html' });
  await page.goto(sim.page);
  const auth = page.locator('[data-component="auth_service"]');
  await expect(auth).toHaveAttribute('data-status', 'unknown', UPDATE);
  await expect(auth).toContainText('HTML page instead of');
});

test.describe('an invalid configuration', () => {
  test.use({
    simArgs: ['--config-template', fileURLToPath(new URL('../fixtures/broken-config.json', import.meta.url))],
  });

  test('is explained, problem by problem, instead of a blank page', async ({ sim, page, pageErrors }) => {
    await page.goto(sim.page);
    const error = page.locator('[data-testid="config-error"]');
    await expect(error).toBeVisible(UPDATE);
    await expect(error).toContainText('is not valid');
    await expect(error).toContainText('$.services.legacy.base_url');
    await expect(error).toContainText('$.endpoints[0].service');
    await expect(error).toContainText('$.endpoints[0].path');
    await expect(error).toContainText('$.components[0].sources[0].endpoint');
    expect(pageErrors).toEqual([]);
  });
});

test('a missing configuration names the file and the HTTP status', async ({ sim, page }) => {
  await page.goto(`${sim.page}?config=missing.json`);
  const error = page.locator('[data-testid="config-error"]');
  await expect(error).toContainText('missing.json', UPDATE);
  await expect(error).toContainText('HTTP 404');
});

test.describe('a configuration with unknown fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-config-'));
  const config = JSON.parse(readFileSync(new URL('../../../config/lookout.json', import.meta.url), 'utf8'));
  config.incident.sevrity = 'high';
  config.theme_colour = 'red';
  writeFileSync(join(dir, 'lookout.json'), JSON.stringify(config));
  test.use({ simArgs: ['--config-template', join(dir, 'lookout.json')] });

  test('still loads, and lists what it ignored with JSON paths', async ({ sim, page }) => {
    await page.goto(sim.page);
    await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', /.+/, UPDATE);
    const warnings = page.getByTestId('config-warnings');
    await expect(warnings).toContainText('2 configuration warnings');
    await warnings.locator('summary').click();
    await expect(warnings).toContainText('$.incident.sevrity');
    await expect(warnings).toContainText('$.theme_colour');
    await expect(page.getByTestId('config-notes')).toContainText(/Configuration read (just now|\d+ s ago)/);
  });
});
