// Everywhere stakeholders look: the wiki embed, light and dark, phone to wall display, and
// accessibility checked by axe-core in each.
import { test, expect } from '../fixtures/sim';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

test.use({ simArgs: ['--probe-interval', '5', '--incident-age-minutes', '250'] });

const SHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });
const READY = { timeout: 30_000 };

test('the embed fits a 600x300 iframe and links to the full page in a new tab', async ({ sim, page }) => {
  await page.setViewportSize({ width: 600, height: 300 });
  await page.goto(`${sim.page}?embed=1`);
  await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', READY);
  await expect(page.getByTestId('criteria-tally')).toHaveText('0 of 5 success criteria met');
  await expect(page.locator('[data-component]')).toHaveCount(7);
  await expect(page.getByTestId('cadence')).toContainText('Next update due');
  const link = page.getByTestId('open-full');
  await expect(link).toHaveAttribute('target', '_blank');
  expect(await link.getAttribute('href')).not.toContain('embed');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no horizontal scroll').toBeLessThanOrEqual(0);
  await expect(page.locator('.freshness, .criteria, .timeline')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}embed-600x300.png` });
});

test('an embedded page posts its height to the wiki page around it', async ({ sim, page }) => {
  await page.setContent(`
    <script>
      window.heights = [];
      addEventListener('message', (event) => {
        if (event.data && event.data.type === 'lookout:height') window.heights.push(event.data.height);
      });
    </script>
    <iframe title="Incident status" src="${sim.page}?embed=1" width="600" height="300"></iframe>`);
  await expect.poll(() => page.evaluate(() => (window as any).heights.at(-1) ?? 0), READY).toBeGreaterThan(100);
});

test('the theme follows ?theme=, the toggle, and is remembered', async ({ sim, page }) => {
  await page.goto(`${sim.page}?theme=dark`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.goto(sim.page);
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toHaveText('Theme: system');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-toggle')).toHaveText('Theme: dark');
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [name, width, height] of [
    ['phone', 360, 800],
    ['laptop', 1280, 800],
    ['wall', 1920, 1080],
  ] as const) {
    test(`${name} ${width}px in ${scheme}: no horizontal scroll, no axe violations`, async ({ sim, page }) => {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.setViewportSize({ width, height });
      await page.goto(sim.page);
      await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', READY);
      await expect(page.locator('[data-criterion]')).toHaveCount(5);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'no horizontal scroll').toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}${name}-${width}-${scheme}.png`, fullPage: false });
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    });
  }
  test(`embed in ${scheme}: no axe violations`, async ({ sim, page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 600, height: 300 });
    await page.goto(`${sim.page}?embed=1`);
    await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', READY);
    await page.screenshot({ path: `${SHOTS}embed-${scheme}.png` });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  });
}

test('every control is reachable by keyboard with a visible focus', async ({ sim, page }) => {
  await page.goto(sim.page);
  await expect(page.getByTestId('overall')).toHaveAttribute('data-status', 'major_outage', READY);
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return { text: (el.textContent || '').trim().slice(0, 40), outline: style.outlineStyle };
    });
    if (focused) {
      expect(focused.outline, `focus ring on "${focused.text}"`).not.toBe('none');
      reached.add(focused.text);
    }
  }
  for (const control of ['Theme: system', 'Refresh now', 'Copy status update']) {
    expect([...reached]).toContain(control);
  }
});
