import { describe, expect, it } from 'vitest';
import { initialRunState } from '../engine/runStore';
import { defaultSettings, type LabSettings } from '../state/settingsSchema';
import { LESSON_KEYS, chapterBaseline, enterChapter } from './chapterBaseline';
import { CHAPTERS, type Chapter } from './chapters';
import { measureAll } from './measures';
import { PRESETS } from './presets';
import { applyChanges } from './settingsChange';

/** What a chapter's "try this" compares: the settings before and after, and the measured
 * numbers that follow from settings alone (the simulator's; run numbers need the engine). */
function beforeAfter(settings: LabSettings, c: Chapter) {
  const { next, diff } = applyChanges(settings, c.tryThis.changes);
  const measure = (s: LabSettings) =>
    measureAll(c.tryThis.measures, { settings: s, run: initialRunState });
  return {
    diff,
    before: measure(settings),
    after: measure(next),
    lessonSettings: LESSON_KEYS.map((k) => [k, settings[k]]),
  };
}

/** A student: enters `first`, tries it, then enters `then`. */
function afterVisiting(first: Chapter, then: Chapter, tried = true): LabSettings {
  let s = enterChapter(defaultSettings(), first).next;
  if (tried) s = applyChanges(s, first.tryThis.changes).next;
  return enterChapter(s, then).next;
}

describe('chapter baselines', () => {
  it('are valid settings, and every chapter’s "try this" still changes something from its own', () => {
    for (const c of CHAPTERS) {
      const base = enterChapter(defaultSettings(), c).next;
      expect(applyChanges(base, c.tryThis.changes).diff.length, c.id).toBeGreaterThan(0);
    }
  });

  it('no chapter’s before → after depends on the chapter visited before it', () => {
    for (const c of CHAPTERS) {
      const fresh = beforeAfter(enterChapter(defaultSettings(), c).next, c);
      for (const first of CHAPTERS) {
        for (const tried of [true, false]) {
          const got = beforeAfter(afterVisiting(first, c, tried), c);
          expect(got, `${first.id} (tried: ${tried}) → ${c.id}`).toEqual(fresh);
        }
      }
    }
  });

  it('nor on a one-click scenario run before it', () => {
    for (const c of CHAPTERS) {
      const fresh = beforeAfter(enterChapter(defaultSettings(), c).next, c);
      for (const p of PRESETS) {
        const s = applyChanges(defaultSettings(), p.changes).next;
        expect(beforeAfter(enterChapter(s, c).next, c), `${p.id} → ${c.id}`).toEqual(fresh);
      }
    }
  });

  it('the issue’s leftovers are gone: top-2 before chapter 2, no skew before chapter 6', () => {
    const [ch1, ch2, , , ch5, ch6] = CHAPTERS;
    expect(beforeAfter(afterVisiting(ch1!, ch2!), ch2!).diff).toEqual([
      { key: 'topK', from: 2, to: 1 },
    ]);
    const s = afterVisiting(ch5!, ch6!);
    expect(s.skew).toBe(0);
    expect(s.fusedMoe).toBe(true);
    expect(beforeAfter(s, ch6!).diff).toEqual([{ key: 'strategy', from: 'ep', to: 'tp' }]);
  });

  it('"Put it back" returns every lesson setting to the chapter’s baseline', () => {
    for (const c of CHAPTERS) {
      const base = enterChapter(defaultSettings(), c).next;
      const tried = applyChanges(base, c.tryThis.changes).next;
      const back = applyChanges(tried, chapterBaseline(c)).next;
      for (const k of LESSON_KEYS) expect(back[k], `${c.id}: ${k}`).toEqual(base[k]);
    }
  });

  it('leaves settings the lesson never moves alone (the prompt, the view’s picks)', () => {
    const s = { ...defaultSettings(), prompt: 'sort: 5 3 9 1', vizStep: 3 };
    const { next } = enterChapter(s, CHAPTERS[0]!);
    expect(next.prompt).toBe('sort: 5 3 9 1');
    expect(next.vizStep).toBe(3);
  });
});
