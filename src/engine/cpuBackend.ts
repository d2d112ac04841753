// The CPU path: onnxruntime-web on WebAssembly for the dense parts and the kernels' TypeScript
// twins for the MoE layers. Same numbers as the GPU path, for browsers without WebGPU.
import { moeLayerReference, storedWeights } from '../kernels/reference';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import { pruneExpertFfn } from './pruning';
import { MOE_ROWS_PER_CALL, type ModelBackend, type SequenceCache } from './backend';
import { mergeLayerTraces } from './traceMerge';
import type { EnginePack } from './enginePack';
import { kernelConfig } from '../model/moeReference';
import { timedRun } from './ortCall';
import { createSession, ort } from './ortSetup';
import type { MoeLayerTrace } from './trace';
import type { Knobs } from './types';
import { defaultKnobs, layersChange, precisionOf } from './knobs';
import type { TraceLevel } from './backend';
import { CpuDecodeBatch } from './cpuDecodeBatch';
import { CpuKvCache } from './cpuKvCache';
import { denseWeights } from '../model/onnxWeights';

export class CpuBackend implements ModelBackend<Float32Array> {
  readonly kind = 'cpu' as const;
  readonly layers: number;
  private readonly D: number;
  private moeConfig: MoeConfig;
  private weights: MoeWeights[];
  private counters = { ortCalls: 0, moeDispatches: 0, ortMs: 0, moeMs: 0 };
  private current: Knobs;
  /** The static decode graphs for batches, built the first time a batch decodes. */
  private batch: CpuDecodeBatch | null = null;

  private constructor(
    private readonly pack: EnginePack,
    private readonly embedS: ort.InferenceSession,
    private readonly attnS: ort.InferenceSession[],
    private readonly headS: ort.InferenceSession,
    private readonly rowsPerCall: number,
  ) {
    this.layers = pack.config.layers;
    this.D = pack.config.hidden;
    this.moeConfig = kernelConfig(pack.config);
    this.weights = Array.from({ length: this.layers }, (_, l) => pack.moeWeights(l));
    this.current = defaultKnobs(pack.config);
  }

  /** `rowsPerCall`: the GPU path's rows per MoE call (the capacity's batch), to mirror it. */
  static async create(pack: EnginePack, rowsPerCall = MOE_ROWS_PER_CALL): Promise<CpuBackend> {
    const target = { kind: 'cpu' } as const;
    const embed = await createSession(pack.onnx('embed.onnx'), 'embed.onnx', target);
    const attn = [];
    for (let l = 0; l < pack.config.layers; l++) {
      attn.push(await createSession(pack.onnx(`attn_${l}.onnx`), `attn_${l}.onnx`, target));
    }
    const head = await createSession(pack.onnx('head.onnx'), 'head.onnx', target);
    return new CpuBackend(pack, embed, attn, head, rowsPerCall);
  }

  get knobs(): Knobs {
    return this.current;
  }

  /** The twin rounds the weights to f16 itself: no device feature needed. */
  readonly f16Weights = true;

  async setKnobs(knobs: Knobs): Promise<void> {
    const precision = precisionOf(knobs);
    if (layersChange(this.current, knobs)) {
      const full = { ...kernelConfig(this.pack.config, knobs.blockSize), dtype: precision };
      const pruned = Array.from({ length: this.layers }, (_, l) =>
        pruneExpertFfn(this.pack.moeWeights(l), full.E, full.D, full.I, knobs.ffnKeep),
      );
      this.moeConfig = { ...full, I: pruned[0]!.I };
      // The twin runs on the weights the GPU layer holds: pruned, then quantised and dequantised
      // (f16-rounded for f16) exactly as the kernels read them.
      this.weights = pruned.map((p) => storedWeights(this.moeConfig, p.weights));
    }
    this.current = knobs;
  }

  private run(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
    return timedRun(this.counters, s, feeds);
  }

  async embed(ids: number[]): Promise<Float32Array> {
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const out = await this.run(this.embedS, { input_ids: input });
    return out.hidden!.data as Float32Array;
  }

  newCache(): CpuKvCache {
    const { layers, kvHeads, headDim, maxContext } = this.pack.config;
    return new CpuKvCache(layers, kvHeads, headDim, maxContext);
  }

  async attention(layer: number, cache: SequenceCache, x: Float32Array, T: number) {
    const c = cache as CpuKvCache;
    const { kvHeads: H, headDim: hd } = this.pack.config;
    const P = c.length;
    c.reserve(P + T);
    const positions = BigInt64Array.from({ length: T }, (_, i) => BigInt(P + i));
    const out = await this.run(this.attnS[layer]!, {
      hidden: new ort.Tensor('float32', x, [1, T, this.D]),
      past_key: new ort.Tensor('float32', c.past(layer, 'key', P), [1, H, P, hd]),
      past_value: new ort.Tensor('float32', c.past(layer, 'value', P), [1, H, P, hd]),
      positions: new ort.Tensor('int64', positions, [1, T]),
    });
    // present [1, H, P + T, hd]: its new rows P.. into the cache.
    c.write(layer, 'key', out.present_key!.data as Float32Array, P + T, P, P, T);
    c.write(layer, 'value', out.present_value!.data as Float32Array, P + T, P, P, T);
    if (layer === this.layers - 1) c.length = P + T;
    return { h: out.h!.data as Float32Array, moeIn: out.moe_in!.data as Float32Array };
  }

