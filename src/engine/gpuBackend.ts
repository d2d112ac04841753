// The WebGPU path: onnxruntime-web's WebGPU EP and our MoE kernels on ONE GPUDevice. Activations
// and the KV cache stay in GPU buffers between the two (ORT outputs are `gpu-buffer` tensors that
// our kernels read directly, our outputs go back to ORT through Tensor.fromGpuBuffer); only the
// last position's logits (and the traces the lab asked for) come back to the CPU. With graph
// capture (the default) a decode step's dense half replays captured sessions (capturedDecode.ts),
// one call per layer for all its sequences, and the head's; the embedding is a copy from the
// table; prompts run the pack's own graphs.
import { GpuTimer } from '../gpu/GpuTimer';
import { assertBindingFits } from '../gpu/guards';
import { MoeLayer } from '../kernels/MoeLayer';
import { readBack } from '../kernels/pipelines';
import { MOE_ROWS_PER_CALL, type ModelBackend, type SequenceCache } from './backend';
import type { EnginePack } from './enginePack';
import { kernelConfig } from '../model/moeReference';
import { timedRun } from './ortCall';
import { CapturedDecode, newSequenceKv, type DecodeRow, type SequenceKv } from './capturedDecode';
import { denseWeights } from '../model/onnxWeights';
import { createSession, ort } from './ortSetup';
import type { Knobs } from './types';
import { defaultKnobs, layersChange } from './knobs';
import { buildMoeLayers, expertMaskOf } from './moeLayers';
import type { TraceLevel } from './backend';
import { mergeLayerTraces } from './traceMerge';
import type { MoeLayerTrace } from './trace';

// STORAGE | COPY_SRC | COPY_DST as a number: in Node benchmarks the GPUBufferUsage global exists
// only once Dawn's globals are installed, after this module loads.
const ACT_USAGE = 0x80 | 0x04 | 0x08;

/** A [rows, D] f32 activation on the GPU; owns either an ORT tensor or a buffer of ours. */
export type GpuAct = { buffer: GPUBuffer; rows: number; dispose(): void };

type GpuCache = SequenceCache & { kv: SequenceKv };

export type GpuBackendOptions = {
  /**
   * Decode steps replay captured ORT sessions (static-shape graphs in batch buckets, bound buffers);
   * false runs every step on the pack's own dynamic graphs (the comparison the bench makes).
   */
  graphCapture?: boolean;
};

export class GpuBackend implements ModelBackend<GpuAct> {
  readonly kind = 'webgpu' as const;
  readonly layers: number;
  private readonly D: number;
  private counters = { ortCalls: 0, moeDispatches: 0, ortMs: 0, moeMs: 0, gpuMs: 0 };
  private current: Knobs;

  private constructor(
    readonly device: GPUDevice,
    private readonly pack: EnginePack,
    /** The pack's embed graph; null with graph capture (the embedding is a copy there). */
    private readonly embedS: ort.InferenceSession | null,
    private readonly attnS: ort.InferenceSession[],
    /** The pack's head graph; null with graph capture (the captured head runs every batch). */
    private readonly headS: ort.InferenceSession | null,
    private readonly moeLayers: MoeLayer[],
    private readonly maxTokens: number,
    /** Captured decode sessions and the embedding table on the GPU; null without capture. */
    private readonly decode: { captured: CapturedDecode; table: GPUBuffer } | null,
  ) {
    this.layers = pack.config.layers;
    this.D = pack.config.hidden;
    this.current = defaultKnobs(pack.config);
    if (decode)
      this.decodeAttention = (layer, caches, x) => this.batchedAttention(layer, caches, x);
  }

  /** With graph capture: a decode step's attention, one call per layer for every sequence. */
  readonly decodeAttention?: ModelBackend<GpuAct>['decodeAttention'];

