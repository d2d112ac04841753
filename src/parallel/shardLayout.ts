// How a strategy cuts one MoE layer over P virtual GPUs, as plain data: tensor-parallel groups,
// expert groups and their experts (with EPLB's replicas as extra physical experts), the slice of
// the expert FFN each tensor-parallel rank holds, and which tokens each group owns.
//   tp     one group of P ranks: every rank holds 1/P of every expert, all tokens.
//   ep     P groups of one rank, whole experts; attention is tensor-parallel, so every GPU holds
//          every token: each GPU dispatches its 1/P slice and an all-gather re-replicates.
//   dp-ep  P groups of one rank; each GPU owns its own requests (data-parallel attention).
//   tp-ep  P/tp groups of tp ranks: experts spread over groups, each cut tp ways inside its group.
import { placeExperts, type ExpertPlacement, type PlacementKind } from './placement';

export type ShardStrategy = 'tp' | 'ep' | 'dp-ep' | 'tp-ep';

export class ShardError extends Error {
  override name = 'ShardError';
}

export type ShardSpec = {
  strategy: ShardStrategy;
  gpus: number;
  /** tp-ep only: ranks per tensor-parallel group (must divide gpus). */
  tp?: number;
  placement: PlacementKind;
  /** Tokens per expert from a previous run, for EPLB's placement (default uniform). */
  load?: readonly number[];
};

export type ShardLayout = {
  strategy: ShardStrategy;
  gpus: number;
  tp: number;
  ep: number;
  placement: ExpertPlacement;
  /** Physical expert p: its group and logical expert; replicas of one expert are distinct p. */
  physical: { group: number; expert: number }[];
  /** [group] the physical ids it holds, in local order. */
  physByGroup: number[][];
  /** [expert][replica] physical id. */
  physOfExpert: number[][];
  /** [tpRank] the [start, end) columns of the expert FFN (and of the shared expert) it holds. */
  iSlice: [number, number][];
  sharedSlice: [number, number][];
  /** Attention is replicated within a group of tp ranks and all tokens live on every GPU (tp, ep). */
  replicatedTokens: boolean;
};

export const rankOf = (group: number, tpRank: number, tp: number) => group * tp + tpRank;

/** [start, end) of part i when n is cut in `parts` near-equal pieces. */
export function evenSplit(n: number, parts: number, i: number): [number, number] {
  return [Math.floor((i * n) / parts), Math.floor(((i + 1) * n) / parts)];
}

export function resolveShardLayout(
  spec: ShardSpec,
  dims: { E: number; I: number; sharedI?: number },
): ShardLayout {
  const P = spec.gpus;
  if (!Number.isInteger(P) || P < 1 || P > 64)
    throw new ShardError(`Virtual GPUs must be a whole number from 1 to 64 (got ${P}).`);
  let tp: number;
  switch (spec.strategy) {
    case 'tp':
      tp = P;
      break;
    case 'ep':
    case 'dp-ep':
      tp = 1;
      break;
    case 'tp-ep':
      tp = spec.tp ?? 1;
      if (!Number.isInteger(tp) || tp < 1 || P % tp !== 0)
        throw new ShardError(
          `tp-ep needs a tensor-parallel degree that divides ${P} GPUs (got ${tp}).`,
        );
      break;
    default:
      throw new ShardError(`Unknown strategy "${String(spec.strategy)}".`);
  }
  const ep = P / tp;
  if (ep > dims.E)
    throw new ShardError(
      `Expert parallelism over ${ep} groups needs at least ${ep} experts; this layer has ${dims.E}.`,
    );
  if (tp > dims.I)
    throw new ShardError(
      `Cutting an expert FFN of ${dims.I} columns ${tp} ways leaves a GPU nothing.`,
    );
  const placement = placeExperts(
    spec.placement,
    dims.E,
    ep,
    spec.load ?? new Array<number>(dims.E).fill(1),
  );
  const physical: { group: number; expert: number }[] = [];
  const physByGroup = placement.byGpu.map((experts, group) =>
    experts.map((expert) => physical.push({ group, expert }) - 1),
  );
  const physOfExpert = Array.from({ length: dims.E }, () => [] as number[]);
  physical.forEach(({ expert }, p) => physOfExpert[expert]!.push(p));
  const Is = dims.sharedI ?? 0;
  return {
    strategy: spec.strategy,
    gpus: P,
    tp,
    ep,
    placement,
    physical,
    physByGroup,
    physOfExpert,
    iSlice: Array.from({ length: tp }, (_, r) => evenSplit(dims.I, tp, r)),
    sharedSlice: Array.from({ length: tp }, (_, r) => evenSplit(Is, tp, r)),
    replicatedTokens: spec.strategy === 'tp' || spec.strategy === 'ep',
  };
}

/** [group] the [start, end) of the tokens it owns (dispatches and gets back). */
export function tokenOwnership(layout: ShardLayout, T: number): [number, number][] {
  return Array.from({ length: layout.ep }, (_, g) => evenSplit(T, layout.ep, g));
}

/**
 * The replica a (token, expert) pair goes to: tokens spread round-robin over an expert's copies,
 * so EPLB's redundant copies of a hot expert each take a share.
 */
export function physicalExpert(layout: ShardLayout, expert: number, token: number): number {
  const copies = layout.physOfExpert[expert]!;
  return copies[token % copies.length]!;
}
