// After one visit the lab reloads with no network at all. To be sure the page is answered by the
// service worker's caches and not by a server that is still up, this test serves the built site
// itself (same sub-path as GitHub Pages) and stops that server before going offline.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { PANELS } from '../src/panels/registry';

const DIST = process.env.E2E_DIST ?? 'dist';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function serve(port: number, dir = DIST): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['scripts/serve-static.mjs', '--dir', dir, '--prefix', '/moe-lab/', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-static exited (${code})`)));
    child.stdout!.once('data', () => resolve());
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test('after the first visit the lab reloads offline, every view included', async ({
  page,
  context,
  shot,
}) => {
  const port = await freePort();
  const server = await serve(port);
  const root = `http://127.0.0.1:${port}/moe-lab/`;
  try {
    await page.goto(`${root}#/device`);
    await expect(page.getByTestId('panel-device')).toBeVisible();
    // The worker installs (precaching the shell) and takes control of this page.
    const scope = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) =>
          navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }),
        );
      return reg.scope;
    });
    expect(scope).toBe(root);
    const shellCaches = await page.evaluate(async () =>
      (await caches.keys()).filter((k) => k.startsWith('moe-lab-shell')),
    );
    expect(shellCaches).toHaveLength(1);
    // A model file the pack loader kept (src/loading/modelCache.ts) is there offline too.
    await page.evaluate(async (u) => {
      const cache = await caches.open('moe-lab-models-v1');
      await cache.put(`${u}models/kept.json`, new Response('{"kept":true}'));
    }, root);
  } finally {
    await stop(server);
  }

  await context.setOffline(true);
  // Nothing answers on that port any more: the network really is gone.
  expect(
    await page.evaluate(
      (u) =>
        fetch(u).then(
          () => 'up',
          () => 'down',
        ),
      `${root}nope`,
    ),
  ).toBe('down');

  await page.reload();
  await expect(page.getByTestId('panel-device')).toBeVisible();
  await expect(page.getByTestId('selftest-result')).toBeVisible();
  await expect(page.getByTestId('selftest-result')).toHaveAttribute('data-matches', '256');
  await shot('offline-device');

  // Every view's lazily loaded code comes from the cache too.
  for (const p of PANELS) {
    await page.getByTestId(`nav-${p.id}`).click();
    await expect(page.getByTestId(`panel-${p.id}`)).toBeVisible();
  }
  // A fresh navigation (not a reload) works as well, and every file the worker promised to
  // keep — onnxruntime-web's runtime included, under each of its names — is there.
  await page.goto(`${root}#/simulator`);
  await expect(page.getByTestId('panel-simulator')).toBeVisible();
  const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
  const manifest = JSON.parse(/const MANIFEST = (\{.*\});/.exec(sw)![1]!) as {
    entries: { url: string; aliases?: string[] }[];
  };
  const urls = manifest.entries.flatMap((e) => [e.url, ...(e.aliases ?? [])]);
  expect(urls).toContain('ort/ort-wasm-simd-threaded.asyncify.wasm');
  expect(urls).toContain('models/family.json'); // the lesson's measured family, offline too
  const missing = await page.evaluate(
    async ({ base, urls }) => {
      const bad: string[] = [];
      for (const u of urls) {
        const r = await fetch(base + u).catch(() => null);
        if (!r?.ok) bad.push(u);
        else await r.arrayBuffer();
      }
      return bad;
    },
    { base: root, urls },
  );
  expect(missing, 'precached files missing offline').toEqual([]);
  expect(
    await page.evaluate((u) => fetch(`${u}models/kept.json`).then((r) => r.json()), root),
  ).toEqual({
    kept: true,
  });
  await shot('offline-simulator');
  await context.setOffline(false);
});

test('a new deployment replaces the cached shell and reuses unchanged files', async ({ page }) => {
  // A private copy of the build, so this test can "deploy" a new version into it.
  const dir = await mkdtemp(join(tmpdir(), 'moe-lab-deploy-'));
  await cp(DIST, dir, { recursive: true });
  const port = await freePort();
  const server = await serve(port, dir);
  const root = `http://127.0.0.1:${port}/moe-lab/`;
  const shellCaches = () =>
    page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('moe-lab-shell')));
  try {
    await page.goto(`${root}#/latency`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) =>
          navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }),
        );
    });
    const [before] = await shellCaches();

    // Version 2: index.html changed, everything else as it was. The ORT wasm is removed from
    // the server: installing v2 can only succeed by copying it from v1's cache.
    const html = (await readFile(join(dir, 'index.html'), 'utf8')).replace(
      '<title>',
      '<meta name="moe-lab-test-version" content="2" /><title>',
    );
    await writeFile(join(dir, 'index.html'), html);
    await rm(join(dir, 'ort/ort-wasm-simd-threaded.asyncify.wasm'));
    const sw = await readFile(join(dir, 'sw.js'), 'utf8');
    const v1 = /"version":"([0-9a-f]+)"/.exec(sw)![1]!;
    await writeFile(
      join(dir, 'sw.js'),
      sw
        .replace(`"version":"${v1}"`, '"version":"v2test"')
        .replace(/("url":"index.html","revision":")[0-9a-f]+/, '$1changed'),
    );

    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      const changed = new Promise((r) =>
        navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }),
      );
      await reg!.update();
      await changed;
    });
    await expect.poll(shellCaches).toEqual([before!.replace(v1, 'v2test')]);
    const wasm = await page.evaluate(async (u) => {
      const r = await fetch(`${u}ort/ort-wasm-simd-threaded.asyncify.wasm`);
      return r.ok ? (await r.arrayBuffer()).byteLength : r.status;
    }, root);
    expect(wasm).toBeGreaterThan(1_000_000);
    await page.reload();
    await expect(page.locator('meta[name="moe-lab-test-version"]')).toHaveAttribute('content', '2');
    await expect(page.getByTestId('panel-latency')).toBeVisible();
  } finally {
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
});
