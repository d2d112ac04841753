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

/** Removes navigator.gpu from a page or a worker, as a browser without WebGPU has none. */
const HIDE_GPU = `Object.defineProperty(Object.getPrototypeOf(navigator), 'gpu', { get: () => undefined, configurable: true });`;

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
      args: [...BASE_FLAGS, ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
      viewport: viewport ?? { width: 1366, height: 820 },
    });
    await context.route(
      (url) => !isLocal(url),
      (route) => {
        externalRequests.push(route.request().url());
        return route.abort();
      },
    );
    if (hideWebgpu) {
      // A browser without WebGPU: no navigator.gpu in the page (init script) nor in any worker —
      // the engine looks for the GPU from its worker, which an init script does not reach, so
      // each worker script is served with the same line in front. (No Chromium switch hides
      // navigator.gpu: tried --disable-blink-features=WebGPU and --disable-features=WebGPU.)
      await context.addInitScript(HIDE_GPU);
      await context.route(/\/assets\/[^/]*worker[^/]*\.js$/, async (route) => {
        try {
          const response = await route.fetch();
          const body = await response.text();
          await route.fulfill({ response, body: `${HIDE_GPU}\n${body}` });
        } catch {
          // The page closed while the worker script was in flight: there is no one left to serve.
        }
      });
    }
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
