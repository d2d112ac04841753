import { describe, expect, it } from 'vitest';
import { maxRelError, moeLayerReference } from '../kernels/reference';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import { seededRng } from './rng';
import { pruneExpertFfn } from './pruning';

function randomWeights(E: number, D: number, I: number, seed: number): MoeWeights {
  const r = seededRng(seed);
  const f = (n: number) => Float32Array.from({ length: n }, () => r() * 2 - 1);
  return { Wr: f(D * E), W1: f(E * D * I), W3: f(E * D * I), W2: f(E * I * D) };
}

describe('intra-expert pruning', () => {
  const E = 4;
  const D = 8;
  const I = 12;
  const config: MoeConfig = {
    D,
    I,
    E,
    k: 2,
    blockSize: 16,
    scoring: 'softmax',
    renormalize: true,
    dtype: 'f32',
  };
  const x = Float32Array.from({ length: 5 * D }, (_, i) => Math.sin(i));

  it('keeping everything changes nothing', () => {
    const w = randomWeights(E, D, I, 1);
    expect(pruneExpertFfn(w, E, D, I, 1).weights).toBe(w);
  });

  it('equals zeroing the dropped neurons, with a smaller FFN', () => {
    const w = randomWeights(E, D, I, 2);
    const pruned = pruneExpertFfn(w, E, D, I, 0.5);
    expect(pruned.I).toBe(6);
    // Zero the same neurons in the full-size weights: silu(0)·0 contributes nothing.
    const zeroed = { ...w, W1: w.W1.slice(), W3: w.W3.slice(), W2: w.W2.slice() };
    for (let e = 0; e < E; e++) {
      for (let i = 0; i < I; i++) {
        const kept = Array.from(
          { length: pruned.I },
          (_, j) => pruned.weights.W2[(e * pruned.I + j) * D],
        ).includes(w.W2[(e * I + i) * D]);
        if (kept) continue;
        for (let d = 0; d < D; d++)
          zeroed.W1[(e * D + d) * I + i] = zeroed.W3[(e * D + d) * I + i] = 0;
      }
    }
    const a = moeLayerReference({ ...config, I: pruned.I }, pruned.weights, x, 5).out;
    const b = moeLayerReference(config, zeroed, x, 5).out;
    expect(maxRelError(a, b)).toBeLessThan(1e-6);
  });

  it('keeps the strongest neurons', () => {
    const w = randomWeights(1, D, I, 3);
    // Make neuron 7 dominant.
    for (let d = 0; d < D; d++) w.W1[d * I + 7] = 100;
    const p = pruneExpertFfn(w, 1, D, I, 1 / I);
    expect(p.I).toBe(1);
    expect(p.weights.W1[0]).toBe(100);
  });
});
