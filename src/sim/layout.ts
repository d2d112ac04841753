// How a strategy cuts the model over the GPUs, and the layouts that cannot exist.
//   tp     attention and experts tensor-parallel over all GPUs (each GPU holds a slice of
//          every expert); two all-reduces per layer.
//   ep     attention tensor-parallel, experts spread whole over the GPUs (all-to-all).
//   dp-ep  attention data-parallel (each GPU its own requests, DeepSeek/SGLang style),
//          experts spread over all GPUs.
//   tp-ep  attention TP over groups of `tp` GPUs, `ep` such groups; each expert is cut `tp`
//          ways and the experts are spread over the `ep` groups.
//   pp     consecutive layers on consecutive GPUs (pipeline), micro-batches keep them busy.
import type { ModelSpec, SimInput, Strategy } from './types';

export type Layout = {
  strategy: Strategy;
  gpus: number;
  attentionTp: number;
  attentionDp: number;
  expertTp: number;
  ep: number;
  pp: number;
};

export class LayoutError extends Error {
  override name = 'LayoutError';
}

/** Experts left after inter-expert pruning (at least top-k). */
export function keptExperts(model: ModelSpec, pruneInter = 0): number {
  return Math.max(model.topK, Math.round(model.experts * (1 - pruneInter)));
}

export function resolveLayout(model: ModelSpec, input: SimInput): Layout {
  const g = input.gpus;
  if (!Number.isInteger(g) || g < 1)
    throw new LayoutError(`GPU count must be a positive integer, got ${g}.`);
  const experts = keptExperts(model, input.pruneInter);
  const heads = model.attention.heads;
  const base = { strategy: input.strategy, gpus: g };
  const needHeads = (tp: number) => {
    if (heads % tp !== 0)
      throw new LayoutError(
        `${model.name} has ${heads} attention heads, not divisible by tensor-parallel degree ${tp}.`,
      );
  };
  const needExperts = (ep: number) => {
    if (ep > experts)
      throw new LayoutError(
        `Expert parallelism over ${ep} GPUs needs at least ${ep} experts; ${model.name} has ${experts}${experts !== model.experts ? ' after pruning' : ''}.`,
      );
  };
  switch (input.strategy) {
    case 'tp':
      needHeads(g);
      return { ...base, attentionTp: g, attentionDp: 1, expertTp: g, ep: 1, pp: 1 };
    case 'ep':
      needHeads(g);
      needExperts(g);
      return { ...base, attentionTp: g, attentionDp: 1, expertTp: 1, ep: g, pp: 1 };
    case 'dp-ep':
      needExperts(g);
      return { ...base, attentionTp: 1, attentionDp: g, expertTp: 1, ep: g, pp: 1 };
    case 'tp-ep': {
      const tp = input.tp;
      const ep = input.ep;
      if (!tp || !ep)
        throw new LayoutError(
          'Strategy tp-ep needs both a TP degree and an EP degree (--tp N --ep N).',
        );
      if (tp * ep !== g)
        throw new LayoutError(`tp-ep needs tp × ep = GPUs, but ${tp} × ${ep} = ${tp * ep} ≠ ${g}.`);
      needHeads(tp);
      needExperts(ep);
      return { ...base, attentionTp: tp, attentionDp: ep, expertTp: tp, ep, pp: 1 };
    }
    case 'pp':
      if (g > model.layers)
        throw new LayoutError(
          `Pipeline over ${g} GPUs needs at least ${g} layers; ${model.name} has ${model.layers}.`,
        );
      return { ...base, attentionTp: 1, attentionDp: 1, expertTp: 1, ep: 1, pp: g };
    default:
      throw new LayoutError(`Unknown strategy "${String(input.strategy)}".`);
  }
}

/** A sensible tp × ep split for tp-ep when the user gave none: TP inside a node, EP across. */
export function defaultTpEp(
  model: ModelSpec,
  gpus: number,
  nodeSize = 8,
): { tp: number; ep: number } {
  let tp = Math.min(gpus, nodeSize, model.attention.heads);
  while (tp > 1 && (gpus % tp !== 0 || model.attention.heads % tp !== 0)) tp--;
  if (tp === gpus && gpus > 1) {
    // A pure TP split is not a hybrid: leave at least two expert groups.
    tp = Math.max(1, Math.floor(gpus / 2));
    while (tp > 1 && (gpus % tp !== 0 || model.attention.heads % tp !== 0)) tp--;
  }
  return { tp, ep: gpus / tp };
}
