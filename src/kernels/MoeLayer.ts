// One MoE layer on WebGPU: owns its pipelines, weights and intermediate buffers and records
// router → align & sort → grouped GEMM1 (SwiGLU) → grouped GEMM2 → (shared expert) → combine.
// Three variants share every part, so benchmarks can swap them:
//   fused        one pass, GEMMs sized by indirect dispatch from align (no CPU round trip)
//   perExpert    reads the counts back, then one GEMM dispatch per non-empty expert (QMoE-like)
//   denseMasked  every expert on every token, weighted by the sparse gates (0 off the top-k)
import { assertAtMost } from '../gpu/guards';
import { GpuTimer } from '../gpu/GpuTimer';
import { AlignSort } from './align';
import { DecodeGemv } from './decode';
import { defaultGemmTile, wideTileFits } from './gemmTile';
import { MoeRouter, type RoutingBuffers } from './router';
import {
  getPipelines,
  type GemmTile,
  grid,
  readBack,
  type ReadPart,
  storage,
  writeAligned,
  type MoePipelines,
} from './pipelines';
import { paramsBuffer, shaderConst, writeParams } from './shaderSpec';
import { expertCapacity } from './reference';
import { combineShader, groupedGemmShader } from './shaderSpecs';
import { scaleOffset } from './weightFormats';
import {
  allocateLayerBuffers,
  checkLayerFits,
  layerBindGroups,
  type LayerBuffers,
} from './layerResources';
import type {
  MoeConfig,
  MoeIo,
  MoeLayerOptions,
  MoeRunInput,
  MoeRunResult,
  MoeTrace,
  MoeVariant,
  MoeWeights,
} from './types';

export type { MoeIo, MoeLayerOptions, MoeRunInput, MoeRunResult, MoeVariant } from './types';
export type { GemmTile } from './pipelines';

/** MoeLayer.create's options: the layer options, and the grouped GEMM's tile. */
export type MoeLayerCreateOptions = MoeLayerOptions & {
  /**
   * Columns per workgroup tile of the tiled grouped GEMM (shaders/grouped_gemm.wgsl): 128
   * (gemm1_wide / gemm2_wide, 8 columns a thread in vec4s, B loaded as vec4; needs D, I and the
   * shared expert's width to be multiples of 4) or 64 (gemm1 / gemm2, 4 columns a thread).
   * Default: `defaultGemmTile` (gemmTile.ts, from measurements). The decode path (`gemmPath`) is
   * not affected.
   */
  gemmTile?: GemmTile;
};
const COMBINE_WG = shaderConst(combineShader, 'WG'); // one output element per thread

export class MoeLayer {
  readonly variant: MoeVariant;
  readonly maxTokens: number;
  /** Dispatches and submits of the last forward. */
  lastDispatches = 0;
  lastSubmits = 0;
  private readonly align: AlignSort;
  /** Null when the layer takes its routing from outside (an expert shard of a virtual GPU). */
  readonly router: MoeRouter | null;
  private readonly b: LayerBuffers;
  private readonly u: LayerBuffers;
  private readonly perExpertParams: GPUBuffer[] = [];
  private io: { x: GPUBuffer; out: GPUBuffer; res: GPUBuffer } | null = null;
  /** Per-expert pair limit of the last prepared call (null: none), for its trace. */
  private lastCapacity: number | null = null;
  /** The fused variant's decode path for few pairs per expert (null: tiled GEMM only). */
  private readonly decode: DecodeGemv | null;
  /** Quantised weights: word where each routed / shared weight buffer's scales start. */
  private readonly scaleAt: { routed: number; shared: number };
  /** Column tile of the tiled grouped GEMM (BN): sizes its dispatches. */
  readonly gemmTile: GemmTile;

  private constructor(
    readonly device: GPUDevice,
    readonly config: MoeConfig,
    private readonly pipes: MoePipelines,
    opts: MoeLayerOptions,
    align: AlignSort,
    router: MoeRouter | null,
    w: MoeWeights,
    Pmax: number,
    decode: DecodeGemv | null,
  ) {
    this.variant = opts.variant ?? 'fused';
    this.gemmTile = pipes.gemmTile;
    this.decode = decode;
    this.scaleAt = {
      routed: scaleOffset(config.dtype, w.W1.length), // W1, W3 and W2 hold as many weights
      shared: scaleOffset(config.dtype, config.D * (config.sharedI ?? 0)),
    };
    this.maxTokens = opts.maxTokens;
    this.align = align;
    this.router = router;
    ({ b: this.b, u: this.u } = allocateLayerBuffers(
      device,
      config,
      w,
      this.variant,
      this.maxTokens,
      Pmax,
    ));
  }

