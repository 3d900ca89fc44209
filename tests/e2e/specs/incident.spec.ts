// The incident's own questions, end to end: how close are we (criteria), what does it cost
// (impact), when (timeline, cadence), and the digest people paste into chat.
import { test, expect } from '../fixtures/sim';
import type { Page } from '@playwright/test';

test.use({ simArgs: ['--probe-interval', '5', '--incident-age-minutes', '250'] });

/** A criterion's window is at least a minute of probes, and the report is read every 60 s. */
const SETTLE = { timeout: 120_000 };

async function criteria(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-criterion]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute('data-criterion'), row.getAttribute('data-met')])),
  );
}

for (const generation of ['v1', 'v2']) {
  test(`criteria go 0/5 to 3/5 to 5/5 as the ${generation} backend recovers`, async ({ sim, page }) => {
    test.setTimeout(360_000);
    await sim.setScenario({ phase: 'outage', generation });
    await page.goto(sim.page);
    const tally = page.getByTestId('criteria-tally');
    await expect(tally).toHaveText('0 of 5 success criteria met', SETTLE);
    await expect(page.locator('[data-criterion="validation_report"]')).toContainText('33.3', SETTLE);
    // The VPC criterion is "no error -3" and the VPC connector operational: it names the row's outage.
    await expect(page.locator('[data-criterion="vpc_no_error_3"] .criterion__summary')).toContainText('VPC connector major outage', SETTLE);
    for (const row of await page.locator('[data-criterion]').all()) {
      const progress = Number(await row.getAttribute('data-progress'));
      expect(progress).toBeGreaterThanOrEqual(0);
      expect(progress).toBeLessThan(100);
    }

    await sim.setScenario({ phase: 'partial_recovery' });
    await expect(tally).toHaveText('3 of 5 success criteria met', SETTLE);
    expect(await criteria(page)).toEqual({
      health_200: 'true',
      vpc_no_error_3: 'true',
      db_within_timeout: 'false',
      websocket_connections: 'true',
      validation_report: 'false',
    });
    await expect(page.locator('[data-criterion="validation_report"]')).toContainText('database_operations');
    await expect(page.locator('[data-criterion="vpc_no_error_3"] .criterion__summary')).toContainText('Every condition holds');

    await sim.setScenario({ phase: 'recovered' });
    await expect(tally).toHaveText('5 of 5 success criteria met', SETTLE);
    for (const row of await page.locator('[data-criterion]').all()) {
      await expect(row).toHaveAttribute('data-progress', '100');
    }
    await expect(page.locator('[data-area]')).toHaveCount(4);
    for (const area of await page.locator('[data-area]').all()) {
      await expect(area).toHaveAttribute('data-state', 'restored');
    }
  });
}

test('the VPC criterion is not met next to a VPC connector outage, even with no "error -3" left', async ({ sim, page }) => {
  test.setTimeout(180_000);
  // The misleading case: the connector's indicators all fail, but the backend's words
  // no longer say "error -3". The pattern condition holds; the criterion must not.
  await sim.setScenario({ phase: 'outage', generation: 'v1' });
  for (const path of ['/health/infrastructure', '/health/ready']) {
    await sim.fault({ service: 'backend', path, scrub: 'error -3' });
  }
  await page.goto(sim.page);
  await expect(page.locator('[data-component="vpc_connector"]')).toHaveAttribute('data-status', 'major_outage', SETTLE);
  const vpc = page.locator('[data-criterion="vpc_no_error_3"]');
  const evidence = vpc.locator('.evidence');
  // The condition's line and one per watched endpoint, each clean.
  await expect(evidence.filter({ hasText: 'No "error -3"' })).toHaveCount(3, SETTLE);
  for (const line of await evidence.filter({ hasText: 'No "error -3"' }).all()) {
    await expect(line).toHaveClass(/criterion--met/, SETTLE);
  }
  await expect(evidence.filter({ hasText: 'VPC connector major outage' })).toHaveClass(/criterion--not_met/);
  await expect(vpc).toHaveAttribute('data-met', 'false');
  await expect(vpc.locator('.criterion__summary')).toContainText('VPC connector');
  await expect(vpc.locator('.criterion__summary')).toContainText('major outage');
  // And it stays so: never "met" while the row is in an outage.
  await page.waitForTimeout(12_000);
  await expect(vpc).toHaveAttribute('data-met', 'false');
  await expect(page.locator('[data-component="vpc_connector"]')).toHaveAttribute('data-status', 'major_outage');
});

test('impact, timeline and cadence answer in plain words', async ({ sim, page }) => {
  await page.goto(sim.page);
  await expect(page.getByTestId('arr')).toHaveText('$500K+');
  const sentence = page.getByTestId('director-sentence');
  await expect(sentence).toContainText('Staging is down for 4 h 10 min', { timeout: 20_000 });
  await expect(sentence).toContainText('$500K+ ARR pipeline blocked');
  await expect(page.locator('[data-area="golden_path"]')).toHaveAttribute('data-state', 'blocked', { timeout: 20_000 });
  await expect(page.locator('[data-phase="diagnosis"]')).toHaveAttribute('data-progress', 'current');
  await expect(page.getByTestId('eta')).toContainText('Resolution expected');
  // The last update was 10 minutes ago and updates are due every 2 hours.
  await expect(page.getByTestId('cadence')).toContainText(/Next update due in 1 h (49|50) min/);
  await expect(page.getByTestId('cadence')).toHaveAttribute('data-state', 'on_track');
  await expect(page.locator('.update').first()).toContainText('Infrastructure team handoff active');
  await expect(page.locator('[data-action]')).toHaveCount(4);
  await expect(page.locator('[data-action="vpc_connector"] [data-status]').first()).toHaveAttribute('data-status', 'major_outage', { timeout: 20_000 });
});

test('copy status update puts a Markdown digest of the live state on the clipboard', async ({ sim, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(sim.page).origin });
  await page.goto(sim.page);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', 'major_outage', { timeout: 20_000 });
  await page.getByTestId('copy-digest').click();
  await expect(page.locator('.digest__outcome')).toHaveText('Copied as Markdown.');
  const digest = await page.evaluate(() => navigator.clipboard.readText());
  expect(digest).toContain('Major outage');
  expect(digest).toContain('0 of 5 success criteria met');
  expect(digest).toContain('$500K');
  expect(digest).not.toContain('<');
});
