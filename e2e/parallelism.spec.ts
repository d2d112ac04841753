// The virtual GPUs in Chromium (WebGPU on SwiftShader): the trained model's layer from a real run
// cut by EP and TP over 4 GPUs, executed, equal to the unsharded layer, with placement, memory,
// load, bytes against the formulas and the per-GPU timelines drawn (all modelled for one H100 by
// default, this GPU's measured compute as the explicit other choice; tick labels never overlap; a
// progress note while a run is in flight); then the random stack with routing skew, where
// imbalance costs time.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

test.setTimeout(600_000);

async function report(page: Page, strategy: string, gpus: number) {
  const r = page.getByTestId('par-report');
  // The first report waits for the model's load (its golden check included) on SwiftShader.
  await expect(r).toHaveAttribute('data-strategy', strategy, { timeout: 300_000 });
  await expect(r).toHaveAttribute('data-gpus', String(gpus));
  await expect(r).not.toHaveClass(/par-stale/, { timeout: 300_000 });
  const err = Number(await page.getByTestId('par-error-value').getAttribute('data-value'));
  expect(err).toBeLessThan(1e-5);
  await expect(page.getByTestId('par-timeline-layer-lane')).toHaveCount(gpus);
  await expect(page.getByTestId('par-memory-bar')).toHaveCount(gpus);
  await expect(page.getByTestId('par-load-bar')).toHaveCount(gpus);
  return r;
}

/** The timeline's tick labels, as drawn: none overlaps the next one. */
async function expectTicksApart(page: Page, testId: string) {
  const boxes = await page
    .getByTestId(`${testId}-tick`)
    .evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })),
    );
  expect(boxes.length).toBeGreaterThan(1);
  for (let i = 1; i < boxes.length; i++)
    expect(boxes[i]!.left).toBeGreaterThan(boxes[i - 1]!.right);
}

test('EP and TP on 4 virtual GPUs run the trained model’s layer and match it; routing skew on the random stack shows the cost of imbalance; PP draws its bubbles', async ({
  page,
  shot,
  pageErrors,
}) => {
  await page.goto('./#/parallelism?gpus=4&strategy=ep&placement=round-robin');
  await report(page, 'ep', 4);
  // EP: experts spread, tokens dispatched and combined by all-to-all, then re-gathered.
  const comm = page.getByTestId('par-comm');
  await expect(comm.locator('tr[data-kind="dispatch"]')).toBeVisible();
  await expect(comm.locator('tr[data-kind="combine"]')).toBeVisible();
  await expect(comm.locator('tr[data-kind="all-reduce"]')).toHaveCount(0);
  await expect(page.getByTestId('par-placement').locator('.par-chip')).toHaveCount(8);
  expect(await page.getByTestId('par-formula-all-gather').innerText()).toMatch(/\(100% of it\)/);
  // All modelled by default: the collectives are blocks of their own on the same time scale,
  // and blocks wide enough carry their names.
  await expect(page.locator('#par-parCompute')).toHaveValue('modelled');
  const layerChart = page.getByTestId('par-timeline-layer');
  await expect(layerChart.locator('rect[data-kind="comm"][aria-label*=": dispatch,"]')).toHaveCount(
    4,
  );
  await expect(layerChart.locator('text.par-block-label').first()).toBeVisible();
  await expectTicksApart(page, 'par-timeline-layer');
  await expectTicksApart(page, 'par-timeline-step');
  // The slides' 33 % says where it is from and what it measured.
  await expect(page.getByTestId('par-ref-imbalance')).toContainText('Impact on Performance');
  await shot('parallelism-ep-4gpus');
  // Measured local compute is the explicit other choice, and says what it mixes.
  await page.locator('#par-parCompute').selectOption('measured');
  await expect(page.getByTestId('par-compute-note')).toContainText('two machines in one chart');
  await shot('parallelism-ep-4gpus-measured');

  await page.locator('#par-strategy').selectOption('tp');
  // A run in flight says so (role="status") while the previous report stays dimmed.
  await expect(page.getByTestId('par-progress').getByRole('status')).toContainText(
    'on 4 virtual GPUs',
  );
  await report(page, 'tp', 4);
  // TP: every GPU holds a slice of all 8 experts; one ring all-reduce, no all-to-all bytes.
  await expect(comm.locator('tr[data-kind="all-reduce"]')).toBeVisible();
  await expect(comm.locator('tr[data-kind="dispatch"]')).toHaveCount(0);
  await expect(page.getByTestId('par-placement').locator('.par-chip')).toHaveCount(32);
  const formula = await page.getByTestId('par-formula-all-reduce').innerText();
  expect(formula).toMatch(/\(100% of it\)/);
  await shot('parallelism-tp-4gpus-measured');
  await page.locator('#par-parCompute').selectOption('modelled');
  // Modelled, TP's even pairs are even load: no GPU tagged busiest, nothing lost to imbalance.
  await expect(page.getByTestId('par-load').locator('[data-tag="busiest"]')).toHaveCount(0);
  await expect(page.getByTestId('par-loss')).toHaveText(/^0%/);
  await expectTicksApart(page, 'par-timeline-layer');
  await shot('parallelism-tp-4gpus');
  expect(pageErrors).toEqual([]);

  // The same page (kernels compiled once): the random stack with routing skew, then PP.
  const loss = async () =>
    Number((await page.getByTestId('par-loss').innerText()).match(/^(\d+)%/)![1]);
  await page.goto('./#/parallelism?parSource=random&gpus=4&strategy=dp-ep&parBatch=64&parSkew=0');
  await report(page, 'dp-ep', 4);
  const even = await loss();
  await page.goto('./#/parallelism?parSource=random&gpus=4&strategy=dp-ep&parBatch=64&parSkew=0.9');
  await report(page, 'dp-ep', 4);
  await expect(page.locator('#par-parCompute')).toHaveValue('modelled');
  await expect(page.getByTestId('par-load').locator('[data-tag="busiest"]')).toHaveCount(1);
  expect(await loss()).toBeGreaterThan(even);
  await shot('parallelism-dp-ep-skewed');

  await page.goto('./#/parallelism?parSource=random&gpus=4&strategy=pp&parBatch=32&microBatches=4');
  await report(page, 'pp', 4);
  await expect(page.getByTestId('par-comm').locator('tr[data-kind="pp-send"]')).toBeVisible();
  await expect(
    page.getByTestId('par-timeline-layer').locator('[data-kind="wait"]').first(),
  ).toBeVisible();
  await shot('parallelism-pp-4gpus');
});