  static async create(
    device: GPUDevice,
    pack: EnginePack,
    maxTokens = MOE_ROWS_PER_CALL,
    opts: GpuBackendOptions = {},
  ): Promise<GpuBackend> {
    // The KV cache is preallocated to the model's context, per layer and sequence: refuse a
    // context whose cache this GPU cannot bind (a hostile max_context) before any allocation.
    const { kvHeads, maxContext, headDim } = pack.config;
    assertBindingFits(
      device,
      kvHeads * maxContext * headDim * 4,
      `a KV cache of ${maxContext} positions (one layer, one sequence)`,
    );
    const gpu = { kind: 'webgpu', device } as const;
    const capture = opts.graphCapture ?? true;
    const embed = capture ? null : await createSession(pack.onnx('embed.onnx'), 'embed.onnx', gpu);
    const attn = [];
    for (let l = 0; l < pack.config.layers; l++) {
      attn.push(await createSession(pack.onnx(`attn_${l}.onnx`), `attn_${l}.onnx`, gpu));
    }
    // Logits are read back for sampling anyway: let ORT hand them to the CPU.
    const head = capture
      ? null
      : await ort.InferenceSession.create(pack.onnx('head.onnx'), {
          executionProviders: [
            { name: 'webgpu', device } as ort.InferenceSession.ExecutionProviderConfig,
          ],
          preferredOutputLocation: 'cpu',
          logSeverityLevel: 3,
        });
    const config = kernelConfig(pack.config);
    const moe = [];
    for (let l = 0; l < pack.config.layers; l++) {
      moe.push(await MoeLayer.create(device, config, pack.moeWeights(l), { maxTokens }));
    }
    let decode: { captured: CapturedDecode; table: GPUBuffer } | null = null;
    if (capture) {
      const weights = denseWeights(pack.onnx, pack.config.layers);
      const captured = await CapturedDecode.create(
        device,
        pack.config,
        weights,
        pack.onnx('head.onnx'),
      );
      const table = device.createBuffer({
        size: weights.embedding.byteLength,
        usage: ACT_USAGE,
        label: 'embedding table',
      });
      device.queue.writeBuffer(table, 0, weights.embedding as Float32Array<ArrayBuffer>);
      decode = { captured, table };
    }
    return new GpuBackend(device, pack, embed, attn, head, moe, maxTokens, decode);
  }

  /** Whether decode steps replay captured ORT sessions (one call per layer for the batch). */
  get graphCapture(): boolean {
    return this.decode !== null;
  }

  get knobs(): Knobs {
    return this.current;
  }

  get f16Weights(): boolean {
    return this.device.features.has('shader-f16');
  }

  /** Rows one MoE kernel call takes; a larger batch runs in several calls. */
  get maxRowsPerCall(): number {
    return this.maxTokens;
  }

  async setKnobs(knobs: Knobs): Promise<void> {
    if (layersChange(this.current, knobs)) {
      const rebuilt = await buildMoeLayers(this.device, this.pack, knobs, this.maxTokens);
      for (const old of this.moeLayers) old.destroy();
      this.moeLayers.splice(0, this.moeLayers.length, ...rebuilt);
    }
    this.current = knobs;
    const mask = expertMaskOf(this.pack.config.experts, knobs);
    for (const layer of this.moeLayers) layer.setExpertMask(mask);
  }

  private run(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>) {
    return timedRun(this.counters, s, feeds);
  }

  private fromTensor(t: ort.Tensor, rows: number): GpuAct {
    return { buffer: t.gpuBuffer as GPUBuffer, rows, dispose: () => t.dispose() };
  }

  private newAct(rows: number, label: string): GpuAct {
    const buffer = this.device.createBuffer({
      size: Math.max(16, rows * this.D * 4),
      usage: ACT_USAGE,
      label,
    });
    return { buffer, rows, dispose: () => buffer.destroy() };
  }

  private tensorOf(a: GpuAct): ort.Tensor {
    return ort.Tensor.fromGpuBuffer(a.buffer as never, {
      dataType: 'float32',
      dims: [1, a.rows, this.D],
    });
  }

