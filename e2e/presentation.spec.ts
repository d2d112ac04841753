// Presentation and embed (issue 20, item 6), on the CPU path and one page: at 1280×720 in
// presentation mode every chapter's text, its "try this" and its live view are on screen
// together (side by side), with controls at the scale of the text and no focus ring left on the
// chapter after PageDown; a result appears beside the live view; on a 390×844 phone the header
// and navigation stay compact and no view is wider than the screen; `?embed=gating` loads the
// model and draws by itself, naming no view that an iframe does not show.
import { test, expect } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { CHAPTERS } from '../src/lesson/chapters';
import { viewportShot } from './lessonHelpers';

test.setTimeout(600_000);
test.use({ hideWebgpu: true, viewport: { width: 1280, height: 720 } });

const ENGINE_WAIT = 240_000;

/** What each live view shows once it is drawn (the trace views need the engine's run). */
const DRAWN: Record<string, string> = {
  layer: '[data-testid="layer-diagram"]',
  gating: '[data-testid="gating-panel"]',
  permutation: '[data-testid="permutation-panel"]',
  performance: '.performance-panel',
  heatmap: '[data-testid="heatmap-panel"]',
  parallelism: '[data-testid="par-controls"]',
  latency: '[data-testid="metrics"]',
  simulator: '[data-testid="simulator"]',
};

/** Fails unless the element's box lies wholly inside the viewport. */
async function expectOnScreen(page: Page, what: string, el: Locator) {
  const box = await el.boundingBox();
  expect(box, `${what} is rendered`).not.toBeNull();
  const vp = page.viewportSize()!;
  const { x, y, width, height } = box!;
  const edges = { left: x, top: y, right: x + width, bottom: y + height };
  const inside =
    edges.left >= -0.5 &&
    edges.top >= -0.5 &&
    edges.right <= vp.width + 0.5 &&
    edges.bottom <= vp.height + 0.5;
  expect(inside, `${what} ${JSON.stringify(edges)} inside ${vp.width}×${vp.height}`).toBe(true);
  expect(height, `${what} has a height`).toBeGreaterThan(10);
}

/** Horizontal overflow of the page, in px (0 when nothing is wider than the screen). */
const overflowX = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);

