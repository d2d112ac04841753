import { describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA } from '../state/settingsSchema';
import { ENGINES, ENGINE_IDS } from './engines';
import { LENGTH_DISTRIBUTIONS, lengthClasses } from './lengths';

describe('engine profiles and length distributions', () => {
  it('the settings offer exactly the simulator’s engines and distributions', () => {
    expect([...SETTINGS_SCHEMA.simEngine.values]).toEqual([...ENGINE_IDS]);
    expect([...SETTINGS_SCHEMA.simLengths.values]).toEqual([...LENGTH_DISTRIBUTIONS]);
  });

  it('every profile names where its constants come from, and stays in physical ranges', () => {
    for (const id of ENGINE_IDS) {
      const e = ENGINES[id];
      expect(e.id).toBe(id);
      expect(e.source).toMatch(/\S{10,}/);
      expect(e.computeScale).toBeGreaterThan(0);
      expect(e.computeScale).toBeLessThanOrEqual(1);
      for (const v of [
        e.layerFixedUs,
        e.eagerLayerFixedUs,
        e.allReduceUs,
        e.stepFixedUs,
        e.requestOverheadMs,
        e.ttftFixedMs,
      ])
        expect(v).toBeGreaterThanOrEqual(0);
      // An AMD factor below 1 would say ROCm builds beat the same engine's CUDA build.
      expect(e.amdFactor).toBeGreaterThanOrEqual(1);
      // Likewise an early-2025 build faster than the current one.
      expect(e.earlyReleaseFactor).toBeGreaterThanOrEqual(1);
      expect(e.cudaGraphMaxBatch).toBeGreaterThan(0);
      expect(e.maxSeqs).toBeGreaterThan(0);
      expect(e.maxBatchTokens).toBeGreaterThan(0);
    }
  });

  it.each(LENGTH_DISTRIBUTIONS)('%s lengths keep the requested means', (kind) => {
    const classes = lengthClasses(kind, 300, 200);
    const w = classes.reduce((a, c) => a + c.weight, 0);
    expect(w).toBeCloseTo(1, 9);
    expect(classes.reduce((a, c) => a + c.weight * c.inputLen, 0)).toBeCloseTo(300, 6);
    expect(classes.reduce((a, c) => a + c.weight * c.outputLen, 0)).toBeCloseTo(200, 6);
    if (kind === 'sharegpt')
      expect(Math.max(...classes.map((c) => c.outputLen))).toBeGreaterThan(2 * 200);
  });
});
