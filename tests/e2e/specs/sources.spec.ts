// Nobody can make the status URL say what they want. A link's `?config=` is read only from the
// page's own directory (or a prefix the deployment lists in index.html): a foreign origin, a
// `../` or `%2e%2e/` escape and another bucket on the same origin are refused with a message
// naming the URL and the rule, and the simulator's request counts prove nothing was fetched.
// A history forged by another page on the same origin changes no status, criterion or banner.
// A build scoped with `xtask scope --deploy-url` ships a CSP whose script-src, style-src and
// connect-src name the deployment's path, and the page runs under it without a violation.
import { test, expect } from '../fixtures/sim';
import type { Page, Browser } from '@playwright/test';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = process.env.LOOKOUT_DIST || join(repo, 'dist');
const XTASK = process.env.LOOKOUT_XTASK_BIN || join(repo, 'target/debug/xtask');
const RENDER = { timeout: 20_000 };
const STATUSES = /^(operational|degraded|partial_outage|major_outage|maintenance|unknown)$/;
const COMPONENTS = ['vpc_connector', 'cloud_sql', 'redis', 'load_balancer', 'backend_service', 'auth_service', 'websocket'];

/** A config that claims everything is fine: what an attacker would like the URL to show. */
const SPOOF = JSON.stringify({
  schema_version: 1,
  incident: { id: '1278', title: 'RESOLVED: all systems operational (spoofed)', started_at: '2025-09-15T00:00:00Z' },
  services: { s: { name: 'S', base_url: 'https://example.com' } },
  endpoints: [{ id: 'e', name: 'E', service: 's', path: '/' }],
  components: [{ id: 'c', name: 'Everything', sources: [{ endpoint: 'e' }] }],
});

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lookout-sources-')), name);
  writeFileSync(path, text);
  return path;
}

/** A copy of the build, scoped by the task runner as a deployer would scope theirs. */
function scopedCopy(...options: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-dist-'));
  cpSync(DIST, dir, { recursive: true });
  if (options.length) execFileSync(XTASK, ['scope', dir, ...options], { stdio: 'pipe' });
  return dir;
}

const spoofFile = file('fake.json', SPOOF);
const OTHER_BUCKET = '/other-bucket/fake.json';

async function siteRequests(sim: { counts(): Promise<any> }): Promise<Record<string, number>> {
  return (await sim.counts()).site_requests ?? {};
}

/** Expects the page to refuse `asked` with the rule, and no request for anything like `needle`. */
async function expectRefused(page: Page, sim: any, query: string, shown: string | RegExp) {
  await page.goto(`${sim.page}?config=${query}`);
  const error = page.locator('[data-testid="config-error"]');
  await expect(error).toBeVisible(RENDER);
  await expect(error).toContainText('Refused to read');
  await expect(error).toContainText(shown);
  await expect(error).toContainText(`a file must be inside this page's directory ${sim.page}`);
  await expect(page.locator('[data-testid="overall"]')).toHaveCount(0);
  await expect(page.getByText('spoofed')).toHaveCount(0);
}

