// The guided lesson end to end, on WebGPU (SwiftShader) and on the CPU path: all eight chapters
// walked by keyboard (PageDown/PageUp as a clicker sends, and the arrows), each chapter's "try
// this" pressed from the keyboard and checked against the state it claims to change (the link's
// settings, the live view, the numbers before and after), and a projector-size screenshot of
// each. Then links to chapters, presets, embed mode and print (the phone: walk.spec.ts).
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { CHAPTERS } from '../src/lesson/chapters';
import { compareAllScenarios } from '../src/lesson/scenarioSources';
import {
  hashParams,
  num,
  readOutcome,
  urlValue,
  viewportShot,
  type Measured,
} from './lessonHelpers';

test.setTimeout(600_000);

const PROJECTOR = { width: 1280, height: 720 };
const ENGINE_WAIT = 180_000;

const find = (m: Measured[], id: string) => {
  const x = m.find((v) => v.id === id);
  expect(x, `measure ${id}`).toBeTruthy();
  return x!;
};

/** What each chapter's action must have done, beyond the settings in the link. */
async function checkEffect(page: Page, id: string, m: Measured[]) {
  switch (id) {
    case 'dense-vs-moe':
      expect(find(m, 'expertsPerToken')).toMatchObject({ before: '2 of 8', after: '8 of 8' });
      // The live view is the layer diagram: every token now goes to all eight experts.
      await expect(page.getByTestId('layer-panel')).toHaveAttribute('data-k', '8', {
        timeout: ENGINE_WAIT,
      });
      expect(find(m, 'answer').after).toMatch(/^".*"$/);
      await expect(page.getByTestId('lesson-fact')).toContainText('with top-8');
      // The measured family (models/family.json): loss against E with the seeds' range, and
      // the sentence computed from it; the x axis switches to total parameters and back.
      await expect(page.getByTestId('family-chart')).toBeVisible();
      await expect(page.getByTestId('family-point')).toHaveCount(5);
      await expect(page.getByTestId('family-sentence')).toContainText(
        'validation loss falls from 0.533 (dense) to 0.499 with 32 experts',
      );
      await expect(page.getByTestId('capacity-sentence')).toContainText(
        'dense recalls 28.2 % (seeds 27.0 %–29.5 %) and 32 experts 100.0 %',
      );
      // Its own chart: fact recall against E, each seed's mark and the seeds' range per size.
      await expect(page.getByTestId('capacity-chart')).toBeVisible();
      await expect(page.getByTestId('capacity-point')).toHaveCount(5);
      await expect(page.getByTestId('capacity-seed')).toHaveCount(10);
      await expect(
        page.locator('[data-testid="capacity-point"][data-experts="1"]'),
      ).toHaveAttribute('data-min', '0.27');
      await page.getByTestId('family-axis-params').check();
      await expect(page.getByTestId('family-chart').locator('svg[data-axis]')).toHaveAttribute(
        'data-axis',
        'params',
      );
      await page.getByTestId('family-axis-experts').check();
      // Leave the radio button, so the clicker's keys move the chapter again.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      break;
    case 'gating':
      // From the chapter's own baseline (top-2), not chapter 1's leftover top-8.
      expect(find(m, 'expertsPerToken')).toMatchObject({ before: '2 of 8', after: '1 of 8' });
      expect(find(m, 'topWeight').after).toBe('1.000');
      // The live gating view draws the new run: one chosen expert, weight 1.
      await expect(page.getByTestId('gating-weight')).toHaveCount(1);
      await expect(page.getByTestId('gating-weight')).toHaveAttribute(
        'data-weight',
        /^(1|0\.99999\d*)$/,
      );
      break;
    case 'batching': {
      const pad = find(m, 'padding');
      expect(num(pad.after)).toBeGreaterThan(num(pad.before));
      await expect(page.getByTestId('permutation-panel')).toHaveAttribute('data-bm', '64');
      await expect(page.getByTestId('perm-waste')).toHaveAttribute(
        'data-padding',
        String(num(pad.after)),
      );
      break;
    }
    case 'grouped-gemm':
      expect(num(find(m, 'simItl').after)).toBeGreaterThan(num(find(m, 'simItl').before));
      break;
    case 'load-balance':
      expect(num(find(m, 'simImbalance').after)).toBeGreaterThan(
        num(find(m, 'simImbalance').before),
      );
      // The auxiliary loss is computed from the run's own routing: near 1, at most E.
      for (const v of await page
        .getByTestId('aux-loss')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))) {
        expect(v).toBeGreaterThan(0.5);
        expect(v).toBeLessThanOrEqual(8);
      }
      // The three measured E = 8 runs' layer-0 loads side by side, with their sentence.
      await expect(page.getByTestId('balance-chart')).toBeVisible();
      await expect(page.getByTestId('balance-chart-cell')).toHaveCount(24);
      // Outlined: the two dead experts of the run without a balancing loss.
      await expect(
        page.locator('[data-testid="balance-chart-cell"][data-marked="true"]'),
      ).toHaveCount(2);
      await expect(page.getByTestId('balance-sentence')).toContainText(
        'Without a balancing loss two of eight experts of layer 0 get almost no tokens',
      );
      break;
    case 'parallelism':
      expect(find(m, 'simComm').after).not.toBe(find(m, 'simComm').before);
      break;
    case 'serving':
      expect(find(m, 'requests')).toMatchObject({ before: '1', after: '4' });
      expect(num(find(m, 'throughput').after)).toBeGreaterThan(0);
      await expect(page.getByTestId('metric-tps')).not.toHaveText('—');
      break;
    case 'at-scale':
      expect(num(find(m, 'simMemory').after)).toBeLessThan(num(find(m, 'simMemory').before));
      await expect(page.getByTestId('sim-precision')).toHaveValue('fp8');
      break;
    default:
      throw new Error(`no check for chapter ${id}`);
  }
}