  static async create(
    device: GPUDevice,
    config: MoeConfig,
    w: MoeWeights,
    opts: MoeLayerCreateOptions,
  ): Promise<MoeLayer> {
    const { D, I, E, blockSize: BM } = config;
    const tile = opts.gemmTile ?? defaultGemmTile(config);
    if (tile !== 64 && !wideTileFits(config))
      throw new Error(`grouped GEMM tile ${tile} needs D, I and sharedI multiples of 4`);
    const Pmax = checkLayerFits(device, config, w, opts);
    const pipes = await getPipelines(device, BM, config.dtype, tile);
    const BN = pipes.gemmTile;
    const align = await AlignSort.create(
      device,
      {
        E,
        blockSize: BM,
        maxPairs: Pmax,
        expertMap: opts.expertMap,
        mode: opts.alignMode ?? 'auto',
        gemmTiles: [Math.ceil(I / BN), Math.ceil(D / BN)],
      },
      pipes,
    );
    if (opts.externalRouting && (opts.variant ?? 'fused') !== 'fused')
      throw new Error('external routing is for the fused variant only');
    const router = opts.externalRouting
      ? null
      : await MoeRouter.create(device, config, w.Wr, w.routerBias, opts.maxTokens);
    const decode = await DecodeGemv.forLayer(device, config, opts, w.W1.length / (D * I), Pmax);
    return new MoeLayer(device, config, pipes, opts, align, router, w, Pmax, decode);
  }

  /** [E] u32, 0 = disabled. Takes effect from the next forward; no recompilation. */
  setExpertMask(mask: Uint32Array): void {
    this.ownRouter().setExpertMask(mask);
  }

  private ownRouter(): MoeRouter {
    if (!this.router) throw new Error('this layer takes its routing from outside: no router');
    return this.router;
  }

  /** The top-k this call reads: the caller's (external routing) or the layer's own router's. */
  private routingOf(io: MoeIo): RoutingBuffers {
    if (this.router) {
      if (io.routing) throw new Error('this layer routes itself: do not pass routing');
      return this.router.routing;
    }
    if (!io.routing) throw new Error('this layer takes its routing from outside: pass io.routing');
    return io.routing;
  }

  /** Dispatches a forward at T tokens will record (perExpert: upper bound, all experts busy). */
  dispatchesPerLayer(T: number, k = this.config.k): number {
    const c = this.config;
    const P = T * (this.variant === 'denseMasked' ? c.E : k);
    const shared = (c.sharedI ?? 0) > 0 ? 2 : 0;
    let gemms = this.decode?.use(P) ? this.decode.dispatches : 2;
    if (this.variant === 'perExpert') gemms = 2 * Math.min(c.E, T * k);
    const densify = this.variant === 'denseMasked' ? 1 : 0;
    return (this.router?.dispatches ?? 0) + densify + this.align.dispatches(P) + gemms + shared + 1;
  }

  /** Which expert GEMMs a call of T tokens runs: the decode GEMV or the tiled grouped GEMM. */
  gemmPathAt(T: number, k = this.config.k): 'decode' | 'tiled' {
    const P = T * (this.variant === 'denseMasked' ? this.config.E : k);
    return this.decode?.use(P) ? 'decode' : 'tiled';
  }

  private kOf(io: { k?: number }): number {
    const k = io.k ?? this.config.k;
    assertAtMost(k, this.config.k, 'top-k for this call');
    if (k < 1) throw new Error('top-k must be at least 1');
    return k;
  }

