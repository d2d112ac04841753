// The align-and-sort result in the lecture's notation: CSR `indptr` over experts (unpadded),
// the token of each routed pair grouped by expert, and the padding the block size costs.

export type CsrView = {
  /** [E + 1] exclusive prefix sum of the unpadded counts. */
  indptr: number[];
  /** Token index of every routed pair, grouped by expert (order inside an expert as the kernel wrote it). */
  tokens: number[];
  /** Slot of each pair within its expert's group, matching `tokens`. */
  pairIds: number[];
  paddedSlots: number;
  /** Fraction of the grouped GEMM's rows that are padding. */
  paddingFraction: number;
};

/** Reads the kernel's padded `sortedIds`/`offsets` back into the unpadded CSR the lecture draws. */
export function csrFromSorted(
  sortedIds: ArrayLike<number>,
  offsets: ArrayLike<number>,
  topK: number,
  tokens: number,
): CsrView {
  const E = offsets.length - 1;
  const sentinel = tokens * topK;
  const indptr = [0];
  const out: number[] = [];
  const pairs: number[] = [];
  for (let e = 0; e < E; e++) {
    for (let s = offsets[e]!; s < offsets[e + 1]!; s++) {
      const id = sortedIds[s]!;
      if (id >= sentinel) continue;
      pairs.push(id);
      out.push(Math.floor(id / topK));
    }
    indptr.push(out.length);
  }
  const numPostPad = offsets[E]!;
  const padded = numPostPad - out.length;
  return {
    indptr,
    tokens: out,
    pairIds: pairs,
    paddedSlots: padded,
    paddingFraction: numPostPad > 0 ? padded / numPostPad : 0,
  };
}

/** Padded count of each expert for block size `bm`: the rows the grouped GEMM really computes. */
export function paddedCounts(counts: ArrayLike<number>, bm: number): number[] {
  return Array.from(counts, (c) => Math.ceil(c / bm) * bm);
}
