// The Performance panel runs the benchmarks in this browser, on SwiftShader here: align & sort
// through the UI to a full report (tables, chart, targets, JSON that reads back), a cancel that
// keeps the finished result, comparing with a committed H100 run, and the page without WebGPU.
import { readFile } from 'node:fs/promises';
import { test, expect } from './fixtures';

test('align & sort runs in the page and its result saves, reopens and compares', async ({
  page,
  shot,
}) => {
  test.setTimeout(600_000);
  await page.goto('./#/performance?benchKind=align&benchSize=quick');
  await expect(page.getByTestId('bench-kind')).toHaveValue('align');
  await page.getByTestId('bench-run').click();
  await expect(page.getByTestId('bench-progress')).toBeVisible();
  const report = page.getByTestId('bench-report');
  await expect(report).toBeVisible({ timeout: 200_000 });
  await expect(report).toHaveAttribute('data-kind', 'align');
  // Every quick case measured, single- and multi-workgroup, with finite GPU times.
  const rows = page.getByTestId('bench-section-align').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  for (const row of await rows.all()) {
    const cells = await row.locator('td').allInnerTexts();
    expect(Number(cells[4]), cells.join(' | ')).toBeGreaterThan(0);
    expect(Number(cells[5]), cells.join(' | ')).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('bench-chart-bar').first()).toBeVisible();
  const state = await page.evaluate(() => window.__moeLabBench);
  expect(state?.status).toBe('done');
  expect(state?.report?.device).toMatch(/swiftshader/i);
  await shot('performance-align-quick');

  // Download JSON → the file reads back as a result to compare with.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('bench-download-json').click(),
  ]);
  const path = await download.path();
  const saved = JSON.parse(await readFile(path, 'utf8')) as { reports: { kind: string }[] };
  expect(saved.reports[0]!.kind).toBe('align');
  await page.getByTestId('bench-open-file').setInputFiles(path);
  // Against itself: every bar of the chart pairs up, each 1.00×.
  const bars = await page.getByTestId('bench-chart-bar').count();
  await expect(page.getByTestId('bench-compare-summary')).toContainText(
    `Over the ${bars} measurements both runs made, this run is 1.00× faster`,
  );

  // The committed H100 run shares the quick cases T = 16 and 256.
  await page.getByRole('button', { name: /H100 — align & sort and whole model/ }).click();
  await expect(page.getByTestId('bench-other')).toHaveAttribute('data-source', /H100/);
  await expect(page.getByTestId('bench-compare-summary')).toContainText('slower');
  await expect(page.getByTestId('bench-compare-summary')).toContainText('different sizes');
  const shared = await page.getByTestId('bench-compare-table').locator('tbody tr').count();
  expect(shared).toBeGreaterThan(0);
  expect(shared).toBeLessThanOrEqual(12); // 2 token counts × 2 (E, k) × 3 kernels

  // A file that is not a result: a plain message, the compared run stays.
  await page.getByTestId('bench-open-file').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"hello": 1}'),
  });
  // The error names the file and the field that is wrong (schema-checked, issue 24).
  await expect(page.getByTestId('bench-compare-error')).toContainText(
    'notes.json: kind is missing',
  );
  await expect(page.getByTestId('bench-other')).toHaveAttribute('data-source', /H100/);
  await shot('performance-compare-h100');

  // Cancel a layer run: it stops, and the align result is still there.
  await page.getByTestId('bench-kind').selectOption('layer');
  // The layer benchmark can run one shape (a lecturer's link carries the choice).
  await page.getByTestId('bench-shape').selectOption('olmoe');
  await expect(page).toHaveURL(/benchShape=olmoe/);
  await page.getByTestId('bench-run').click();
  await expect(page.getByTestId('bench-progress')).toBeVisible();
  await page.getByTestId('bench-cancel').click();
  // It stops at the next check (between floors, shapes, rows): seconds of one shader compile on a
  // software GPU at most, more on a loaded machine.
  await expect(page.getByTestId('bench-cancelled')).toBeVisible();
  await expect(page.getByTestId('bench-report')).toHaveAttribute('data-kind', 'align');
});

test.describe('a browser without WebGPU', () => {
  test.use({ hideWebgpu: true });
  test('says which benchmarks need WebGPU and runs the whole model on wasm', async ({
    page,
    shot,
  }) => {
    test.setTimeout(600_000);
    await page.goto('./#/performance?benchKind=layer');
    await expect(page.getByTestId('bench-no-webgpu')).toContainText('No WebGPU here');
    await expect(page.getByTestId('bench-run')).toBeDisabled();
    await expect(page.getByTestId('bench-needs-gpu')).toBeVisible();
    await page.getByTestId('bench-kind').selectOption('model');
    await page.getByTestId('bench-run').click();
    const report = page.getByTestId('bench-report');
    await expect(report).toHaveAttribute('data-kind', 'model', { timeout: 200_000 });
    const table = page.getByTestId('bench-section-model');
    // WebGPU rows say why they did not run; wasm rows have numbers and the same tokens.
    await expect(table).toContainText('does not offer WebGPU');
    const wasm = table.locator('tbody tr', { hasText: 'wasm' });
    await expect(wasm).toHaveCount(2);
    for (const row of await wasm.all()) {
      const cells = await row.locator('td').allInnerTexts();
      expect(Number(cells[2]), cells.join(' | ')).toBeGreaterThan(0);
    }
    await shot('performance-model-no-webgpu');
  });
});