test.describe('where a config may come from', () => {
  test.use({ simArgs: ['--site-file', `${OTHER_BUCKET}=${spoofFile}`] });

  test('a config on a foreign origin is refused, and never fetched', async ({ sim, page, pageErrors }) => {
    const foreign = `${sim.auth}/lookout.json`;
    await expectRefused(page, sim, encodeURIComponent(foreign), foreign);
    const requests = (await sim.counts()).requests ?? {};
    expect(Object.keys(requests).filter((key) => key.startsWith('auth'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('../ and %2e%2e/ escapes out of the directory are refused, and never fetched', async ({ sim, page }) => {
    await expectRefused(page, sim, '../other/lookout.json', `${sim.site}/bucket/other/lookout.json`);
    // The query value is `%2e%2e/other/lookout.json`: the browser resolves the dots.
    await expectRefused(page, sim, '%252e%252e%2Fother%2Flookout.json', `${sim.site}/bucket/other/lookout.json`);
    // The query value is `..%2f..%2fother-bucket%2ffake.json`: a path a server would decode
    // into another bucket.
    await expectRefused(page, sim, '..%252f..%252fother-bucket%252ffake.json', 'climbs with . or .. once decoded');
    const fetched = Object.keys(await siteRequests(sim)).filter((key) => /other/.test(key));
    expect(fetched).toEqual([]);
  });

  test('another bucket on the same origin is refused; the count proves it is servable', async ({ sim, page }) => {
    await expectRefused(page, sim, OTHER_BUCKET, `${sim.site}${OTHER_BUCKET}`);
    expect((await siteRequests(sim))[`site GET ${OTHER_BUCKET}`]).toBeUndefined();
    // Negative control: the simulator does serve and count that file.
    expect((await page.request.get(`${sim.site}${OTHER_BUCKET}`)).ok()).toBe(true);
    expect((await siteRequests(sim))[`site GET ${OTHER_BUCKET}`]).toBe(1);
  });

  test('a config inside the directory is read and named on the page', async ({ sim, page }) => {
    await page.goto(`${sim.page}?config=lookout.json`);
    await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', STATUSES, RENDER);
    await expect(page.locator('[data-testid="config-source"]')).toHaveCount(0);
    await page.goto(`${sim.page}?config=./sub/../lookout.json`);
    await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', STATUSES, RENDER);
    await expect(page.locator('[data-testid="config-source"]')).toHaveCount(0);
  });
});

test.describe('a prefix the deployment lists', () => {
  const SHARED = '/shared/lookout/';
  test.use({
    simArgs: [
      '--site', scopedCopy('--allow-source', SHARED),
      '--site-file', `${SHARED}incident.json=${spoofFile}`,
      '--site-file', `/shared/other.json=${spoofFile}`,
    ],
  });

  test('is read and named; a file beside it is refused naming the list', async ({ sim, page }) => {
    await page.goto(`${sim.page}?config=${SHARED}incident.json`);
    await expect(page.locator('h1')).toContainText('spoofed', RENDER);
    await expect(page.locator('[data-testid="config-source"]')).toContainText(
      `This page reads the incident from ${sim.site}${SHARED}incident.json, not from its own lookout.json.`,
    );
    await page.goto(`${sim.page}?config=/shared/other.json`);
    const error = page.locator('[data-testid="config-error"]');
    await expect(error).toContainText(`or under a source this deployment allows (${sim.site}${SHARED})`, RENDER);
    expect((await siteRequests(sim))['site GET /shared/other.json']).toBeUndefined();
    expect((await siteRequests(sim))[`site GET ${SHARED}incident.json`]).toBe(1);
  });
});

/** Every component's, criterion's and the banner's status as shown. */
async function shown(page: Page): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {
    banner: await page.locator('[data-testid="overall"]').getAttribute('data-status'),
  };
  for (const id of COMPONENTS) {
    out[id] = await page.locator(`[data-component="${id}"]`).getAttribute('data-status');
  }
  for (const row of await page.locator('[data-criterion]').all()) {
    out[`criterion ${await row.getAttribute('data-criterion')}`] = await row.getAttribute('data-met');
  }
  return out;
}

/** Waits until every component has been checked at least once. */
async function settled(page: Page) {
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', STATUSES, RENDER);
  await expect
    .poll(() => page.evaluate(() => JSON.parse((window as any).lookoutModel()).rows.every((r: any) => r.checked_at)), RENDER)
    .toBe(true);
}

test('a history forged by another page on the same origin changes no status, criterion or banner', async ({ sim, page, browser }) => {
  // Another "bucket" on the same origin writes a well-formed history saying all is well, from
  // an hour ago up to a far future that would freeze the strips.
  await page.goto(`${sim.site}/other-bucket/`);
  await page.evaluate((ids) => {
    const now = Math.floor(Date.now() / 1000);
    const samples = (n: number) => Array.from({ length: n }, (_, i) => ({ at: now - 3600 + i * 60, status: 'operational' }));
    const components = Object.fromEntries(ids.map((id) => [id, [...samples(50), { at: 32503680000, status: 'operational' }]]));
    const forged = JSON.stringify({ schema: 1, incident: '1278', components });
    localStorage.setItem('lookout:/bucket/status/:1278:history', forged);
    localStorage.setItem('lookout:/bucket/status/:1278:live', '1');
  }, COMPONENTS);
  await page.goto(sim.page);
  await settled(page);

  const fresh = await (browser as Browser).newContext();
  const control = await fresh.newPage();
  await control.goto(sim.page);
  await settled(control);

  // Both pages probe the same simulator; criteria that count consecutive probes may be one
  // probe apart for a moment, so compare until they agree.
  await expect.poll(async () => JSON.stringify(await shown(control)), RENDER).toBe(JSON.stringify(await shown(page)));
  expect((await shown(page)).banner).not.toBe('operational');
  expect(Object.values(await shown(page)).filter((s) => s === 'operational').length).toBeLessThan(COMPONENTS.length);
  await expect(page.locator('[data-testid="history-note"]')).toHaveText(
    "History strips: This browser's own record of what it saw.",
  );
  // The forged future sample was dropped, so this browser's own samples are still recorded.
  await expect
    .poll(() => page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('lookout:/bucket/status/:1278:history') ?? '{}');
      const samples: { at: number; status: string }[] = stored.components?.vpc_connector ?? [];
      return samples.some((s) => s.at > 32503680000 - 1) ? 'future kept' : samples[samples.length - 1]?.status;
    }), RENDER)
    .toBe(await control.locator('[data-component="vpc_connector"]').getAttribute('data-status'));
  await fresh.close();
});

test.describe('a build scoped to its deployment', () => {
  const dir = scopedCopy();
  test.use({ simArgs: ['--site', dir, '--csp-as-built', '--site-file', `/other-bucket/evil.js=${file('evil.js', 'window.__evil = 1;')}`] });

  test('ships a path-scoped CSP, runs under it, and blocks another bucket', async ({ sim, page, pageErrors }) => {
    // The served config names this simulator's backends; scope the copy to them and to the
    // page's own directory, as `cargo xtask build --deploy-url` would.
    const config = file('lookout.json', await (await fetch(`${sim.page}lookout.json`)).text());
    execFileSync(XTASK, ['scope', dir, '--deploy-url', sim.page, '--config', config], { stdio: 'pipe' });

    await page.addInitScript(() => {
      const seen: unknown[] = [];
      (window as any).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI }), true);
    });
    await page.goto(sim.page);
    const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    expect(policy).not.toContain("'self'");
    expect(policy).toContain(`script-src ${sim.page} 'wasm-unsafe-eval'`);
    expect(policy).toContain(`style-src ${sim.page};`);
    const backend = new URL(sim.backend);
    expect(policy).toContain(`connect-src ${sim.page} ${backend.origin}`);
    expect(policy).not.toMatch(/connect-src[^;]*\b(https|wss):(\s|;)/);

    await settled(page);
    await expect
      .poll(async () => {
        const requests = (await sim.counts()).requests ?? {};
        return ['backend WS /ws', 'auth GET /health'].filter((k) => !requests[k]);
      }, RENDER)
      .toEqual([]);
    expect(await page.evaluate(() => (window as any).__cspViolations)).toEqual([]);
    expect(pageErrors).toEqual([]);

    // Negative control: a script and a file from another bucket on the same origin are blocked.
    await page.evaluate(async (site) => {
      const script = document.createElement('script');
      script.src = `${site}/other-bucket/evil.js`;
      document.head.appendChild(script);
      await fetch(`${site}/other-bucket/fake.json`).catch(() => undefined);
    }, sim.site);
    await expect
      .poll(async () => (await page.evaluate(() => (window as any).__cspViolations)).map((v: any) => v.directive).sort(), RENDER)
      .toEqual(['connect-src', 'script-src-elem']);
    expect(await page.evaluate(() => (window as any).__evil)).toBeUndefined();
    const site = await siteRequests(sim);
    expect(site['site GET /other-bucket/evil.js']).toBeUndefined();
    expect(site['site GET /other-bucket/fake.json']).toBeUndefined();
  });
});
