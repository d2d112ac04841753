// The engine in a real browser: the default model generates on WebGPU (SwiftShader) and on the
// CPU path ("best available" on SwiftShader, and says why), reproduces the exporter's golden outputs on both, stops within a step when
// cancelled, and its knobs move accuracy the expected way.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

test.setTimeout(600_000);

async function waitForEngine(page: Page, backend: 'webgpu' | 'cpu') {
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', backend, {
    timeout: 300_000,
  });
}

async function totalAccuracy(page: Page, column: number): Promise<number> {
  const cell = page.getByTestId('eval-total').nth(column);
  await expect(cell).toBeVisible({ timeout: 240_000 });
  return Number((await cell.innerText()).replace('%', ''));
}

for (const backend of ['webgpu', 'cpu'] as const) {
  test(`generates and matches the golden outputs on ${backend}`, async ({ page, shot }) => {
    // WebGPU by name; the CPU path as "best available" picks it on SwiftShader: by the
    // software-adapter prior, which the page says was not measured.
    await page.goto(`./#/model${backend === 'webgpu' ? '?engineBackend=webgpu' : ''}`);
    await waitForEngine(page, backend);
    if (backend === 'cpu') {
      const verdict = page.getByTestId('backend-verdict');
      await expect(verdict).toHaveAttribute('data-state', 'software-prior');
      await expect(verdict).toContainText('without measuring WebGPU');
      await expect(page.getByTestId('backend-verdict-remeasure')).toBeEnabled();
    }
    // The view may already show a run of the prompt (the engine runs it once loaded): wait for
    // the one this click asks for, not that one.
    const generation = page.getByTestId('generation');
    const runsBefore = Number(await generation.getAttribute('data-runs'));
    await page.getByTestId('generate').click();
    await expect
      .poll(async () => Number(await generation.getAttribute('data-runs')), { timeout: 300_000 })
      .toBeGreaterThan(runsBefore);
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-status', 'ready');
    await expect(page.getByTestId('run-reason')).toBeVisible({ timeout: 300_000 });
    // The default prompt is `add: 37+45=`.
    await expect(page.getByTestId('generated-text')).toHaveText('82');
    for (const id of ['ttft', 'itl', 'tps', 'total-tps', 'ort-calls']) {
      const v = Number(await page.getByTestId(`metric-${id}`).innerText());
      expect(v, id).toBeGreaterThan(0);
    }
    await page.getByTestId('check-golden').click();
    const table = page.getByTestId('golden-table');
    await expect(table).toBeVisible({ timeout: 240_000 });
    await expect(table).toHaveAttribute('data-backend', backend);
    const rows = page.getByTestId('golden-row');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) await expect(row).toHaveAttribute('data-pass', 'true');
    await shot(`engine-${backend}`);
    // The Latency view draws the same run, step by step.
    await page.getByTestId('nav-latency').click();
    await expect(page.getByTestId('step-chart')).toBeVisible();
    await expect(page.getByTestId('time-split')).toBeVisible();
    expect(Number(await page.getByTestId('metric-ttft').innerText())).toBeGreaterThan(0);
    if (backend === 'webgpu') {
      // The decode step beside its floor: counted dispatches and submits × this device's costs.
      const floor = page.getByTestId('dispatch-floor');
      await expect(floor).toHaveAttribute('data-source', 'measured', { timeout: 120_000 });
      expect(Number(await page.getByTestId('floor-dispatches').innerText())).toBeGreaterThan(0);
      expect(Number(await page.getByTestId('floor-submits').innerText())).toBeGreaterThan(0);
      await expect(page.getByTestId('floor-sentence')).toContainText('measured on this device');
    } else {
      await expect(page.getByTestId('floor-none')).toBeVisible();
    }
    await shot(`latency-${backend}`);
    if (backend !== 'webgpu') return;
    // Our own WGSL dense path, chosen in the view: the model reloads on it, runs the same
    // prompt, and the view sets the two paths' measured numbers side by side.
    await page.getByTestId('latency-dense-path-select').selectOption('wgsl');
    const comparison = page.getByTestId('path-comparison');
    await expect(comparison.locator('tr[data-path="webgpu-wgsl"]')).toBeVisible({
      timeout: 300_000,
    });
    await expect(comparison.locator('tr[data-path="webgpu-ort"]')).toBeVisible();
    await expect(page.getByTestId('path-sentence')).toContainText(
      'Per decode token on this device',
    );
    await expect(page.getByTestId('path-sentence')).toContainText('software rasteriser');
    await expect(page.getByTestId('one-submit-note')).toBeVisible();
    await shot('latency-webgpu-paths');
    await page.getByTestId('nav-model').click();
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-dense-path', 'wgsl');
    await expect(page.getByTestId('generated-text')).toHaveText('82');
  });
}

