// The trace views on a real run (CPU path, the default model and prompt): every drawn number is
// read back from data-* attributes and checked against what the run must give — T·k pairs for
// T = <bos> + the prompt's characters, probabilities that sum to 1, top-k that really are the k
// largest, and the same trace agreeing across the gating, heatmap and permutation views.
import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

test.setTimeout(600_000);

const PROMPT = 'add: 37+45=';
const T_PREFILL = PROMPT.length + 1;

async function numbers(loc: Locator, attr: string): Promise<number[]> {
  return loc.evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr);
}

async function generateOn(page: Page, backend: 'cpu' | 'webgpu') {
  await page.goto(`./#/model?engineBackend=${backend}`);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', backend, {
    timeout: 300_000,
  });
  // The view may already show the engine's own first run: wait for the one this click asks for
  // to finish, not for that one (nor for this one's first tokens).
  const generation = page.getByTestId('generation');
  const runsBefore = Number(await generation.getAttribute('data-runs'));
  await page.getByTestId('generate').click();
  await expect
    .poll(async () => Number(await generation.getAttribute('data-runs')), { timeout: 300_000 })
    .toBeGreaterThan(runsBefore);
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('run-reason')).toBeVisible({ timeout: 300_000 });
}

// The CPU path first (what the brief asks); WebGPU (SwiftShader) too, where the align kernel's
// atomics may order pairs differently inside an expert.
for (const backend of ['cpu', 'webgpu'] as const) {
  test(`gating, heatmap and permutation draw the run’s trace (${backend})`, async ({
    page,
    shot,
  }) => {
    await generateOn(page, backend);
    const generated = await page.getByTestId('generated-text').innerText();

    // --- Gating: softmax over all experts, top-k = the k largest, renormalised weights.
    await page.getByTestId('nav-gating').click();
    const gating = page.getByTestId('gating-panel');
    await expect(gating).toBeVisible();
    await expect(page.getByTestId('token-chip')).toHaveCount(T_PREFILL);
    await page.getByTestId('token-chip').nth(5).click();
    await expect(gating).toHaveAttribute('data-row', '5');
    await page.getByTestId('token-chip').nth(5).press('ArrowRight');
    await expect(gating).toHaveAttribute('data-row', '6');
    const bars = page.getByTestId('gating-probs-bar');
    const probs = await numbers(bars, 'data-value');
    const E = probs.length;
    expect(E).toBeGreaterThan(1);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const rows = page.getByTestId('gating-weight');
    const k = await rows.count();
    const chosen = await numbers(rows, 'data-expert');
    const weights = await numbers(rows, 'data-weight');
    const tagged = await bars.evaluateAll((els) =>
      els.flatMap((e, i) => (e.getAttribute('data-tag') ? [i] : [])),
    );
    expect([...tagged].sort()).toEqual([...chosen].sort());
    const kth = Math.min(...chosen.map((e) => probs[e]!));
    expect(probs.filter((p) => p > kth + 1e-7)).toHaveLength(k - 1);
    const topSum = chosen.reduce((a, e) => a + probs[e]!, 0);
    chosen.forEach((e, j) => expect(weights[j]).toBeCloseTo(probs[e]! / topSum, 5));
    await expect(page.getByTestId('gating-output')).toContainText(`FFN_${chosen[0]}(x)`);
    // The CSV export carries the drawn numbers.
    const download = page.waitForEvent('download');
    await page.getByTestId('gating-probs-csv').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines).toHaveLength(E + 1);
    expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(probs);
    await shot(`panel-gating-${backend}`);

    // --- Heatmap: the text is the prompt (and output), each character's expert is the argmax of
    // its column in the token matrix, and the load matrix counts k pairs per character per layer.
    await page.getByTestId('nav-heatmap').click();
    await expect(page.getByTestId('heatmap-panel')).toBeVisible();
    const chars = page.getByTestId('heat-char');
    const glyphs = await chars.locator('.routed-glyph').allInnerTexts();
    expect(glyphs.slice(0, T_PREFILL).join('')).toBe(`<bos>${PROMPT.replace(/ /g, '␣')}`);
    expect(glyphs.slice(T_PREFILL).join('')).toBe(generated.slice(0, glyphs.length - T_PREFILL));
    const n = glyphs.length;
    const cells = page.getByTestId('heat-token-matrix-cell');
    await expect(cells).toHaveCount(n * E);
    const cellVals = await numbers(cells, 'data-value');
    const topExperts = await numbers(chars, 'data-expert');
    for (let t = 0; t < n; t++) {
      const column = Array.from({ length: E }, (_, e) => cellVals[e * n + t]!);
      expect(column.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(column[topExperts[t]!]).toBe(Math.max(...column));
    }
    // The gating view's token 6 of the prefill is character 6 here (layer 0 in both).
    expect(Array.from({ length: E }, (_, e) => cellVals[e * n + 6]!)).toEqual(probs);
    const load = await numbers(page.getByTestId('heat-load-matrix-cell'), 'data-value');
    const layers = load.length / E;
    for (let l = 0; l < layers; l++) {
      expect(load.slice(l * E, (l + 1) * E).reduce((a, b) => a + b, 0)).toBe(n * k);
    }
    await expect(page.getByTestId('heat-balance-row')).toHaveCount(layers);
    await chars.nth(3).hover();
    await expect(chars.nth(3)).toHaveClass(/lit/);
    await shot(`panel-heatmap-${backend}`);

    // --- Permutation: counts sum to T·k; keyboard steps; padding and sorted ids agree.
    await page.getByTestId('nav-permutation').click();
    const perm = page.getByTestId('permutation-panel');
    await expect(perm).toBeVisible();
    await expect(perm).toHaveAttribute('data-stage', '0');
    await expect(page.getByTestId('perm-topk-cell')).toHaveCount(T_PREFILL * k);
    await page.locator('.viz-lede').click();
    for (let s = 1; s <= 7; s++) {
      await page.keyboard.press('ArrowRight');
      await expect(perm).toHaveAttribute('data-stage', String(s));
    }
    await page.keyboard.press('ArrowRight');
    await expect(perm).toHaveAttribute('data-stage', '7');
    const counts = await numbers(page.getByTestId('perm-counts-cell'), 'data-value');
    expect(counts).toHaveLength(E);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(T_PREFILL * k);
    const topk = await numbers(page.getByTestId('perm-topk-cell'), 'data-value');
    counts.forEach((c, e) => expect(topk.filter((x) => x === e)).toHaveLength(c));
    const checkPadding = async (bm: number) => {
      const padded = await numbers(page.getByTestId('perm-padded-cell'), 'data-value');
      padded.forEach((p, e) => expect(p).toBe(Math.ceil(counts[e]! / bm) * bm));
      const sorted = page.getByTestId('perm-sorted-cell');
      const total = padded.reduce((a, b) => a + b, 0);
      await expect(sorted).toHaveCount(total);
      const filled = await sorted.evaluateAll((els) =>
        els
          .filter((e) => e.getAttribute('data-empty') === 'false')
          .map((e) => Number(e.getAttribute('data-value'))),
      );
      expect([...filled].sort((a, b) => a - b)).toEqual(
        Array.from({ length: T_PREFILL * k }, (_, i) => i),
      );
      await expect(page.getByTestId('perm-waste')).toHaveAttribute(
        'data-padding',
        String(total - T_PREFILL * k),
      );
      await expect(page.getByTestId('gemm-block')).toHaveCount(total / bm);
    };
    await expect(page.getByTestId('perm-source')).toHaveAttribute('data-from-trace', 'true');
    await expect(page.getByTestId('perm-twin-check')).toHaveAttribute('data-match', 'true');
    await checkPadding(16);
    const indptr = await numbers(page.getByTestId('perm-indptr-cell'), 'data-value');
    expect(indptr).toEqual(counts.reduce((acc, c) => [...acc, acc[acc.length - 1]! + c], [0]));
    // The combine of the chosen token uses the pairs t·k + j at the slots the sorted ids hold.
    const terms = await numbers(page.getByTestId('perm-combine-term'), 'data-pair');
    expect(terms).toEqual(Array.from({ length: k }, (_, j) => 6 * k + j));
    await shot(`panel-permutation-${backend}`);
    // Inside a buffer, the arrow keys walk its cells instead of the stages.
    await page.getByTestId('perm-sorted').locator('svg').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('perm-sorted').locator('.viz-detail')).toContainText('slot 1:');
    await expect(perm).toHaveAttribute('data-stage', '7');
    await page.locator('.viz-lede').click();
    await page.keyboard.press('ArrowLeft');
    await expect(perm).toHaveAttribute('data-stage', '6');
    // Play advances one stage at a time by itself, and stops at the last.
    await page.getByTestId('perm-play').click();
    await expect(perm).toHaveAttribute('data-stage', '7', { timeout: 5_000 });
    await expect(page.getByTestId('perm-play')).toHaveText('Play', { timeout: 5_000 });
    await page.locator('.viz-lede').click();
    await page.keyboard.press('ArrowLeft');
    await expect(perm).toHaveAttribute('data-stage', '6');

    // Another BM: recomputed by the CPU twin from the same counts, and said so.
    await page.getByTestId('perm-bm').focus();
    await page.getByTestId('perm-bm').press('ArrowRight');
    await expect(perm).toHaveAttribute('data-bm', '32');
    await expect(page.getByTestId('perm-source')).toHaveAttribute('data-from-trace', 'false');
    await checkPadding(32);
    await shot(`panel-permutation-bm32-${backend}`);
    // Projector mode: the same view with the larger type.
    await page.getByTestId('presentation-toggle').click();
    await shot(`panel-permutation-presentation-${backend}`);
  });
}

