import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../state/settingsSchema';
import { applyChanges, describeDiff, formatSettingValue, revertChanges } from './settingsChange';

describe('applyChanges', () => {
  it('lists only the settings that really move, with from and to', () => {
    const s = defaultSettings();
    const { next, diff } = applyChanges(s, { topK: 1, model: 'mixtral-style', skew: 0.5 });
    expect(diff).toEqual([
      { key: 'topK', from: 2, to: 1 },
      { key: 'skew', from: 0, to: 0.5 },
    ]);
    expect(next.topK).toBe(1);
    expect(next.skew).toBe(0.5);
    expect(s.topK).toBe(2); // the input is not mutated
  });

  it('throws on lesson data the schema refuses, so a bad chapter fails its test', () => {
    const s = defaultSettings();
    expect(() => applyChanges(s, { topK: 99 })).toThrow(/topK=99/);
    expect(() => applyChanges(s, { strategy: 'nope' as never })).toThrow(/strategy/);
    expect(() => applyChanges(s, { bogus: 1 } as never)).toThrow(/unknown setting "bogus"/);
  });

  it('reverts to exactly the settings before', () => {
    const s = defaultSettings();
    const { next, diff } = applyChanges(s, { precision: 'fp8', fusedMoe: false, genBatch: 4 });
    const back = applyChanges(next, revertChanges(diff));
    expect(back.next).toEqual(s);
    expect(back.diff.map((d) => d.key)).toEqual(['precision', 'fusedMoe', 'genBatch']);
  });
});

describe('describing a change', () => {
  it('says it in words', () => {
    expect(describeDiff({ key: 'topK', from: 2, to: 1 })).toBe('top-k (experts per token): 2 → 1');
    expect(describeDiff({ key: 'strategy', from: 'ep', to: 'tp' })).toBe(
      'parallel strategy: EP → TP',
    );
    // A key without a sentence label of its own reads by its control's label from the schema.
    expect(describeDiff({ key: 'microBatches', from: 4, to: 8 })).toBe('micro-batches: 4 → 8');
    expect(formatSettingValue('fusedMoe', false)).toBe('off');
    expect(formatSettingValue('ffnKeep', 0.5)).toBe('50%');
    expect(formatSettingValue('skew', 0.8)).toBe('0.80');
    expect(formatSettingValue('disabledExperts', '')).toBe('none');
    expect(formatSettingValue('permStage', 2)).toBe('3');
  });
});
