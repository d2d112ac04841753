import { describe, expect, it } from 'vitest';
import { PANEL_IDS } from '../state/panelIds';
import { SETTINGS_SCHEMA, defaultSettings } from '../state/settingsSchema';
import { CHAPTERS, CHAPTER_COUNT, chapterAt } from './chapters';
import { MEASURE_IDS } from './measures';
import { applyChanges } from './settingsChange';

const sentences = (text: readonly string[]) =>
  text
    .join(' ')
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .filter((s) => s.trim() !== '').length;

// Settings the engine reads at run time: a change to one of them means nothing until re-run.
const ENGINE_KEYS = new Set(['model', 'topK', 'ffnKeep', 'disabledExperts', 'genBatch', 'prompt']);

describe('the lesson chapters', () => {
  it('are the eight of the issue, in its order', () => {
    expect(CHAPTER_COUNT).toBe(8);
    expect(SETTINGS_SCHEMA.chapter).toMatchObject({ min: 1, max: CHAPTER_COUNT });
    expect(CHAPTERS.map((c) => c.id)).toEqual([
      'dense-vs-moe',
      'gating',
      'batching',
      'grouped-gemm',
      'load-balance',
      'parallelism',
      'serving',
      'at-scale',
    ]);
    expect(new Set(CHAPTERS.map((c) => c.title)).size).toBe(8);
  });

  it.each(CHAPTERS.map((c) => [c.id, c] as const))(
    '%s is short and points at a live view',
    (_, c) => {
      expect(sentences(c.text)).toBeGreaterThanOrEqual(1);
      expect(sentences(c.text)).toBeLessThanOrEqual(3);
      expect(PANEL_IDS).toContain(c.panel);
      expect(c.panel).not.toBe('lesson');
      expect(c.needsTrace).toBe(['layer', 'gating', 'heatmap', 'permutation'].includes(c.panel));
      expect(c.tryThis.label.length).toBeGreaterThan(5);
      expect(c.tryThis.measures.length).toBeGreaterThan(0);
      for (const m of c.tryThis.measures) expect(MEASURE_IDS).toContain(m);
    },
  );

  it.each(CHAPTERS.map((c) => [c.id, c] as const))(
    '%s: "try this" is valid and re-runs the engine exactly when it moves an engine setting',
    (_, c) => {
      const { diff } = applyChanges(defaultSettings(), c.tryThis.changes);
      expect(diff.length).toBeGreaterThan(0);
      const touchesEngine = diff.some((d) => ENGINE_KEYS.has(d.key));
      expect(c.tryThis.rerun !== 'none').toBe(touchesEngine);
    },
  );

  it('every chapter still changes something when the lesson is walked in order', () => {
    let settings = defaultSettings();
    for (const c of CHAPTERS) {
      const { next, diff } = applyChanges(settings, c.tryThis.changes);
      expect(diff.length, c.id).toBeGreaterThan(0);
      settings = next;
    }
  });

  it('chapterAt clamps and rounds', () => {
    expect(chapterAt(1).id).toBe('dense-vs-moe');
    expect(chapterAt(0).id).toBe('dense-vs-moe');
    expect(chapterAt(99).id).toBe('at-scale');
    expect(chapterAt(Number.NaN).id).toBe('dense-vs-moe');
    expect(chapterAt(2.6).id).toBe('batching');
  });
});
