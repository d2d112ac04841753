// Accessibility of the lesson: axe-core on every chapter (with its live view drawn), in normal
// and presentation mode, and on an embedded view. No serious or critical violation is allowed;
// a failure lists each rule with the elements it found.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { CHAPTERS } from '../src/lesson/chapters';

test.setTimeout(600_000);
// The CPU path: the same views, no SwiftShader start-up per page.
test.use({ hideWebgpu: true });

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeText: string | null = null;
const axeSource = async () => (axeText ??= await readFile(AXE_PATH, 'utf8'));

type Violation = { id: string; impact: string | null; help: string; nodes: string[] };

async function seriousViolations(page: Page): Promise<Violation[]> {
  // The lab's CSP refuses inline scripts (addScriptTag); evaluate runs outside the policy.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource());
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResults> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => String(n.target)),
    }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Waits until a chapter's live view has drawn what it draws (a trace, the simulator …). */
async function settle(page: Page, panel: string) {
  const ready: Record<string, string> = {
    model: 'engine-status',
    layer: 'layer-diagram',
    gating: 'gating-panel',
    permutation: 'permutation-panel',
    heatmap: 'heatmap-panel',
    latency: 'metrics',
    simulator: 'simulator',
  };
  const id = ready[panel];
  if (id) await expect(page.getByTestId(id).first()).toBeVisible({ timeout: 300_000 });
  else await expect(page.getByTestId('lesson-live')).toBeVisible();
  await expect(page.getByText(/^Loading .*…$/)).toHaveCount(0, { timeout: 60_000 });
}

// Both modes in one page: presentation is a setting in the link, so switching it re-styles the
// chapter in place, with its live view already drawn (one engine load for the sixteen checks).
test('every chapter has no serious accessibility violation, in normal and presentation mode', async ({
  page,
}) => {
  const report: string[] = [];
  for (let n = 1; n <= CHAPTERS.length; n++) {
    const chapter = CHAPTERS[n - 1]!;
    for (const presentation of [false, true]) {
      await page.goto(`./#/lesson?chapter=${n}${presentation ? '&presentation=1' : ''}`);
      await expect(page.getByTestId('lesson')).toHaveAttribute('data-chapter', String(n));
      await expect(page.locator('html')).toHaveClass(
        presentation ? /presentation/ : /^(?!.*presentation)/,
      );
      await settle(page, chapter.panel);
      for (const v of await seriousViolations(page)) {
        report.push(
          `chapter ${n} (${chapter.id})${presentation ? ' presentation' : ''}: [${v.impact}] ${v.id} — ${v.help}: ${v.nodes.join(' | ')}`,
        );
      }
    }
  }
  expect(report, report.join('\n')).toEqual([]);
});

test('an embedded view and a "try this" result have no serious violation', async ({ page }) => {
  await page.goto('./?embed=lesson#/lesson?chapter=8&presentation=1');
  await settle(page, 'simulator');
  await page.getByTestId('try-this-button').click();
  await expect(page.getByTestId('try-this-result')).toBeVisible();
  const v = await seriousViolations(page);
  expect(v, JSON.stringify(v, null, 1)).toEqual([]);
});
