// Expert weight formats on the host: f16 bits, and int8 / int4 weights packed the way
// shaders/weights_int8.wgsl and weights_int4.wgsl read them, with their exact dequantisation
// (the values the kernels multiply by: what a twin uses).
//   int8: per output channel (expert e, column n): scale = max_k |w| / 127, q = round(w / scale)
//         in [−127, 127]; four per u32 word, element i in byte i % 4 (two's complement).
//   int4: per block of 32 rows of K and output column: scale = max |w| / 7, q = round(w / scale)
//         in [−7, 7], stored as q + 8; eight per word, element i in nibble i % 8 (low first).
// Elements are indexed over the flattened row-major [E, K, N] tensor; scales are f32,
// [E, N] (int8) or [E, ⌈K / 32⌉, N] (int4). An all-zero channel or block gets scale 0.
// On the GPU one buffer holds the codes and then the scales' bits (`packForGpu`): the GEMMs
// already bind WebGPU's default maximum of 8 storage buffers per stage.

import type { WeightFormat } from './types';

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
      for (let n = 0; n < N; n++) scales[s + n] = Math.max(scales[s + n]!, Math.abs(w[row + n]!));
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
  if (w.length !== E * K * N)
    throw new Error(`weights hold ${w.length} values, not ${E}·${K}·${N}`);
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

/** Words of the codes of `count` weights: where the scales start in the GPU buffer (0 for
 * float formats, which have none). */
export function scaleOffset(format: WeightFormat, count: number): number {
  return format === 'int8' || format === 'int4' ? Math.ceil(count / perWord[format]) : 0;
}

/** Bytes of one [E, K, N] weight buffer on the GPU in this format (quantised: codes + scales). */
export function storedBytes(format: WeightFormat, E: number, K: number, N: number): number {
  const n = E * K * N;
  if (format === 'f32') return 4 * n;
  if (format === 'f16') return 2 * n;
  const scales = E * Math.ceil(K / rowsPerScale(format, K)) * N;
  return 4 * (scaleOffset(format, n) + scales);
}

/** One GPU buffer's contents: the codes, then the scales as f32 bits from scaleOffset on. */
export function packForGpu(q: QuantizedWeights): Uint32Array {
  const out = new Uint32Array(q.words.length + q.scales.length);
  out.set(q.words);
  out.set(new Uint32Array(q.scales.buffer, q.scales.byteOffset, q.scales.length), q.words.length);
  return out;
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

/** IEEE half-precision bits of a float (round to nearest even), for uploading f16 weights. */
export function f32ToF16Bits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  e = half; // a carry out of the mantissa correctly bumps the exponent (to inf at the top)
  return sign | e;
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function toF16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f32ToF16Bits(data[i]!);
  return out;
}

/** The values f16 storage actually holds: what a twin of an f16 kernel should use. */
export function roundToF16(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f16BitsToF32(f32ToF16Bits(data[i]!));
  return out;
}
