import { describe, expect, it } from 'vitest';
import { moeLayerReference } from '../kernels/reference';
import { randomArray, randomWeights, rng } from '../kernels/random';
import type { MoeConfig } from '../kernels/types';
import type { MoeLayerTrace } from './trace';
import { mergeLayerTraces } from './traceMerge';

const config: MoeConfig = {
  D: 8,
  I: 12,
  E: 6,
  k: 2,
  blockSize: 16,
  scoring: 'softmax',
  renormalize: true,
  dtype: 'f32',
};

function traceOf(
  x: Float32Array,
  T: number,
  rowBase: number,
  capacityFactor: number | null = null,
): MoeLayerTrace {
  const r = moeLayerReference(config, weights, x, T, { capacityFactor });
  return {
    T: r.T,
    k: r.k,
    probs: r.probs,
    topkIds: r.topkIds,
    topkWeights: r.topkWeights,
    counts: r.counts,
    offsets: r.offsets,
    numPostPad: r.numPostPad,
    expertIds: r.expertIds,
    sortedIds: r.sortedIds,
    dropped: r.dropped,
    capacity: r.capacity,
    layer: 0,
    experts: config.E,
    blockSize: config.blockSize,
    rowSeq: new Int32Array(T),
    rowPos: Int32Array.from({ length: T }, (_, i) => rowBase + i),
    kernelMs: { router: 1, gemm1: 2 },
  };
}

const weights = randomWeights(config, rng(3));

describe('a layer run in several calls', () => {
  it('has the trace one call over all rows would have', () => {
    const T = 37;
    const x = randomArray(T * config.D, rng(5));
    const whole = traceOf(x, T, 0);
    const cut = 20;
    const parts = [
      traceOf(x.slice(0, cut * config.D), cut, 0),
      traceOf(x.slice(cut * config.D), T - cut, cut),
    ];
    const merged = mergeLayerTraces(parts);
    expect(merged.T).toBe(T);
    expect(merged.calls).toBe(2);
    expect(Array.from(merged.topkIds)).toEqual(Array.from(whole.topkIds));
    expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    expect(Array.from(merged.offsets)).toEqual(Array.from(whole.offsets));
    expect(Array.from(merged.sortedIds)).toEqual(Array.from(whole.sortedIds));
    expect(Array.from(merged.expertIds)).toEqual(Array.from(whole.expertIds));
    expect(merged.numPostPad).toBe(whole.numPostPad);
    expect(Array.from(merged.rowPos)).toEqual(Array.from({ length: T }, (_, i) => i));
    expect(merged.kernelMs).toEqual({ router: 2, gemm1: 4 });
    for (let i = 0; i < whole.probs.length; i++)
      expect(merged.probs[i]).toBeCloseTo(whole.probs[i]!, 6);
  });

  it('with a capacity: each call keeps its own drops, the grouping is of the pairs kept', () => {
    const T = 37;
    const x = randomArray(T * config.D, rng(5));
    const cut = 20;
    const parts = [
      traceOf(x.slice(0, cut * config.D), cut, 0, 1),
      traceOf(x.slice(cut * config.D), T - cut, cut, 1),
    ];
    const dropped = [
      ...parts[0]!.dropped!,
      ...Array.from(parts[1]!.dropped!, (i) => i + cut * config.k),
    ];
    expect(dropped.length).toBeGreaterThan(0);
    const merged = mergeLayerTraces(parts);
    expect(Array.from(merged.dropped!)).toEqual(dropped);
    expect(merged.capacity).toBe(Math.ceil((cut * config.k) / config.E));
    // Per expert, the kept pairs of both calls: the calls' counts added up.
    expect(Array.from(merged.counts)).toEqual(
      Array.from(parts[0]!.counts, (c, e) => c + parts[1]!.counts[e]!),
    );
    const kept = merged.sortedIds.filter((i) => i < T * config.k);
    expect(kept.length).toBe(T * config.k - dropped.length);
    expect(kept.some((i) => dropped.includes(i))).toBe(false);
    // Without capacity nothing is dropped and no capacity is recorded.
    const free = mergeLayerTraces([traceOf(x.slice(0, 4 * config.D), 4, 0), traceOf(x, 4, 4)]);
    expect(free.capacity).toBeNull();
    expect(free.dropped!.length).toBe(0);
  });

  it('refuses traces of different shapes', () => {
    const x = randomArray(4 * config.D, rng(1));
    const a = traceOf(x, 4, 0);
    expect(() => mergeLayerTraces([a, { ...a, k: 1 }])).toThrow(/share k/);
    expect(() => mergeLayerTraces([])).toThrow();
  });
});
