// A static-shape attention graph for one new token of each of B sequences, built from the weights
// of a pack's attn_<l>.onnx. The pack's own graphs grow their KV cache by one row a token, so their
// shapes change every run and onnxruntime-web's WebGPU graph capture cannot replay them; this
// graph reads a fixed-size cache [B, Hkv, L, hd] (L = maxContext) and a mask per sequence instead,
// and returns each token's key and value for the caller to write into its cache at its position.
// B is fixed per graph (capture needs it): a batch of S ≤ B sequences runs in the graph of the
// smallest B that holds it, the spare rows computing on whatever they hold and being ignored.
//
// Math as tools/train/model.py (Attention, Block), for one token at position P:
//   a = RMSNorm1(x); q, k, v = a·Wq, a·Wk, a·Wv; q, k rotated (RoPE, rotate-half, cos/sin given);
//   scores over [cached keys 0..P-1; this token's key] / sqrt(hd), softmax, ·V, heads
//   concatenated, ·Wo; h = x + attention; moe_in = RMSNorm2(h).
// Cache rows ≥ P hold garbage: the additive mask pushes their scores to MASKED_SCORE, whose
// softmax weight is exactly 0. This token's own key is a separate score column, always visible,
// so the softmax has a finite maximum even at P = 0 and never gives NaN.
//
// Ops only from the set onnxruntime's WebGPU EP runs on the GPU (MatMul, Mul, Add, Div, Sqrt,
// ReduceMean, Reshape, Transpose, Slice, Neg, Concat, Softmax), every shape and slice bound an
// int64 initializer: nothing depends on a runtime shape, which graph capture needs.
import type { AttentionWeights } from '../model/onnxWeights';
import type { EngineModelConfig } from './enginePack';
import { OnnxGraphBuilder, attr } from '../model/onnxWriter';

export type DecodeGraphShape = {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** L, the cache rows the graph reads: positions 0..L-1. */
  maxContext: number;
  normEps: number;
};

/**
 * The mask value of a cache row not yet written. Added to the score, it absorbs any score of
 * ordinary size (|s| < 1e22 leaves exactly MASKED_SCORE), so garbage rows weigh exactly 0; finite,
 * so it never meets an -Infinity in a sum. Garbage rows must hold finite values (0·NaN is NaN).
 */
export const MASKED_SCORE = -1e30;

/** The batch sizes decode graphs are built for; a larger batch runs in calls of the largest. */
export const DECODE_BUCKETS = [1, 2, 4, 8, 16, 32, 64] as const;

/** The bucket a batch of `S` sequences runs in (a batch past the largest runs in several calls). */
export function decodeBucket(S: number): number {
  if (!Number.isInteger(S) || S < 1) throw new Error(`decode batch ${S} is not a positive integer`);
  return DECODE_BUCKETS.find((b) => b >= S) ?? DECODE_BUCKETS[DECODE_BUCKETS.length - 1]!;
}

/** The decode graph's shape of a pack (and RoPE's theta, for the step inputs). */
export function decodeShapeOf(c: EngineModelConfig): DecodeGraphShape & { ropeTheta: number } {
  return {
    hidden: c.hidden,
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    maxContext: c.maxContext,
    normEps: c.normEps,
    ropeTheta: c.ropeTheta,
  };
}

/** The graph's input and output names, with their fixed dims, for a batch of `B` sequences. */
export function decodeGraphIO(s: DecodeGraphShape, B = 1) {
  const { hidden: D, kvHeads: Hkv, headDim: hd, maxContext: L } = s;
  return {
    inputs: {
      hidden: [B, 1, D],
      key_cache: [B, Hkv, L, hd],
      value_cache: [B, Hkv, L, hd],
      cos: [B, 1, 1, hd],
      sin: [B, 1, 1, hd],
      mask: [B, 1, 1, L],
    },
    outputs: { h: [B, 1, D], moe_in: [B, 1, D], key: [B, Hkv, 1, hd], value: [B, Hkv, 1, hd] },
  } as const;
}

function checkShape(w: AttentionWeights, s: DecodeGraphShape): void {
  const { hidden: D, heads: H, kvHeads: Hkv, headDim: hd, maxContext: L } = s;
  for (const [name, v] of Object.entries({ D, H, Hkv, hd, L }))
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`decode graph: ${name} = ${v} is not a positive integer`);
  if (hd % 2 !== 0) throw new Error(`decode graph: RoPE needs an even head dim, got ${hd}`);
  if (H % Hkv !== 0)
    throw new Error(`decode graph: ${H} query heads do not share ${Hkv} KV heads evenly`);
  if (!(s.normEps > 0)) throw new Error(`decode graph: normEps ${s.normEps} must be positive`);
  const want: Record<keyof AttentionWeights, number> = {
    norm1: D,
    norm2: D,
    wq: D * H * hd,
    wk: D * Hkv * hd,
    wv: D * Hkv * hd,
    wo: H * hd * D,
  };
  for (const [name, n] of Object.entries(want) as [keyof AttentionWeights, number][])
    if (w[name].length !== n)
      throw new Error(`decode graph: ${name} holds ${w[name].length} values, expected ${n}`);
}