for (const path of ['webgpu', 'cpu'] as const) {
  test.describe(`the lesson on ${path === 'cpu' ? 'the CPU path' : 'WebGPU'}`, () => {
    test.use({ hideWebgpu: path === 'cpu', viewport: PROJECTOR });

    test('walks all eight chapters by keyboard; every "try this" does what it says', async ({
      page,
    }) => {
      // "Best available" picks the CPU path on a software GPU: the WebGPU run asks for WebGPU.
      await page.goto(
        `./#/lesson?presentation=1${path === 'webgpu' ? '&engineBackend=webgpu' : ''}`,
      );
      const lesson = page.getByTestId('lesson');
      await expect(lesson).toHaveAttribute('data-chapter', '1');
      await expect(page.locator('html')).toHaveClass(/presentation/);

      for (let n = 1; n <= CHAPTERS.length; n++) {
        const chapter = CHAPTERS[n - 1]!;
        await expect(lesson).toHaveAttribute('data-chapter', String(n));
        if (n > 1) expect(hashParams(page).get('chapter')).toBe(String(n));
        await expect(page.getByTestId('chapter-title')).toContainText(`Chapter ${n} of 8`);
        await expect(page.getByTestId('chapter-title')).toContainText(chapter.title);
        await expect(page.getByTestId('lesson-live')).toHaveAttribute('data-panel', chapter.panel);

        // Press "try this" from the keyboard, once the engine can run it.
        const button = page.getByTestId('try-this-button');
        await expect(button).toBeEnabled({ timeout: ENGINE_WAIT });
        await button.focus();
        await page.keyboard.press('Enter');
        await expect(page.getByTestId('try-this-result')).toBeVisible({ timeout: ENGINE_WAIT });
        const { changed, measured } = await readOutcome(page);

        // The settings it lists are the chapter's, and the link carries each new value.
        const claimed = Object.keys(chapter.tryThis.changes);
        expect(changed.length).toBeGreaterThan(0);
        for (const [key, to] of changed) {
          expect(claimed).toContain(key);
          expect(String((chapter.tryThis.changes as Record<string, unknown>)[key])).toBe(to);
          const inUrl = hashParams(page).get(key);
          // A value equal to the default is left out of the link.
          if (inUrl !== null) expect(inUrl).toBe(urlValue(to));
        }
        expect(measured.map((x) => x.id)).toEqual([...chapter.tryThis.measures]);
        await checkEffect(page, chapter.id, measured);

        // Frame it as the projector shows it after a move: the chapter at the top.
        await page
          .getByTestId('chapter-title')
          .evaluate((el) => el.closest('article')!.scrollIntoView({ block: 'start' }));
        await viewportShot(page, `lesson-${n}-${chapter.id}-${path}`);
        // And the live view below it, as the lecturer scrolls to it (the virtual GPUs finished).
        if (chapter.panel === 'parallelism' && path === 'webgpu') {
          const report = page.getByTestId('par-report');
          await expect(report).toHaveAttribute('data-strategy', 'tp', { timeout: ENGINE_WAIT });
          await expect(report).not.toHaveClass(/par-stale/, { timeout: ENGINE_WAIT });
        }
        await page
          .getByTestId('lesson-live')
          .evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await viewportShot(page, `lesson-${n}-${chapter.id}-${path}-live`);

        // Next chapter: a clicker's PageDown, or → where the view does not use the arrows.
        if (n < CHAPTERS.length) {
          await page.keyboard.press(
            n % 2 === 0 && !chapter.panelUsesArrows ? 'ArrowRight' : 'PageDown',
          );
        }
      }
      // Past the end stays on the last chapter; back with PageUp and ←.
      await page.keyboard.press('PageDown');
      await expect(lesson).toHaveAttribute('data-chapter', '8');
      await page.keyboard.press('PageUp');
      await expect(lesson).toHaveAttribute('data-chapter', '7');
      await page.keyboard.press('ArrowLeft');
      await expect(lesson).toHaveAttribute('data-chapter', '6');
    });
  });
}

