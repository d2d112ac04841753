import { defineConfig } from '@playwright/test';

// The e2e tests run against the built site (npm run build), served under a sub-path the way
// a GitHub Pages project page serves it, in Debian's Chromium (see e2e/fixtures.ts).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 600_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  // Two browsers at once: a WebGPU model load on SwiftShader is mostly one thread compiling
  // shaders, so a second test file uses the other core meanwhile. E2E_WORKERS=1 runs them in turn.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'reports/e2e.json' }]] : 'list',
  use: { baseURL: `http://127.0.0.1:${port}/moe-lab/` },
  webServer: {
    command: `node scripts/serve-static.mjs --dir ${process.env.E2E_DIST ?? 'dist'} --prefix /moe-lab/ --port ${port}`,
    url: `http://127.0.0.1:${port}/moe-lab/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});