  /** Writes every uniform for a call of T tokens (queue order: before the submit that uses them). */
  private prepare(io: MoeIo): { k: number; kEff: number; P: number } {
    const { D, I, E } = this.config;
    const Is = this.config.sharedI ?? 0;
    const { T } = io;
    assertAtMost(T, this.maxTokens, 'Tokens in this call');
    const k = this.kOf(io);
    const kEff = this.variant === 'denseMasked' ? E : k;
    const P = T * kEff;
    const dev = this.device;
    this.router?.prepare(T, k);
    if (this.decode?.use(P)) this.decode.prepare(T, kEff, P);
    const cf = io.capacityFactor ?? null;
    if (cf !== null && this.variant === 'denseMasked')
      throw new Error('a capacity factor applies to routed pairs: not the dense-masked baseline');
    this.lastCapacity = expertCapacity(cf, T, k, E);
    this.align.prepare(P, this.lastCapacity);
    const gemm = groupedGemmShader;
    // mode 0: routed blocks from align; mode 1: T plain rows (the shared expert).
    const routed = { T, k: kEff, P, mode: 0, block_start: 0, scale_at: this.scaleAt.routed };
    const plain = { T, k: 1, P: T, mode: 1, block_start: 0, scale_at: this.scaleAt.shared };
    writeParams(dev, this.u.gemm1!, gemm, { ...routed, K: D, N: I });
    writeParams(dev, this.u.gemm2!, gemm, { ...routed, K: I, N: D });
    writeParams(dev, this.u.sgemm1!, gemm, { ...plain, K: D, N: Is });
    writeParams(dev, this.u.sgemm2!, gemm, { ...plain, K: Is, N: D });
    writeParams(dev, this.u.combine!, combineShader, {
      T,
      D,
      k: kEff,
      has_shared: Is > 0 ? 1 : 0,
      has_residual: io.residual ? 1 : 0,
    });
    return { k, kEff, P };
  }

  /**
   * Records the whole layer into `encoder` (fused and denseMasked only: perExpert must read the
   * counts back mid-way, use `forward`). One compute pass, or one per kernel with a timer. One
   * encode per layer instance per submit: its uniforms are written at encode time.
   */
  encode(encoder: GPUCommandEncoder, io: MoeIo, timer?: GpuTimer): number {
    if (this.variant === 'perExpert')
      throw new Error('the per-expert baseline reads counts back mid-layer: use forward()');
    const routing = this.routingOf(io);
    const { P } = this.prepare(io);
    const g = layerBindGroups(
      this.device,
      this.pipes,
      this.b,
      this.u,
      this.align,
      this.variant,
      io,
      routing,
    );
    const { T } = io;
    const { D } = this.config;
    const Is = this.config.sharedI ?? 0;
    let n = 0;
    const first = this.router ? 'router' : 'align';
    let pass = encoder.beginComputePass(timer?.pass(first) ?? { label: 'moe layer' });
    const next = (label: string) => {
      if (!timer) return;
      pass.end();
      pass = encoder.beginComputePass(timer.pass(label));
    };
    if (this.router) n += this.router.encode(pass, io.x, T);
    if (this.variant === 'denseMasked') {
      next('densify');
      n += this.ownRouter().encodeDensify(pass, this.b.denseIds!, this.b.denseW!, T);
    }
    if (this.router) next('align');
    n += this.align.encode(pass, g.ids, P);
    if (this.decode?.use(P)) {
      const dg = this.decode.groups(this.b, this.align, io, routing);
      n += this.decode.encode(() => pass, next, dg, P);
    } else {
      next('gemm1');
      pass.setPipeline(this.pipes.gemm1);
      pass.setBindGroup(0, g.gemm1(this.u.gemm1!));
      pass.dispatchWorkgroupsIndirect(this.align.meta, 0);
      next('gemm2');
      pass.setPipeline(this.pipes.gemm2);
      pass.setBindGroup(0, g.gemm2(this.u.gemm2!));
      pass.dispatchWorkgroupsIndirect(this.align.meta, 12);
      n += 2;
    }
    if (g.sgemm1 && g.sgemm2) {
      next('shared');
      n += this.encodeShared(pass, g.sgemm1, g.sgemm2, T, Is, D);
    }
    next('combine');
    this.encodeCombine(pass, g.combine, T * D);
    n++;
    pass.end();
    this.lastDispatches = n;
    this.lastSubmits = 1;
    return n;
  }

