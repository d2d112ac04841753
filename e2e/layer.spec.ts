// The landing view: the MoE layer diagram draws the real run's routing for one token at a time,
// steps and plays through the run, and its knobs (top-k, experts off) re-run the warm engine.
// On WebGPU; the CPU path's landing at 1280×720 (with axe) and 390×844 is in walk.spec.ts.
import { test, expect } from './fixtures';
import type { Locator } from '@playwright/test';

test.setTimeout(600_000);

async function numbers(loc: Locator, attr: string): Promise<number[]> {
  return loc.evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr);
}

test.describe('projector, 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the root URL opens on the layer diagram of a real run, and its knobs re-run it', async ({
    page,
    shot,
  }) => {
    await page.goto('./');
    const panel = page.getByTestId('layer-panel');
    await expect(panel).toBeVisible();
    const diagram = page.getByTestId('layer-diagram');
    await expect(diagram).toBeVisible({ timeout: 240_000 });
    await expect(diagram).toHaveAttribute('data-orientation', 'wide');

    // The drawn routing is the trace's: probabilities sum to 1, the chosen bars are the routes.
    const E = Number(await panel.getAttribute('data-experts'));
    const k = Number(await panel.getAttribute('data-k'));
    expect(k).toBe(2);
    await expect(page.getByTestId('layer-expert')).toHaveCount(E);
    await expect(page.getByTestId('layer-route')).toHaveCount(k);
    const probs = await numbers(page.getByTestId('layer-bar'), 'data-prob');
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const routed = await numbers(page.getByTestId('layer-route'), 'data-expert');
    const chosenBars = await page
      .getByTestId('layer-bar')
      .evaluateAll((els) =>
        els
          .filter((e) => e.getAttribute('data-chosen') === 'true')
          .map((e) => Number(e.getAttribute('data-expert'))),
      );
    expect([...routed].sort()).toEqual([...chosenBars].sort());
    const kth = Math.min(...routed.map((e) => probs[e]!));
    expect(probs.filter((p) => p > kth + 1e-7)).toHaveLength(k - 1);
    const weights = await numbers(page.getByTestId('layer-route'), 'data-weight');
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const pairs = await numbers(page.getByTestId('layer-expert'), 'data-pairs');
    const T = Number(await page.getByTestId('trace-pickers').getAttribute('data-trace-rows'));
    expect(pairs.reduce((a, b) => a + b, 0)).toBe(T * k);
    await page.getByTestId('layer-next').click();
    await page.getByTestId('layer-next').click();
    await expect(panel).toHaveAttribute('data-row', '2');
    await page.waitForTimeout(1500); // let the flow animation finish before the picture
    await shot('layer-1280');

    // Stepping and playing walk the run token by token.
    await page.getByTestId('layer-prev').click();
    await expect(panel).toHaveAttribute('data-row', '1');
    await page.getByTestId('layer-play').click();
    await expect(panel).toHaveAttribute('data-row', '3', { timeout: 10_000 });
    await page.getByTestId('layer-play').click();
    await expect(page.getByTestId('layer-play')).toHaveAttribute('aria-pressed', 'false');

    // Top-k on the diagram re-runs the engine: one route per token after the run lands.
    await page.getByTestId('layer-topk').fill('1');
    await expect(page).toHaveURL(/topK=1/);
    await expect(panel).toHaveAttribute('data-k', '1', { timeout: 300_000 });
    await expect(page.getByTestId('layer-route')).toHaveCount(1);

    // Clicking an expert box switches it off: the next run never routes to it.
    const top = routed[0]!;
    await page.locator(`[data-testid="layer-expert"][data-expert="${top}"]`).click();
    await expect(page).toHaveURL(new RegExp(`disabledExperts=${top}(&|$)`));
    await expect(page.getByTestId('stale-notice')).toBeHidden({ timeout: 300_000 });
    const box = page.locator(`[data-testid="layer-expert"][data-expert="${top}"]`);
    await expect(box).toHaveAttribute('data-off', 'true');
    await expect(box).toHaveAttribute('data-pairs', '0');
    await expect(page.locator(`[data-testid="layer-bar"][data-expert="${top}"]`)).toHaveAttribute(
      'data-prob',
      '0',
    );
    await page.waitForTimeout(1500);
    await shot('layer-1280-expert-off');
  });
});
