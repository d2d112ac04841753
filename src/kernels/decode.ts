// The grouped GEMM's decode path (shaders/decode_gemv.wgsl): when a call has few (token, expert)
// pairs per local expert, a BM-row tile is mostly padding and the tiled GEMM runs a handful of
// workgroups that each walk a narrow weight strip. This path streams each busy expert's weights
// once, split over K into many workgroups that each read whole row segments (a vec4 of floats or
// a u32 of codes per thread) several rows at a time, then adds the splits in a finish kernel. Same align layout, inputs and outputs
// as the tiled GEMM; chosen on the host from T·k (`use`). 4 dispatches for the two GEMMs.
// Tuned on an H200 with bench/decodeTune.ts (groups, rows per step; the results are in
// bench/results/2026-11-30-h200-decode.md).
import { assertWorkgroupCount } from '../gpu/guards';
import { maxBlocks, type AlignSort } from './align';
import { cached, compile, storage } from './pipelines';
import {
  bindGroup,
  overrideConstants,
  paramsBuffer,
  specialize,
  writeParams,
  type BindingBuffers,
} from './shaderSpec';
import { decodeGemvFor, decodeGemvShader } from './shaderSpecs';
import { INT4_BLOCK, scaleOffset } from './weightFormats';
import type { LayerBuffers } from './layerResources';
import type { RoutingBuffers } from './router';
import type { MoeConfig, MoeIo, MoeLayerOptions, WeightFormat } from './types';

/** Rows per workgroup (RB in the shader): up to 8, and no more than T (an expert gets ≤ T pairs). */
const ROWS = [1, 2, 4, 8] as const;
export const rowsFor = (T: number) => ROWS.find((r) => r >= T) ?? 8;
const SPAN = 1024; // columns per workgroup: 256 threads × vec4
const MAX_PARTIAL_FLOATS = 2 ** 26; // 256 MiB of split partial sums at most

/**
 * Tuning, read when a layer is created / a call is prepared (benchmarks may change it):
 * the decode path runs while T·k ≤ rowsPerExpert × local experts; K is split until about
 * `groups` workgroups are busy, with at least `minSplit` rows of K per split.
 */
export const decodeTuning = {
  rowsPerExpert: 8,
  groups: 768,
  minSplit: 32,
  /**
   * Weight rows each thread loads before decoding them, in gemm1 (W1 and W3) and gemm2, for
   * workgroups of one or two token rows: more for int4, whose load is half a u32 rather than a
   * vec4 of floats. With more rows the accumulators take the registers: 4 / 8 for every format.
   * H200 (bench/decodeTune.ts): int4 Mixtral T = 1 0.184 ms at 8 / 16 vs 0.195 at 4 / 8, int8
   * the same at both; OLMoE int4 T = 64 0.66 ms at 4 / 8 vs 0.77 at 8 / 16.
   */
  unroll: {
    f32: [4, 8],
    f16: [4, 8],
    int8: [4, 8],
    int4: [8, 16],
  } as Record<WeightFormat, readonly [number, number]>,
};

/** Rows per step (gemm1, gemm2) of `dtype` weights in workgroups of RB token rows. */
export const unrollFor = (dtype: WeightFormat, RB: number): readonly [number, number] =>
  RB <= 2 ? decodeTuning.unroll[dtype] : [4, 8];

export type GemmPath = 'auto' | 'tiled' | 'decode';

type DecodePipelines = Record<'decode1' | 'finish1' | 'decode2' | 'finish2', GPUComputePipeline>;

export function decodeSource(RB: number, dtype: WeightFormat): string {
  const [U1, U2] = unrollFor(dtype, RB);
  return specialize(decodeGemvFor(dtype), {
    RB,
    U1,
    U2,
    WT: dtype === 'f16' ? 'f16' : 'f32', // float formats' element type (quantised: unused)
    ENABLE: dtype === 'f16' ? 'enable f16;' : '',
  });
}

/**
 * Rows of K a split starts on: 4 (vec4 loads of A), and for int4 whole 32-row blocks, so a
 * split loads each block's scales once.
 */
