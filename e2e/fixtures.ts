// Playwright fixtures: Debian's Chromium (never a downloaded browser), headless, with WebGPU on
// SwiftShader unless a test turns it off, a fresh profile per test, and no request allowed to
// leave this machine (the lab must load nothing from a CDN).
import { test as base, chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = 'e2e-artifacts/screenshots';

const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

type Options = {
  /** Start Chromium with WebGPU enabled (SwiftShader). */
  webgpu: boolean;
  /** A browser without WebGPU: no `navigator.gpu` in the page or its workers. */
  hideWebgpu: boolean;
};

type Fixtures = {
  externalRequests: string[];
  pageErrors: string[];
  shot: (name: string, target?: Page) => Promise<void>;
};

function isLocal(url: URL): boolean {
  return (
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
    url.protocol === 'data:' ||
    url.protocol === 'blob:'
  );
}

export const test = base.extend<Fixtures & Options>({
  webgpu: [true, { option: true }],
  hideWebgpu: [false, { option: true }],
  externalRequests: async ({}, use) => {
    await use([]);
  },
  pageErrors: async ({}, use) => {
    await use([]);
  },
  context: async ({ webgpu, hideWebgpu, externalRequests, viewport }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'moe-lab-e2e-'));
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Hiding WebGPU is a Blink feature switch, so it holds in the page and in every worker
      // (the engine looks for the GPU from its worker; an init script reaches only the page).
      args: [
        ...BASE_FLAGS,
        ...(webgpu && !hideWebgpu ? ['--enable-unsafe-webgpu'] : []),
        ...(hideWebgpu ? ['--disable-blink-features=WebGPU'] : []),
      ],
      viewport: viewport ?? { width: 1366, height: 820 },
    });
    await context.route(
      (url) => !isLocal(url),
      (route) => {
        externalRequests.push(route.request().url());
        return route.abort();
      },
    );
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },
  page: async ({ context, pageErrors }, use) => {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await use(page);
  },
  shot: async ({ page }, use) => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await use(async (name, target = page) => {
      await target.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    });
  },
});

test.afterEach(async ({ externalRequests, pageErrors }) => {
  expect(externalRequests, 'requests that left this machine').toEqual([]);
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

export { expect };
