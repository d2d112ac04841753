// Settings flow one way and every knob is live: a link's top-k reaches the engine whichever view
// it opens, a knob moved on one view re-runs the warm engine and redraws another, a view older
// than the settings says so until the new run lands, and batches larger than one kernel call
// (skill scoring, ten requests at once) run on WebGPU (asked for by name: "best available" is
// the CPU path on SwiftShader).
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

test.setTimeout(900_000);

/** The trace the view draws has top-k `k` (the run of the link's settings has landed). */
async function expectTraceK(page: Page, k: number) {
  await expect(page.getByTestId('trace-pickers')).toHaveAttribute('data-trace-k', String(k), {
    timeout: 300_000,
  });
}

test('a link’s top-k reaches every trace view, a knob moved on one view redraws another, and skill scoring and ten requests at once run on WebGPU (more rows than one kernel call)', async ({
  page,
  shot,
}) => {
  await page.goto('./#/gating?engineBackend=webgpu&topK=4&maxTokens=40&prompt=english%3A%20');
  await expectTraceK(page, 4);
  await expect(page.getByTestId('stale-notice')).toHaveCount(0);
  for (const view of ['heatmap', 'permutation'] as const) {
    await page.getByTestId(`nav-${view}`).click();
    await expectTraceK(page, 4);
    // The link still says 4: nothing rewrote the setting.
    expect(page.url()).toContain('topK=4');
  }
  // A new link on the open page: the view says what changed until the run of top-1 lands.
  await page.goto('./#/gating?engineBackend=webgpu&topK=1&maxTokens=40&prompt=english%3A%20');
  await expect(page.getByTestId('stale-notice')).toContainText('top-k 4 → 1');
  await shot('live-stale-notice');
  await expectTraceK(page, 1);
  await expect(page.getByTestId('stale-notice')).toHaveCount(0);

  // On the same warm engine: a knob moved on the Model view redraws the Gating view without
  // pressing Generate.
  await page.goto('./#/model?engineBackend=webgpu');
  await expect(page.getByTestId('generated-text')).toHaveText('82', { timeout: 300_000 });
  await page.getByLabel('Top-k experts per token').fill('3');
  await page.getByTestId('nav-gating').click();
  await expectTraceK(page, 3);
  await shot('live-gating-top3');
  await page.getByTestId('nav-model').click();
  await expect(page.getByTestId('knob-topk-value')).toHaveText('3');

  // Still the same warm engine: skill scoring and ten requests at once (more rows than one
  // kernel call) run on WebGPU.
  await page.goto('./#/model?engineBackend=webgpu');
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', 'webgpu', {
    timeout: 300_000,
  });
  await page.getByTestId('evaluate').click();
  const total = page.getByTestId('eval-total').first();
  await expect(total).toBeVisible({ timeout: 240_000 });
  expect(Number((await total.innerText()).replace('%', ''))).toBeGreaterThan(80);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shot('eval-webgpu');
  await page.goto('./#/model?engineBackend=webgpu&genBatch=10&maxTokens=6&prompt=story%3A%20');
  await expect(page.getByTestId('batch-outputs').locator('li')).toHaveCount(9, {
    timeout: 300_000,
  });
  await expect(page.getByRole('alert')).toHaveCount(0);
});
