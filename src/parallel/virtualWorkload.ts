// What the virtual GPUs run, built from plain data: the trained model's recorded prefill (each
// layer's [T, D] input and residual, kept in the engine) or the random layer stack. Pure: the
// engine calls it next to its device, the tests call it directly.
import { routerReference } from '../kernels/reference';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import type { ModelDims } from './modelDims';
import { randomConfig, randomDims, randomLayers, randomTokens } from './randomWorkload';
import type { VirtualRunInput } from './virtualRun';

/** One traced prefill, as the engine keeps it for the virtual GPUs. */
export type RecordedPrefill = {
  /** The engine's run counter of the run it came from. */
  run: number;
  T: number;
  k: number;
  /** Sequence of each row (how many requests shared the batch). */
  rowSeq: Int32Array;
  /** [layer] [T, D] MoE input and residual; [layer] [E] pairs per expert. */
  xs: Float32Array[];
  residuals: Float32Array[];
  counts: Int32Array[];
};

export type ModelShape = {
  hidden: number;
  expertFfn: number;
  experts: number;
  sharedFfn: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  maxContext: number;
};

/** The trained model's layer `layer` (clamped) on the recorded tokens. */
export function recordedWorkload(
  shape: ModelShape,
  config: MoeConfig,
  weights: MoeWeights[],
  prefill: RecordedPrefill,
  layer: number,
): { input: VirtualRunInput; repairs: string[] } {
  const repairs: string[] = [];
  const last = prefill.xs.length - 1;
  const l = Math.max(0, Math.min(Math.floor(layer), last));
  if (l !== layer) repairs.push(`layer ${layer} → ${l} (the model has layers 0…${last})`);
  const dims: ModelDims = {
    D: shape.hidden,
    I: shape.expertFfn,
    E: shape.experts,
    k: prefill.k,
    sharedI: shape.sharedFfn,
    layers: shape.layers,
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    headDim: shape.headDim,
    vocab: shape.vocabSize,
    context: shape.maxContext,
  };
  return {
    input: {
      dims,
      config,
      weights,
      layer: l,
      T: prefill.T,
      k: prefill.k,
      sequences: new Set(prefill.rowSeq).size,
      inputs: { kind: 'recorded', xs: prefill.xs, residuals: prefill.residuals },
      load: Array.from(prefill.counts[l] ?? []),
    },
    repairs,
  };
}

export type RandomWorkloadSettings = { experts: number; topK: number; batch: number; skew: number };

/** The random stack; every value it had to change is named in `repairs`. */
export function randomWorkload(s: RandomWorkloadSettings): {
  input: VirtualRunInput;
  repairs: string[];
} {
  const repairs: string[] = [];
  const dims = randomDims(s.experts, s.topK);
  if (dims.E !== s.experts)
    repairs.push(`experts ${s.experts} → ${dims.E} (the random stack has 2…64)`);
  if (dims.k !== s.topK)
    repairs.push(`top-k ${s.topK} → ${dims.k} (at most 8, and at most the ${dims.E} experts)`);
  const T = Math.max(1, Math.min(256, Math.round(Number.isFinite(s.batch) ? s.batch : 1)));
  if (T !== s.batch) repairs.push(`batch ${s.batch} → ${T} tokens (1…256)`);
  const skew = Math.max(0, Math.min(1, Number.isFinite(s.skew) ? s.skew : 0));
  if (skew !== s.skew) repairs.push(`skew ${s.skew} → ${skew} (0…1)`);
  const config = randomConfig(dims);
  const w = randomLayers(dims);
  const x = randomTokens(dims, T, skew);
  // EPLB places by observed load: the router's own choices on this batch (its CPU twin).
  const r = routerReference(x, w[0]!.Wr, T, dims.D, dims.E, dims.k, 'softmax', true);
  const load = new Array<number>(dims.E).fill(0);
  for (const e of r.topkIds) load[e]!++;
  return {
    input: {
      dims,
      config,
      weights: w,
      layer: 0,
      T,
      k: dims.k,
      sequences: T,
      inputs: { kind: 'chain', x },
      load,
    },
    repairs,
  };
}
