// The whole model on our own WGSL kernels: embedding, per layer RMSNorm → fused q|k|v matmul →
// RoPE + KV-cache write → causal attention → Wo + residual → RMSNorm → our MoE layer (its
// dispatches recorded into the same command encoder), then the final norm of each sequence's
// last row, the tied LM head and sampling. A step — a decode token of S sequences, or the
// prefill of prompts — is ONE command-buffer submission; the only read-back is the sampled
// token ids (plus logits or MoE traces when asked). KV caches are preallocated: max_context
// positions for each of `maxSequences` slots.
import type { GpuTimer } from '../gpu/GpuTimer';
import { MoeLayer } from '../kernels/MoeLayer';
import { compile, recordReadBack, storage, type ReadPart } from '../kernels/pipelines';
import { bindGroup, overrideConstants, packParams, paramsBuffer } from '../kernels/shaderSpec';
import { kernelConfig } from '../model/moeReference';
import { denseWeights } from '../model/onnxWeights';
import type { TraceLevel } from '../engine/backend';
import type { MoeLayerTrace } from '../engine/trace';
import type { DenseModelConfig, DensePackSource } from './denseConfig';
import {
  MATMUL_COLS,
  MATMUL_ROWS,
  SAMPLE_MAX_VOCAB,
  denseAttentionShader,
  denseEmbedShader,
  denseMatmulShader,
  denseRmsnormShader,
  denseRopeKvShader,
  denseSampleShader,
} from './denseShaders';
import { fusedQkv, headMatrix } from './denseWeights';
import { ropeTable } from './ropeTable';

export type WgslDenseOptions = {
  /** Sequences decoded together (KV-cache slots). */
  maxSequences?: number;
  /** Rows one step takes (a prefill's prompt rows of all its sequences together). */
  maxRows?: number;
};

/** One sequence's rows in a step: its cache slot, new token ids, and the position of the first. */
export type StepRows = { slot: number; ids: readonly number[]; start: number };

export type StepSampling = {
  temperature: number;
  topP: number;
  seed: number;
  /** mulberry32 draw number of the step's first sequence (one draw per sampled token). */
  drawBase: number;
};

export type StepWants = {
  logits?: boolean;
  trace?: TraceLevel;
  /** Profiling: every kernel in its own timed pass (labels 'dense …' and the MoE layer's). */
  timer?: GpuTimer;
  /** Decode rows take their ids from the previous step's sampler, on the GPU. */
  idsOnGpu?: boolean;
};

export type StepResult = {
  /** The sampled next token of each sequence, in `rows` order. */
  tokens: Int32Array;
  /** Last-position logits [S][V] when asked. */
  logits: Float32Array[] | null;
  /** One trace per layer when asked. */
  traces: MoeLayerTrace[];
  dispatches: number;
  submits: number;
  /** Wall ms from encode to the token ids on the CPU: on the CPU before the submit, and after. */
  ms: number;
  encodeMs: number;
  waitMs: number;
};

const u32 = (v: number) => v >>> 0;

/**
 * Greedy decode steps submitted before the oldest one's token ids reach the CPU. In Chromium on
 * an H200 a step's ids take ~2.9 ms to come back while its kernels take ~1.1 ms
 * (bench/results/2026-11-30-h200-browser.md): with two in flight the ITL followed the read-back,
 * not the GPU. Each step in flight holds one small staging buffer.
 */
export const DECODE_STEPS_IN_FLIGHT = 4;

type LayerBindings = {
  rms1: GPUBindGroup;
  qkv: GPUBindGroup;
  rope: GPUBindGroup;
  attn: GPUBindGroup;
  wo: GPUBindGroup;
  rms2: GPUBindGroup;
};

export class WgslDenseModel {
  readonly maxSequences: number;
  readonly maxRows: number;
  /** Top-k the MoE layers use (the pack's own by default; the lab's knob may lower it). */
  topK: number;
  /** Expert capacity factor of the MoE layers (null: no capacity), as the lab's knob sets it. */
  capacityFactor: number | null = null;
  private readonly freeSlots: number[];
  private readonly buffers: GPUBuffer[] = [];
  private inputTraceBuffers: { x: GPUBuffer; res: GPUBuffer }[] | null = null;
  private nextStaging = 0;

