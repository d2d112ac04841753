// The dense weights in the layouts the kernels take: q, k and v projections side by side as one
// [D, (H + 2·Hkv)·hd] matrix (one matmul per layer instead of three), and the LM head as [D, V].
import type { AttentionWeights, DenseWeights } from '../model/onnxWeights';

export function fusedQkv(w: AttentionWeights, D: number): Float32Array {
  const parts = [w.wq, w.wk, w.wv];
  const widths = parts.map((p) => p.length / D);
  const N = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(D * N);
  for (let k = 0; k < D; k++) {
    let at = k * N;
    parts.forEach((p, i) => {
      out.set(p.subarray(k * widths[i]!, (k + 1) * widths[i]!), at);
      at += widths[i]!;
    });
  }
  return out;
}

/** x·W for the LM head: the embedding's transpose when tied. */
export function headMatrix(w: DenseWeights, D: number, V: number): Float32Array {
  if (w.head) return w.head;
  const out = new Float32Array(D * V);
  for (let v = 0; v < V; v++) for (let d = 0; d < D; d++) out[d * V + v] = w.embedding[v * D + d]!;
  return out;
}
