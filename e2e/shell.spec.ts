// The shell: settings in the link, hostile links, presentation mode, the runtime served locally.
// (Every view's navigation, at a laptop's and a phone's size, is in walk.spec.ts.)
import { test, expect } from './fixtures';

test('settings travel in the link, and a hostile link gives notices, not a crash', async ({
  page,
  shot,
}) => {
  await page.goto('./#/latency?topK=4&strategy=tp');
  await expect(page.getByTestId('panel-latency')).toBeVisible();
  // Navigating keeps the settings in the hash.
  await page.getByTestId('nav-parallelism').click();
  await expect(page).toHaveURL(/#\/parallelism\?topK=4&strategy=tp$/);

  await page.goto(
    './#/nowhere?topK=1e9&__proto__=x&gpus=%E0%A4%A&strategy=<script>alert(1)</script>',
  );
  await expect(page.getByTestId('panel-layer')).toBeVisible();
  const notices = page.getByTestId('notice');
  await expect(notices.first()).toBeVisible();
  const text = (await page.getByTestId('notices').innerText()).replace(/\s+/g, ' ');
  expect(text).toContain('Unknown view "nowhere"');
  expect(text).toContain('topK');
  expect(text).toContain('unknown setting "__proto__"');
  expect(text).toContain('badly encoded');
  expect(text).toMatch(/Ignored strategy=/);
  // The clamped value is in the repaired link.
  await expect(page).toHaveURL(/topK=32/);
  await shot('shell-hostile-link-notices');
});

test('presentation mode enlarges the type and is kept in the link', async ({ page, shot }) => {
  await page.goto('./#/device');
  const size = () =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await size();
  await page.getByTestId('presentation-toggle').check();
  await expect(page).toHaveURL(/presentation=1/);
  expect(await size()).toBeGreaterThan(before * 1.2);
  await expect(page.getByTestId('selftest-result')).toBeVisible();
  await shot('shell-presentation-device');
});

test('the onnxruntime-web runtime is served by the site itself', async ({ page, request }) => {
  await page.goto('./');
  for (const f of ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']) {
    const res = await request.head(`ort/${f}`);
    expect(res.status(), f).toBe(200);
  }
});