test('knobs change accuracy in the expected direction (CPU path)', async ({ page, shot }) => {
  await page.goto('./#/model?engineBackend=cpu');
  await waitForEngine(page, 'cpu');
  await page.getByTestId('evaluate').click();
  const full = await totalAccuracy(page, 0);
  expect(full).toBeGreaterThan(50);
  await page.getByLabel('Fraction of FFN neurons kept').fill('0.1');
  await page.getByTestId('evaluate').click();
  const pruned = await totalAccuracy(page, 1);
  expect(pruned).toBeLessThan(full);
  // Back to the full FFN, one expert per token instead of two.
  await page.getByLabel('Fraction of FFN neurons kept').fill('1');
  await page.getByLabel('Top-k experts per token').fill('1');
  await expect(page.getByTestId('knob-topk-value')).toHaveText('1');
  await page.getByTestId('evaluate').click();
  const top1 = await totalAccuracy(page, 2);
  expect(top1).toBeLessThan(full);
  expect(top1).toBeGreaterThan(pruned);
  await shot('engine-knobs');
});

test('several requests generate together as one batch (CPU path)', async ({ page }) => {
  await page.goto('./#/model?engineBackend=cpu&genBatch=3');
  await waitForEngine(page, 'cpu');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('run-reason')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('generated-text')).toHaveText('82');
  const others = page.getByTestId('batch-outputs').locator('li');
  await expect(others).toHaveCount(2);
  for (const li of await others.all()) await expect(li).toHaveText('82');
});

// One warm WebGPU engine for both (each load compiles every kernel on SwiftShader): a run the
// user stops, then a run the GPU loses.
test('cancel stops the run within one step; a GPU device lost during generation ends that run only, and the engine restarts and keeps the results', async ({
  page,
  shot,
}) => {
  await page.goto('./#/model?engineBackend=webgpu&maxTokens=60&prompt=english%3A%20');
  await waitForEngine(page, 'webgpu');
  await page.getByTestId('generate').click();
  const text = page.getByTestId('generated-text');
  await expect(text).not.toHaveText('', { timeout: 300_000 });
  await page.getByTestId('cancel').click();
  const reason = page.getByTestId('run-reason');
  await expect(reason).toContainText('Stopped by you', { timeout: 60_000 });
  // It stopped where the engine was when the cancel reached it, far short of the 60 asked for
  // (how many tokens the page had drawn by the click depends on the machine's load).
  const after = Number(/after (\d+) tokens/.exec(await reason.innerText())?.[1]);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(60);
  expect((await text.innerText()).length).toBeGreaterThan(0);

  // A long run again, and the device goes away in the middle of it.
  await page.getByTestId('generate').click();
  // The new run has replaced the stopped one on screen (it runs for seconds on SwiftShader).
  await expect(reason).toHaveCount(0, { timeout: 300_000 });
  await expect(text).not.toHaveText('', { timeout: 300_000 });
  await page.getByTestId('simulate-device-loss').click();
  await expect(page.getByTestId('notices')).toContainText('GPU device was lost', {
    timeout: 60_000,
  });
  // What was generated before the loss is still on screen.
  const partial = await text.innerText();
  expect(partial.length).toBeGreaterThan(0);
  // The engine comes back on a new device and generates again.
  await expect(page.getByTestId('generate')).toBeEnabled({ timeout: 300_000 });
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('prompt').fill('add: 37+45=');
  await page.getByTestId('generate').click();
  await expect(text).toHaveText('82', { timeout: 300_000 });
  await shot('engine-device-lost-recovered');
});

test('a prompt longer than the context is cut to fit, with a notice (CPU path)', async ({
  page,
}) => {
  const long = `copy: ${'abcdefghij'.repeat(20)}`;
  await page.goto(`./#/model?engineBackend=cpu&maxTokens=8&prompt=${encodeURIComponent(long)}`);
  await waitForEngine(page, 'cpu');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('run-reason')).toContainText('kept the last', { timeout: 60_000 });
  await expect(page.getByTestId('run-reason')).toContainText('128-token context');
});