  async embed(ids: number[]): Promise<GpuAct> {
    if (this.decode) {
      // Rows of the table on the GPU: no ORT call (its graph is one Gather).
      const V = this.pack.config.vocabSize;
      const out = this.newAct(ids.length, 'embeddings');
      const enc = this.device.createCommandEncoder({ label: 'embed rows' });
      const row = this.D * 4;
      ids.forEach((id, i) => {
        if (!Number.isInteger(id) || id < 0 || id >= V)
          throw new Error(`token id ${id} is outside the vocabulary (0..${V - 1})`);
        enc.copyBufferToBuffer(this.decode!.table, id * row, out.buffer, i * row, row);
      });
      this.device.queue.submit([enc.finish()]);
      return out;
    }
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const out = await this.run(this.embedS!, { input_ids: input });
    return this.fromTensor(out.hidden!, ids.length);
  }

  newCache(): GpuCache {
    const kv = newSequenceKv(this.device, this.pack.config);
    return {
      length: 0,
      kv,
      dispose() {
        for (const b of [...kv.key, ...kv.value]) b.destroy();
      },
    };
  }

  async attention(layer: number, cache: SequenceCache, x: GpuAct, T: number) {
    const c = cache as GpuCache;
    const { kvHeads: H, headDim: hd, maxContext: L } = this.pack.config;
    const P = c.length;
    if (P + T > L)
      throw new Error(
        `the sequence would hold ${P + T} positions; the model's KV cache holds ${L}`,
      );
    if (this.decode && T === 1) return this.batchedAttention(layer, [c], x);
    // The pack's own graph, on the cache's first P rows gathered per head ([1, H, P, hd]).
    const rowBytes = hd * 4;
    const past = (buf: GPUBuffer, enc: GPUCommandEncoder) => {
      if (P === 0) return new ort.Tensor('float32', new Float32Array(0), [1, H, 0, hd]);
      const b = this.device.createBuffer({
        size: H * P * rowBytes,
        usage: ACT_USAGE,
        label: 'past',
      });
      for (let i = 0; i < H; i++)
        enc.copyBufferToBuffer(buf, i * L * rowBytes, b, i * P * rowBytes, P * rowBytes);
      temps.push(b);
      return ort.Tensor.fromGpuBuffer(b as never, { dataType: 'float32', dims: [1, H, P, hd] });
    };
    const temps: GPUBuffer[] = [];
    const enc = this.device.createCommandEncoder({ label: 'past rows' });
    const pastKey = past(c.kv.key[layer]!, enc);
    const pastValue = past(c.kv.value[layer]!, enc);
    this.device.queue.submit([enc.finish()]);
    const out = await this.run(this.attnS[layer]!, {
      hidden: this.tensorOf(x),
      past_key: pastKey,
      past_value: pastValue,
      positions: new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: T }, (_, i) => BigInt(P + i)),
        [1, T],
      ),
    });
    // The new rows P..P+T-1 of present [1, H, P+T, hd] into the cache.
    const back = this.device.createCommandEncoder({ label: 'present rows' });
    for (const [present, buf] of [
      [out.present_key!, c.kv.key[layer]!],
      [out.present_value!, c.kv.value[layer]!],
    ] as const)
      for (let i = 0; i < H; i++)
        back.copyBufferToBuffer(
          present.gpuBuffer as GPUBuffer,
          (i * (P + T) + P) * rowBytes,
          buf,
          (i * L + P) * rowBytes,
          T * rowBytes,
        );
    this.device.queue.submit([back.finish()]);
    out.present_key!.dispose();
    out.present_value!.dispose();
    for (const b of temps) b.destroy();
    if (layer === this.layers - 1) c.length = P + T;
    return { h: this.fromTensor(out.h!, T), moeIn: this.fromTensor(out.moe_in!, T) };
  }

  /** One new row of each sequence ([S, D] in `x`) through the captured attention of `layer`. */
  private async batchedAttention(layer: number, caches: SequenceCache[], x: GpuAct) {
    const S = caches.length;
    if (x.rows !== S) throw new Error(`decode attention: ${x.rows} rows for ${S} sequences`);
    const L = this.pack.config.maxContext;
    const rows: DecodeRow[] = caches.map((cache) => {
      const c = cache as GpuCache;
      if (c.length + 1 > L)
        throw new Error(
          `the sequence would hold ${c.length + 1} positions; the model's KV cache holds ${L}`,
        );
      return { kv: c.kv, position: c.length };
    });
    const h = this.newAct(S, `h ${layer}`);
    const moeIn = this.newAct(S, `moe in ${layer}`);
    await this.decode!.captured.attention(
      this.counters,
      layer,
      rows,
      x.buffer,
      h.buffer,
      moeIn.buffer,
    );
    if (layer === this.layers - 1) for (const c of caches) c.length += 1;
    return { h, moeIn };
  }

  concat(parts: GpuAct[], rows: number[]): GpuAct {
    if (parts.length === 1) return { ...parts[0]!, dispose: () => {} };
    const total = rows.reduce((a, b) => a + b, 0);
    const out = this.newAct(total, 'batch rows');
    const enc = this.device.createCommandEncoder({ label: 'gather rows' });
    let at = 0;
    parts.forEach((p, i) => {
      const bytes = rows[i]! * this.D * 4;
      enc.copyBufferToBuffer(p.buffer, 0, out.buffer, at, bytes);
      at += bytes;
    });
    this.device.queue.submit([enc.finish()]);
    return out;
  }

  split(x: GpuAct, rows: number[]): GpuAct[] {
    const enc = this.device.createCommandEncoder({ label: 'split rows' });
    let at = 0;
    const parts = rows.map((r) => {
      const part = this.newAct(r, 'sequence rows');
      enc.copyBufferToBuffer(x.buffer, at, part.buffer, 0, r * this.D * 4);
      at += r * this.D * 4;
      return part;
    });
    this.device.queue.submit([enc.finish()]);
    return parts;
  }

  async moe(layer: number, x: GpuAct, residual: GpuAct, T: number, trace: TraceLevel) {
    const t0 = performance.now();
    const out = this.newAct(T, `moe out ${layer}`);
    const limit = this.maxTokens;
    if (T <= limit) {
      const layerTrace = await this.moeCall(layer, x.buffer, residual.buffer, out.buffer, T, trace);
      this.counters.moeMs += performance.now() - t0;
      return { out, trace: layerTrace };
    }
    // More rows than one call takes (a long batch's prefill, an evaluation): run the layer on
    // consecutive slices of at most `limit` rows; every row's result is the same as in one call.
    const rowBytes = this.D * 4;
    const parts: MoeLayerTrace[] = [];
    const xs = this.newAct(limit, 'moe chunk in');
    const rs = this.newAct(limit, 'moe chunk residual');
    const os = this.newAct(limit, 'moe chunk out');
    try {
      for (let r0 = 0; r0 < T; r0 += limit) {
        const n = Math.min(limit, T - r0);
        const enc = this.device.createCommandEncoder({ label: 'moe chunk rows' });
        enc.copyBufferToBuffer(x.buffer, r0 * rowBytes, xs.buffer, 0, n * rowBytes);
        enc.copyBufferToBuffer(residual.buffer, r0 * rowBytes, rs.buffer, 0, n * rowBytes);
        this.device.queue.submit([enc.finish()]);
        const part = await this.moeCall(layer, xs.buffer, rs.buffer, os.buffer, n, trace);
        const back = this.device.createCommandEncoder({ label: 'moe chunk out' });
        back.copyBufferToBuffer(os.buffer, 0, out.buffer, r0 * rowBytes, n * rowBytes);
        this.device.queue.submit([back.finish()]);
        if (part) parts.push(part);
      }
    } finally {
      xs.dispose();
      rs.dispose();
      os.dispose();
    }
    this.counters.moeMs += performance.now() - t0;
    return { out, trace: parts.length > 0 ? mergeLayerTraces(parts) : null };
  }

  /** One kernel call over `T` ≤ maxTokens rows, with its trace when asked. */
  private async moeCall(
    layer: number,
    x: GPUBuffer,
    residual: GPUBuffer,
    out: GPUBuffer,
    T: number,
    trace: TraceLevel,
  ): Promise<MoeLayerTrace | null> {
    const moe = this.moeLayers[layer]!;
    const c = moe.config;
    // The knobs arrive clamped; the layer's own build limit still caps k.
    const k = Math.min(this.current.topK, c.k);
    const timer = trace !== 'none' ? new GpuTimer(this.device, 16) : null;
    const capacityFactor = this.current.capacityFactor ?? null;
    await moe.forward(
      { x, residual, out, T, k, capacityFactor },
      timer?.enabled ? timer : undefined,
    );
    this.counters.moeDispatches += moe.lastDispatches;
    if (trace === 'none') return null;
    const bytes = T * c.D * 4;
    const [t, times, inputs] = await Promise.all([
      moe.readTrace(T, k),
      timer!.read(),
      trace === 'inputs'
        ? readBack(this.device, [
            { buffer: x, bytes },
            { buffer: residual, bytes },
          ])
        : Promise.resolve(null),
    ]);
    timer!.destroy();
    let kernelMs: Record<string, number> | null = null;
    if (times) {
      kernelMs = {};
      for (const { label, ms } of times) kernelMs[label] = (kernelMs[label] ?? 0) + ms;
      this.counters.gpuMs += Object.values(kernelMs).reduce((a, b) => a + b, 0);
    }
    return {
      ...t,
      layer,
      experts: c.E,
      blockSize: c.blockSize,
      rowSeq: new Int32Array(T),
      rowPos: new Int32Array(T),
      kernelMs,
      moeInput: inputs ? new Float32Array(inputs[0]!) : undefined,
      moeResidual: inputs ? new Float32Array(inputs[1]!) : undefined,
    };
  }

  async lastLogits(parts: GpuAct[], rows: number[]): Promise<Float32Array[]> {
    const S = parts.length;
    const V = this.pack.config.vocabSize;
    if (this.decode)
      // The captured head of the batch's bucket, on each sequence's last row.
      return this.decode.captured.logits(
        this.counters,
        parts.map((p, i) => ({ buffer: p.buffer, at: (rows[i]! - 1) * this.D * 4 })),
      );
    const last = this.newAct(S, 'last rows');
    const enc = this.device.createCommandEncoder({ label: 'last rows' });
    parts.forEach((p, i) =>
      enc.copyBufferToBuffer(
        p.buffer,
        (rows[i]! - 1) * this.D * 4,
        last.buffer,
        i * this.D * 4,
        this.D * 4,
      ),
    );
    this.device.queue.submit([enc.finish()]);
    const out = await this.run(this.headS!, {
      hidden: ort.Tensor.fromGpuBuffer(last.buffer as never, {
        dataType: 'float32',
        dims: [S, 1, this.D],
      }),
    });
    last.dispose();
    const logits = (await out.logits!.getData()) as Float32Array;
    return Array.from({ length: S }, (_, i) => logits.slice(i * V, (i + 1) * V));
  }

  release(xs: GpuAct[]): void {
    for (const x of new Set(xs)) x.dispose();
  }

  /** Frees the sessions and kernel buffers (a benchmark builds and drops backends in turn). */
  async dispose(): Promise<void> {
    for (const s of [this.embedS, ...this.attnS, this.headS]) await s?.release();
    for (const m of this.moeLayers) m.destroy();
    if (this.decode) {
      await this.decode.captured.dispose();
      this.decode.table.destroy();
    }
  }

  takeCounters() {
    const c = { ...this.counters, gpuMs: this.counters.gpuMs > 0 ? this.counters.gpuMs : null };
    this.counters = { ortCalls: 0, moeDispatches: 0, ortMs: 0, moeMs: 0, gpuMs: 0 };
    return c;
  }
}
