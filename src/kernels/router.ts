// The router on its own: logits = x·Wr, softmax or sigmoid, + selection bias where given (DeepSeek-V3
// balancing: it picks the top k, the weights stay unbiased), top-k, optional
// renormalisation, expert mask. MoeLayer records it first; the virtual GPUs (src/parallel) run it
// alone on the GPU that owns the tokens and ship its top-k to the GPUs that hold the experts.
import {
  getCommonPipelines,
  grid,
  readBack,
  type ReadPart,
  storage,
  upload,
  writeAligned,
  type CommonPipelines,
} from './pipelines';
import { bindGroup, paramsBuffer, shaderConst, writeParams } from './shaderSpec';
import { routerLogitsShader, routerShader } from './shaderSpecs';
import type { MoeConfig } from './types';

export type RouterConfig = Pick<MoeConfig, 'D' | 'E' | 'k' | 'scoring' | 'renormalize'>;

const TT = shaderConst(routerLogitsShader, 'TT'); // tokens per workgroup of the logits
const ROUTE_WG = shaderConst(routerShader, 'WG'); // densify: one pair per thread
/** Largest top-k the route kernel holds (its chosen_i / chosen_w arrays). */
export const MAX_TOP_K = shaderConst(routerShader, 'MAX_K');
const TARGET_GROUPS = 512; // enough workgroups to spread a decode step's D·E over the GPU
const MAX_SPLITS = 64;
const MIN_SPLIT = 64; // d per split, at least

/**
 * How the logits GEMM is spread: EC expert lanes per workgroup, S splits of D (DC each) so that
 * tiles × expert chunks × S reaches a few hundred workgroups even at T = 1. S = 1 at large T.
 */
export function routerSplit(T: number, D: number, E: number) {
  const EC = Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, E))));
  const eChunks = Math.ceil(E / EC);
  const tiles = Math.ceil(T / TT);
  const want = Math.ceil(TARGET_GROUPS / (tiles * eChunks));
  const S0 = Math.max(1, Math.min(want, MAX_SPLITS, Math.ceil(D / MIN_SPLIT)));
  const DC = Math.ceil(D / S0);
  return { S: Math.ceil(D / DC), EC, DC, eChunks, tiles };
}

/** Floats of the partial-logits buffer [S, T, E] for any T up to maxTokens. */
function partialFloats(maxTokens: number, D: number, E: number): number {
  let most = maxTokens * E;
  for (let T = 1; T <= Math.min(maxTokens, TT * TARGET_GROUPS); T++)
    most = Math.max(most, routerSplit(T, D, E).S * T * E);
  return most;
}

/** The router's outputs: [T, k] ids (u32) and weights (f32), and [T, E] probabilities. */
export type RoutingBuffers = { topkIds: GPUBuffer; topkW: GPUBuffer };

/** One call's routing as read back: softmax (or sigmoid) scores, top-k ids and their weights. */
export type RouterTrace = { probs: Float32Array; topkIds: Int32Array; topkWeights: Float32Array };

export class MoeRouter {
  readonly probs: GPUBuffer;
  readonly topkIds: GPUBuffer;
  readonly topkW: GPUBuffer;
  private readonly Wr: GPUBuffer;
  private readonly bias: GPUBuffer;
  private readonly hasBias: boolean;
  private readonly mask: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly logitParams: GPUBuffer;
  private readonly partial: GPUBuffer;

  private constructor(
    readonly device: GPUDevice,
    readonly config: RouterConfig,
    private readonly pipes: CommonPipelines,
    Wr: Float32Array,
    routerBias: Float32Array | undefined,
    readonly maxTokens: number,
  ) {
    const { D, E, k } = config;
    if (Wr.length !== D * E) throw new Error(`Wr holds ${Wr.length} values, D·E is ${D * E}`);
    this.Wr = upload(device, Wr, 'Wr');
    this.bias = upload(device, routerBias ?? new Float32Array(E), 'router bias');
    this.hasBias = routerBias !== undefined;
    this.mask = upload(device, new Uint32Array(E).fill(1), 'expert mask');
    this.probs = storage(device, maxTokens * E * 4, 'probs');
    this.topkIds = storage(device, maxTokens * k * 4, 'topk_ids');
    this.topkW = storage(device, maxTokens * k * 4, 'topk_weights');
    this.params = paramsBuffer(device, routerShader, 'router params');
    this.logitParams = paramsBuffer(device, routerLogitsShader, 'router logits params');
    this.partial = storage(device, partialFloats(maxTokens, D, E) * 4, 'router partial logits');
  }