  /**
   * A decode step of several sequences: one call of the static decode graph per layer for all of
   * them (one sequence takes the pack's own graph, as before).
   */
  async decodeAttention(layer: number, caches: SequenceCache[], x: Float32Array) {
    if (caches.length === 1) return this.attention(layer, caches[0]!, x, 1);
    const kv = caches as CpuKvCache[];
    for (const c of kv) c.reserve(c.length + 1);
    const rows = kv.map((c) => ({
      key: c.key[layer]!,
      value: c.value[layer]!,
      stride: c.stride,
      position: c.length,
    }));
    this.batch ??= new CpuDecodeBatch(
      this.pack.config,
      denseWeights(this.pack.onnx, this.pack.config.layers),
    );
    const r = await this.batch.attention(this.counters, layer, rows, x);
    kv.forEach((c, i) => {
      c.write(layer, 'key', r.key[i]!, 1, 0, c.length, 1);
      c.write(layer, 'value', r.value[i]!, 1, 0, c.length, 1);
      if (layer === this.layers - 1) c.length += 1;
    });
    return { h: r.h, moeIn: r.moeIn };
  }

  concat(parts: Float32Array[], rows: number[]): Float32Array {
    if (parts.length === 1) return parts[0]!;
    const out = new Float32Array(rows.reduce((a, b) => a + b, 0) * this.D);
    let at = 0;
    parts.forEach((p, i) => {
      out.set(p.subarray(0, rows[i]! * this.D), at);
      at += rows[i]! * this.D;
    });
    return out;
  }

  split(x: Float32Array, rows: number[]): Float32Array[] {
    let at = 0;
    return rows.map((r) => {
      const part = x.slice(at, at + r * this.D);
      at += r * this.D;
      return part;
    });
  }

  async moe(layer: number, x: Float32Array, residual: Float32Array, T: number, trace: TraceLevel) {
    const t0 = performance.now();
    const capacityFactor = this.current.capacityFactor ?? null;
    // Without a capacity one call over every row gives what any slicing would. With one, the
    // capacity counts per call: slice at the GPU path's rows per call so both drop the same pairs.
    const rows = capacityFactor === null ? T : this.rowsPerCall;
    if (T <= rows) {
      const r = this.moeCall(layer, x, residual, T, trace);
      this.counters.moeMs += performance.now() - t0;
      return r;
    }
    const D = this.moeConfig.D;
    const out = new Float32Array(T * D);
    const parts: MoeLayerTrace[] = [];
    for (let r0 = 0; r0 < T; r0 += rows) {
      const n = Math.min(rows, T - r0);
      const part = this.moeCall(
        layer,
        x.subarray(r0 * D, (r0 + n) * D),
        residual.subarray(r0 * D, (r0 + n) * D),
        n,
        trace,
      );
      out.set(part.out, r0 * D);
      if (part.trace) parts.push(part.trace);
    }
    this.counters.moeMs += performance.now() - t0;
    return { out, trace: parts.length > 0 ? mergeLayerTraces(parts) : null };
  }

  /** One MoE call over `T` rows (one capacity batch), with its trace when asked. */
  private moeCall(
    layer: number,
    x: Float32Array,
    residual: Float32Array,
    T: number,
    trace: TraceLevel,
  ): { out: Float32Array; trace: MoeLayerTrace | null } {
    const c = this.moeConfig;
    const mask = expertMask(c.E, this.current.disabledExperts);
    const r = moeLayerReference(c, this.weights[layer]!, x, T, {
      // The knobs arrive clamped; the layer's own build limit still caps k.
      k: Math.min(this.current.topK, c.k),
      expertMask: mask,
      residual,
      capacityFactor: this.current.capacityFactor ?? null,
    });
    const layerTrace: MoeLayerTrace | null =
      trace !== 'none'
        ? {
            T: r.T,
            k: r.k,
            probs: r.probs,
            topkIds: r.topkIds,
            topkWeights: r.topkWeights,
            counts: r.counts,
            offsets: r.offsets,
            numPostPad: r.numPostPad,
            expertIds: r.expertIds,
            sortedIds: r.sortedIds,
            dropped: r.dropped,
            capacity: r.capacity,
            layer,
            experts: c.E,
            blockSize: c.blockSize,
            rowSeq: new Int32Array(T),
            rowPos: new Int32Array(T),
            kernelMs: null,
            moeInput: trace === 'inputs' ? x.slice(0, T * c.D) : undefined,
            moeResidual: trace === 'inputs' ? residual.slice(0, T * c.D) : undefined,
          }
        : null;
    return { out: r.out, trace: layerTrace };
  }

  async lastLogits(parts: Float32Array[], rows: number[]): Promise<Float32Array[]> {
    const S = parts.length;
    const last = new Float32Array(S * this.D);
    parts.forEach((p, i) =>
      last.set(p.subarray((rows[i]! - 1) * this.D, rows[i]! * this.D), i * this.D),
    );
    const out = await this.run(this.headS, {
      hidden: new ort.Tensor('float32', last, [S, 1, this.D]),
    });
    const logits = out.logits!.data as Float32Array;
    const V = this.pack.config.vocabSize;
    return Array.from({ length: S }, (_, i) => logits.slice(i * V, (i + 1) * V));
  }

  release(): void {
    // Typed arrays are garbage-collected.
  }

  /** Frees the sessions (a benchmark builds and drops backends in turn). */
  async dispose(): Promise<void> {
    for (const s of [this.embedS, ...this.attnS, this.headS]) await s.release();
    await this.batch?.dispose();
  }

  takeCounters() {
    const c = { ...this.counters, gpuMs: null };
    this.counters = { ortCalls: 0, moeDispatches: 0, ortMs: 0, moeMs: 0 };
    return c;
  }
}

export function expertMask(E: number, disabled: readonly number[]): Uint32Array | undefined {
  if (disabled.length === 0) return undefined;
  const mask = new Uint32Array(E).fill(1);
  for (const e of disabled) if (e >= 0 && e < E) mask[e] = 0;
  return mask;
}
