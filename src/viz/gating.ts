// The router's decision for one token, as the lecture writes it: G = softmax(x·W_G) over all
// experts, I = TopK(G, k), s_j = G_{i_j} / Σ_{top} G, y = Σ_j s_j · FFN_{i_j}(x).
import type { MoeLayerTrace } from '../engine/trace';

export type GatingChoice = {
  rank: number;
  expert: number;
  /** Router probability G of this expert. */
  prob: number;
  /** G / Σ G_top, computed here from the probabilities. */
  renormalized: number;
  /** The weight the kernel used (the trace's topkWeights). */
  traceWeight: number;
};

export type GatingView = {
  probs: number[];
  chosen: GatingChoice[];
  topSum: number;
  /** Whether the kernel's weights equal G / Σ G_top (renormalising router, e.g. Mixtral). */
  weightsAreRenormalized: boolean;
};

export function gatingView(layer: MoeLayerTrace, row: number): GatingView {
  const E = layer.experts;
  const k = layer.k;
  const probs = Array.from(layer.probs.subarray(row * E, row * E + E));
  const ids = Array.from(layer.topkIds.subarray(row * k, row * k + k));
  const topSum = ids.reduce((a, e) => a + probs[e]!, 0);
  const chosen = ids.map((expert, rank) => ({
    rank,
    expert,
    prob: probs[expert]!,
    renormalized: topSum > 0 ? probs[expert]! / topSum : 0,
    traceWeight: layer.topkWeights[row * k + rank]!,
  }));
  // f32 on the GPU against f64 here: equal to a few ulps.
  const weightsAreRenormalized = chosen.every(
    (c) => Math.abs(c.renormalized - c.traceWeight) <= 1e-5,
  );
  return { probs, chosen, topSum, weightsAreRenormalized };
}

/** One bar per expert for the chart of G: the chosen ones tagged `top-1`, `top-2`, …. */
export function gatingBars(
  view: GatingView,
): { label: string; value: number; tag?: string; detail: string }[] {
  const rankOf = new Map(view.chosen.map((c) => [c.expert, c.rank]));
  return view.probs.map((p, e) => {
    const rank = rankOf.get(e);
    return rank === undefined
      ? { label: `e${e}`, value: p, detail: 'not chosen' }
      : { label: `e${e}`, value: p, tag: `top-${rank + 1}`, detail: 'chosen' };
  });
}