  private encodeShared(
    pass: GPUComputePassEncoder,
    g1: GPUBindGroup,
    g2: GPUBindGroup,
    T: number,
    Is: number,
    D: number,
  ): number {
    const BM = this.config.blockSize;
    const BN = this.gemmTile;
    pass.setPipeline(this.pipes.gemm1);
    pass.setBindGroup(0, g1);
    pass.dispatchWorkgroups(Math.ceil(Is / BN), Math.ceil(T / BM));
    pass.setPipeline(this.pipes.gemm2);
    pass.setBindGroup(0, g2);
    pass.dispatchWorkgroups(Math.ceil(D / BN), Math.ceil(T / BM));
    return 2;
  }

  private encodeCombine(pass: GPUComputePassEncoder, g: GPUBindGroup, elements: number): void {
    pass.setPipeline(this.pipes.combine);
    pass.setBindGroup(0, g);
    pass.dispatchWorkgroups(...grid(Math.ceil(elements / COMBINE_WG)));
  }

  /** Runs the layer on GPU buffers and submits; the per-expert baseline waits for its counts. */
  async forward(io: MoeIo, timer?: GpuTimer): Promise<void> {
    if (this.variant !== 'perExpert') {
      const encoder = this.device.createCommandEncoder({ label: 'moe layer' });
      this.encode(encoder, io, timer);
      timer?.resolve(encoder);
      this.device.queue.submit([encoder.finish()]);
      return;
    }
    const { D, I, E, blockSize: BM } = this.config;
    const Is = this.config.sharedI ?? 0;
    const { T } = io;
    const routing = this.routingOf(io);
    const { P } = this.prepare(io);
    const g = layerBindGroups(
      this.device,
      this.pipes,
      this.b,
      this.u,
      this.align,
      this.variant,
      io,
      routing,
    );
    let encoder = this.device.createCommandEncoder({ label: 'moe router+align' });
    let pass = encoder.beginComputePass(timer?.pass('router') ?? { label: 'router' });
    let n = this.ownRouter().encode(pass, io.x, T);
    pass.end();
    pass = encoder.beginComputePass(timer?.pass('align') ?? { label: 'align' });
    n += this.align.encode(pass, g.ids, P);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    // The honest cost of this baseline: a CPU round trip before the GEMMs can be sized.
    const [cb, ob] = await readBack(this.device, [
      { buffer: this.align.counts, bytes: E * 4 },
      { buffer: this.align.offsets, bytes: (E + 1) * 4 },
    ]);
    const counts = new Uint32Array(cb!);
    const offsets = new Uint32Array(ob!);
    encoder = this.device.createCommandEncoder({ label: 'moe per-expert gemms' });
    const busy = [...counts.keys()].filter((e) => counts[e]! > 0);
    const BN = this.gemmTile;
    for (const [which, K, N, tiles] of [
      ['gemm1', D, I, Math.ceil(I / BN)],
      ['gemm2', I, D, Math.ceil(D / BN)],
    ] as const) {
      pass = encoder.beginComputePass(timer?.pass(which) ?? { label: which });
      pass.setPipeline(this.pipes[which]);
      for (const e of busy) {
        const params = this.expertParams(which === 'gemm1' ? 2 * e : 2 * e + 1);
        writeParams(this.device, params, groupedGemmShader, {
          T,
          k: this.kOf(io),
          P,
          K,
          N,
          mode: 0,
          block_start: offsets[e]! / BM,
          scale_at: this.scaleAt.routed,
        });
        pass.setBindGroup(0, g[which](params));
        pass.dispatchWorkgroups(tiles, (offsets[e + 1]! - offsets[e]!) / BM);
        n++;
      }
      pass.end();
    }
    pass = encoder.beginComputePass(timer?.pass('combine') ?? { label: 'combine' });
    if (g.sgemm1 && g.sgemm2) n += this.encodeShared(pass, g.sgemm1, g.sgemm2, T, Is, D);
    this.encodeCombine(pass, g.combine, T * D);
    pass.end();
    n++;
    timer?.resolve(encoder);
    this.device.queue.submit([encoder.finish()]);
    this.lastDispatches = n;
    this.lastSubmits = 2;
  }

  private expertParams(i: number): GPUBuffer {
    while (this.perExpertParams.length <= i)
      this.perExpertParams.push(
        paramsBuffer(this.device, groupedGemmShader, 'per-expert gemm params'),
      );
    return this.perExpertParams[i]!;
  }

