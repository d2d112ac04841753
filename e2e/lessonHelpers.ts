// Helpers for the lesson's end-to-end tests: the URL's settings, the "try this" outcome as read
// from the page, and viewport screenshots at projector size.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect } from './fixtures';

/** The settings in the page's hash (`#/lesson?topK=1&…`), as raw strings. */
export function hashParams(page: Page): URLSearchParams {
  const hash = new URL(page.url()).hash;
  const q = hash.indexOf('?');
  return new URLSearchParams(q === -1 ? '' : hash.slice(q + 1));
}

/** How the URL codec writes a value (booleans as 1/0). */
export function urlValue(v: string): string {
  return v === 'true' ? '1' : v === 'false' ? '0' : v;
}

export type Measured = { id: string; before: string; after: string };

export async function readOutcome(page: Page, testId = 'try-this-result') {
  const root = page.getByTestId(testId);
  await expect(root).toBeVisible();
  const changed = await root
    .getByTestId('changed-setting')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-key')!, e.getAttribute('data-to')!]),
    );
  const measured: Measured[] = await root.getByTestId('measured').evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-measure')!,
      before: e.getAttribute('data-before')!,
      after: e.getAttribute('data-after')!,
    })),
  );
  return { changed: changed as [string, string][], measured };
}

/** The leading number of a measured value ("12.5 ms", "58 of 64 rows", "2 of 8"). */
export function num(text: string): number {
  const m = /-?\d+(\.\d+)?/.exec(text);
  if (!m) throw new Error(`no number in "${text}"`);
  return Number(m[0]);
}

/** What a projector shows: the viewport, not the whole page. */
export async function viewportShot(page: Page, name: string) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
