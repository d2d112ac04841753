import { test, expect } from './fixtures';

test.describe('a browser without WebGPU', () => {
  test.use({ hideWebgpu: true });
  test('says so plainly and runs on the CPU path', async ({ page, shot }) => {
    await page.goto('./');
    const banner = page.getByTestId('gpu-fallback');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('No WebGPU here');
    await expect(banner).toContainText('does not offer WebGPU');
    await expect(page.getByTestId('gpu-badge')).toHaveAttribute('data-backend', 'cpu');
    await page.getByTestId('nav-device').click();
    await expect(page.getByTestId('backend')).toContainText('CPU');
    await shot('fallback-no-webgpu');
  });
});

test.describe('WebGPU present but no adapter (GPU blocked)', () => {
  test.use({ webgpu: false });
  test('explains the missing adapter and still shows the lab', async ({ page, shot }) => {
    await page.goto('./#/model');
    const banner = page.getByTestId('gpu-fallback');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(/no GPU adapter|does not offer WebGPU/);
    await expect(page.getByTestId('panel-model')).toBeVisible();
    await shot('fallback-no-adapter');
  });
});
