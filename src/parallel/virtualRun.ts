// One run on the virtual GPUs, for the panel: build the cut, execute it, execute the unsharded
// layer too and compare, and collect what the panel draws (work per GPU, bytes per collective
// against the formulas, memory, measured kernel times). Timelines are derived later from this
// report (src/parallel/virtualTimeline.ts), so switching the compute source does not re-run.
import { MoeLayer } from '../kernels/MoeLayer';
import { maxRelError } from '../kernels/reference';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import type { CollectiveKind } from './commLedger';
import { memoryPerGpu, pipelineMemory, type GpuMemory } from './memoryPlan';
import type { ModelDims } from './modelDims';
import { PipelineStack } from './PipelineStack';
import { ShardedMoeLayer, type ShardPhase } from './ShardedMoeLayer';
import { tokenOwnership, type ShardLayout, type ShardStrategy } from './shardLayout';
import type { PlacementKind } from './placement';

export type VirtualStrategy = ShardStrategy | 'pp';

export type VirtualRunSpec = {
  strategy: VirtualStrategy;
  gpus: number;
  tp: number;
  placement: PlacementKind;
  microBatches: number;
};

export type VirtualRunInput = {
  dims: ModelDims;
  config: MoeConfig;
  /** Every layer's weights (pipeline) — the others use `layer`. */
  weights: MoeWeights[];
  layer: number;
  T: number;
  k: number;
  /** Sequences in the batch (KV cache, data-parallel attention). */
  sequences: number;
  /** Per layer [T, D] MoE input and residual (the trained model's run), or one input to chain. */
  inputs:
    | { kind: 'recorded'; xs: Float32Array[]; residuals: Float32Array[] }
    | { kind: 'chain'; x: Float32Array };
  /** Tokens per expert, for EPLB's placement. */
  load?: number[];
};

export type CommRow = {
  kind: CollectiveKind;
  /** Bytes over all links, and [gpu] bytes sent. */
  bytes: number;
  sent: number[];
  received: number[];
  /** DESIGN.md's formula for this collective (uniform routing for the all-to-alls). */
  formula: number | null;
  formulaText: string;
};

export type VirtualRunReport = {
  spec: VirtualRunSpec;
  dims: ModelDims;
  T: number;
  k: number;
  layer: number;
  layout: ShardLayout | null;
  /** Pipeline only: [stage] layers [start, end), [micro-batch] rows. */
  stages: [number, number][] | null;
  micro: [number, number][] | null;
  maxRelError: number;
  /** [gpu] tokens it owns (attention, routing), rows its experts got, pairs computed. */
  ownTokens: number[];
  rows: number[];
  pairs: number[];
  /** [gpu] distinct experts (replicas) that got at least one pair: the weights it had to read. */
  expertsHit: number[];
  /** [gpu] logical experts it holds (a replica shows twice across GPUs). */
  experts: number[][];
  memory: GpuMemory[];
  comm: CommRow[];
  /** [gpu] measured ms per phase (timestamp-query), or null. Pipeline: [stage][micro-batch] ms. */
  measuredMs: Record<ShardPhase, number>[] | null;
  pipelineMs: number[][] | null;
};

const F32 = 4;

export async function runVirtualGpus(
  device: GPUDevice,
  spec: VirtualRunSpec,
  input: VirtualRunInput,
): Promise<VirtualRunReport> {
  return spec.strategy === 'pp'
    ? runPipeline(device, spec, input)
    : runSharded(device, spec, input);
}

async function unsharded(
  device: GPUDevice,
  c: MoeConfig,
  w: MoeWeights,
  x: Float32Array,
  T: number,
  k: number,
  residual?: Float32Array,
) {
  const layer = await MoeLayer.create(device, c, w, { maxTokens: T });
  try {
    return (await layer.run({ x, T, k, residual })).out;
  } finally {
    layer.destroy();
  }
}

