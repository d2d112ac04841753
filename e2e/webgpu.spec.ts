import { test, expect } from './fixtures';

test('a real WGSL compute shader runs in the page and its numbers are right', async ({
  page,
  shot,
}) => {
  await page.goto('./#/device');
  await expect(page.getByTestId('gpu-badge')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('backend')).toContainText('WebGPU');
  await expect(page.getByTestId('adapter-table')).toContainText('swiftshader');
  const result = page.getByTestId('selftest-result');
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute('data-matches', '256');
  // Check the shown GPU values against the closed form: out[i] = 2·(i+1)(i+2)/2 + 1.
  const rows = page.getByTestId('selftest-row');
  const n = await rows.count();
  expect(n).toBeGreaterThanOrEqual(4);
  for (let r = 0; r < n; r++) {
    const i = Number(await rows.nth(r).getAttribute('data-index'));
    const shown = Number(await rows.nth(r).getByTestId('selftest-gpu').innerText());
    expect(shown, `out[${i}]`).toBe((i + 1) * (i + 2) + 1);
  }
  await shot('device-webgpu');
});