test('a deep link to a trace view loads the model and runs the prompt by itself', async ({
  page,
  shot,
}) => {
  await page.goto('./#/gating?engineBackend=cpu');
  // What the view is waiting for, said plainly — never made-up data.
  await expect(page.getByTestId('needs-run')).toContainText('Loading the model');
  await shot('panel-gating-empty');
  await expect(page.getByTestId('gating-panel')).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('token-chip')).toHaveCount(T_PREFILL);
});

test('expert specialisation per skill from a traced batch of the evaluation prompts', async ({
  page,
  shot,
}) => {
  await generateOn(page, 'cpu');
  await page.getByTestId('nav-heatmap').click();
  await page.getByTestId('spec-run-skills').click();
  const skills = page.getByTestId('spec-skills');
  await expect(skills).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId('specialisation')).toHaveAttribute('data-run-status', 'ready', {
    timeout: 300_000,
  });
  // Experts = cells of the token matrix per drawn character.
  const E =
    (await page.getByTestId('heat-token-matrix-cell').count()) /
    (await page.getByTestId('heat-char').count());
  expect(Number.isInteger(E) && E > 1).toBe(true);
  const shares = await numbers(page.getByTestId('spec-skills-cell'), 'data-value');
  const rowsOfSkills = shares.length / E;
  // One row per skill of the pack (the default pack has ten), each a distribution over experts.
  expect(rowsOfSkills).toBe(await page.locator('[data-testid=spec-skills] tbody tr').count());
  expect(rowsOfSkills).toBeGreaterThan(1);
  for (let r = 0; r < rowsOfSkills; r++) {
    expect(shares.slice(r * E, (r + 1) * E).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  }
  await skills.scrollIntoViewIfNeeded();
  await shot('panel-heatmap-skills');
});
