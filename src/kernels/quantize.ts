// Quantised expert weights, packed the way shaders/weights_int8.wgsl and weights_int4.wgsl read
// them, and their exact dequantisation (the values the kernels multiply by: what a twin uses).
//   int8: per output channel (expert e, column n): scale = max_k |w| / 127, q = round(w / scale)
//         in [−127, 127]; four per u32 word, element i in byte i % 4 (two's complement).
//   int4: per block of 32 rows of K and output column: scale = max |w| / 7, q = round(w / scale)
//         in [−7, 7], stored as q + 8; eight per word, element i in nibble i % 8 (low first).
// Elements are indexed over the flattened row-major [E, K, N] tensor; scales are f32,
// [E, N] (int8) or [E, ⌈K / 32⌉, N] (int4). An all-zero channel or block gets scale 0.

export type QuantFormat = 'int8' | 'int4';
export type QuantizedWeights = { words: Uint32Array; scales: Float32Array };

/** Rows of K that share an int4 scale. */
export const INT4_BLOCK = 32;

const levels = { int8: 127, int4: 7 } as const;
const perWord = { int8: 4, int4: 8 } as const;

/** Rows of K per scale: all of K (int8, per channel) or a block of 32 (int4). */
const rowsPerScale = (format: QuantFormat, K: number) => (format === 'int8' ? K : INT4_BLOCK);

/** Scales of an [E, K, N] tensor: one per (expert, group of rows, column). */
function scalesOf(format: QuantFormat, w: Float32Array, E: number, K: number, N: number) {
  const R = rowsPerScale(format, K);
  const groups = Math.ceil(K / R);
  const scales = new Float32Array(E * groups * N);
  for (let e = 0; e < E; e++)
    for (let k = 0; k < K; k++) {
      const s = (e * groups + Math.floor(k / R)) * N;
      const row = (e * K + k) * N;
      for (let n = 0; n < N; n++)
        scales[s + n] = Math.max(scales[s + n]!, Math.abs(w[row + n]!));
    }
  for (let i = 0; i < scales.length; i++) scales[i] = scales[i]! / levels[format];
  return { scales, groups, R };
}

export function quantize(
  format: QuantFormat,
  w: Float32Array,
  E: number,
  K: number,
  N: number,
): QuantizedWeights {
  if (w.length !== E * K * N) throw new Error(`weights hold ${w.length} values, not ${E}·${K}·${N}`);
  const { scales, groups, R } = scalesOf(format, w, E, K, N);
  const L = levels[format];
  const per = perWord[format];
  const bits = 32 / per;
  const words = new Uint32Array(Math.ceil(w.length / per));
  for (let e = 0; e < E; e++)
    for (let k = 0; k < K; k++) {
      const s = (e * groups + Math.floor(k / R)) * N;
      for (let n = 0; n < N; n++) {
        const i = (e * K + k) * N + n;
        const scale = scales[s + n]!;
        const q = scale > 0 ? Math.max(-L, Math.min(L, Math.round(w[i]! / scale))) : 0;
        const code = format === 'int8' ? q & 0xff : q + 8;
        words[Math.floor(i / per)]! |= code << ((i % per) * bits);
      }
    }
  return { words, scales };
}

/** The weights the kernels see: q · scale in f32, element by element. */
export function dequantize(
  format: QuantFormat,
  q: QuantizedWeights,
  E: number,
  K: number,
  N: number,
): Float32Array {
  const R = rowsPerScale(format, K);
  const groups = Math.ceil(K / R);
  const per = perWord[format];
  const bits = 32 / per;
  const out = new Float32Array(E * K * N);
  for (let e = 0; e < E; e++)
    for (let k = 0; k < K; k++) {
      const s = (e * groups + Math.floor(k / R)) * N;
      for (let n = 0; n < N; n++) {
        const i = (e * K + k) * N + n;
        const code = (q.words[Math.floor(i / per)]! >>> ((i % per) * bits)) & ((1 << bits) - 1);
        const v = format === 'int8' ? (code << 24) >> 24 : code - 8;
        out[i] = Math.fround(v * q.scales[s + n]!);
      }
    }
  return out;
}
