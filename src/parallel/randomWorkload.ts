// The random layer stack the virtual GPUs run when not on the trained model: small enough for a
// software GPU, with a skew control that tilts every token's router logits towards the first
// experts (0 = uniform routing in expectation, 1 = a few experts take most tokens).
import { randomArray, randomWeights, rng } from '../kernels/random';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import type { ModelDims } from './modelDims';

export const RANDOM_LAYERS = 8;

export function randomDims(experts: number, topK: number): ModelDims {
  const E = Math.max(2, Math.min(64, Math.round(experts)));
  return {
    D: 64,
    I: 128,
    E,
    k: Math.max(1, Math.min(topK, E, 8)),
    sharedI: 0,
    layers: RANDOM_LAYERS,
    heads: 8,
    kvHeads: 8,
    headDim: 8,
    vocab: 100,
    context: 128,
  };
}

export function randomConfig(d: ModelDims): MoeConfig {
  return {
    D: d.D,
    I: d.I,
    E: d.E,
    k: d.k,
    blockSize: 16,
    scoring: 'softmax',
    renormalize: true,
    dtype: 'f32',
  };
}

/** Weights of every layer; row 0 of each router is the skew direction (expert e scores 3·(1 − e/E)). */
export function randomLayers(d: ModelDims, seed = 11): MoeWeights[] {
  const rand = rng(seed);
  const c = randomConfig(d);
  return Array.from({ length: d.layers }, () => {
    const w = randomWeights(c, rand);
    for (let e = 0; e < d.E; e++) w.Wr[e] = 3 * (1 - e / d.E);
    return w;
  });
}

/** T tokens; dimension 0 carries the skew, so every router leans the same way. */
export function randomTokens(d: ModelDims, T: number, skew: number, seed = 12): Float32Array {
  const x = randomArray(T * d.D, rng(seed));
  const s = Math.max(0, Math.min(1, skew));
  for (let t = 0; t < T; t++) x[t * d.D] = s * 3 + (1 - s) * x[t * d.D]!;
  return x;
}
