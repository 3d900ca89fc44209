// Smoke test: the page loads from the simulated bucket, renders an overall status, and throws
// nothing. The real behaviour is specified in the other specs.
import { test, expect } from '../fixtures/sim';

const STATUSES = /^(operational|degraded|partial_outage|major_outage|maintenance|unknown)$/;

test('the page shows an overall status', async ({ sim, page, pageErrors }) => {
  await page.goto(sim.page);
  await expect(page.locator('[data-testid="overall"]')).toHaveAttribute('data-status', STATUSES, {
    timeout: 15_000,
  });
  expect(pageErrors).toEqual([]);
});
