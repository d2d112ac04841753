// Chapter 1's figure: how much of a model's expert FFN one token runs with top-k routing — the
// reason an MoE layer is wide but cheap.
export type ActiveShare = { active: number; total: number; percent: number };

/** Expert neurons one token runs (k experts of `expertFfn` each) out of all of them. */
export function activeExpertShare(experts: number, expertFfn: number, k: number): ActiveShare {
  const active = Math.min(k, experts) * expertFfn;
  const total = experts * expertFfn;
  return { active, total, percent: total > 0 ? Math.round((100 * active) / total) : 0 };
}
