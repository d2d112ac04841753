// 4-bit symmetric block quantisation in onnxruntime's MatMulNBits layout, for the QMoE baseline:
// each output row n holds its K inputs in blocks of `bs`, two codes per byte (low nibble first),
// value = (code − 8) · scale[n, block]. Also returns the dequantised weights, so the reference
// the QMoE output is checked against sees exactly the weights QMoE used.
import type { MoeConfig, MoeWeights } from '../kernels/types';

export type QmoeWeights = {
  fc1: Uint8Array; // [E, 2I, D/2], rows interleave W1 and W3 columns
  fc1Scales: Float32Array; // [E, 2I, D/bs]
  fc2: Uint8Array; // [E, D, I/2]
  fc2Scales: Float32Array; // [E, D, I/bs]
  dequantized: MoeWeights;
};

/** Quantises the K values read by `at(k)` into row `row` of (codes, scales); writes back the dequantised values. */
function quantizeRow(
  K: number,
  bs: number,
  at: (k: number) => number,
  put: (k: number, v: number) => void,
  codes: Uint8Array,
  codeAt: number,
  scales: Float32Array,
  scaleAt: number,
): void {
  for (let b = 0; b < K / bs; b++) {
    let amax = 0;
    for (let j = 0; j < bs; j++) amax = Math.max(amax, Math.abs(at(b * bs + j)));
    const scale = amax / 7 || 1;
    scales[scaleAt + b] = scale;
    for (let j = 0; j < bs; j += 2) {
      const q0 = Math.min(15, Math.max(0, Math.round(at(b * bs + j) / scale) + 8));
      const q1 = Math.min(15, Math.max(0, Math.round(at(b * bs + j + 1) / scale) + 8));
      codes[codeAt + (b * bs + j) / 2] = q0 | (q1 << 4);
      put(b * bs + j, (q0 - 8) * scale);
      put(b * bs + j + 1, (q1 - 8) * scale);
    }
  }
}

export function quantizeQmoe(c: MoeConfig, w: MoeWeights, bs: number): QmoeWeights {
  const { E, D, I } = c;
  if (D % bs || I % bs) throw new Error(`4-bit blocks of ${bs} must divide D ${D} and I ${I}`);
  const fc1 = new Uint8Array((E * 2 * I * D) / 2);
  const fc1Scales = new Float32Array((E * 2 * I * D) / bs);
  const fc2 = new Uint8Array((E * D * I) / 2);
  const fc2Scales = new Float32Array((E * D * I) / bs);
  const W1 = new Float32Array(w.W1.length);
  const W3 = new Float32Array(w.W3.length);
  const W2 = new Float32Array(w.W2.length);
  for (let e = 0; e < E; e++) {
    const eDI = e * D * I;
    for (let n = 0; n < 2 * I; n++) {
      // Row 2j is column j of W1 (gate), row 2j + 1 column j of W3 (up); K runs over D.
      const src = n % 2 === 0 ? w.W1 : w.W3;
      const dst = n % 2 === 0 ? W1 : W3;
      const col = n >> 1;
      const row = e * 2 * I + n;
      quantizeRow(
        D,
        bs,
        (k) => src[eDI + k * I + col]!,
        (k, v) => (dst[eDI + k * I + col] = v),
        fc1,
        (row * D) / 2,
        fc1Scales,
        (row * D) / bs,
      );
    }
    for (let n = 0; n < D; n++) {
      const row = e * D + n;
      quantizeRow(
        I,
        bs,
        (k) => w.W2[eDI + k * D + n]!,
        (k, v) => (W2[eDI + k * D + n] = v),
        fc2,
        (row * I) / 2,
        fc2Scales,
        (row * I) / bs,
      );
    }
  }
  return { fc1, fc1Scales, fc2, fc2Scales, dequantized: { ...w, W1, W3, W2 } };
}