  private constructor(
    readonly device: GPUDevice,
    readonly config: DenseModelConfig,
    readonly moe: MoeLayer[],
    private readonly pipes: Record<
      'embed' | 'rmsRows' | 'rmsLast' | 'qkv' | 'wo' | 'head' | 'rope' | 'attn' | 'sample',
      GPUComputePipeline
    >,
    private readonly b: Record<
      'params' | 'meta' | 'x' | 'a' | 'h' | 'last' | 'logits' | 'tokens' | 'embedding',
      GPUBuffer
    >,
    private readonly staging: GPUBuffer[],
    private readonly layerBindings: LayerBindings[],
    private readonly finalBindings: Record<'embed' | 'rmsLast' | 'head' | 'sample', GPUBindGroup>,
    opts: Required<WgslDenseOptions>,
    owned: GPUBuffer[],
  ) {
    this.maxSequences = opts.maxSequences;
    this.maxRows = opts.maxRows;
    this.topK = config.topK;
    this.freeSlots = Array.from({ length: this.maxSequences }, (_, i) => this.maxSequences - 1 - i);
    this.buffers = owned;
  }

  static async create(
    device: GPUDevice,
    pack: DensePackSource,
    options: WgslDenseOptions = {},
  ): Promise<WgslDenseModel> {
    const c = pack.config;
    const opts = { maxSequences: options.maxSequences ?? 16, maxRows: options.maxRows ?? 512 };
    if (c.vocabSize > SAMPLE_MAX_VOCAB)
      throw new Error(`the GPU sampler takes at most ${SAMPLE_MAX_VOCAB} tokens of vocabulary`);
    if (c.headDim % 2 !== 0) throw new Error('RoPE needs an even head_dim');
    if (opts.maxSequences > opts.maxRows)
      throw new Error('a decode step of every sequence must fit one step of rows');
    const w = denseWeights((n) => pack.onnx(n), c.layers);
    const D = c.hidden;
    const V = c.vocabSize;
    const Hhd = c.heads * c.headDim;
    const qkvN = (c.heads + 2 * c.kvHeads) * c.headDim;
    const S = opts.maxSequences;
    const R = opts.maxRows;
    const owned: GPUBuffer[] = [];
    const buf = (bytes: number, label: string) => {
      const b = storage(device, bytes, label);
      owned.push(b);
      return b;
    };
    const upload = (data: Float32Array, label: string) => {
      const b = buf(data.byteLength, label);
      device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
      return b;
    };
    const MAP_READ_COPY_DST = 0x0001 | 0x0008;
    // One per step in flight: a step's tokens can still be on their way back while the next
    // steps are recorded and run.
    const staging = Array.from({ length: DECODE_STEPS_IN_FLIGHT }, (_, i) =>
      device.createBuffer({
        label: `dense staging ${i}`,
        size: S * 4 + S * V * 4,
        usage: MAP_READ_COPY_DST,
      }),
    );
    owned.push(...staging);
    const params = paramsBuffer(device, denseEmbedShader, 'dense step params');
    owned.push(params);
    const b = {
      params,
      meta: buf((3 * R + S) * 4, 'dense row meta'),
      x: buf(R * D * 4, 'dense x'),
      a: buf(R * Math.max(D, Hhd) * 4, 'dense normed / attention out'),
      h: buf(R * D * 4, 'dense h'),
      last: buf(S * D * 4, 'dense last rows'),
      logits: buf(S * V * 4, 'dense logits'),
      tokens: buf(S * 4, 'dense tokens'),
      embedding: upload(w.embedding, 'embedding'),
    };
    const qkvOut = buf(R * qkvN * 4, 'dense qkv');
    const qRot = buf(R * Hhd * 4, 'dense q');
    const dummy = buf(16, 'dense no residual');
    const rope = upload(ropeTable(c.maxContext, c.headDim, c.ropeTheta), 'rope cos/sin');
    const head = upload(headMatrix(w, D, V), 'lm head [D, V]');
    const normFinal = upload(w.normFinal, 'final norm');

    const attnDims = {
      H: c.heads,
      HKV: c.kvHeads,
      HD: c.headDim,
      CTX: c.maxContext,
      TMAX: R,
    };
    const mod = (code: string, label: string) => device.createShaderModule({ code, label });
    const mm = mod(denseMatmulShader.source, 'dense_matmul');
    const rms = mod(denseRmsnormShader.source, 'dense_rmsnorm');
    const mmConst = (K: number, N: number, res: number, seqRows: number) =>
      overrideConstants(denseMatmulShader, { K, N, HAS_RESIDUAL: res, SEQ_ROWS: seqRows });
    const rmsConst = overrideConstants(denseRmsnormShader, { D, TMAX: R, EPS: c.normEps });
    const pipes = await compile(device, {
      embed: [
        mod(denseEmbedShader.source, 'dense_embed'),
        'embed',
        overrideConstants(denseEmbedShader, { D }),
      ],
      rmsRows: [rms, 'rmsnorm_rows', rmsConst],
      rmsLast: [rms, 'rmsnorm_last', rmsConst],
      qkv: [mm, 'matmul', mmConst(D, qkvN, 0, 0)],
      wo: [mm, 'matmul', mmConst(Hhd, D, 1, 0)],
      head: [mm, 'matmul', mmConst(D, V, 0, 1)],
      rope: [
        mod(denseRopeKvShader.source, 'dense_rope_kv'),
        'rope_kv',
        overrideConstants(denseRopeKvShader, attnDims),
      ],
      attn: [
        mod(denseAttentionShader.source, 'dense_attention'),
        'attention',
        overrideConstants(denseAttentionShader, attnDims),
      ],
      sample: [
        mod(denseSampleShader.source, 'dense_sample'),
        'sample',
        overrideConstants(denseSampleShader, { V }),
      ],
    });

    const layerBindings: LayerBindings[] = [];
    const moe: MoeLayer[] = [];
    const moeConfig = kernelConfig(c);
    const cacheBytes = S * c.kvHeads * c.maxContext * c.headDim * 4;
    for (let l = 0; l < c.layers; l++) {
      const lw = w.layers[l]!;
      const kCache = buf(cacheBytes, `k cache ${l}`);
      const vCache = buf(cacheBytes, `v cache ${l}`);
      const g = (p: GPUComputePipeline, spec: Parameters<typeof bindGroup>[2], bufs: object) =>
        bindGroup(device, p, spec, bufs as never, `dense layer ${l}`);
      layerBindings.push({
        rms1: g(pipes.rmsRows, denseRmsnormShader, {
          params,
          gain: upload(lw.norm1, `norm1 ${l}`),
          x: b.x,
          y: b.a,
        }),
        qkv: g(pipes.qkv, denseMatmulShader, {
          params,
          a: b.a,
          w: upload(fusedQkv(lw, D), `wqkv ${l}`),
          res: dummy,
          out: qkvOut,
        }),
        rope: g(pipes.rope, denseRopeKvShader, {
          params,
          row_info: b.meta,
          rope,
          qkv: qkvOut,
          q: qRot,
          k_cache: kCache,
          v_cache: vCache,
        }),
        attn: g(pipes.attn, denseAttentionShader, {
          params,
          row_info: b.meta,
          q: qRot,
          k_cache: kCache,
          v_cache: vCache,
          out: b.a,
        }),
        wo: g(pipes.wo, denseMatmulShader, {
          params,
          a: b.a,
          w: upload(lw.wo, `wo ${l}`),
          res: b.x,
          out: b.h,
        }),
        rms2: g(pipes.rmsRows, denseRmsnormShader, {
          params,
          gain: upload(lw.norm2, `norm2 ${l}`),
          x: b.h,
          y: b.a,
        }),
      });
      moe.push(await MoeLayer.create(device, moeConfig, pack.moeWeights(l), { maxTokens: R }));
    }
    const finalBindings = {
      embed: bindGroup(
        device,
        pipes.embed,
        denseEmbedShader,
        { params, row_info: b.meta, table: b.embedding, x: b.x },
        'dense embed',
      ),
      rmsLast: bindGroup(
        device,
        pipes.rmsLast,
        denseRmsnormShader,
        { params, row_info: b.meta, gain: normFinal, x: b.x, y: b.last },
        'dense final norm',
      ),
      head: bindGroup(
        device,
        pipes.head,
        denseMatmulShader,
        { params, a: b.last, w: head, res: dummy, out: b.logits },
        'dense lm head',
      ),
      sample: bindGroup(
        device,
        pipes.sample,
        denseSampleShader,
        { params, logits: b.logits, tokens: b.tokens, next_ids: b.meta },
        'dense sample',
      ),
    };
    return new WgslDenseModel(
      device,
      c,
      moe,
      pipes,
      b,
      staging,
      layerBindings,
      finalBindings,
      opts,
      owned,
    );
  }

