// Batched decode attention on the CPU path (onnxruntime-web's wasm EP): a decode step's new rows of
// S sequences through ONE call per layer, where the pack's own graphs take one sequence a call
// (their caches differ in length). It runs the same static graphs the WebGPU path captures
// (decodeGraph.ts: one new token each of B sequences, the cache padded to the context and masked),
// in the same batch buckets (capturedDecode.ts). On a tiny model each wasm call costs more than
// its arithmetic (ORT's per-call work), so S sequences in one call let throughput grow with the
// batch instead of staying flat (bench/results/2026-12-01-h200-batched-decode.md).
import {
  DECODE_BUCKETS,
  decodeAttentionGraph,
  decodeBucket,
  decodeGraphIO,
  decodeShapeOf,
  writeDecodeStepRows,
} from './decodeGraph';
import type { EngineModelConfig } from './enginePack';
import { type OrtCounters, timedRun } from './ortCall';
import { createSession, ort } from './ortSetup';
import type { DenseWeights } from '../model/onnxWeights';

/**
 * One sequence's row of a step: its cache of one layer, laid out [Hkv, stride, hd] (head j's row r
 * at (j · stride + r) · hd), holding positions 0..position-1.
 */
export type CpuDecodeRow = {
  key: Float32Array;
  value: Float32Array;
  stride: number;
  position: number;
};

type Bucket = {
  B: number;
  sessions: (ort.InferenceSession | undefined)[];
  /** The padded inputs, reused step after step (spare rows keep finite values nobody reads). */
  keyCache: Float32Array;
  valueCache: Float32Array;
  hidden: Float32Array;
  cos: Float32Array;
  sin: Float32Array;
  mask: Float32Array;
  positions: string;
};

export class CpuDecodeBatch {
  private readonly shape: ReturnType<typeof decodeShapeOf>;
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    config: EngineModelConfig,
    private readonly weights: DenseWeights,
  ) {
    this.shape = decodeShapeOf(config);
  }

  private bucket(B: number): Bucket {
    let b = this.buckets.get(B);
    if (b) return b;
    const io = decodeGraphIO(this.shape, B);
    const zeros = (dims: readonly number[]) => new Float32Array(dims.reduce((a, c) => a * c, 1));
    b = {
      B,
      sessions: [],
      keyCache: zeros(io.inputs.key_cache),
      valueCache: zeros(io.inputs.value_cache),
      hidden: zeros(io.inputs.hidden),
      cos: zeros(io.inputs.cos),
      sin: zeros(io.inputs.sin),
      mask: zeros(io.inputs.mask),
      positions: '',
    };
    this.buckets.set(B, b);
    return b;
  }

  private async session(b: Bucket, layer: number): Promise<ort.InferenceSession> {
    const model = () => decodeAttentionGraph(this.weights.layers[layer]!, this.shape, b.B);
    b.sessions[layer] ??= await createSession(model(), `decode attention ${layer} (batch ${b.B})`, {
      kind: 'cpu',
    });
    return b.sessions[layer];
  }

  /**
   * `layer`'s attention for one new row of each sequence (`x`: [S, D], row i sequence i): h and
   * moe_in [S, D], and each sequence's new key and value [Hkv, hd].
   */
  async attention(
    counters: OrtCounters,
    layer: number,
    rows: readonly CpuDecodeRow[],
    x: Float32Array,
  ): Promise<{ h: Float32Array; moeIn: Float32Array; key: Float32Array[]; value: Float32Array[] }> {
    const D = this.shape.hidden;
    const most = DECODE_BUCKETS[DECODE_BUCKETS.length - 1]!;
    const h = new Float32Array(rows.length * D);
    const moeIn = new Float32Array(rows.length * D);
    const key: Float32Array[] = [];
    const value: Float32Array[] = [];
    for (let s0 = 0; s0 < rows.length; s0 += most) {
      const part = rows.slice(s0, s0 + most);
      const r = await this.call(counters, layer, part, x.subarray(s0 * D, (s0 + part.length) * D));
      h.set(r.h.subarray(0, part.length * D), s0 * D);
      moeIn.set(r.moeIn.subarray(0, part.length * D), s0 * D);
      key.push(...r.key);
      value.push(...r.value);
    }
    return { h, moeIn, key, value };
  }

  private async call(
    counters: OrtCounters,
    layer: number,
    rows: readonly CpuDecodeRow[],
    x: Float32Array,
  ) {
    const S = rows.length;
    const b = this.bucket(decodeBucket(S));
    const session = await this.session(b, layer);
    const { kvHeads: Hkv, headDim: hd, maxContext: L, hidden: D } = this.shape;
    const positions = rows.map((r) => r.position);
    if (positions.join(',') !== b.positions) {
      writeDecodeStepRows(positions, this.shape, b);
      b.positions = positions.join(',');
    }
    b.hidden.set(x.subarray(0, S * D));
    // Each sequence's cache rows 0..P-1 into its padded slot [Hkv, L, hd]; rows ≥ P are masked.
    rows.forEach(({ key, value, stride, position: P }, i) => {
      for (let j = 0; j < Hkv; j++) {
        const to = (i * Hkv + j) * L * hd;
        b.keyCache.set(key.subarray(j * stride * hd, (j * stride + P) * hd), to);
        b.valueCache.set(value.subarray(j * stride * hd, (j * stride + P) * hd), to);
      }
    });
    const io = decodeGraphIO(this.shape, b.B);
    const t = (data: Float32Array, dims: readonly number[]) =>
      new ort.Tensor('float32', data, dims);
    const out = await timedRun(counters, session, {
      hidden: t(b.hidden, io.inputs.hidden),
      key_cache: t(b.keyCache, io.inputs.key_cache),
      value_cache: t(b.valueCache, io.inputs.value_cache),
      cos: t(b.cos, io.inputs.cos),
      sin: t(b.sin, io.inputs.sin),
      mask: t(b.mask, io.inputs.mask),
    });
    const data = (n: string) => out[n]!.data as Float32Array;
    const kv = (all: Float32Array) =>
      Array.from({ length: S }, (_, i) => all.slice(i * Hkv * hd, (i + 1) * Hkv * hd));
    return { h: data('h'), moeIn: data('moe_in'), key: kv(data('key')), value: kv(data('value')) };
  }

  async dispose(): Promise<void> {
    for (const b of this.buckets.values()) for (const s of b.sessions) await s?.release();
    this.buckets.clear();
  }
}
