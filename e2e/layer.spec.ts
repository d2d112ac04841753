// The landing view: the MoE layer diagram draws the real run's routing for one token at a time,
// steps and plays through the run, and its knobs (top-k, experts off) re-run the warm engine.
import { test, expect } from './fixtures';
import type { Locator } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

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

test.describe('phone, 390×844', () => {
  // The CPU path: the layout is the same whichever backend drew the run.
  test.use({ hideWebgpu: true, viewport: { width: 390, height: 844 } });

  test('the diagram flows top to bottom and fits the screen', async ({ page, shot }) => {
    await page.goto('./');
    const diagram = page.getByTestId('layer-diagram');
    await expect(diagram).toBeVisible({ timeout: 240_000 });
    await expect(diagram).toHaveAttribute('data-orientation', 'tall');
    const width = await diagram.evaluate((e) => e.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId('layer-next').click();
    await page.waitForTimeout(1500);
    await shot('layer-390');
  });
});

test.describe('accessibility', () => {
  // The CPU path: the same diagram without SwiftShader's start-up.
  test.use({ hideWebgpu: true, viewport: { width: 1280, height: 720 } });

  test('axe finds no serious violation on the drawn diagram', async ({ page }) => {
    await page.goto('./');
    await expect(page.getByTestId('layer-diagram')).toBeVisible({ timeout: 240_000 });
    const axe = await readFile(
      createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      'utf8',
    );
    // The lab's CSP refuses inline scripts (addScriptTag); evaluate runs outside the policy.
    await page.evaluate(axe);
    const serious = await page.evaluate(async () => {
      const axeApi = (
        window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }
      ).axe;
      const result = await axeApi.run(document, {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
      });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id}: ${v.help} — ${v.nodes
              .slice(0, 3)
              .map((n) => String(n.target))
              .join(', ')}`,
        );
    });
    expect(serious).toEqual([]);
  });
});