test.describe('links, presets, embed and print', () => {
  test.use({ hideWebgpu: true });

  test('a chapter has its own link; one out of range is clamped with a notice', async ({
    page,
  }) => {
    await page.goto('./#/lesson?chapter=5');
    await expect(page.getByTestId('chapter-title')).toContainText('Chapter 5 of 8');
    await expect(page.getByTestId('lesson-live')).toHaveAttribute('data-panel', 'heatmap');
    await page.goto('./#/lesson?chapter=12');
    await expect(page.getByTestId('chapter-title')).toContainText('Chapter 8 of 8');
    await expect(page.getByTestId('notices')).toContainText(
      'chapter="12" lowered to the maximum 8',
    );
    expect(hashParams(page).get('chapter')).toBe('8');
    // "Try this", then "Put it back": the setting returns to its default (out of the link).
    await page.getByTestId('try-this-button').click();
    await expect(page.getByTestId('try-this-result')).toBeVisible();
    expect(hashParams(page).get('precision')).toBe('fp8');
    await page.getByTestId('try-this-undo').click();
    await expect(page.getByTestId('try-this-result')).toHaveCount(0);
    expect(hashParams(page).get('precision')).toBeNull();
    await expect(page.getByTestId('sim-precision')).toHaveValue('bf16');
    // The arrows typed into a slider move the slider, not the chapter.
    await page.getByTestId('chapter-link-3').click();
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-chapter', '3');
    await page.getByTestId('chapter-link-8').click();
    const slider = page.getByTestId('sim-skew');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-chapter', '8');
  });

  test('entering a chapter puts back its baseline, whatever came before', async ({ page }) => {
    // Leftovers of chapters 4–5 and of chapter 1 in the link: chapter 6 starts from EP, no skew,
    // the fused kernel and top-2.
    await page.goto('./#/lesson?chapter=6&skew=0.8&fusedMoe=0&topK=8&genBatch=4');
    await expect(page.getByTestId('chapter-title')).toContainText('Chapter 6 of 8');
    await expect(page).not.toHaveURL(/skew=|fusedMoe=|topK=|genBatch=/);
    // Chapter 5's "try this" skews the routing; chapter 6 entered next starts without it.
    await page.getByTestId('chapter-link-5').click();
    await page.getByTestId('try-this-button').click();
    await expect(page.getByTestId('try-this-result')).toBeVisible();
    expect(hashParams(page).get('skew')).toBe('0.8');
    await page.getByTestId('chapter-link-6').click();
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-chapter', '6');
    await expect(page).not.toHaveURL(/skew=/);
    // Back in chapter 5 its old result is gone: the chapter starts over from its baseline.
    await page.getByTestId('chapter-link-5').click();
    await expect(page.getByTestId('try-this-result')).toHaveCount(0);
  });

  test('presets from the lesson and from the header', async ({ page }) => {
    await page.goto('./#/lesson');
    // The chapter's figures arrive with the model and move the scenarios below them down: a click
    // during that shift (a loaded machine) lands beside the button, as a user's would.
    await expect(page.getByTestId('lesson-fact')).toContainText('experts of', {
      timeout: ENGINE_WAIT,
    });
    await page.getByTestId('preset-mixtral-2xa100').click();
    await expect(page.getByTestId('panel-simulator')).toBeVisible();
    const p = hashParams(page);
    expect(p.get('hardware')).toBe('a100-80gb');
    expect(p.get('simGpus')).toBe('2');
    expect(p.get('strategy')).toBe('tp');
    await expect(page.getByTestId('sim-hardware')).toHaveValue('a100-80gb');
    await expect(page.getByTestId('notices')).toContainText(/simulated ITL, TP vs EP: .*TP \d/);

    await page.getByTestId('preset-menu').selectOption('deepseek-v3-decode');
    await expect(page.getByTestId('sim-model')).toHaveValue('deepseek-v3');
    // DeepSeek's per-GPU load (about 88 requests per GPU) on their published EP144 cluster.
    expect(hashParams(page).get('simGpus')).toBe('144');
    expect(hashParams(page).get('concurrency')).toBe('12686');
    await expect(page.locator('label[for=sim-concurrency]')).toHaveText('Concurrency: 12686');
    expect(hashParams(page).get('strategy')).toBe('dp-ep');
    await expect(page.getByTestId('notices')).toContainText('DeepSeek-V3 decode with EP');
    // With overlap on, the hidden communication is reported beside the exposed share.
    await expect(page.getByTestId('notices')).toContainText(
      /communication hidden under compute by two-batch overlap: [\d.]+%( \(overlap off\))? → [\d.]+%/,
    );
  });

  test('each scenario shows its source figure beside the simulator’s number', async ({ page }) => {
    await page.goto('./#/lesson');
    for (const c of compareAllScenarios()) {
      const box = page.getByTestId(`scenario-source-${c.source.presetId}`);
      await expect(box).toContainText(c.source.citation);
      for (const f of c.figures!) {
        const row = page.getByTestId(`scenario-figure-${c.source.presetId}-${f.figure.id}`);
        // The same simulator, run at the same settings, in the page and here.
        expect(Number(await row.getAttribute('data-ratio'))).toBeCloseTo(f.ratio, 6);
        await expect(row).toContainText(`${f.ratio.toFixed(2)}×`);
      }
    }
    await expect(page.getByTestId('scenario-source-top1-accuracy')).toContainText(
      /answers \d+\.\d% of its held-out prompts at top-2/,
    );
    // The header's menu shows the ratio once approached.
    await page.getByTestId('preset-menu').focus();
    const ds = compareAllScenarios().find((c) => c.source.presetId === 'deepseek-v3-decode')!;
    await expect(page.getByTestId('preset-option-deepseek-v3-decode')).toContainText(
      `sim ${ds.figures![0]!.ratio.toFixed(2)}× source`,
    );
  });

  test('what top-1 does to accuracy: two scored columns, top-2 and top-1', async ({
    page,
    shot,
  }) => {
    await page.goto('./#/lesson?engineBackend=cpu');
    await expect(page.getByTestId('try-this-button')).toBeEnabled({ timeout: ENGINE_WAIT });
    await page.getByTestId('preset-top1-accuracy').click();
    await expect(page.getByTestId('panel-model')).toBeVisible();
    await expect(page.getByTestId('eval-total')).toHaveCount(2, { timeout: ENGINE_WAIT });
    await expect(page.getByTestId('eval-table')).toContainText('top-2');
    await expect(page.getByTestId('eval-table')).toContainText('top-1');
    expect(hashParams(page).get('topK')).toBe('1');
    await expect(page.getByTestId('notices')).toContainText(
      /held-out accuracy \(all skills\): \d+%/,
    );
    await shot('lesson-preset-top1');
  });

  test('embed mode shows one view alone; a hostile embed value is refused', async ({ page }) => {
    await page.goto('./?embed=simulator#/simulator?simGpus=4');
    await expect(page.getByTestId('simulator')).toBeVisible();
    await expect(page.locator('.topbar')).toHaveCount(0);
    await expect(page.locator('.sidenav')).toHaveCount(0);
    await expect(page.getByTestId('panel-simulator')).toHaveAttribute('data-embed', 'true');
    await expect(page.getByTestId('sim-gpus-exact')).toHaveValue('4');
    await expect(page.getByRole('link', { name: 'Open in MoE Lab' })).toHaveAttribute(
      'href',
      /#\/simulator\?simGpus=4$/,
    );
    await viewportShot(page, 'lesson-embed-simulator');

    await page.goto('./?embed=1#/lesson?chapter=2');
    await expect(page.getByTestId('chapter-title')).toContainText('Chapter 2 of 8');
    await expect(page.locator('.sidenav')).toHaveCount(0);

    await page.goto('./?embed=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E#/gating');
    await expect(page.locator('.sidenav')).toBeVisible();
    await expect(page.getByTestId('notices')).toContainText(
      'Unknown view "<img src=x onerror=alert(1)>"',
    );
    await expect(page.locator('img[src=x]')).toHaveCount(0);
  });

  test('printing a view gives a clean black-on-white page', async ({ page }) => {
    await page.goto('./#/lesson?chapter=8&presentation=1');
    await expect(page.getByTestId('simulator')).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.topbar')).toBeHidden();
    await expect(page.locator('.sidenav')).toBeHidden();
    await expect(page.getByTestId('try-this-button')).toBeHidden();
    await expect(page.locator('.print-only')).toBeVisible();
    await expect(page.locator('.print-only')).toContainText(/#\/lesson\?.*chapter=8/);
    const colours = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const text = getComputedStyle(document.querySelector('.lesson-text')!);
      return {
        bg: body.backgroundColor,
        text: text.color,
        root: getComputedStyle(document.documentElement).fontSize,
      };
    });
    expect(colours.bg).toBe('rgb(255, 255, 255)');
    expect(colours.text).toBe('rgb(0, 0, 0)');
    await viewportShot(page, 'lesson-print-chapter-8');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(1000);
  });
});

test.describe('chapter 5 on real packs', () => {
  test.use({ hideWebgpu: true, viewport: PROJECTOR });

  test('the pack trained without a balancing loss runs in the live heatmap, its idle experts counted', async ({
    page,
  }) => {
    await page.goto('./#/lesson?chapter=5');
    await page.getByTestId('balance-pack-collapse').click();
    // The button sets the model (the link carries it); the chapter's live heatmap runs it.
    await expect(page).toHaveURL(/#\/lesson\?(.*&)?model=collapse/);
    await expect(page.getByTestId('balance-pack-collapse')).toHaveAttribute('aria-pressed', 'true');
    const live = page.getByTestId('lesson-live');
    await expect(live.getByTestId('heat-pack')).toContainText('collapse', {
      timeout: ENGINE_WAIT,
    });
    const rows = live.getByTestId('heat-balance-row');
    await expect(rows).toHaveCount(3);
    // Layer 1 of this pack has two experts its router never picks (card.json: dead experts per
    // layer 2, 2, 0), so any run leaves at least two idle.
    expect(Number(await rows.nth(1).getAttribute('data-idle'))).toBeGreaterThanOrEqual(2);
    await viewportShot(page, 'lesson-chapter-5-collapse-heatmap');
  });
});
