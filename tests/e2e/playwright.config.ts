// Playwright configuration for Lookout's end-to-end tests.
//
// Every test starts its own simulator (fixtures/sim.ts) on ephemeral ports, so tests run in
// parallel without sharing state. The browser is Debian's Chromium: Playwright's own browser
// download cannot work on our machines. `cargo xtask test` sets the LOOKOUT_* variables.
import { defineConfig } from '@playwright/test';

const chromium = process.env.LOOKOUT_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './specs',
  outputDir: 'test-results',
  // `list` prints one line per test and the "N passed / N failed" summary the xtask parses.
  reporter: [['list']],
  workers: 2,
  retries: 0,
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  use: {
    browserName: 'chromium',
    headless: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      // Chromium's background traffic (updates, sync, QUIC probes) is refused here and only
      // slows start-up; the sandbox cannot work as root in a container.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