/** The ONNX model (bytes) of one layer's decode attention: one new token each of `B` sequences. */
export function decodeAttentionGraph(
  w: AttentionWeights,
  shape: DecodeGraphShape,
  B = 1,
): Uint8Array {
  checkShape(w, shape);
  if (!Number.isInteger(B) || B < 1)
    throw new Error(`decode graph: batch ${B} is not a positive integer`);
  const { hidden: D, heads: H, kvHeads: Hkv, headDim: hd, maxContext: L } = shape;
  // GQA without copying K and V: query head i uses KV head ⌊i / rep⌋ (repeat_interleave), so
  // queries shaped [B, Hkv, rep, hd] meet their KV head by plain batched MatMul broadcasting.
  const rep = H / Hkv;
  const io = decodeGraphIO(shape, B);
  const g = new OnnxGraphBuilder('decode_attention');
  for (const [name, dims] of Object.entries(io.inputs)) g.input(name, dims);

  const scalar = (name: string, v: number) => g.initializer(name, Float32Array.of(v), []);
  const one = scalar('one', 1);
  const eps = scalar('eps', shape.normEps);
  // model.py multiplies by 1/sqrt(hd) (a float32 constant in the export), not divides by sqrt(hd).
  const scale = scalar('scale', 1 / Math.sqrt(hd));
  const norm1 = g.initializer('norm1', w.norm1, [D]);
  const norm2 = g.initializer('norm2', w.norm2, [D]);
  // Projections per KV head, [1, Hkv, D, width]: a [B, 1, 1, D] row times them is
  // [B, Hkv, 1, width], so key and value come straight out of a MatMul. (A graph output made by Reshape, a view in
  // ORT, is filled by a buffer copy that a captured WebGPU graph does not replay: onnxruntime-web
  // 1.30 left such an output stale after the capturing run.)
  const wq = g.initializer('wq', perKvHead(w.wq, D, Hkv, rep * hd), [1, Hkv, D, rep * hd]);
  const wk = g.initializer('wk', perKvHead(w.wk, D, Hkv, hd), [1, Hkv, D, hd]);
  const wv = g.initializer('wv', perKvHead(w.wv, D, Hkv, hd), [1, Hkv, D, hd]);
  const wo = g.initializer('wo', w.wo, [H * hd, D]);
  const rowShape = g.int64Initializer('row_shape', [B, 1, 1, D]);
  const qShape = g.int64Initializer('q_shape', [B, Hkv, rep, hd]);
  const keyColumnShape = g.int64Initializer('key_column_shape', [B, Hkv, hd, 1]);
  const flatShape = g.int64Initializer('flat_shape', [B, 1, H * hd]);
  const lastAxis = g.int64Initializer('last_axis', [3]);
  const bounds = new Map<number, string>();
  const bound = (v: number) => {
    let name = bounds.get(v);
    if (!name) bounds.set(v, (name = g.int64Initializer(`at_${v}`, [v])));
    return name;
  };

  // RMSNorm as the export: x · (1 / sqrt(mean(x²) + eps)) · g; x² as x·x (exact, like Pow 2).
  const rmsNorm = (x: string, gain: string, out: string, tag: string) => {
    const sq = g.node('Mul', [x, x], [`${tag}_sq`]);
    const mean = g.node('ReduceMean', [sq], [`${tag}_mean`], {
      axes: attr.ints([-1]),
      keepdims: attr.int(1),
    });
    const rms = g.node('Sqrt', [g.node('Add', [mean, eps], [`${tag}_var`])], [`${tag}_rms`]);
    const inv = g.node('Div', [one, rms], [`${tag}_inv`]);
    return g.node('Mul', [g.node('Mul', [x, inv], [`${tag}_scaled`]), gain], [out]);
  };
  const slice = (x: string, start: number, end: number, out: string) =>
    g.node('Slice', [x, bound(start), bound(end), lastAxis], [out]);
  // x·cos + rotate_half(x)·sin, rotate_half(x) = [-x[hd/2:], x[:hd/2]].
  const rope = (x: string, out: string) => {
    const half = hd / 2;
    const back = g.node('Neg', [slice(x, half, hd, `${x}_back`)], [`${x}_back_neg`]);
    const rotated = g.node('Concat', [back, slice(x, 0, half, `${x}_front`)], [`${x}_rot`], {
      axis: attr.int(-1),
    });
    const xc = g.node('Mul', [x, 'cos'], [`${x}_cos`]);
    const rs = g.node('Mul', [rotated, 'sin'], [`${x}_rot_sin`]);
    return g.node('Add', [xc, rs], [out]);
  };

  // Each sequence's row on an axis of its own, [B, 1, 1, D], so it broadcasts over the KV heads.
  const a = g.node('Reshape', [rmsNorm('hidden', norm1, 'attn_in', 'norm1'), rowShape], ['a_rows']);
  const qRaw = g.node('Reshape', [g.node('MatMul', [a, wq], ['q_grouped']), qShape], ['q_raw']);
  const kRaw = g.node('MatMul', [a, wk], ['k_raw']);
  const value = g.node('MatMul', [a, wv], ['value']);
  const q = rope(qRaw, 'q');
  const key = rope(kRaw, 'key');

  // Scores against the cache [B, Hkv, rep, L], masked, and against this token's key
  // [B, Hkv, rep, 1] (a [B, Hkv, 1, hd] row is its own transpose once reshaped).
  const cacheT = g.node('Transpose', ['key_cache'], ['key_cache_t'], {
    perm: attr.ints([0, 1, 3, 2]),
  });
  const cacheScores = g.node(
    'Mul',
    [g.node('MatMul', [q, cacheT], ['cache_dot']), scale],
    ['cache_scores'],
  );
  const masked = g.node('Add', [cacheScores, 'mask'], ['cache_scores_masked']);
  const keyColumn = g.node('Reshape', [key, keyColumnShape], ['key_column']);
  const selfScore = g.node(
    'Mul',
    [g.node('MatMul', [q, keyColumn], ['self_dot']), scale],
    ['self_score'],
  );
  const scores = g.node('Concat', [masked, selfScore], ['scores'], { axis: attr.int(3) });
  const probs = g.node('Softmax', [scores], ['probs'], { axis: attr.int(-1) });
  const cacheProbs = slice(probs, 0, L, 'cache_probs');
  const selfProb = slice(probs, L, L + 1, 'self_prob');
  const fromCache = g.node('MatMul', [cacheProbs, 'value_cache'], ['from_cache']);
  const fromSelf = g.node('Mul', [selfProb, value], ['from_self']);
  const heads = g.node('Add', [fromCache, fromSelf], ['heads']);
  // [B, Hkv, rep, hd] is head-major (head = kv·rep + r): the concatenated heads, as [B, 1, H·hd].
  const concatenated = g.node('Reshape', [heads, flatShape], ['heads_concat']);
  const attention = g.node('MatMul', [concatenated, wo], ['attention']);
  const h = g.node('Add', ['hidden', attention], ['h']);
  rmsNorm(h, norm2, 'moe_in', 'norm2');

  for (const [name, dims] of Object.entries(io.outputs)) g.output(name, dims);
  return g.toModel();
}