  /**
   * Swaps in MoE layers built for other knobs (a pruned FFN, another block size or precision);
   * the old layers are freed. Each must take `maxRows` rows per call.
   */
  replaceMoeLayers(layers: MoeLayer[]): void {
    if (layers.length !== this.moe.length)
      throw new Error(`${layers.length} MoE layers for a ${this.moe.length}-layer model`);
    const old = this.moe.splice(0, this.moe.length, ...layers);
    for (const m of old) m.destroy();
  }

  /** A free KV-cache slot for a new sequence (its positions start at 0). */
  acquireSlot(): number {
    const s = this.freeSlots.pop();
    if (s === undefined) throw new Error(`all ${this.maxSequences} sequence slots are in use`);
    return s;
  }

  releaseSlot(slot: number): void {
    if (!this.freeSlots.includes(slot)) this.freeSlots.push(slot);
  }

  /** Dispatches one step of T rows records (dense kernels + every MoE layer). */
  dispatchesPerStep(T: number): number {
    const k = this.topK;
    const moe = this.moe.reduce((n, m) => n + m.dispatchesPerLayer(T, k), 0);
    return 1 + 6 * this.config.layers + moe + 3;
  }

  /**
   * Runs one step — every sequence's new rows through the whole model — as one submission and
   * returns each sequence's sampled next token. Positions [start, start + ids.length) of each
   * slot are written; the caller tracks lengths.
   */
  step(
    rows: readonly StepRows[],
    sampling: StepSampling,
    want: StepWants = {},
  ): Promise<StepResult> {
    return this.submitStep(rows, sampling, want);
  }