async function runSharded(
  device: GPUDevice,
  spec: VirtualRunSpec,
  input: VirtualRunInput,
): Promise<VirtualRunReport> {
  const { config, T, k, dims } = input;
  const w = input.weights[input.layer]!;
  const x = input.inputs.kind === 'recorded' ? input.inputs.xs[input.layer]! : input.inputs.x;
  const residual =
    input.inputs.kind === 'recorded' ? input.inputs.residuals[input.layer] : undefined;
  const layer = await ShardedMoeLayer.create(
    device,
    config,
    w,
    {
      strategy: spec.strategy as ShardStrategy,
      gpus: spec.gpus,
      tp: spec.tp,
      placement: spec.placement,
      load: input.load,
    },
    T,
  );
  try {
    const r = await layer.forward({ x, T, k, residual });
    const want = await unsharded(device, config, w, x, T, k, residual);
    const L = layer.layout;
    const P = L.gpus;
    const own = tokenOwnership(L, T);
    const groupTokens = (rank: number) =>
      own[Math.floor(rank / L.tp)]![1] - own[Math.floor(rank / L.tp)]![0];
    const h = config.D;
    const row = (kind: CollectiveKind, formula: number | null, formulaText: string): CommRow => ({
      kind,
      bytes: r.ledger.bytes(kind),
      ...r.ledger.perGpu(kind, P),
      formula,
      formulaText,
    });
    const uniformA2A = L.ep > 1 ? (k * h * T * F32 * (L.ep - 1)) / L.ep : 0;
    const comm: CommRow[] = [
      row(
        'dispatch',
        uniformA2A * L.tp,
        `k·h·b·s·(P−1)/P${L.tp > 1 ? ` × ${L.tp} (each TP rank sends its copy)` : ''}, P = ${L.ep} expert groups`,
      ),
      row('combine', uniformA2A * L.tp, 'same as dispatch, back to the tokens’ GPUs'),
      row('dispatch-meta', null, 'top-k ids and weights sent with each row: 2·k·4 bytes'),
      row(
        'all-reduce',
        L.tp > 1 ? (2 * h * groupTokens(0) * F32 * (L.tp - 1)) / L.tp : 0,
        `2·h·b·s·(P−1)/P per GPU, P = ${L.tp}, b = ${groupTokens(0)} tokens of its group`,
      ),
      row(
        'all-gather',
        L.replicatedTokens && L.ep > 1 ? (h * T * F32 * (L.ep - 1)) / L.ep : 0,
        'h·b·s·(P−1)/P per GPU: every GPU gets every token back',
      ),
    ];
    return {
      spec,
      dims,
      T,
      k,
      layer: input.layer,
      layout: L,
      stages: null,
      micro: null,
      maxRelError: maxRelError(r.out, want),
      ownTokens: Array.from({ length: P }, (_, g) => groupTokens(g)),
      rows: r.rowsPerRank,
      pairs: r.pairsPerRank,
      expertsHit: Array.from(
        { length: P },
        (_, g) =>
          L.physByGroup[Math.floor(g / L.tp)]!.filter((p) => r.plan.pairsPerPhysical[p]! > 0)
            .length,
      ),
      experts: Array.from({ length: P }, (_, g) =>
        L.physByGroup[Math.floor(g / L.tp)]!.map((p) => L.physical[p]!.expert),
      ),
      memory: memoryPerGpu(L, dims, input.sequences),
      comm,
      measuredMs: r.measuredMs,
      pipelineMs: null,
    };
  } finally {
    layer.destroy();
  }
}

async function runPipeline(
  device: GPUDevice,
  spec: VirtualRunSpec,
  input: VirtualRunInput,
): Promise<VirtualRunReport> {
  const { config, T, k, dims } = input;
  const layers = input.weights.map((weights) => ({ config, weights }));
  const pp = await PipelineStack.create(device, layers, spec.gpus, T);
  try {
    const inp = input.inputs;
    const r = await pp.forward(
      inp.kind === 'recorded'
        ? {
            mode: 'recorded',
            xs: inp.xs,
            residuals: inp.residuals,
            T,
            k,
            microBatches: spec.microBatches,
          }
        : { mode: 'chain', x: inp.x, T, k, microBatches: spec.microBatches },
    );
    // The same layers unsharded, one after the other.
    let err = 0;
    let y = inp.kind === 'chain' ? inp.x : null;
    for (let l = 0; l < layers.length; l++) {
      const want =
        inp.kind === 'recorded'
          ? await unsharded(device, config, layers[l]!.weights, inp.xs[l]!, T, k, inp.residuals[l])
          : await unsharded(device, config, layers[l]!.weights, y!, T, k, y!);
      err = Math.max(err, maxRelError(r.layerOut[l]!, want));
      y = want;
    }
    const P = spec.gpus;
    const perStage = r.stages.map(([a, b]) => b - a);
    const { sent, received } = r.ledger.perGpu('pp-send', P);
    return {
      spec,
      dims,
      T,
      k,
      layer: input.layer,
      layout: null,
      stages: r.stages,
      micro: r.micro,
      maxRelError: err,
      ownTokens: new Array<number>(P).fill(T),
      rows: new Array<number>(P).fill(T),
      pairs: perStage.map((n) => n * T * k),
      expertsHit: perStage.map(() => Math.min(config.E, T * k)),
      experts: perStage.map(() => Array.from({ length: config.E }, (_, e) => e)),
      memory: pipelineMemory(r.stages, dims, input.sequences),
      comm: [
        {
          kind: 'pp-send',
          bytes: r.ledger.bytes('pp-send'),
          sent,
          received,
          formula: (P - 1) * T * config.D * F32,
          formulaText: '(stages − 1)·b·h·s: each boundary passes the hidden state once',
        },
      ],
      measuredMs: null,
      pipelineMs: r.measuredMs,
    };
  } finally {
    pp.destroy();
  }
}
