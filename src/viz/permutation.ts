// The align-and-sort step (vLLM's moe_align_block_size) on one layer's real buffers, as stages a
// lecture walks through. For the block size the engine ran with, the buffers are the trace's own;
// for another BM they are recomputed from the traced top-k ids by the kernels' CPU twin. With a
// capacity factor the pairs the run dropped stay dropped at any BM (they are the run's, not the view's).
import type { MoeLayerTrace, StepTrace } from '../engine/trace';
import { alignExcluding, alignReference, pairMask, type AlignResult } from '../kernels/reference';
import type { BlockSize } from '../kernels/types';

export const PERMUTATION_STAGES = [
  { id: 'topk', title: 'topk_ids', what: 'the k experts the router chose for every token' },
  {
    id: 'counts',
    title: 'counts per expert',
    what: 'how many (token, expert) pairs each expert got',
  },
  { id: 'padded', title: 'padded counts', what: 'each count rounded up to a multiple of BM' },
  { id: 'prefix', title: 'prefix sum (offsets)', what: 'exclusive scan: where each expert starts' },
  {
    id: 'expertIds',
    title: 'expert_ids per block',
    what: 'which expert each BM-row block computes',
  },
  {
    id: 'sorted',
    title: 'sorted_ids',
    what: 'pair ids t·k+j grouped by expert; empty slots hold the sentinel',
  },
  {
    id: 'gather',
    title: 'gathered rows',
    what: 'each slot reads token row t = pair / k (no copy)',
  },
  {
    id: 'combine',
    title: 'weighted combine',
    what: 'y_t = Σ_j s_j · FFN_e_j(x_t), each term read back by its pair id',
  },
] as const;

export type AlignView = {
  bm: number;
  /** True when the buffers are the engine's own (BM equals the block size it ran with). */
  fromTrace: boolean;
  T: number;
  k: number;
  E: number;
  topkIds: Int32Array;
  counts: number[];
  padded: number[];
  offsets: number[];
  numPostPad: number;
  expertIds: number[];
  sortedIds: number[];
  sentinel: number;
  paddingSlots: number;
  paddingFraction: number;
  /** Pairs the run dropped over capacity (ascending pair indices), and the capacity; null: off. */
  dropped: number[];
  capacity: number | null;
};

/** The layout of the traced pairs at block size `bm`, keeping the run's dropped pairs dropped. */
function realign(layer: MoeLayerTrace, bm: number): AlignResult {
  const dropped = layer.dropped ?? new Int32Array(0);
  return dropped.length > 0
    ? alignExcluding(
        layer.topkIds,
        layer.experts,
        bm as BlockSize,
        pairMask(layer.topkIds.length, dropped),
      )
    : alignReference(layer.topkIds, layer.experts, bm as BlockSize);
}

export function alignView(layer: MoeLayerTrace, bm: number): AlignView {
  const fromTrace = bm === layer.blockSize;
  const a = fromTrace ? layer : realign(layer, bm);
  const counts = Array.from(a.counts);
  const offsets = Array.from(a.offsets);
  const pairs = counts.reduce((s, c) => s + c, 0);
  return {
    bm,
    fromTrace,
    T: layer.T,
    k: layer.k,
    E: layer.experts,
    topkIds: layer.topkIds,
    counts,
    padded: counts.map((_, e) => offsets[e + 1]! - offsets[e]!),
    offsets,
    numPostPad: a.numPostPad,
    expertIds: Array.from(a.expertIds),
    sortedIds: Array.from(a.sortedIds),
    sentinel: layer.T * layer.k,
    paddingSlots: a.numPostPad - pairs,
    paddingFraction: a.numPostPad > 0 ? (a.numPostPad - pairs) / a.numPostPad : 0,
    dropped: Array.from(layer.dropped ?? []),
    capacity: layer.capacity ?? null,
  };
}

/**
 * Whether the kernel's traced buffers equal what the CPU twin computes from its top-k ids. Inside
 * one expert's segment the GPU's atomics may place pairs in any order (the permutation is defined
 * up to it), so segments are compared as sorted lists. With a capacity, the twin must also drop
 * exactly the traced pairs (for a layer run in one call; a layer run in slices had one capacity
 * per slice, so there the layout of the pairs it kept is checked).
 */
