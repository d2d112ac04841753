// Plain-TypeScript twins of every MoE kernel. Tests compare the WGSL kernels with these, and the
// engine runs them when there is no WebGPU, so they are plain loops over typed arrays. Each twin
// follows its kernel's rules exactly (tie-breaks, sentinels, masks) so results can be compared
// element by element; only the arithmetic differs (f64 here, f32 on the GPU).
import { dequantize, quantize, roundToF16 } from './weightFormats';
import type { BlockSize, MoeConfig, MoeReferenceResult, MoeWeights } from './types';

const LOWEST = -3.4028234663852886e38; // -FLT_MAX: key of a disabled expert

export type RouterResult = { probs: Float32Array; topkIds: Int32Array; topkWeights: Float32Array };

/** The score top-k ranks an expert by: its probability, plus the selection bias where given. */
export function selectionKey(p: number, bias: Float32Array | undefined, e: number): number {
  return bias ? p + bias[e]! : p;
}

/**
 * logits = x·Wr; softmax (or sigmoid) over the enabled experts; top-k by score (+ bias for
 * sigmoid), ties to the lower index; disabled experts only fill slots nothing else can
 * (they then carry weight 0).
 */
export function routerReference(
  x: Float32Array,
  Wr: Float32Array,
  T: number,
  D: number,
  E: number,
  k: number,
  scoring: MoeConfig['scoring'],
  renormalize: boolean,
  bias?: Float32Array,
  mask?: Uint32Array,
): RouterResult {
  const probs = new Float32Array(T * E);
  const topkIds = new Int32Array(T * k);
  const topkWeights = new Float32Array(T * k);
  const logits = new Float64Array(E);
  const key = new Float64Array(E);
  const taken = new Uint8Array(E);
  for (let t = 0; t < T; t++) {
    logits.fill(0);
    for (let d = 0; d < D; d++) {
      const xv = x[t * D + d]!;
      const row = d * E;
      for (let e = 0; e < E; e++) logits[e]! += xv * Wr[row + e]!;
    }
    const on = (e: number) => !mask || mask[e] !== 0;
    if (scoring === 'softmax') {
      let max = -Infinity;
      for (let e = 0; e < E; e++) if (on(e)) max = Math.max(max, logits[e]!);
      let sum = 0;
      for (let e = 0; e < E; e++) sum += on(e) ? Math.exp(logits[e]! - max) : 0;
      for (let e = 0; e < E; e++)
        probs[t * E + e] = on(e) && sum > 0 ? Math.exp(logits[e]! - max) / sum : 0;
    } else {
      for (let e = 0; e < E; e++) probs[t * E + e] = on(e) ? 1 / (1 + Math.exp(-logits[e]!)) : 0;
    }
    for (let e = 0; e < E; e++) {
      const p = probs[t * E + e]!;
      key[e] = on(e) ? selectionKey(p, bias, e) : LOWEST;
    }
    taken.fill(0);
    let wsum = 0;
    for (let j = 0; j < k; j++) {
      let best = -1;
      for (let e = 0; e < E; e++) {
        if (taken[e]) continue;
        if (best < 0 || key[e]! > key[best]!) best = e;
      }
      taken[best] = 1;
      topkIds[t * k + j] = best;
      const w = probs[t * E + best]!;
      topkWeights[t * k + j] = w;
      wsum += w;
    }
    if (renormalize)
      for (let j = 0; j < k; j++)
        topkWeights[t * k + j] = wsum > 0 ? topkWeights[t * k + j]! / wsum : 0;
  }
  return { probs, topkIds, topkWeights };
}

export type AlignResult = {
  counts: Int32Array;
  offsets: Int32Array;
  numPostPad: number;
  expertIds: Int32Array;
  sortedIds: Int32Array;
  /** Pair indices over their expert's capacity, ascending (empty without a capacity). */
  dropped: Int32Array;
};

/**
 * Switch Transformer / GShard expert capacity for one MoE call: ⌈cf · T · k / E⌉ pairs per
 * expert, or null (no limit) when cf is null. cf is taken in hundredths and the ceiling is
 * integer arithmetic, so the GPU path and the twin get the same number (1.2 · 5 is not 6 in
 * floating point).
 */
export function expertCapacity(
  cf: number | null | undefined,
  T: number,
  k: number,
  E: number,
): number | null {
  if (cf === null || cf === undefined) return null;
  const num = Math.round(cf * 100) * T * k;
  const den = 100 * E;
  return Math.floor((num + den - 1) / den);
}

/** [P] 1 for each listed pair index: the pairs no kernel computes (dropped over capacity). */
export function pairMask(P: number, pairs: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(P);
  for (let i = 0; i < pairs.length; i++) m[pairs[i]!] = 1;
  return m;
}

/**
 * vLLM's moe_align_block_size: count pairs per expert, pad each count up to BM, exclusive
 * prefix sum, one expert id per block, pair indices scattered in pair order. With an expert map
 * (global → local, −1 = elsewhere) pairs of non-local experts are dropped and blocks carry the
 * local index. With a capacity, each expert keeps its first `capacity` pairs in pair order (token
 * order, first come first served); the rest are listed in `dropped` and counted nowhere.
 */
