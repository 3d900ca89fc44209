import { test, expect } from '../fixtures/sim';
test.use({ simArgs: ['--phase', 'recovery'] });
test('control api', async ({ sim, page, consoleErrors }) => {
  await sim.setScenario({ phase: 'recovery', generation: 'v2' });
  await sim.fault({ endpoint: '/health', status: 503 });
  await sim.clearFaults();
  expect(await sim.counts()).toEqual({ health: 0 });
  await sim.reset();
  await page.goto(sim.page);
  await expect.poll(() => consoleErrors.length).toBeGreaterThan(0);
  expect(sim.log()).toContain('--phase recovery');
});