  static async create(
    device: GPUDevice,
    config: RouterConfig,
    Wr: Float32Array,
    routerBias: Float32Array | undefined,
    maxTokens: number,
  ): Promise<MoeRouter> {
    const pipes = await getCommonPipelines(device);
    return new MoeRouter(device, config, pipes, Wr, routerBias, maxTokens);
  }

  get routing(): RoutingBuffers {
    return { topkIds: this.topkIds, topkW: this.topkW };
  }

  /** [E] u32, 0 = disabled: excluded before top-k, the softmax renormalises over the rest. */
  setExpertMask(mask: Uint32Array): void {
    if (mask.length !== this.config.E) throw new Error('expert mask must have E entries');
    writeAligned(this.device, this.mask, mask);
  }

  /** Writes the uniforms for a call (queue order: before the submit that uses them). */
  prepare(T: number, k: number): void {
    const c = this.config;
    const sp = routerSplit(T, c.D, c.E);
    writeParams(this.device, this.logitParams, routerLogitsShader, {
      T,
      D: c.D,
      E: c.E,
      S: sp.S,
      EC: sp.EC,
      DC: sp.DC,
      e_chunks: sp.eChunks,
    });
    writeParams(this.device, this.params, routerShader, {
      T,
      D: c.D,
      E: c.E,
      k,
      sigmoid: c.scoring === 'sigmoid' ? 1 : 0,
      renormalize: c.renormalize ? 1 : 0,
      has_bias: this.hasBias ? 1 : 0,
      splits: sp.S,
    });
  }

  /**
   * Records the router over T rows of x into an open pass (call `prepare` first). 2 dispatches:
   * the logits spread over many workgroups (partial sums over splits of D), then one workgroup
   * per token for softmax / sigmoid and top-k.
   */
  encode(pass: GPUComputePassEncoder, x: GPUBuffer, T: number): number {
    const sp = routerSplit(T, this.config.D, this.config.E);
    pass.setPipeline(this.pipes.routeLogits);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.routeLogits,
        routerLogitsShader,
        { params: this.logitParams, x, wr: this.Wr, partial: this.partial },
        'router logits',
      ),
    );
    pass.dispatchWorkgroups(sp.S, ...grid(sp.tiles * sp.eChunks));
    pass.setPipeline(this.pipes.route);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.route,
        routerShader,
        {
          params: this.params,
          partial: this.partial,
          bias: this.bias,
          mask: this.mask,
          probs: this.probs,
          topk_ids: this.topkIds,
          topk_w: this.topkW,
        },
        'router',
      ),
    );
    pass.dispatchWorkgroups(...grid(T));
    return 2;
  }

  /** Dispatches of `encode`. */
  readonly dispatches = 2;

  /** Dense-masked baseline: every (token, expert) pair with its gate or 0. 1 dispatch. */
  encodeDensify(pass: GPUComputePassEncoder, denseIds: GPUBuffer, denseW: GPUBuffer, T: number) {
    pass.setPipeline(this.pipes.densify);
    pass.setBindGroup(
      0,
      bindGroup(
        this.device,
        this.pipes.densify,
        routerShader,
        {
          params: this.params,
          topk_ids: this.topkIds,
          topk_w: this.topkW,
          dense_ids: denseIds,
          dense_w: denseW,
        },
        'densify',
      ),
    );
    pass.dispatchWorkgroups(...grid(Math.ceil((T * this.config.E) / ROUTE_WG)));
    return 1;
  }

  poison(): void {
    for (const buf of [this.probs, this.topkIds, this.topkW])
      this.device.queue.writeBuffer(buf, 0, new Uint32Array(buf.size / 4).fill(0xffffffff));
  }

  /** The buffers of one call's routing (probabilities, top-k ids and weights), to read back. */
  traceParts(T: number, k: number): ReadPart[] {
    return [
      { buffer: this.probs, bytes: T * this.config.E * 4 },
      { buffer: this.topkIds, bytes: T * k * 4 },
      { buffer: this.topkW, bytes: T * k * 4 },
    ];
  }

  /** The routing from `traceParts`' bytes, in their order. */
  static traceFrom([p, i, w]: readonly ArrayBuffer[]): RouterTrace {
    return {
      probs: new Float32Array(p!),
      topkIds: new Int32Array(i!),
      topkWeights: new Float32Array(w!),
    };
  }

  async read(T: number, k: number): Promise<RouterTrace> {
    return MoeRouter.traceFrom(await readBack(this.device, this.traceParts(T, k)));
  }

  destroy(): void {
    for (const buf of [
      this.Wr,
      this.bias,
      this.mask,
      this.probs,
      this.topkIds,
      this.topkW,
      this.params,
      this.logitParams,
      this.partial,
    ])
      buf.destroy();
  }
}
