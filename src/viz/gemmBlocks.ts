// The grouped GEMM's blocks: every BM-row block belongs to one expert (expert_ids) and computes
// all BM rows whether they hold a token or padding, so its fill is the useful share of its work.
import type { AlignView } from './permutation';

export type GemmBlock = { block: number; expert: number; rows: number; bm: number; fill: number };

export function gemmBlocks(view: AlignView): GemmBlock[] {
  return view.expertIds.map((expert, block) => {
    let rows = 0;
    for (let s = block * view.bm; s < (block + 1) * view.bm; s++)
      if (view.sortedIds[s]! < view.sentinel) rows++;
    return { block, expert, rows, bm: view.bm, fill: rows / view.bm };
  });
}

export type ExpertWork = {
  expert: number;
  tokens: number;
  blocks: number;
  computedRows: number;
  /** Multiply-adds ×2 of GEMM1 (gate and up, D→2I) and GEMM2 (I→D) over the computed rows. */
  flops: number;
  usefulFlops: number;
};

/** Work each expert gets: FLOPs = 2·rows·D·2I + 2·rows·I·D = 6·rows·D·I. */
export function workPerExpert(view: AlignView, hidden: number, expertFfn: number): ExpertWork[] {
  const perRow = 6 * hidden * expertFfn;
  return view.counts.map((tokens, expert) => {
    const computedRows = view.padded[expert]!;
    return {
      expert,
      tokens,
      blocks: computedRows / view.bm,
      computedRows,
      flops: computedRows * perRow,
      usefulFlops: tokens * perRow,
    };
  });
}
