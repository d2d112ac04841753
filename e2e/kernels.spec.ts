import { test, expect } from './fixtures';

test('every MoE kernel matches its CPU twin in the real browser (WebGPU on SwiftShader)', async ({
  page,
  shot,
}) => {
  test.setTimeout(600_000);
  await page.goto('./#/device');
  const table = page.getByTestId('kernel-check');
  // Compiling four kernel families on a software GPU takes a while.
  await expect(table).toBeVisible({ timeout: 150_000 });
  const rows = table.locator('tbody tr');
  const n = await rows.count();
  // router, align, gemm1, gemm2, shared, combine, layer; sigmoid case; two baselines; large align.
  expect(n).toBeGreaterThanOrEqual(13);
  const kernels: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const kernel = (await row.getAttribute('data-kernel')) ?? '';
    kernels.push(kernel);
    await expect(row, `${kernel}: ${await row.innerText()}`).toHaveAttribute('data-pass', 'true');
  }
  for (const k of ['router', 'align', 'gemm1', 'gemm2', 'shared expert', 'combine'])
    expect(
      kernels.some((name) => name.includes(k)),
      k,
    ).toBe(true);
  expect(kernels).toContain('per-expert/layer (perExpert)');
  expect(kernels).toContain('dense-masked/layer (denseMasked)');
  expect(kernels).toContain('large T/align (multi-workgroup)');
  await shot('device-kernel-check');
});
