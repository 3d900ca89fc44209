// Hostile input, end to end: the simulator's faults feed the real page broken, huge, deep,
// wrongly typed, markup-laden, non-UTF-8, dripping, resetting and redirecting answers, and the
// tests serve configuration and updates files that are not JSON, carry `javascript:` links, a
// bad timestamp or markup. For each: the page keeps working (another component still follows
// the scenario), only the affected part shows a specific reason (never a false green, never an
// outage for a failed probe), nothing is executed or injected, and the history is kept.
import { test, expect } from '../fixtures/sim';
import type { Page, Locator } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Probing every 5 s (the configuration's minimum) keeps each change under ~6 s. Tests start
 *  recovered (no backoff: every endpoint answers 200) and switch to the outage to show that the
 *  board still follows the backend. */
const SIM_ARGS = ['--probe-interval', '5', '--phase', 'recovered'];
test.use({ simArgs: SIM_ARGS });

const UPDATE = { timeout: 20_000 };
/** What the simulator's `hostile_strings` fault puts in every string (crates/sim/src/faults.rs). */
const HOSTILE =
  '<img src=x onerror=window.__pwned=1> <script>window.__pwned=1</script> "><svg onload=window.__pwned=1> javascript:window.__pwned=1';
const HISTORY_KEY = 'lookout:/bucket/status/:1278:history';
const DEFAULT_CONFIG = JSON.parse(readFileSync(new URL('../../../config/lookout.json', import.meta.url), 'utf8'));
const DEFAULT_UPDATES = JSON.parse(readFileSync(new URL('../../../config/updates.json', import.meta.url), 'utf8'));

interface Sample {
  at: number;
  status: string;
}

/** Dialogs the page opened; any is a failure. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

/** Records CSP violations (an injected inline handler or script would raise one). */
async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.sample}`), true);
  });
}

/** Everything that would betray executed or injected markup, as a list of findings. */
async function injections(page: Page): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  return page.evaluate((origin) => {
    const found: string[] = [];
    const w = window as unknown as { __pwned?: unknown; __cspViolations?: string[] };
    if (w.__pwned !== undefined) found.push(`window.__pwned = ${String(w.__pwned)}`);
    for (const v of w.__cspViolations ?? []) found.push(`CSP violation: ${v}`);
    document.querySelectorAll('img[src="x"]').forEach(() => found.push('img[src="x"]'));
    document.querySelectorAll('*').forEach((el) => {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`<${el.localName} ${attr.name}>`);
      }
    });
    document.querySelectorAll('script').forEach((s) => {
      const src = s.getAttribute('src');
      if (!src || new URL(src, document.baseURI).origin !== origin) found.push(`script ${src ?? s.textContent}`);
    });
    document.querySelectorAll('a[href], area[href], iframe[src], object, embed').forEach((el) => {
      const url = el.getAttribute('href') ?? el.getAttribute('src') ?? '';
      if (!/^(https?:|\/|\.|\?|#|[^:]*$)/i.test(url.trim()) || el.localName === 'object' || el.localName === 'embed') {
        found.push(`<${el.localName} ${url}>`);
      }
    });
    return found;
  }, origin);
}

/** The stored samples of one component. */
async function samples(page: Page, id: string): Promise<Sample[]> {
  return page.evaluate(
    ([key, id]) => {
      const text = localStorage.getItem(key);
      return text ? (JSON.parse(text).components?.[id] ?? []) : [];
    },
    [HISTORY_KEY, id],
  );
}

/** Waits until a component has at least one stored sample and the clock has moved past its
 *  second (samples within one second are merged), and returns the samples. */
async function recorded(page: Page, id: string): Promise<Sample[]> {
  await expect.poll(async () => (await samples(page, id)).length, UPDATE).toBeGreaterThan(0);
  const before = await samples(page, id);
  const last = before[before.length - 1].at;
  await expect.poll(() => Date.now() / 1000, UPDATE).toBeGreaterThan(last + 1);
  return before;
}

/** Every earlier sample is still stored, unchanged, and newer ones came after it (the
 *  component's own probe may answer after the one the caller waited for). */
async function expectHistoryKept(page: Page, id: string, before: Sample[]) {
  await expect.poll(async () => (await samples(page, id)).length, UPDATE).toBeGreaterThan(before.length);
  const after = await samples(page, id);
  for (const sample of before) {
    expect(after, `sample at ${sample.at} kept`).toContainEqual(expect.objectContaining(sample));
  }
  expect(after.length).toBeGreaterThan(before.length);
}

/** Probes at once ("Refresh now") instead of waiting for the next interval. */
async function refresh(page: Page) {
  await page.getByRole('button', { name: 'Refresh now' }).click();
}

function component(page: Page, id: string): Locator {
  return page.locator(`[data-component="${id}"]`);
}

/** A temporary copy of the default configuration, changed by `edit`; returns its path. */
function configFile(edit: (config: any) => void, name = 'lookout.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-hostile-'));
  const config = structuredClone(DEFAULT_CONFIG);
  edit(config);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

function textFile(name: string, text: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lookout-hostile-')), name);
  writeFileSync(path, text);
  return path;
}

test.beforeEach(async ({ page }) => {
  await watchCsp(page);
});

test.afterEach(async ({ pageErrors }) => {
  expect(pageErrors.filter((e) => /unreachable|panicked/i.test(e)), 'no panic').toEqual([]);
  expect(pageErrors).toEqual([]);
});

/** One fault on the auth service's `/health` (the only source of `auth_service`). */
interface EndpointCase {
  name: string;
  fault: Record<string, unknown>;
  reason: RegExp;
  /** Extra simulator arguments (e.g. a shorter probe timeout). */
  simArgs?: string[];
  /** The most body bytes the browser may download from the endpoint, when that matters. */
  maxBodyBytes?: number;
}

/** The auth endpoint probed with a 2 s timeout, so a slow body runs out quickly. */
const SHORT_TIMEOUT = configFile((config) => {
  config.endpoints.find((e: any) => e.id === 'auth_health').timeout_seconds = 2;
});

const ENDPOINT_CASES: EndpointCase[] = [
  { name: 'an HTML page with HTTP 200', fault: { body: 'html' }, reason: /HTTP 200 OK with an HTML page instead of a health payload/ },
  { name: 'truncated JSON', fault: { body: 'truncated' }, reason: /truncated JSON \(the body ends mid-document\)/ },
  {
    name: 'a 10 MB body',
    fault: { body: 'huge' },
    reason: /response body too large \(over 1024 KB\), not read/,
    // The page stops reading (and the browser downloading) soon after 1 MB.
    maxBodyBytes: 3 * 1024 * 1024,
  },
  { name: 'JSON nested 10,000 deep', fault: { body: 'deep' }, reason: /JSON nested too deeply/ },
  { name: 'wrong types everywhere', fault: { body: 'wrong_types' }, reason: /^service: an array where a status word was expected$/ },
  { name: 'invalid UTF-8', fault: { body: 'invalid_utf8' }, reason: /not valid UTF-8 \(byte 0xff at offset \d+\)/ },
  {
    name: 'a slow drip longer than the timeout',
    fault: { body: 'slow_drip', drip_ms: 6_000 },
    reason: /body did not finish within 2\.0 s/,
    simArgs: ['--config-template', SHORT_TIMEOUT],
  },
  { name: 'a connection reset', fault: { reset: true }, reason: /unreachable: no connection could be made/ },
  { name: 'a redirect to another origin', fault: { body: 'redirect' }, reason: /redirect to another address, which the browser refused to follow/ },
];

for (const c of ENDPOINT_CASES) {
  test.describe(c.name, () => {
    test.use({ simArgs: [...SIM_ARGS, ...(c.simArgs ?? [])] });

    test(`${c.name}: auth is unknown with the reason, the rest keeps working`, async ({ sim, page }) => {
      const dialogs = watchDialogs(page);
      const downloads: Promise<number>[] = [];
      let aborted = 0;
      page.on('requestfinished', (request) => {
        if (request.url() === `${sim.auth}/health`) downloads.push(request.sizes().then((s) => s.responseBodySize));
      });
      page.on('requestfailed', (request) => {
        if (request.url() === `${sim.auth}/health`) aborted += 1;
      });
      await page.goto(sim.page);
      const auth = component(page, 'auth_service');
      await expect(auth).toHaveAttribute('data-status', 'operational', UPDATE);
      const before = await recorded(page, 'auth_service');

      // HTTP 200 (unless the fault is about the status), so only the body can be to blame.
      const status = c.fault.body === 'redirect' || c.fault.reset ? {} : { status: 200 };
      await sim.fault({ service: 'auth', path: '/health', ...c.fault, ...status });
      await sim.setScenario({ phase: 'outage' });
      await refresh(page);
      // Only the affected component: unknown with a specific reason, not an outage, not green.
      await expect(auth).toHaveAttribute('data-status', 'unknown', UPDATE);
      await expect(auth.locator('.component__reason')).toHaveText(c.reason);
      await expect(auth).toContainText('Unknown');
      // The rest of the board follows the scenario.
      await expect(component(page, 'vpc_connector')).toHaveAttribute('data-status', 'major_outage', UPDATE);
      await expect(component(page, 'redis')).toHaveAttribute('data-status', 'major_outage', UPDATE);
      await expect(auth).toHaveAttribute('data-status', 'unknown');

      await expectHistoryKept(page, 'auth_service', before);
      await expect.poll(async () => (await samples(page, 'auth_service')).at(-1)?.status, UPDATE).toBe('unknown');
      await expect(auth.locator('.history__bars rect.status--operational')).not.toHaveCount(0);
      if (c.maxBodyBytes !== undefined) {
        // Read whole, the body would have finished downloading; the page cancelled it instead.
        expect(Math.max(...(await Promise.all(downloads)))).toBeLessThanOrEqual(c.maxBodyBytes);
        expect(aborted, 'the oversized download was cancelled').toBeGreaterThan(0);
      }
      expect(await injections(page)).toEqual([]);
      expect(dialogs).toEqual([]);
    });
  });
}

test.describe('a slow drip shorter than the timeout', () => {
  test.use({ simArgs: [...SIM_ARGS, '--config-template', SHORT_TIMEOUT] });

  test('is read, and no probe stays in flight after a timed-out drip', async ({ sim, page }) => {
    await sim.fault({ service: 'auth', path: '/health', body: 'slow_drip', drip_ms: 6_000 });
    await page.goto(sim.page);
    const auth = component(page, 'auth_service');
    await expect(auth.locator('.component__reason')).toContainText('body did not finish within 2.0 s', UPDATE);
    await sim.fault({ service: 'auth', path: '/health', body: 'slow_drip', drip_ms: 600 });
    await refresh(page);
    await expect(auth).toHaveAttribute('data-status', 'operational', UPDATE);
    // The aborted drips ended: nothing is left in flight and there was never more than one.
    await expect.poll(async () => (await sim.counts()).in_flight?.['auth GET /health'] ?? 0, UPDATE).toBe(0);
    expect((await sim.counts()).in_flight_max['auth GET /health']).toBe(1);
  });
});

test('hostile strings in health payloads are shown as text and never run', async ({ sim, page }) => {
  const dialogs = watchDialogs(page);
  await page.goto(sim.page);
  const redis = component(page, 'redis');
  await expect(redis).toHaveAttribute('data-status', 'operational', UPDATE);
  const before = await recorded(page, 'redis');

  await sim.fault({ service: 'backend', path: '/health/infrastructure', body: 'hostile_strings' });
  await sim.fault({ service: 'backend', path: '/health/ready', body: 'hostile_strings' });
  await sim.setScenario({ phase: 'outage' });
  await refresh(page);
  // The payloads still say the database and Redis are down: read as an outage, with the error
  // strings verbatim as text.
  await expect(redis.locator('.component__reason')).toContainText(`redis: error: ${HOSTILE}`, UPDATE);
  await expect(redis).toHaveAttribute('data-status', 'major_outage');
  await expect(component(page, 'cloud_sql').locator('.component__reason')).toContainText(HOSTILE);
  await expect(component(page, 'backend_service').locator('.evidence__source')).toContainText([HOSTILE], UPDATE);
  // An untouched endpoint follows the scenario as usual.
  await expect(component(page, 'auth_service')).toHaveAttribute('data-status', 'major_outage', UPDATE);
  await expectHistoryKept(page, 'redis', before);
  expect(await injections(page)).toEqual([]);
  expect(dialogs).toEqual([]);
});

test('negative control: the injection check notices injected markup', async ({ sim, page }) => {
  await page.goto(sim.page);
  await expect(component(page, 'auth_service')).toHaveAttribute('data-status', /.+/, UPDATE);
  expect(await injections(page)).toEqual([]);
  await page.evaluate((html) => {
    document.querySelector('[data-component="auth_service"] .component__reason')!.innerHTML = html;
    const link = document.createElement('a');
    link.setAttribute('href', 'javascript:window.__pwned=1');
    document.body.append(link);
  }, HOSTILE);
  const found = await injections(page);
  expect(found).toContainEqual('img[src="x"]');
  expect(found).toContainEqual('<img onerror>');
  expect(found).toContainEqual('<svg onload>');
  expect(found).toContainEqual(expect.stringMatching(/^script /));
  expect(found).toContainEqual('<a javascript:window.__pwned=1>');
  // The strict CSP refused the inline handler, and the check saw that too.
  await expect.poll(async () => (await injections(page)).filter((f) => f.startsWith('CSP violation')).length).toBeGreaterThan(0);
});

test.describe('a configuration that is not JSON', () => {
  test.use({
    simArgs: [...SIM_ARGS, '--site-file', `not-json.json=${textFile('not-json.json', `<html><body><img src=x onerror=window.__pwned=1>\n{"incident": `)}`],
  });

  test('is named with the parse error; the history and the normal page survive', async ({ sim, page }) => {
    const dialogs = watchDialogs(page);
    await page.goto(sim.page);
    const before = await recorded(page, 'auth_service');

    await page.goto(`${sim.page}?config=not-json.json`);
    const error = page.locator('[data-testid="config-error"]');
    await expect(error).toContainText('not-json.json is not valid', UPDATE);
    await expect(error).toContainText('not valid JSON');
    await expect(page.locator('[data-component]')).toHaveCount(0);
    expect(await injections(page)).toEqual([]);

    await page.goto(sim.page);
    await expect(component(page, 'auth_service')).toHaveAttribute('data-status', 'operational', UPDATE);
    await sim.setScenario({ phase: 'outage' });
    await refresh(page);
    await expect(component(page, 'vpc_connector')).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await expectHistoryKept(page, 'auth_service', before);
    expect(dialogs).toEqual([]);
  });
});

test.describe('a configuration with javascript: links', () => {
  const path = configFile((config) => {
    config.incident.links = [{ label: 'Issue', url: 'javascript:alert(1)' }];
    config.action_items[0].links = [{ label: 'Runbook', url: 'JavaScript:window.__pwned=1' }];
  }, 'js-links.json');
  test.use({ simArgs: [...SIM_ARGS, '--site-file', `js-links.json=${path}`] });

  test('is refused with each link JSON path and nothing clickable', async ({ sim, page }) => {
    const dialogs = watchDialogs(page);
    await page.goto(sim.page);
    const before = await recorded(page, 'auth_service');

    await page.goto(`${sim.page}?config=js-links.json`);
    const error = page.locator('[data-testid="config-error"]');
    await expect(error).toContainText('js-links.json is not valid', UPDATE);
    await expect(error).toContainText('$.incident.links[0].url');
    await expect(error).toContainText('$.action_items[0].links[0].url');
    await expect(error).toContainText('javascript:alert(1)');
    await expect(page.locator('a[href*="script:" i]')).toHaveCount(0);
    expect(await injections(page)).toEqual([]);

    await page.goto(sim.page);
    await sim.setScenario({ phase: 'outage' });
    await refresh(page);
    await expect(component(page, 'vpc_connector')).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await expectHistoryKept(page, 'auth_service', before);
    expect(dialogs).toEqual([]);
  });
});

test.describe('an updates file with a bad timestamp', () => {
  const updates = structuredClone(DEFAULT_UPDATES);
  updates.updates[1].at = 'Tuesday around noon';
  test.use({ simArgs: [...SIM_ARGS, '--updates-template', textFile('updates.json', JSON.stringify(updates))] });

  test('names the entry and still shows the others', async ({ sim, page }) => {
    const dialogs = watchDialogs(page);
    await page.goto(sim.page);
    const problems = page.getByTestId('updates-problems');
    await expect(problems).toContainText('$.updates[1].at', UPDATE);
    await expect(problems).toContainText('Tuesday around noon');
    const feed = page.locator('.updates__list .update__text');
    await expect(feed).toHaveCount(updates.updates.length - 1);
    await expect(feed.filter({ hasText: 'Issue #1278 opened as P0' })).toHaveCount(1);
    await expect(feed.filter({ hasText: 'Infrastructure team handoff active' })).toHaveCount(1);
    const before = await recorded(page, 'auth_service');
    await sim.setScenario({ phase: 'outage' });
    await refresh(page);
    await expect(component(page, 'vpc_connector')).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await expectHistoryKept(page, 'auth_service', before);
    expect(await injections(page)).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

test.describe('markup in the configuration and the updates', () => {
  const config = configFile((config) => {
    config.incident.title = HOSTILE;
    const auth = config.components.find((c: any) => c.id === 'auth_service');
    auth.name = HOSTILE;
    auth.description = HOSTILE;
    config.action_items[0].problem = HOSTILE;
  });
  const updates = structuredClone(DEFAULT_UPDATES);
  updates.updates[0].text = HOSTILE;
  updates.updates[0].author = HOSTILE;
  updates.updates[2].links = [{ label: HOSTILE, url: 'javascript:window.__pwned=1' }];
  test.use({
    simArgs: [
      ...SIM_ARGS,
      '--config-template', config,
      '--updates-template', textFile('updates.json', JSON.stringify(updates)),
    ],
  });

  test('is shown as text; a javascript: update link is refused by path', async ({ sim, page }) => {
    const dialogs = watchDialogs(page);
    await page.goto(sim.page);
    const auth = component(page, 'auth_service');
    await expect(auth.locator('.component__name')).toContainText(HOSTILE, UPDATE);
    await expect(auth.locator('.component__description')).toHaveText(HOSTILE);
    await expect(page.locator('h1')).toContainText(HOSTILE);
    await expect(page.locator('[data-action="vpc_connector"]')).toContainText(HOSTILE);
    await expect(page.locator('.updates__list .update__text').filter({ hasText: HOSTILE })).toHaveCount(1);
    await expect(page.getByTestId('updates-problems')).toContainText('$.updates[2].links[0].url');
    await expect(page.locator('a[href*="script:" i]')).toHaveCount(0);
    const before = await recorded(page, 'auth_service');
    await sim.setScenario({ phase: 'outage' });
    await refresh(page);
    await expect(component(page, 'vpc_connector')).toHaveAttribute('data-status', 'major_outage', UPDATE);
    await expectHistoryKept(page, 'auth_service', before);
    expect(await injections(page)).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
