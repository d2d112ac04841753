// The expert-precision knob on both backends (issue 23): chosen in the Model view, it re-runs the
// prompt with the experts at int4, the precision line weighs the weights the run used, and the
// precision cost measures on the engine what int4 costs (golden-logit error above f32's, skills
// scored with the engine reporting int4 knobs); back at f32 the line and the error return.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

test.setTimeout(600_000);

async function waitForEngine(page: Page, backend: 'webgpu' | 'cpu') {
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-backend', backend, {
    timeout: 300_000,
  });
}

/** The numbers in the golden sentence: the chosen precision's, then f32's when shown beside. */
function goldenNumbers(text: string) {
  const n = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  return {
    maxAbs: n(/\): max \|Δ\| ([0-9.e+-]+),/),
    maxRel: n(/max relative error ([0-9.e+-]+)/),
    f32MaxAbs: n(/at f32 max \|Δ\| ([0-9.e+-]+),/),
    f32MaxRel: n(/at f32 max \|Δ\| [0-9.e+-]+, relative ([0-9.e+-]+)/),
  };
}

for (const backend of ['webgpu', 'cpu'] as const) {
  test(`the expert precision knob re-runs at int8 and int4 and measures int4 against f32 on ${backend}`, async ({
    page,
    shot,
  }) => {
    // The default prompt `add: 37+45=` (answer 82), a few tokens.
    await page.goto(`./#/model?engineBackend=${backend}&maxTokens=4`);
    await waitForEngine(page, backend);
    const line = page.getByTestId('precision-line');
    const golden = page.getByTestId('precision-golden');
    const skills = page.getByTestId('precision-skills');
    const measure = page.getByTestId('measure-precision');
    await expect(line).toContainText('run shown (f32)', { timeout: 300_000 });
    await expect(line).toContainText('(f32).');
    await expect(page.getByTestId('generated-text')).toHaveText('82', { timeout: 300_000 });
    await expect(golden).toHaveText('Golden logits at f32: not measured yet.');

    // Each precision the knob picks re-runs the prompt with the experts at it, and the line weighs
    // the weights that run used: int8 a byte a weight plus a scale per output channel (just over
    // 1/4 of f32), int4 half a byte plus a scale per block of 32 rows (1/8 + 1/32 of f32).
    for (const [p, low, high] of [
      ['int8', 25, 28],
      ['int4', 12.5, 17],
    ] as const) {
      await page.getByTestId('knob-precision').selectOption(p);
      await expect(page.getByTestId('precision-cost')).toHaveAttribute('data-precision', p);
      await expect(line).toContainText(`run shown (${p})`, { timeout: 300_000 });
      const pct = Number(/ at f32 \(([0-9.]+)%\)/.exec(await line.innerText())?.[1]);
      expect(pct, `${p} weights as a share of f32's`).toBeGreaterThan(low);
      expect(pct, `${p} weights as a share of f32's`).toBeLessThan(high);
    }
    await expect(golden).toHaveText('Golden logits at int4: not measured yet.');
    await expect(skills).toHaveText('Skills at int4: not scored yet.');
    await expect(measure).toHaveText('Measure the golden logits and skills at int4');
    await expect(measure).toBeEnabled({ timeout: 300_000 });
    await measure.click();
    await expect(golden).toContainText('Golden logits with the experts at int4', {
      timeout: 300_000,
    });
    // The evaluation counts only when the engine reports it ran with int4 experts.
    await expect(skills).toContainText(/Skills at int4: \d+\/\d+ \(\d+%\) — /, {
      timeout: 300_000,
    });
    await expect(skills).toContainText('not scored at f32 with these knobs yet');
    const int4 = goldenNumbers(await golden.innerText());
    expect(int4.f32MaxRel, 'f32 beside int4').not.toBeNull();
    // int4 moves the logits, by far more than the f32 path differs from the exporter.
    expect(int4.maxAbs).toBeGreaterThan(0);
    expect(int4.maxRel).toBeGreaterThan(0);
    expect(int4.maxRel!).toBeGreaterThan(10 * int4.f32MaxRel!);
    await expect(golden).toContainText('above the fidelity check');
    await expect(measure).toHaveText('Measure the golden logits at int4 again', {
      timeout: 300_000,
    });
    await shot(`precision-int4-${backend}`);

    // Back to f32: the run and its error are as trained again.
    await page.getByTestId('knob-precision').selectOption('f32');
    await expect(page.getByTestId('precision-cost')).toHaveAttribute('data-precision', 'f32');
    await expect(line).toContainText('run shown (f32)', { timeout: 300_000 });
    await expect(line).toContainText('(f32).');
    await expect(page.getByTestId('generated-text')).toHaveText('82', { timeout: 300_000 });
    await expect(golden).toContainText('Golden logits with the experts at f32');
    await expect(golden).toContainText('within the fidelity check');
    const f32 = goldenNumbers(await golden.innerText());
    expect(f32.maxRel).toBe(int4.f32MaxRel);
    expect(f32.f32MaxRel, 'nothing beside f32').toBeNull();
  });
}