export function alignReference(
  topkIds: Int32Array,
  E: number,
  BM: BlockSize,
  expertMap?: Int32Array,
  capacity?: number | null,
): AlignResult {
  const cap = capacity ?? Infinity;
  return alignPairs(topkIds, E, BM, expertMap, (_i, n) => n < cap);
}

/**
 * The layout of the pairs not marked in `exclude`, the excluded ones listed as dropped: the
 * grouping one call would show when the pairs were dropped by several calls, each over its own
 * capacity (a layer that ran in slices, traceMerge.ts).
 */
export function alignExcluding(
  topkIds: Int32Array,
  E: number,
  BM: BlockSize,
  exclude: Uint8Array,
): AlignResult {
  return alignPairs(topkIds, E, BM, undefined, (i) => !exclude[i]);
}

/** Align over the local pairs that `keep(i, pairs of its expert kept so far)` accepts. */
function alignPairs(
  topkIds: Int32Array,
  E: number,
  BM: BlockSize,
  expertMap: Int32Array | undefined,
  keep: (i: number, keptSoFar: number) => boolean,
): AlignResult {
  const P = topkIds.length;
  const local = (e: number) => (expertMap ? expertMap[e]! : e);
  const counts = new Int32Array(E);
  const dropped: number[] = [];
  const kept = new Uint8Array(P);
  for (let i = 0; i < P; i++) {
    const e = topkIds[i]!;
    if (local(e) < 0) continue;
    if (keep(i, counts[e]!)) {
      counts[e]!++;
      kept[i] = 1;
    } else dropped.push(i);
  }
  const offsets = new Int32Array(E + 1);
  for (let e = 0; e < E; e++) offsets[e + 1] = offsets[e]! + Math.ceil(counts[e]! / BM) * BM;
  const numPostPad = offsets[E]!;
  const expertIds = new Int32Array(numPostPad / BM);
  for (let e = 0; e < E; e++)
    for (let b = offsets[e]! / BM; b < offsets[e + 1]! / BM; b++) expertIds[b] = local(e);
  const sortedIds = new Int32Array(numPostPad).fill(P);
  const cursor = offsets.slice(0, E);
  for (let i = 0; i < P; i++) if (kept[i]) sortedIds[cursor[topkIds[i]!]!++] = i;
  return { counts, offsets, numPostPad, expertIds, sortedIds, dropped: Int32Array.from(dropped) };
}

const silu = (v: number) => v / (1 + Math.exp(-v));

/**
 * GEMM1 + SwiGLU for every pair row: act[i] = silu(x[t]·W1[e]) ⊙ (x[t]·W3[e]), t = i / k,
 * e = local expert of the pair. Pairs whose expert is elsewhere (map −1) or that `skip` marks
 * (dropped over capacity) stay zero.
 */
export function gemm1Reference(
  x: Float32Array,
  W1: Float32Array,
  W3: Float32Array,
  topkIds: Int32Array,
  k: number,
  D: number,
  I: number,
  expertMap?: Int32Array,
  skip?: Uint8Array,
): Float32Array {
  const P = topkIds.length;
  const act = new Float32Array(P * I);
  const a1 = new Float64Array(I);
  const a3 = new Float64Array(I);
  for (let i = 0; i < P; i++) {
    const e = expertMap ? expertMap[topkIds[i]!]! : topkIds[i]!;
    if (e < 0 || skip?.[i]) continue;
    swigluRow(x, ((i / k) | 0) * D, W1, W3, e * D * I, D, I, a1, a3);
    for (let n = 0; n < I; n++) act[i * I + n] = silu(a1[n]!) * a3[n]!;
  }
  return act;
}

function swigluRow(
  x: Float32Array,
  xOff: number,
  W1: Float32Array,
  W3: Float32Array,
  wOff: number,
  D: number,
  I: number,
  a1: Float64Array,
  a3: Float64Array,
) {
  a1.fill(0);
  a3.fill(0);
  for (let d = 0; d < D; d++) {
    const xv = x[xOff + d]!;
    if (xv === 0) continue;
    const row = wOff + d * I;
    for (let n = 0; n < I; n++) {
      a1[n]! += xv * W1[row + n]!;
      a3[n]! += xv * W3[row + n]!;
    }
  }
}

/** GEMM2: pairOut[i] = w[i] · (act[i] · W2[e]) for local pairs not skipped, zero otherwise. */
export function gemm2Reference(
  act: Float32Array,
  W2: Float32Array,
  topkIds: Int32Array,
  topkWeights: Float32Array,
  D: number,
  I: number,
  expertMap?: Int32Array,
  skip?: Uint8Array,
): Float32Array {
  const P = topkIds.length;
  const out = new Float32Array(P * D);
  const acc = new Float64Array(D);
  for (let i = 0; i < P; i++) {
    const e = expertMap ? expertMap[topkIds[i]!]! : topkIds[i]!;
    if (e < 0 || skip?.[i]) continue;
    acc.fill(0);
    for (let n = 0; n < I; n++) {
      const a = act[i * I + n]!;
      if (a === 0) continue;
      const row = e * I * D + n * D;
      for (let d = 0; d < D; d++) acc[d]! += a * W2[row + d]!;
    }
    const w = topkWeights[i]!;
    for (let d = 0; d < D; d++) out[i * D + d] = w * acc[d]!;
  }
  return out;
}

