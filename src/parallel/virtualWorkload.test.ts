import { describe, expect, it } from 'vitest';
import { randomWorkload, recordedWorkload, type RecordedPrefill } from './virtualWorkload';
import { randomConfig, randomDims } from './randomWorkload';

describe('virtual-GPU workloads', () => {
  it('builds the random stack and names every clamp', () => {
    const ok = randomWorkload({ experts: 8, topK: 2, batch: 16, skew: 0.5 });
    expect(ok.repairs).toEqual([]);
    expect(ok.input.T).toBe(16);
    expect(ok.input.load!.reduce((a, b) => a + b, 0)).toBe(16 * 2);
    const bad = randomWorkload({ experts: 1, topK: 12, batch: 999, skew: Number.NaN });
    expect(bad.input.dims.E).toBe(2);
    expect(bad.input.k).toBe(2);
    expect(bad.input.T).toBe(256);
    expect(bad.repairs).toHaveLength(4);
  });

  it('runs the recorded layer asked for, clamped, with its own load', () => {
    const dims = randomDims(4, 2);
    const T = 3;
    const prefill: RecordedPrefill = {
      run: 7,
      T,
      k: 2,
      rowSeq: Int32Array.from([0, 0, 1]),
      xs: [new Float32Array(T * dims.D), new Float32Array(T * dims.D)],
      residuals: [new Float32Array(T * dims.D), new Float32Array(T * dims.D)],
      counts: [Int32Array.from([1, 2, 3, 0]), Int32Array.from([0, 0, 3, 3])],
    };
    const shape = {
      hidden: dims.D,
      expertFfn: dims.I,
      experts: 4,
      sharedFfn: 0,
      layers: 2,
      heads: 2,
      kvHeads: 2,
      headDim: 4,
      vocabSize: 10,
      maxContext: 16,
    };
    const r = recordedWorkload(shape, randomConfig(dims), [], prefill, 5);
    expect(r.input.layer).toBe(1);
    expect(r.input.load).toEqual([0, 0, 3, 3]);
    expect(r.input.sequences).toBe(2);
    expect(r.repairs[0]).toMatch(/layer 5 → 1/);
  });
});