export const splitAlign = (dtype: WeightFormat) => (dtype === 'int4' ? INT4_BLOCK : 4);

/** Splits of K for P pairs through a [K, N] weight (mats: 2 for W1 + W3). */
export function decodeSplit(
  P: number,
  K: number,
  N: number,
  mats: number,
  busy: number,
  align = 4,
) {
  const spans = Math.ceil(N / SPAN);
  let S = Math.ceil(decodeTuning.groups / (spans * Math.max(1, busy)));
  S = Math.min(S, Math.ceil(K / decodeTuning.minSplit));
  S = Math.max(1, Math.min(S, Math.floor(MAX_PARTIAL_FLOATS / (mats * P * N))));
  const KB = align * Math.ceil(K / S / align);
  return { S: Math.ceil(K / KB), KB, spans };
}

export class DecodeGemv {
  private readonly u1: GPUBuffer;
  private readonly u2: GPUBuffer;
  private readonly part: GPUBuffer;
  private s1 = { S: 1, KB: 1, spans: 1 };
  private s2 = { S: 1, KB: 1, spans: 1 };
  private RB = 8;
  private subs = 1;

  private constructor(
    readonly device: GPUDevice,
    private readonly config: MoeConfig,
    private readonly pipes: Map<number, DecodePipelines>,
    private readonly path: GemmPath,
    private readonly localExperts: number,
    maxPairs: number,
  ) {
    const { D, I } = config;
    let floats = 4;
    const top = Math.min(maxPairs, this.maxDecodePairs());
    const align = splitAlign(config.dtype);
    for (let P = 1; P <= top; P++) {
      const b = Math.min(P, localExperts);
      floats = Math.max(floats, decodeSplit(P, D, I, 2, b, align).S * 2 * P * I);
      floats = Math.max(floats, decodeSplit(P, I, D, 1, b, align).S * P * D);
    }
    this.part = storage(device, floats * 4, 'decode split partials');
    this.u1 = paramsBuffer(device, decodeGemvShader, 'decode gemm1 params');
    this.u2 = paramsBuffer(device, decodeGemvShader, 'decode gemm2 params');
  }

  /** The fused variant's decode path; null for the baselines and where it cannot run. */
  static forLayer(
    device: GPUDevice,
    config: MoeConfig,
    opts: MoeLayerOptions,
    localExperts: number,
    maxPairs: number,
  ): Promise<DecodeGemv | null> {
    if ((opts.variant ?? 'fused') !== 'fused') return Promise.resolve(null);
    return DecodeGemv.create(device, config, opts.gemmPath ?? 'auto', localExperts, maxPairs);
  }

  /** Null where the path cannot run (a dimension not a multiple of 4) and is not forced. */
  static async create(
    device: GPUDevice,
    config: MoeConfig,
    path: GemmPath,
    localExperts: number,
    maxPairs: number,
  ): Promise<DecodeGemv | null> {
    if (path === 'tiled') return null;
    if (config.D % 4 !== 0 || config.I % 4 !== 0) {
      if (path === 'decode') throw new Error('the decode GEMM path needs D and I multiples of 4');
      return null;
    }
    const { blockSize: BM, dtype } = config;
    const pipes = new Map<number, DecodePipelines>();
    for (const RB of ROWS)
      pipes.set(
        RB,
        await cached(device, `decode/${BM}/${RB}/${dtype}/${unrollFor(dtype, RB)}`, () => {
          const m = device.createShaderModule({
            label: `moe decode gemv BM=${BM} RB=${RB} ${dtype}`,
            code: decodeSource(RB, dtype),
          });
          const c = overrideConstants(decodeGemvShader, { BM });
          return compile(device, {
            decode1: [m, 'decode1', c],
            finish1: [m, 'finish1', c],
            decode2: [m, 'decode2', c],
            finish2: [m, 'finish2', c],
          });
        }),
      );
    return new DecodeGemv(device, config, pipes, path, localExperts, maxPairs);
  }

  private maxDecodePairs(): number {
    return this.path === 'decode' ? Infinity : decodeTuning.rowsPerExpert * this.localExperts;
  }

  /** Whether a call of P pairs takes this path. */
  use(P: number): boolean {
    return P <= this.maxDecodePairs();
  }