/** Dense SwiGLU FFN on every token (the shared expert): [T, D] → [T, D]. */
export function sharedExpertReference(
  x: Float32Array,
  S1: Float32Array,
  S3: Float32Array,
  S2: Float32Array,
  T: number,
  D: number,
  Is: number,
): Float32Array {
  const ids = new Int32Array(T); // one "pair" per token, all on expert 0
  const act = gemm1Reference(x, S1, S3, ids, 1, D, Is);
  return gemm2Reference(act, S2, ids, new Float32Array(T).fill(1), D, Is);
}

/**
 * out[t] = Σ_j pairOut[t·k + j] (local pairs not skipped) + shared[t] + residual[t]: a pair
 * dropped over capacity adds nothing, so its gate weight is lost and the residual carries the token.
 */
export function combineReference(
  pairOut: Float32Array,
  topkIds: Int32Array,
  T: number,
  k: number,
  D: number,
  shared?: Float32Array,
  residual?: Float32Array,
  expertMap?: Int32Array,
  skip?: Uint8Array,
): Float32Array {
  const out = new Float32Array(T * D);
  for (let t = 0; t < T; t++)
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const i = t * k + j;
        if ((!expertMap || expertMap[topkIds[i]!]! >= 0) && !skip?.[i]) s += pairOut[i * D + d]!;
      }
      if (shared) s += shared[t * D + d]!;
      if (residual) s += residual[t * D + d]!;
      out[t * D + d] = s;
    }
  return out;
}

export type MoeReferenceOptions = {
  k?: number;
  expertMask?: Uint32Array;
  expertMap?: Int32Array;
  residual?: Float32Array;
  /** Capacity factor (null / absent: no capacity); the limit is `expertCapacity(cf, T, k, E)`. */
  capacityFactor?: number | null;
};

/** The whole layer on the CPU, with every intermediate the GPU path can hand back. */
export function moeLayerReference(
  config: MoeConfig,
  w: MoeWeights,
  x: Float32Array,
  T: number,
  opts: MoeReferenceOptions = {},
): MoeReferenceResult {
  const { D, I, E } = config;
  const k = opts.k ?? config.k;
  const r = routerReference(
    x,
    w.Wr,
    T,
    D,
    E,
    k,
    config.scoring,
    config.renormalize,
    w.routerBias,
    opts.expertMask,
  );
  const capacity = expertCapacity(opts.capacityFactor, T, k, E);
  const a = alignReference(r.topkIds, E, config.blockSize, opts.expertMap, capacity);
  const skip = a.dropped.length > 0 ? pairMask(T * k, a.dropped) : undefined;
  const act = gemm1Reference(x, w.W1, w.W3, r.topkIds, k, D, I, opts.expertMap, skip);
  const pairOut = gemm2Reference(act, w.W2, r.topkIds, r.topkWeights, D, I, opts.expertMap, skip);
  const Is = config.sharedI ?? 0;
  const shared =
    Is > 0 && w.S1 && w.S3 && w.S2
      ? sharedExpertReference(x, w.S1, w.S3, w.S2, T, D, Is)
      : new Float32Array(T * D);
  const out = combineReference(
    pairOut,
    r.topkIds,
    T,
    k,
    D,
    shared,
    opts.residual,
    opts.expertMap,
    skip,
  );
  return { T, k, ...r, ...a, capacity, act, pairOut, shared, out };
}

/** max|a − b| / max|b|: the error measure every kernel test uses (NaN anywhere → Infinity). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Infinity;
    num = Math.max(num, d);
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

/**
 * The expert weights as a layer of `config.dtype` holds them: f16-rounded, or int8 / int4
 * quantised and dequantised (weightFormats.ts) exactly as shaders/weights_int8.wgsl and weights_int4.wgsl read them
 * (routed and shared experts; the router stays f32). Run `moeLayerReference` on these to get
 * the twin of a quantised layer: the kernels dequantise inside the GEMMs and accumulate in f32.
 */
export function storedWeights(config: MoeConfig, w: MoeWeights): MoeWeights {
  const format = config.dtype;
  if (format === 'f32') return w;
  const { D, I } = config;
  const Is = config.sharedI ?? 0;
  const E = w.W1.length / (D * I);
  const as = (a: Float32Array, e: number, K: number, N: number) =>
    format === 'f16' ? roundToF16(a) : dequantize(format, quantize(format, a, e, K, N), e, K, N);
  return {
    ...w,
    W1: as(w.W1, E, D, I),
    W3: as(w.W3, E, D, I),
    W2: as(w.W2, E, I, D),
    ...(Is > 0 && w.S1 && w.S3 && w.S2
      ? { S1: as(w.S1, 1, D, Is), S3: as(w.S3, 1, D, Is), S2: as(w.S2, 1, Is, D) }
      : {}),
  };
}