  /**
   * Records and submits the step now; the promise brings its tokens back. A second step may be
   * submitted before the first's promise settles (at most DECODE_STEPS_IN_FLIGHT, one staging
   * buffer each):
   * queue order keeps every buffer write behind the step before. With `idsOnGpu`, each row s
   * (one per sequence) embeds the token the previous step sampled for its sequence s, never
   * read by the CPU (`rows[s].ids` is then ignored). Traces need the step's promise settled
   * before the next submit.
   */
  submitStep(
    rows: readonly StepRows[],
    sampling: StepSampling,
    want: StepWants = {},
  ): Promise<StepResult> {
    const t0 = performance.now();
    const c = this.config;
    const S = rows.length;
    const T = rows.reduce((n, r) => n + r.ids.length, 0);
    const R = this.maxRows;
    if (S === 0 || T === 0) throw new Error('a step needs at least one row');
    if (S > this.maxSequences)
      throw new Error(`${S} sequences; this model takes ${this.maxSequences}`);
    if (T > R) throw new Error(`${T} rows; one step takes at most ${R}`);
    const meta = new Uint32Array(3 * R + this.maxSequences);
    let t = 0;
    rows.forEach((r, s) => {
      if (r.start + r.ids.length > c.maxContext)
        throw new Error(`sequence ${s} would pass the ${c.maxContext}-token context`);
      r.ids.forEach((id, i) => {
        meta[t] = id;
        meta[R + t] = r.slot;
        meta[2 * R + t] = r.start + i;
        t++;
      });
      meta[3 * R + s] = t - 1;
    });
    const dev = this.device;
    if (want.idsOnGpu && rows.some((r) => r.ids.length !== 1))
      throw new Error('ids from the GPU take one row per sequence');
    if (want.idsOnGpu) dev.queue.writeBuffer(this.b.meta, R * 4, meta, R);
    else dev.queue.writeBuffer(this.b.meta, 0, meta);
    dev.queue.writeBuffer(
      this.b.params,
      0,
      packParams(denseEmbedShader, {
        rows: T,
        seqs: S,
        temperature: sampling.temperature,
        top_p: sampling.topP,
        seed: u32(sampling.seed),
        draw_base: u32(sampling.drawBase),
      }),
    );
    const trace = want.trace ?? 'none';
    const k = Math.min(this.topK, this.moe[0]?.config.k ?? this.topK);
    const D = c.hidden;
    const enc = dev.createCommandEncoder({ label: 'dense step' });
    let n = 0;
    const timer = want.timer;
    // Untimed, the dense kernels between two MoE layers share one pass; timed, each has its own.
    let pass: GPUComputePassEncoder | null = null;
    const run = (label: string, p: GPUComputePipeline, g: GPUBindGroup, x: number, y = 1) => {
      if (timer) pass = enc.beginComputePass(timer.pass(`dense ${label}`));
      else pass ??= enc.beginComputePass({ label: 'dense kernels' });
      pass.setPipeline(p);
      pass.setBindGroup(0, g);
      pass.dispatchWorkgroups(x, y);
      if (timer) endPass();
      n++;
    };
    const endPass = () => {
      pass?.end();
      pass = null;
    };
    const p = this.pipes;
    const mmGrid = (N: number, rowsN: number) =>
      [Math.ceil(N / MATMUL_COLS), Math.ceil(rowsN / MATMUL_ROWS)] as const;
    run('embed', p.embed, this.finalBindings.embed, Math.ceil((T * D) / 64));
    const qkvN = (c.heads + 2 * c.kvHeads) * c.headDim;
    if (trace === 'inputs') this.ensureInputTraceBuffers();
    for (let l = 0; l < c.layers; l++) {
      const g = this.layerBindings[l]!;
      run('rmsnorm', p.rmsRows, g.rms1, T);
      run('qkv', p.qkv, g.qkv, ...mmGrid(qkvN, T));
      run('rope_kv', p.rope, g.rope, Math.ceil((T * qkvN) / 64));
      run('attention', p.attn, g.attn, T, c.heads);
      run('wo', p.wo, g.wo, ...mmGrid(D, T));
      run('rmsnorm', p.rmsRows, g.rms2, T);
      endPass();
      if (trace === 'inputs') {
        const tb = this.inputTraceBuffers![l]!;
        enc.copyBufferToBuffer(this.b.a, 0, tb.x, 0, T * D * 4);
        enc.copyBufferToBuffer(this.b.h, 0, tb.res, 0, T * D * 4);
      }
      // The MoE layer's own passes, in the same encoder: out = h + MoE(norm2(h)) → x.
      const io = {
        x: this.b.a,
        residual: this.b.h,
        out: this.b.x,
        T,
        k,
        capacityFactor: this.capacityFactor,
      };
      n += this.moe[l]!.encode(enc, io, timer);
    }
    run('final norm', p.rmsLast, this.finalBindings.rmsLast, S);
    run('lm head', p.head, this.finalBindings.head, ...mmGrid(c.vocabSize, S));
    run('sample', p.sample, this.finalBindings.sample, S);
    endPass();
    timer?.resolve(enc);
    const staging = this.staging[this.nextStaging]!;
    this.nextStaging = (this.nextStaging + 1) % this.staging.length;
    if (staging.mapState !== 'unmapped')
      throw new Error(
        `${this.staging.length} steps are already in flight: await one before submitting another`,
      );
    enc.copyBufferToBuffer(this.b.tokens, 0, staging, 0, S * 4);
    const V = c.vocabSize;
    if (want.logits)
      enc.copyBufferToBuffer(this.b.logits, 0, staging, this.maxSequences * 4, S * V * 4);
    // The traces ride in this submission too: copied after the last kernel, read with the tokens.
    const readTraces =
      trace === 'none' ? null : recordReadBack(dev, enc, this.traceParts(T, k, trace));
    dev.queue.submit([enc.finish()]);
    const submitted = performance.now();
    const read = async (): Promise<StepResult> => {
      const traceBytes = readTraces?.();
      await staging.mapAsync(GPUMapMode.READ);
      const mapped = staging.getMappedRange();
      const tokens = Int32Array.from(new Uint32Array(mapped, 0, S));
      const logits = want.logits
        ? Array.from({ length: S }, (_, s) =>
            new Float32Array(mapped, this.maxSequences * 4 + s * V * 4, V).slice(),
          )
        : null;
      staging.unmap();
      const done = performance.now();
      const traces = traceBytes ? this.tracesFrom(rows, T, k, trace, await traceBytes) : [];
      return {
        tokens,
        logits,
        traces,
        dispatches: n,
        submits: 1,
        ms: done - t0,
        encodeMs: submitted - t0,
        waitMs: done - submitted,
      };
    };
    return read();
  }

