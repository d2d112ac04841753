// Intra-expert pruning: keep each expert's top-n FFN neurons by weight norm and re-pack the
// weights to the smaller size, so the pruned layer is really cheaper (not just zeroed).
import type { MoeWeights } from '../kernels/types';

/** Neuron i of expert e matters by ‖W1[e,:,i]‖² + ‖W3[e,:,i]‖² + ‖W2[e,i,:]‖². */
export function neuronNorms(w: MoeWeights, E: number, D: number, I: number): Float32Array {
  const norms = new Float32Array(E * I);
  for (let e = 0; e < E; e++) {
    for (let d = 0; d < D; d++) {
      const row = (e * D + d) * I;
      for (let i = 0; i < I; i++) norms[e * I + i]! += w.W1[row + i]! ** 2 + w.W3[row + i]! ** 2;
    }
    for (let i = 0; i < I; i++) {
      const row = (e * I + i) * D;
      let s = 0;
      for (let d = 0; d < D; d++) s += w.W2[row + d]! ** 2;
      norms[e * I + i]! += s;
    }
  }
  return norms;
}

export function keptNeurons(keep: number, I: number): number {
  return Math.max(1, Math.min(I, Math.round(keep * I)));
}

/** Weights with each expert cut to its `keptNeurons(keep, I)` strongest neurons (order kept). */
export function pruneExpertFfn(
  w: MoeWeights,
  E: number,
  D: number,
  I: number,
  keep: number,
): { weights: MoeWeights; I: number } {
  const n = keptNeurons(keep, I);
  if (n === I) return { weights: w, I };
  const norms = neuronNorms(w, E, D, I);
  const W1 = new Float32Array(E * D * n);
  const W3 = new Float32Array(E * D * n);
  const W2 = new Float32Array(E * n * D);
  for (let e = 0; e < E; e++) {
    const order = Array.from({ length: I }, (_, i) => i)
      .sort((a, b) => norms[e * I + b]! - norms[e * I + a]!)
      .slice(0, n)
      .sort((a, b) => a - b);
    for (let d = 0; d < D; d++) {
      for (let j = 0; j < n; j++) {
        W1[(e * D + d) * n + j] = w.W1[(e * D + d) * I + order[j]!]!;
        W3[(e * D + d) * n + j] = w.W3[(e * D + d) * I + order[j]!]!;
      }
    }
    for (let j = 0; j < n; j++) {
      W2.set(w.W2.subarray((e * I + order[j]!) * D, (e * I + order[j]! + 1) * D), (e * n + j) * D);
    }
  }
  return { weights: { ...w, W1, W3, W2 }, I: n };
}
