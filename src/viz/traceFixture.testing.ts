// A small, hand-checkable layer trace for the transform tests: T = 3 tokens, E = 4 experts,
// k = 2, BM = 4; buffers made by the kernels' CPU twin, so they have the engine's exact layout.
import type { MoeLayerTrace, StepTrace } from '../engine/trace';
import { alignReference } from '../kernels/reference';
import type { BlockSize } from '../kernels/types';

// The kernels take BM ≥ 16; the CPU twin works for any BM, and 4 keeps the fixture small.
const BM4 = 4 as BlockSize;

export function fixtureLayer(layer = 0): MoeLayerTrace {
  const probs = Float32Array.from([
    // token 0: experts 1, 0; token 1: experts 2, 1; token 2: experts 1, 3
    0.3, 0.5, 0.1, 0.1, 0.05, 0.25, 0.6, 0.1, 0.1, 0.4, 0.1, 0.4,
  ]);
  const topkIds = Int32Array.from([1, 0, 2, 1, 1, 3]);
  const topkWeights = Float32Array.from([0.625, 0.375, 0.6 / 0.85, 0.25 / 0.85, 0.5, 0.5]);
  const a = alignReference(topkIds, 4, BM4);
  return {
    T: 3,
    k: 2,
    probs,
    topkIds,
    topkWeights,
    ...a,
    layer,
    experts: 4,
    blockSize: 4,
    rowSeq: Int32Array.from([0, 0, 0]),
    rowPos: Int32Array.from([0, 1, 2]),
    kernelMs: null,
  };
}

/** Prefill of `<bos>ab` (prompt "ab") then one decode step feeding the output token 'c'. */
export function fixtureSteps(): StepTrace[] {
  const decode = fixtureLayer();
  const one: typeof decode = {
    ...decode,
    T: 1,
    probs: decode.probs.slice(0, 4),
    topkIds: Int32Array.from([1, 0]),
    topkWeights: decode.topkWeights.slice(0, 2),
    ...alignReference(Int32Array.from([1, 0]), 4, BM4),
    rowSeq: Int32Array.from([0]),
    rowPos: Int32Array.from([3]),
  };
  const base = { ortMs: 0, moeMs: 0, stepMs: 0, ortCalls: 0, moeDispatches: 0 };
  return [
    { step: 0, phase: 'prefill', layers: [fixtureLayer(0), fixtureLayer(1)], ...base },
    { step: 1, phase: 'decode', layers: [one, { ...one, layer: 1 }], ...base },
  ];
}