  private ensureInputTraceBuffers(): void {
    if (this.inputTraceBuffers) return;
    const bytes = this.maxRows * this.config.hidden * 4;
    this.inputTraceBuffers = this.moe.map((_, l) => {
      const x = storage(this.device, bytes, `moe input trace ${l}`);
      const res = storage(this.device, bytes, `moe residual trace ${l}`);
      this.buffers.push(x, res);
      return { x, res };
    });
  }

  /** Each layer's routing and grouping buffers (and, for 'inputs', its [T, D] input and residual). */
  private traceParts(T: number, k: number, level: TraceLevel): ReadPart[] {
    const bytes = T * this.config.hidden * 4;
    return this.moe.flatMap((m, l) => {
      const tb = this.inputTraceBuffers?.[l];
      const inputs =
        level === 'inputs' && tb
          ? [
              { buffer: tb.x, bytes },
              { buffer: tb.res, bytes },
            ]
          : [];
      return [...m.traceParts(T, k), ...inputs];
    });
  }

  /** The layers' traces from `traceParts`' bytes, in their order. */
  private tracesFrom(
    rows: readonly StepRows[],
    T: number,
    k: number,
    level: TraceLevel,
    bytes: readonly ArrayBuffer[],
  ): MoeLayerTrace[] {
    const rowSeq = new Int32Array(T);
    const rowPos = new Int32Array(T);
    let t = 0;
    rows.forEach((r, s) =>
      r.ids.forEach((_, i) => {
        rowSeq[t] = s;
        rowPos[t++] = r.start + i;
      }),
    );
    const out: MoeLayerTrace[] = [];
    let at = 0;
    for (const [l, m] of this.moe.entries()) {
      const n = m.traceParts(T, k).length;
      const tr = m.traceFrom(T, k, bytes.slice(at, at + n));
      at += n;
      // 'inputs' adds the layer's input and residual after its own parts (as traceParts does).
      const withInputs = level === 'inputs' && this.inputTraceBuffers?.[l] !== undefined;
      const moeInput = withInputs ? new Float32Array(bytes[at]!) : undefined;
      const moeResidual = withInputs ? new Float32Array(bytes[at + 1]!) : undefined;
      if (withInputs) at += 2;
      out.push({
        ...tr,
        layer: l,
        experts: m.config.E,
        blockSize: m.config.blockSize,
        rowSeq: rowSeq.slice(),
        rowPos: rowPos.slice(),
        kernelMs: null,
        moeInput,
        moeResidual,
      });
    }
    return out;
  }

  destroy(): void {
    for (const m of this.moe) m.destroy();
    for (const b of this.buffers) b.destroy();
  }
}
