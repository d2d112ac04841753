// Model-pack loading under trouble: a download cut off mid-way is retried and the engine still
// starts, and the notice tells the outcome (no "retrying" left behind); a download that keeps
// failing ends in an error whose advice names a control that is on the screen; a damaged copy
// kept in the browser's cache is detected, fetched again and reported.
import { test, expect } from './fixtures';

test.setTimeout(600_000);

test('an interrupted model download is retried and says so', async ({ page, context }) => {
  let cut = 0;
  await context.route('**/models/mixtral-style/moe.safetensors', async (route) => {
    if (cut++ === 0) return route.abort('connectionreset');
    // Hold the retry a moment so the per-file progress can be seen.
    await new Promise((r) => setTimeout(r, 2500));
    return route.continue();
  });
  await page.goto('./#/model?engineBackend=cpu');
  const loading = page.getByTestId('engine-loading');
  await expect(loading).toContainText('moe.safetensors', { timeout: 60_000 });
  await expect(loading).toContainText(/moe\.safetensors\s*retrying/);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'cpu', {
    timeout: 300_000,
  });
  expect(cut).toBeGreaterThanOrEqual(2);
  const notices = page.getByTestId('notices');
  await expect(notices).toContainText(
    /moe\.safetensors: the download was interrupted .*; retried once and it arrived complete/,
  );
  // The retry is over: nothing on screen may still say it is happening.
  await expect(notices).not.toContainText('retrying');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generated-text')).toHaveText('82', { timeout: 60_000 });
});

test('a download that keeps failing says what to do, and the control it names is there', async ({
  page,
  context,
}) => {
  let failing = true;
  await context.route('**/models/mixtral-style/moe.safetensors', (route) =>
    failing ? route.abort('connectionreset') : route.continue(),
  );
  await page.goto('./#/model?engineBackend=cpu');
  const error = page.getByRole('alert').filter({ hasText: 'moe.safetensors' });
  await expect(error).toBeVisible({ timeout: 60_000 });
  const text = await error.innerText();
  expect(text).toMatch(/retried 3 times/);
  // Every control the advice names must be on this screen.
  expect(text).not.toMatch(/\bpress\b/i);
  expect(text).toMatch(/load the model again/i);
  const again = page.getByRole('button', { name: /load the model again/i });
  await expect(again).toBeVisible();
  failing = false;
  await again.click();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'cpu', {
    timeout: 300_000,
  });
});

test('a corrupted cached pack is detected, downloaded again and reported', async ({
  page,
  shot,
}) => {
  await page.goto('./#/model?engineBackend=cpu');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'cpu', {
    timeout: 300_000,
  });
  // Damage the kept copy of the expert weights, keeping its stamp (headers) as it was.
  const damaged = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      if (!name.startsWith('moe-lab-models')) continue;
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (!req.url.endsWith('/mixtral-style/moe.safetensors')) continue;
        const res = (await cache.match(req))!;
        const bytes = new Uint8Array(await res.arrayBuffer());
        for (let i = 1000; i < 1100; i++) bytes[i] = bytes[i]! ^ 0xff;
        await cache.put(req, new Response(bytes, { headers: res.headers }));
        return req.url;
      }
    }
    return null;
  });
  expect(damaged).not.toBeNull();
  await page.reload();
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'cpu', {
    timeout: 300_000,
  });
  await expect(page.getByTestId('notices')).toContainText('damaged');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generated-text')).toHaveText('82', { timeout: 60_000 });
  await shot('loading-corrupted-cache-repaired');
});
