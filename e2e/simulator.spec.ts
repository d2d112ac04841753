import { test, expect } from './fixtures';
import { simInputFromSettings } from '../src/sim/inputFromSettings';
import { simulate } from '../src/sim/simulate';
import { defaultSettings, type LabSettings } from '../src/state/settingsSchema';

function expected(patch: Partial<LabSettings>) {
  return simulate(simInputFromSettings({ ...defaultSettings(), ...patch }));
}

test('the simulator shows the cost model’s numbers, follows its controls and draws the sweeps', async ({
  page,
  shot,
}) => {
  await page.goto('./#/simulator');
  await expect(page.getByTestId('panel-simulator')).toBeVisible();
  const outputTps = page.getByTestId('sim-output-tps');
  await expect(outputTps).toBeVisible();
  const value = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));

  const before = expected({});
  expect(await value('sim-output-tps')).toBeCloseTo(before.outputTokensPerS, 6);
  expect(await value('sim-ttft')).toBeCloseTo(before.ttftMs, 6);

  // Concurrency slider: 2^3 = 8 concurrent requests.
  await page.getByTestId('sim-concurrency').fill('3');
  await expect(page).toHaveURL(/concurrency=8/);
  const after = expected({ concurrency: 8 });
  expect(after.outputTokensPerS).not.toBeCloseTo(before.outputTokensPerS, 0);
  await expect.poll(() => value('sim-output-tps')).toBeCloseTo(after.outputTokensPerS, 6);
  expect(await value('sim-itl')).toBeCloseTo(after.itlMs, 6);
  expect(await value('sim-e2e')).toBeCloseTo(after.e2eMs, 6);
  expect(await value('sim-memory')).toBeCloseTo(after.memoryPerGpuGB, 6);
  await expect(page.getByTestId('sim-bottleneck')).toHaveAttribute('data-value', after.bottleneck);
  await expect(page.getByTestId('sim-fits')).toHaveAttribute('data-value', String(after.fits));

  // Strategy: TP over the same 8 GPUs.
  await page.getByTestId('sim-strategy').selectOption('tp');
  const tp = expected({ concurrency: 8, strategy: 'tp' });
  await expect.poll(() => value('sim-itl')).toBeCloseTo(tp.itlMs, 6);
  expect(await value('sim-gpu-tps')).toBeCloseTo(tp.tokensPerSPerGpu, 6);

  // Every figure carries its stated error band, and the engine profile is a control.
  expect(Number(await page.getByTestId('sim-itl').getAttribute('data-band'))).toBe(tp.bands.itl);
  expect(Number(await page.getByTestId('sim-output-tps').getAttribute('data-band'))).toBe(
    tp.bands.throughput,
  );
  await expect(page.getByTestId('sim-band-note')).toContainText('stated error');
  await page.getByTestId('sim-engine').selectOption('sglang');
  await expect(page).toHaveURL(/simEngine=sglang/);
  const sglang = expected({ concurrency: 8, strategy: 'tp', simEngine: 'sglang' });
  expect(sglang.itlMs).not.toBeCloseTo(tp.itlMs, 1);
  await expect.poll(() => value('sim-itl')).toBeCloseTo(sglang.itlMs, 6);
  await page.getByTestId('sim-engine').selectOption('vllm');

  // The sweeps are drawn: a line and a focusable point per concurrency level for each strategy.
  const chart = page.getByTestId('sim-chart-throughput');
  await expect(chart.locator('path[stroke]').first()).toBeVisible();
  expect(await chart.locator('.chart-point').count()).toBeGreaterThanOrEqual(20);
  await chart.locator('.chart-point').first().focus();
  await expect(chart.locator('.chart-tooltip')).toBeVisible();
  await expect(page.getByTestId('sim-chart-pareto').locator('.chart-point').first()).toBeVisible();
  await expect(page.getByTestId('sim-memory-bar')).toBeVisible();
  await expect(page.getByTestId('sim-advice')).toContainText('best for throughput');

  // An impossible layout says why instead of showing numbers.
  await page.getByTestId('sim-gpus').fill('4'); // 16 GPUs
  await page.getByTestId('sim-strategy').selectOption('ep');
  await expect(page.getByTestId('sim-error')).toContainText('needs at least 16 experts');
  await page.getByTestId('sim-gpus').fill('3');
  await page.getByTestId('sim-strategy').selectOption('tp');
  await page.getByTestId('sim-concurrency').fill('6');
  await expect(page.getByTestId('sim-output-tps')).toBeVisible();
  const sweepText = await page.getByTestId('sim-sweep-time').innerText();
  const benchMs = Number(/benchmark sweep \(189 points\) took ([\d.]+) ms/.exec(sweepText)?.[1]);
  expect(benchMs).toBeGreaterThan(0);
  test
    .info()
    .annotations.push({ type: 'bench', description: `189-point sweep in the page: ${benchMs} ms` });
  await shot('simulator');
  // Projector mode: the same view at the larger type.
  await page.getByTestId('presentation-toggle').check();
  await expect(page.getByTestId('sim-output-tps')).toBeVisible();
  await shot('simulator-presentation');
});