test('projector side by side, a phone, and an embedded view that runs by itself', async ({
  page,
}) => {
  // --- 1280×720, presentation mode: all eight chapters, moved through with PageDown.
  await page.goto('./#/lesson?presentation=1');
  const lesson = page.getByTestId('lesson');
  await expect(page.locator('html')).toHaveClass(/presentation/);
  for (let n = 1; n <= CHAPTERS.length; n++) {
    const chapter = CHAPTERS[n - 1]!;
    if (n > 1) {
      await page.keyboard.press('PageDown');
      // The chapter takes the focus (a screen reader reads its title), without a ring.
      const focus = await page.evaluate(() => {
        const el = document.activeElement!;
        const style = getComputedStyle(el);
        return {
          testId: el.getAttribute('data-testid'),
          outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
        };
      });
      expect(focus).toEqual({ testId: 'lesson-chapter', outline: 0 });
    }
    await expect(lesson).toHaveAttribute('data-chapter', String(n));
    const live = page.getByTestId('lesson-live');
    await expect(live).toHaveAttribute('data-panel', chapter.panel);
    await expect(live.locator(DRAWN[chapter.panel]!).first()).toBeVisible({
      timeout: ENGINE_WAIT,
    });

    // Text, "try this" and the live view are all on screen; the page itself does not scroll.
    await expectOnScreen(page, `chapter ${n} title`, page.getByTestId('chapter-title'));
    await expectOnScreen(page, `chapter ${n} text`, page.locator('.lesson-text').last());
    await expectOnScreen(page, `chapter ${n} try this`, page.getByTestId('try-this'));
    await expectOnScreen(page, `chapter ${n} live view`, live);
    const textBox = (await page.locator('.lesson-text').first().boundingBox())!;
    const liveBox = (await live.boundingBox())!;
    expect(liveBox.x, 'the live view is beside the text').toBeGreaterThanOrEqual(
      textBox.x + textBox.width,
    );
    expect(
      await page.evaluate(() => document.scrollingElement!.scrollHeight - window.innerHeight),
    ).toBeLessThanOrEqual(1);

    // Controls at the scale of the text around them (a browser's own select is 13 px).
    const scales = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '.lesson select, .lesson button, .lesson input[type="number"], .lesson input[type="text"]',
        ),
      ].map((el) => {
        const own = parseFloat(getComputedStyle(el).fontSize);
        const around = parseFloat(getComputedStyle(el.parentElement!).fontSize);
        return { what: el.outerHTML.slice(0, 60), ratio: Math.round((own / around) * 100) / 100 };
      }),
    );
    for (const s of scales) expect(s.ratio, s.what).toBeGreaterThanOrEqual(0.75);

    if (chapter.id === 'gating') {
      // A result lands in the chapter's column while the live view stays beside it.
      await page.getByTestId('try-this-button').click();
      await expect(page.getByTestId('try-this-result')).toBeVisible({ timeout: ENGINE_WAIT });
      await expect(page.getByTestId('gating-weight')).toHaveCount(1, { timeout: ENGINE_WAIT });
      await expectOnScreen(page, 'the result', page.getByTestId('try-this-result'));
      await expectOnScreen(page, 'its sentence', page.getByTestId('try-this-sentence'));
      await expectOnScreen(page, 'the live view', live);
      await viewportShot(page, `presentation-${n}-${chapter.id}-result`);
    } else {
      await viewportShot(page, `presentation-${n}-${chapter.id}`);
    }
  }

  // --- A phone: compact header and navigation, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  // Each view drawn before it is measured (the model view's status needs its lazy module).
  const phoneViews = {
    lesson: 'try-this',
    simulator: 'sim-chart-throughput',
    model: 'engine-status',
  };
  for (const [id, drawn] of Object.entries(phoneViews)) {
    await page.goto(`./#/${id}${id === 'lesson' ? '?chapter=2' : ''}`);
    await expect(page.locator('html')).not.toHaveClass(/presentation/);
    await expect(page.getByTestId(`panel-${id}`).getByTestId(drawn).first()).toBeVisible();
    // Chapter 2 entered again by its link starts from its baseline: the earlier result is gone.
    if (id === 'lesson') await expect(page.getByTestId('try-this-result')).toHaveCount(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The current view is shown in the navigation row, which scrolls sideways.
    await expectOnScreen(page, `the ${id} link`, page.getByTestId(`nav-${id}`));
    const chrome = await page.locator('.sidenav').boundingBox();
    expect(chrome!.y + chrome!.height, 'header + navigation height').toBeLessThanOrEqual(120);
    expect(await overflowX(page), `${id}: wider than the phone`).toBeLessThanOrEqual(0);
    await viewportShot(page, `phone-${id}`);
  }

  // --- Embed: one view in an iframe-sized window loads the model and draws by itself.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('./?embed=gating#/gating');
  await expect(page.locator('.sidenav')).toHaveCount(0);
  await expect(page.getByTestId('gating-weight').first()).toBeVisible({ timeout: ENGINE_WAIT });
  await expect(page.getByTestId('needs-run')).toHaveCount(0);
  const main = page.getByTestId('panel-gating');
  // No pointer to a view that is not there: no link into another view, no "go to the … view".
  const hrefs = await main
    .locator('a[href]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  for (const href of hrefs) {
    const view = /#\/([a-z]+)/.exec(href)?.[1];
    if (view) expect(view, `link ${href}`).toBe('gating');
  }
  await expect(main).not.toContainText(/\b(Model|Lesson|Performance|Latency) view\b/);
  await expect(main).not.toContainText(/view first/i);
  expect(await overflowX(page)).toBeLessThanOrEqual(0);
  await viewportShot(page, 'embed-gating');
});
