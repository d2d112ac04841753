// CPU twins of the dense-decode kernels (shaders/dense_*.wgsl), on the same layouts: rows are
// row-major [rows, width]; KV caches are [slots, Hkv, ctx, hd]. Tests hold each kernel to its
// twin, and the twins composed into a whole model to the exporter's golden logits.
import { rng } from '../kernels/random';
import { sampleToken, type SamplingOptions } from '../engine/sampling';

export type AttentionShape = { heads: number; kvHeads: number; headDim: number; ctx: number };

export function embedRows(table: Float32Array, ids: ArrayLike<number>, D: number): Float32Array {
  const x = new Float32Array(ids.length * D);
  for (let t = 0; t < ids.length; t++) x.set(table.subarray(ids[t]! * D, (ids[t]! + 1) * D), t * D);
  return x;
}

/** y[r] = RMSNorm(x[src[r]]) with gain g; src defaults to r. */
export function rmsnormRows(
  x: Float32Array,
  gain: Float32Array,
  rows: number,
  D: number,
  eps: number,
  src?: ArrayLike<number>,
): Float32Array {
  const y = new Float32Array(rows * D);
  for (let r = 0; r < rows; r++) {
    const s = src ? src[r]! : r;
    let ss = 0;
    for (let d = 0; d < D; d++) ss += x[s * D + d]! ** 2;
    const inv = Math.fround(1 / Math.sqrt(ss / D + eps));
    for (let d = 0; d < D; d++) y[r * D + d] = x[s * D + d]! * inv * gain[d]!;
  }
  return y;
}

/** out = a[rows, K] · w[K, N] (+ res[rows, N]). */
export function matmulRows(
  a: Float32Array,
  w: Float32Array,
  rows: number,
  K: number,
  N: number,
  res?: Float32Array,
): Float32Array {
  const out = new Float32Array(rows * N);
  for (let t = 0; t < rows; t++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[t * K + k]! * w[k * N + n]!;
      out[t * N + n] = s + (res ? res[t * N + n]! : 0);
    }
  return out;
}

/**
 * RoPE on the q and k parts of fused [q | k | v] rows; k and v go to the caches at
 * (slot, position). Returns the rotated q [rows, H·hd].
 */
export function ropeKvRows(
  qkv: Float32Array,
  rows: number,
  slots: ArrayLike<number>,
  positions: ArrayLike<number>,
  rope: Float32Array,
  s: AttentionShape,
  kCache: Float32Array,
  vCache: Float32Array,
): Float32Array {
  const { heads: H, kvHeads: Hkv, headDim: hd, ctx } = s;
  const width = (H + 2 * Hkv) * hd;
  const half = hd / 2;
  const q = new Float32Array(rows * H * hd);
  for (let t = 0; t < rows; t++) {
    const row = t * width;
    const pos = positions[t]!;
    for (let head = 0; head < H + 2 * Hkv; head++)
      for (let j = 0; j < hd; j++) {
        const c = head * hd + j;
        if (head >= H + Hkv) {
          vCache[((slots[t]! * Hkv + head - H - Hkv) * ctx + pos) * hd + j] = qkv[row + c]!;
          continue;
        }
        const cos = rope[(pos * half + (j % half)) * 2]!;
        const sin = rope[(pos * half + (j % half)) * 2 + 1]!;
        const rot = j < half ? -qkv[row + c + half]! : qkv[row + c - half]!;
        const v = qkv[row + c]! * cos + rot * sin;
        if (head < H) q[t * H * hd + c] = v;
        else kCache[((slots[t]! * Hkv + head - H) * ctx + pos) * hd + j] = v;
      }
  }
  return q;
}

/** Causal attention of each row over keys 0…position of its slot: out [rows, H·hd]. */
export function attentionRows(
  q: Float32Array,
  rows: number,
  slots: ArrayLike<number>,
  positions: ArrayLike<number>,
  kCache: Float32Array,
  vCache: Float32Array,
  s: AttentionShape,
): Float32Array {
  const { heads: H, kvHeads: Hkv, headDim: hd, ctx } = s;
  const out = new Float32Array(rows * H * hd);
  const scale = 1 / Math.sqrt(hd);
  for (let t = 0; t < rows; t++) {
    const n = positions[t]! + 1;
    for (let h = 0; h < H; h++) {
      const base = (slots[t]! * Hkv + Math.floor(h / (H / Hkv))) * ctx * hd;
      const scores = new Float64Array(n);
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[(t * H + h) * hd + i]! * kCache[base + j * hd + i]!;
        scores[j] = dot * scale;
        max = Math.max(max, scores[j]!);
      }
      let z = 0;
      for (let j = 0; j < n; j++) z += scores[j] = Math.exp(scores[j]! - max);
      for (let i = 0; i < hd; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += scores[j]! * vCache[base + j * hd + i]!;
        out[(t * H + h) * hd + i] = acc / z;
      }
    }
  }
  return out;
}

/** The uniform draw number `n` of mulberry32(seed): the (n+1)-th value that rng(seed) returns. */
export function mulberryDraw(seed: number, n: number): number {
  const a = (seed + Math.imul(n + 1, 0x6d2b79f5)) >>> 0;
  // rng(a0) adds the increment before hashing: start one increment back.
  return rng((a - 0x6d2b79f5) >>> 0)();
}

/**
 * Tokens for S rows of logits [S, V] with the engine's sampler; sequence s draws number
 * drawBase + s (the GPU sampler's contract: one draw per sampled token, in sequence order).
 */
export function sampleRows(
  logits: Float32Array,
  S: number,
  V: number,
  opts: SamplingOptions,
  seed: number,
  drawBase: number,
): Int32Array {
  const out = new Int32Array(S);
  for (let s = 0; s < S; s++)
    out[s] = sampleToken(logits.subarray(s * V, (s + 1) * V), opts, () =>
      mulberryDraw(seed, drawBase + s),
    );
  return out;
}