  /** Dispatches of the two GEMMs on this path. */
  readonly dispatches = 4;

  /** Writes this call's uniforms (T tokens, k routed per token, P = T·k pairs). */
  prepare(T: number, k: number, P: number): void {
    const { D, I } = this.config;
    const busy = Math.min(P, this.localExperts);
    this.RB = rowsFor(T);
    // An expert appears at most once per token (top-k), so a block holds ≤ min(T, BM) rows.
    this.subs = Math.ceil(Math.min(T, this.config.blockSize) / this.RB);
    const align = splitAlign(this.config.dtype);
    this.s1 = decodeSplit(P, D, I, 2, busy, align);
    this.s2 = decodeSplit(P, I, D, 1, busy, align);
    const { KB: KB1, S: S1 } = this.s1;
    const { KB: KB2, S: S2 } = this.s2;
    // W1, W3 and W2 hold as many weights: their scales (quantised formats) start at one word.
    const scale_at = scaleOffset(this.config.dtype, this.localExperts * D * I);
    const common = { T, k, P, scale_at };
    writeParams(this.device, this.u1, decodeGemvShader, { ...common, K: D, N: I, KB: KB1, S: S1 });
    writeParams(this.device, this.u2, decodeGemvShader, { ...common, K: I, N: D, KB: KB2, S: S2 });
  }

  /** Records GEMM1 and GEMM2 into an open pass; `next` may switch timer passes. */
  encode(
    pass: () => GPUComputePassEncoder,
    next: (label: string) => void,
    g: Record<keyof DecodePipelines, GPUBindGroup>,
    P: number,
  ): number {
    const { E, blockSize: BM } = this.config;
    const blocks = maxBlocks(P, E, BM);
    const pipes = this.pipes.get(this.RB)!;
    assertWorkgroupCount(this.device, blocks, 'Decode GEMM blocks');
    for (const [label, main, finish, s] of [
      ['gemm1', 'decode1', 'finish1', this.s1],
      ['gemm2', 'decode2', 'finish2', this.s2],
    ] as const) {
      assertWorkgroupCount(this.device, s.spans * s.S, 'Decode GEMM splits');
      next(label);
      const p = pass();
      p.setPipeline(pipes[main]);
      p.setBindGroup(0, g[main]);
      p.dispatchWorkgroups(this.subs, s.spans * s.S, blocks);
      p.setPipeline(pipes[finish]);
      p.setBindGroup(0, g[finish]);
      p.dispatchWorkgroups(this.subs, s.spans, blocks);
    }
    return 4;
  }

  /** Bind groups of one call (after `prepare`): the tiled GEMM's buffers, plus the partials. */
  groups(
    b: LayerBuffers,
    a: AlignSort,
    io: MoeIo,
    routing: RoutingBuffers,
  ): Record<keyof DecodePipelines, GPUBindGroup> {
    const r = { sorted_ids: a.sortedIds, expert_ids: a.expertIds, layout_meta: a.meta };
    const pipes = this.pipes.get(this.RB)!;
    const spec = decodeGemvFor(this.config.dtype);
    const bg = (which: keyof DecodePipelines, buffers: BindingBuffers<typeof spec>) =>
      bindGroup(this.device, pipes[which], spec, buffers, `decode ${which}`);
    const part = this.part;
    return {
      decode1: bg('decode1', {
        params: this.u1,
        ...r,
        a: io.x,
        a4: io.x,
        wa: b.W1!,
        wb: b.W3!,
        part_w: part,
      }),
      finish1: bg('finish1', { params: this.u1, ...r, out: b.act!, part_r: part }),
      decode2: bg('decode2', {
        params: this.u2,
        ...r,
        a: b.act!,
        a4: b.act!,
        wa: b.W2!,
        part_w: part,
      }),
      finish2: bg('finish2', {
        params: this.u2,
        ...r,
        out: b.pairOut!,
        topk_w: routing.topkW,
        part_r: part,
      }),
    };
  }

  destroy(): void {
    for (const b of [this.u1, this.u2, this.part]) b.destroy();
  }
}