/** x·W's columns [D, heads·width] regrouped per head: [heads, D, width]. */
function perKvHead(w: Float32Array, D: number, heads: number, width: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < D; i++)
      out.set(
        w.subarray(i * heads * width + h * width, i * heads * width + (h + 1) * width),
        (h * D + i) * width,
      );
  return out;
}

/** RoPE's inverse frequencies in float32 as torch computes them: 1 / θ^(arange(0, hd, 2) / hd). */
export function ropeInverseFrequencies(headDim: number, theta: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < out.length; i++) out[i] = f(1 / f(Math.pow(f(theta), f((2 * i) / headDim))));
  return out;
}

/**
 * The per-token inputs for a token at `position` (the cache holds positions 0..position-1):
 * cos and sin [hd] of RoPE (cat(cos(ang), cos(ang)), ang = float32(position)·inv_freq in float32),
 * and the mask [L] (0 for rows < position, MASKED_SCORE for the rest).
 */
export function decodeStepInputs(
  position: number,
  shape: DecodeGraphShape & { ropeTheta: number },
): { cos: Float32Array; sin: Float32Array; mask: Float32Array } {
  const { headDim: hd, maxContext: L } = shape;
  if (!Number.isInteger(position) || position < 0 || position >= L)
    throw new Error(`decode step: position ${position} is outside the cache's 0..${L - 1}`);
  const inv = ropeInverseFrequencies(hd, shape.ropeTheta);
  const cos = new Float32Array(hd);
  const sin = new Float32Array(hd);
  for (let i = 0; i < hd / 2; i++) {
    const ang = Math.fround(position * inv[i]!);
    cos[i] = cos[i + hd / 2] = Math.cos(ang);
    sin[i] = sin[i + hd / 2] = Math.sin(ang);
  }
  const mask = new Float32Array(L).fill(MASKED_SCORE, position);
  return { cos, sin, mask };
}

/** A batch's per-row step inputs: cos / sin [S, hd] and mask [S, L] (or larger, rows past S kept). */
export type DecodeStepRows = { cos: Float32Array; sin: Float32Array; mask: Float32Array };

/** `decodeStepInputs` of each position, row i at row i of `out`; rows past the positions untouched. */
export function writeDecodeStepRows(
  positions: readonly number[],
  shape: DecodeGraphShape & { ropeTheta: number },
  out: DecodeStepRows,
): void {
  const { headDim: hd, maxContext: L } = shape;
  positions.forEach((position, i) => {
    const step = decodeStepInputs(position, shape);
    out.cos.set(step.cos, i * hd);
    out.sin.set(step.sin, i * hd);
    out.mask.set(step.mask, i * L);
  });
}