  /** Fills intermediates with NaN (f32) / 0xFFFFFFFF (u32): both are the same bit pattern. */
  poison(): void {
    this.align.poison();
    this.router?.poison();
    for (const key of ['denseIds', 'denseW', 'act', 'pairOut', 'sAct', 'sOut']) {
      const buf = this.b[key];
      if (buf)
        this.device.queue.writeBuffer(buf, 0, new Uint32Array(buf.size / 4).fill(0xffffffff));
    }
  }

  /**
   * Reads back every intermediate of the last forward at T tokens and top-k `k` (call after
   * `forward`, or after submitting what `encode` recorded): one submit, one round trip.
   */
  async readTrace(T: number, k = this.config.k): Promise<MoeTrace> {
    return this.traceFrom(T, k, await readBack(this.device, this.traceParts(T, k)));
  }

  /** The last call's routing and grouping buffers, to copy out (in bulk, with others). */
  traceParts(T: number, k = this.config.k): ReadPart[] {
    return [...this.ownRouter().traceParts(T, k), ...this.align.traceParts(this.pairsOf(T, k))];
  }

  /** The trace from `traceParts`' bytes, in their order. */
  traceFrom(T: number, k: number, bytes: readonly ArrayBuffer[]): MoeTrace {
    const routed = MoeRouter.traceFrom(bytes.slice(0, 3));
    const al = this.align.traceFrom(this.pairsOf(T, k), bytes.slice(3));
    return { T, k, ...routed, ...al, capacity: this.lastCapacity };
  }

  private pairsOf(T: number, k: number): number {
    return T * (this.variant === 'denseMasked' ? this.config.E : k);
  }

  /** Uploads x, runs with per-kernel timing where available, reads every intermediate back. */
  async run(input: MoeRunInput): Promise<MoeRunResult> {
    const { D, E, I } = this.config;
    const dev = this.device;
    const { T } = input;
    const k = this.kOf(input);
    assertAtMost(T, this.maxTokens, 'Tokens in this call');
    if (input.x.length < T * D)
      throw new Error(`x holds ${input.x.length} values, T·D is ${T * D}`);
    const bytes = this.maxTokens * D * 4;
    this.io ??= {
      x: storage(dev, bytes, 'x'),
      out: storage(dev, bytes, 'out'),
      res: storage(dev, bytes, 'residual'),
    };
    const io = this.io;
    writeAligned(dev, io.x, input.x.subarray(0, T * D));
    if (input.residual) writeAligned(dev, io.res, input.residual.subarray(0, T * D));
    if (input.poison) {
      this.poison();
      dev.queue.writeBuffer(io.out, 0, new Uint32Array(io.out.size / 4).fill(0xffffffff));
    }
    const timer = new GpuTimer(dev, 16);
    const residual = input.residual ? io.res : undefined;
    await this.forward(
      { x: io.x, out: io.out, residual, T, k, capacityFactor: input.capacityFactor },
      timer.enabled ? timer : undefined,
    );
    const P = T * (this.variant === 'denseMasked' ? E : k);
    const b = this.b;
    const parts = [{ buffer: io.out, bytes: T * D * 4 }];
    if (input.debug)
      parts.push(
        { buffer: b.act!, bytes: P * I * 4 },
        { buffer: b.pairOut!, bytes: P * D * 4 },
        { buffer: b.sOut ?? b.dummy!, bytes: b.sOut ? T * D * 4 : 4 },
      );
    const [read, trace, times] = await Promise.all([
      readBack(dev, parts),
      this.readTrace(T, k),
      timer.read(),
    ]);
    timer.destroy();
    let kernelMs: Record<string, number> | null = null;
    if (times) {
      kernelMs = {};
      for (const { label, ms } of times) kernelMs[label] = (kernelMs[label] ?? 0) + ms;
    }
    const f = (i: number) => new Float32Array(read[i]!);
    return {
      trace,
      out: f(0),
      ...(input.debug ? { act: f(1), pairOut: f(2), shared: b.sOut ? f(3) : undefined } : {}),
      kernelMs,
      dispatches: this.lastDispatches,
      submits: this.lastSubmits,
    };
  }

  destroy(): void {
    this.align.destroy();
    this.router?.destroy();
    this.decode?.destroy();
    for (const buf of [...Object.values(this.b), ...Object.values(this.u), ...this.perExpertParams])
      buf.destroy();
    if (this.io) for (const buf of Object.values(this.io)) buf.destroy();
  }
}