export function traceMatchesReference(layer: MoeLayerTrace): boolean {
  const capacity = layer.capacity ?? null;
  if (capacity !== null && (layer.calls ?? 1) <= 1) {
    const twin = alignReference(
      layer.topkIds,
      layer.experts,
      layer.blockSize as BlockSize,
      undefined,
      capacity,
    );
    const traced = layer.dropped ?? new Int32Array(0);
    if (twin.dropped.length !== traced.length || twin.dropped.some((v, i) => v !== traced[i]))
      return false;
  }
  const r = realign(layer, layer.blockSize);
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
  if (
    r.numPostPad !== layer.numPostPad ||
    !same(r.counts, layer.counts) ||
    !same(r.offsets, layer.offsets) ||
    !same(r.expertIds, layer.expertIds) ||
    r.sortedIds.length !== layer.sortedIds.length
  )
    return false;
  for (let e = 0; e < layer.experts; e++) {
    const lo = r.offsets[e]!;
    const hi = r.offsets[e + 1]!;
    const mine = Array.from(layer.sortedIds.subarray(lo, hi)).sort((a, b) => a - b);
    const twin = Array.from(r.sortedIds.subarray(lo, hi)).sort((a, b) => a - b);
    if (!same(mine, twin)) return false;
  }
  return true;
}

/** What one slot of sorted_ids holds: a pair (its token row and rank j) or padding. */
export type Slot = {
  slot: number;
  block: number;
  expert: number;
  pair: number | null;
  token: number | null;
  j: number | null;
};

export function slots(view: AlignView): Slot[] {
  return view.sortedIds.map((pair, slot) => {
    const block = Math.floor(slot / view.bm);
    const real = pair < view.sentinel;
    return {
      slot,
      block,
      expert: view.expertIds[block]!,
      pair: real ? pair : null,
      token: real ? Math.floor(pair / view.k) : null,
      j: real ? pair % view.k : null,
    };
  });
}

/**
 * The k terms of one token's output: where each pair landed in sorted_ids (−1: dropped over
 * capacity, so it adds nothing), and its weight.
 */
export type CombineTerm = {
  j: number;
  pair: number;
  expert: number;
  slot: number;
  weight: number;
  dropped: boolean;
};

export function combineTerms(view: AlignView, weights: Float32Array, token: number): CombineTerm[] {
  const slotOf = new Map<number, number>();
  view.sortedIds.forEach((pair, slot) => {
    if (pair < view.sentinel) slotOf.set(pair, slot);
  });
  const dropped = new Set(view.dropped);
  return Array.from({ length: view.k }, (_, j) => {
    const pair = token * view.k + j;
    return {
      j,
      pair,
      expert: view.topkIds[pair]!,
      slot: slotOf.get(pair) ?? -1,
      weight: weights[pair]!,
      dropped: dropped.has(pair),
    };
  });
}

/** What the capacity did to this layer's pairs, from the trace: null when the run had none. */
export type DropSummary = {
  capacity: number;
  pairs: number;
  dropped: number;
  /** Tokens that lost every one of their k experts (only the residual, and any shared expert). */
  tokensLostAll: number;
  /** Routed weight the dropped pairs carried, as a share of all routed weight. */
  weightShare: number;
  /** Kernel calls the layer took (the capacity counts per call). */
  calls: number;
};

export function dropSummary(layer: MoeLayerTrace): DropSummary | null {
  const capacity = layer.capacity ?? null;
  if (capacity === null) return null;
  const dropped = layer.dropped ?? new Int32Array(0);
  const k = layer.k;
  const perToken = new Int32Array(layer.T);
  let lost = 0;
  for (const i of dropped) {
    perToken[Math.floor(i / k)]!++;
    lost += layer.topkWeights[i]!;
  }
  let total = 0;
  for (const w of layer.topkWeights) total += w;
  return {
    capacity,
    pairs: layer.T * k,
    dropped: dropped.length,
    tokensLostAll: perToken.filter((n) => n === k).length,
    weightShare: total > 0 ? lost / total : 0,
    calls: layer.calls ?? 1,
  };
}

/** Pairs dropped over capacity in a whole run (every step and layer); null when it had none. */
export function droppedInRun(
  steps: readonly StepTrace[],
): { dropped: number; pairs: number } | null {
  let capped = false;
  let dropped = 0;
  let pairs = 0;
  for (const s of steps)
    for (const l of s.layers) {
      if ((l.capacity ?? null) !== null) capped = true;
      dropped += l.dropped?.length ?? 0;
      pairs += l.T * l.k;
    }
  return capped ? { dropped, pairs } : null;
}
