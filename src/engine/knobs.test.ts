import { describe, expect, it } from 'vitest';
import {
  clampKnobs,
  defaultKnobs,
  knobsFromSettings,
  layersChange,
  readExpertList,
  sameKnobs,
} from './knobs';

describe('engine knobs', () => {
  it('defaults to the model as trained', () => {
    expect(defaultKnobs({ topK: 2 })).toEqual({
      topK: 2,
      disabledExperts: [],
      ffnKeep: 1,
      blockSize: 16,
      capacityFactor: null,
      expertPrecision: 'f32',
    });
  });

  it('clamps top-k to the experts left on and says so', () => {
    const r = clampKnobs({ topK: 8, disabledExperts: [1, 2], ffnKeep: 1, blockSize: 16 }, 8);
    expect(r.knobs.topK).toBe(6);
    expect(r.repairs.join(' ')).toMatch(/top-k 8 → 6/);
    expect(
      clampKnobs({ topK: 0, disabledExperts: [], ffnKeep: 1, blockSize: 16 }, 8).knobs.topK,
    ).toBe(1);
    expect(
      clampKnobs({ topK: NaN, disabledExperts: [], ffnKeep: 1, blockSize: 16 }, 8).knobs.topK,
    ).toBe(1);
  });

  it('keeps one expert on and drops numbers outside the model, with notices', () => {
    const r = clampKnobs(
      { topK: 1, disabledExperts: [3, 1, 0, 2, 9, 1], ffnKeep: 1, blockSize: 16 },
      4,
    );
    expect(r.knobs.disabledExperts).toEqual([0, 1, 2]);
    expect(r.knobs.topK).toBe(1);
    expect(r.repairs.length).toBe(2);
  });

  it('clamps the FFN fraction into [0.05, 1]', () => {
    expect(
      clampKnobs({ topK: 1, disabledExperts: [], ffnKeep: 0, blockSize: 16 }, 4).knobs.ffnKeep,
    ).toBe(0.05);
    expect(
      clampKnobs({ topK: 1, disabledExperts: [], ffnKeep: 3, blockSize: 16 }, 4).knobs.ffnKeep,
    ).toBe(1);
  });

  it('reads the URL list and names its junk', () => {
    expect(readExpertList(' 1, 5 ,x,, 7e2,3')).toEqual({ experts: [1, 5, 3], junk: ['x', '7e2'] });
    const r = knobsFromSettings(
      { topK: 2, disabledExperts: '1,abc', ffnKeep: 1, blockSize: '16' },
      8,
    );
    expect(r.knobs.disabledExperts).toEqual([1]);
    expect(r.repairs[0]).toMatch(/ignored "abc"/);
  });

  it('leaves valid settings alone, without notices', () => {
    const r = knobsFromSettings(
      { topK: 4, disabledExperts: '0,7', ffnKeep: 0.5, blockSize: '32' },
      8,
    );
    expect(r).toEqual({
      knobs: {
        topK: 4,
        disabledExperts: [0, 7],
        ffnKeep: 0.5,
        blockSize: 32,
        capacityFactor: null,
        expertPrecision: 'f32',
      },
      repairs: [],
    });
    expect(sameKnobs(r.knobs, { ...r.knobs, disabledExperts: [0, 7] })).toBe(true);
    expect(sameKnobs(r.knobs, { ...r.knobs, disabledExperts: [0] })).toBe(false);
    expect(sameKnobs(r.knobs, { ...r.knobs, blockSize: 16 })).toBe(false);
  });

  it('reads the capacity factor: off, or 1…4 in hundredths, clamped with a notice', () => {
    const base = { topK: 2, disabledExperts: '', ffnKeep: 1, blockSize: '16' };
    expect(knobsFromSettings({ ...base, capacityFactor: 'off' }, 8).knobs.capacityFactor).toBe(
      null,
    );
    expect(knobsFromSettings(base, 8).knobs.capacityFactor).toBe(null);
    const ok = knobsFromSettings({ ...base, capacityFactor: '1.25' }, 8);
    expect(ok.knobs.capacityFactor).toBe(1.25);
    expect(ok.repairs).toEqual([]);
    const low = knobsFromSettings({ ...base, capacityFactor: '0.5' }, 8);
    expect(low.knobs.capacityFactor).toBe(1);
    expect(low.repairs.join(' ')).toMatch(/capacity factor 0.5 → 1/);
    const high = knobsFromSettings({ ...base, capacityFactor: '9' }, 8);
    expect(high.knobs.capacityFactor).toBe(4);
    const junk = knobsFromSettings({ ...base, capacityFactor: 'lots' }, 8);
    expect(junk.knobs.capacityFactor).toBe(null);
    expect(junk.repairs.join(' ')).toMatch(/capacity factor NaN → off/);
    expect(sameKnobs(ok.knobs, { ...ok.knobs, capacityFactor: null })).toBe(false);
    // Knobs recorded before the knob existed mean "off".
    const { capacityFactor: _drop, ...old } = low.knobs;
    expect(sameKnobs(old, { ...low.knobs, capacityFactor: null })).toBe(true);
  });

  it('reads the expert precision, and keeps f32 with a notice where f16 cannot run', () => {
    const base = { topK: 2, disabledExperts: '', ffnKeep: 1, blockSize: '16' };
    expect(knobsFromSettings(base, 8).knobs.expertPrecision).toBe('f32');
    for (const p of ['f16', 'int8', 'int4'] as const) {
      const r = knobsFromSettings({ ...base, expertPrecision: p }, 8);
      expect(r.knobs.expertPrecision).toBe(p);
      expect(r.repairs).toEqual([]);
    }
    const noF16 = knobsFromSettings({ ...base, expertPrecision: 'f16' }, 8, { f16: false });
    expect(noF16.knobs.expertPrecision).toBe('f32');
    expect(noF16.repairs.join(' ')).toMatch(/expert precision f16 → f32 \(.*shader-f16/);
    // Without f16 the quantised formats still run.
    expect(
      knobsFromSettings({ ...base, expertPrecision: 'int4' }, 8, { f16: false }).knobs
        .expertPrecision,
    ).toBe('int4');
    const junk = knobsFromSettings({ ...base, expertPrecision: 'int3' }, 8);
    expect(junk.knobs.expertPrecision).toBe('f32');
    expect(junk.repairs.join(' ')).toMatch(/expert precision int3 → f32/);
    const int8 = knobsFromSettings({ ...base, expertPrecision: 'int8' }, 8).knobs;
    expect(sameKnobs(int8, { ...int8, expertPrecision: 'int4' })).toBe(false);
    // Knobs recorded before the knob existed mean f32.
    const { expertPrecision: _drop, ...old } = noF16.knobs;
    expect(sameKnobs(old, noF16.knobs)).toBe(true);
    expect(sameKnobs(old, int8)).toBe(false);
  });
});

describe('layersChange', () => {
  const base = defaultKnobs({ topK: 2 });
  it('is true for the knobs that make other layers, false for those applied to the same ones', () => {
    expect(layersChange(base, { ...base, ffnKeep: 0.5 })).toBe(true);
    expect(layersChange(base, { ...base, blockSize: 64 })).toBe(true);
    expect(layersChange(base, { ...base, expertPrecision: 'int4' })).toBe(true);
    expect(layersChange(base, { ...base, topK: 1 })).toBe(false);
    expect(layersChange(base, { ...base, disabledExperts: [3] })).toBe(false);
    expect(layersChange(base, { ...base, capacityFactor: 1 })).toBe(false);
  });
  it('reads knobs without a precision as f32', () => {
    const { expertPrecision: _dropped, ...old } = { ...base, expertPrecision: 'f32' as const };
    void _dropped;
    expect(layersChange(old, { ...base, expertPrecision: 'f32' })).toBe(false);
  });
});
