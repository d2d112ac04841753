// Load imbalance across expert-parallel ranks. Two causes: skewed expert popularity (a
// routing-skew setting or measured per-expert counts) and the sampling noise of a small batch
// (even uniform routing gives some rank more tokens than the mean).

/**
 * Share of routed tokens per expert. `skew` 0 is uniform; 1 is a Zipf law with exponent 1.2.
 * Popular experts are scattered over the expert ids with a fixed permutation, as trained
 * routers do, rather than packed onto the first rank (that would be an adversarial placement).
 */
export function expertShares(
  experts: number,
  skew: number,
  expertLoad?: readonly number[],
): number[] {
  const shares = new Array<number>(experts);
  if (expertLoad && expertLoad.length > 0) {
    // Measured counts for a different expert count are stretched over this model's experts.
    for (let e = 0; e < experts; e++) {
      const v = expertLoad[Math.floor((e * expertLoad.length) / experts)] ?? 0;
      shares[e] = Math.max(0, Number.isFinite(v) ? v : 0);
    }
  } else {
    const alpha = 1.2 * Math.min(1, Math.max(0, skew));
    // A multiplier coprime with `experts` visits every rank once: a fixed scatter.
    let step = Math.max(1, Math.round(experts * 0.618)) | 0;
    while (gcd(step, experts) !== 1) step++;
    for (let e = 0; e < experts; e++) {
      const popularityRank = (e * step) % experts;
      shares[e] = Math.pow(popularityRank + 1, -alpha);
    }
  }
  // Scale by the largest count before summing: counts near Number.MAX_VALUE would overflow
  // the sum to Infinity and turn every share into 0 (a perfectly "balanced" wrong answer).
  const max = shares.reduce((a, b) => Math.max(a, b), 0);
  if (!(max > 0) || !Number.isFinite(max)) return shares.map(() => 1 / experts);
  const scaled = shares.map((s) => s / max);
  const sum = scaled.reduce((a, b) => a + b, 0);
  return scaled.map((s) => s / sum);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Share of routed tokens landing on each EP rank. Contiguous placement gives rank r the
 * experts [r·n, (r+1)·n); balanced placement (EPLB-like) assigns the most loaded expert to the
 * least loaded rank that still has a free slot.
 */
export function rankShares(shares: readonly number[], ranks: number, balanced: boolean): number[] {
  const perRank = Math.ceil(shares.length / ranks);
  const load = new Array<number>(ranks).fill(0);
  if (!balanced) {
    shares.forEach((s, e) => {
      load[Math.min(ranks - 1, Math.floor(e / perRank))]! += s;
    });
    return load;
  }
  const slots = new Array<number>(ranks).fill(perRank);
  const order = shares.map((s, e) => [s, e] as const).sort((a, b) => b[0] - a[0]);
  for (const [s] of order) {
    let best = -1;
    for (let r = 0; r < ranks; r++) {
      if (slots[r]! > 0 && (best < 0 || load[r]! < load[best]!)) best = r;
    }
    load[best]! += s;
    slots[best]!--;
  }
  return load;
}

/**
 * Busiest rank's routed pairs divided by the mean, for `pairs` (token, expert) pairs in a
 * step. The sampling term is the Gaussian approximation of the maximum of `ranks` counts.
 */
export function imbalanceFactor(rankLoad: readonly number[], pairs: number): number {
  const ranks = rankLoad.length;
  if (ranks <= 1 || pairs <= 0) return 1;
  const maxShare = Math.max(...rankLoad);
  const busiestMean = pairs * maxShare;
  const noise = Math.sqrt(2 * busiestMean * Math.log(ranks));
  const busiest = Math.min(pairs, busiestMean + noise);
  return busiest / (pairs / ranks);
}

/**
 * Switch Transformer / GShard expert capacity: each expert takes at most C = ⌈cf · P / E⌉ of a
 * pass's P (token, expert) pairs, first come first served in token order; the pairs over C skip
 * that expert (their gate weight is lost, the token keeps the residual for that slot). The
 * expert buffers are static: every expert is padded up to C rows, so the slowest expert is C
 * rows whatever the routing skew, and an idle expert still computes C rows of padding.
 */
export type CapacityLoad = {
  /** C, pairs per expert (at least 1). */
  capacity: number;
  /** Expected pairs over capacity, summed over the experts. */
  droppedPairs: number;
  /** droppedPairs / pairs (0 when pairs is 0). */
  droppedShare: number;
};

/** C = ⌈cf · pairs / experts⌉, at least 1 (pairs may be a mean, hence not an integer). */
export function capacityPerExpert(cf: number, pairs: number, experts: number): number {
  // The small tolerance keeps 1.25 · 8 / 10 = 1.0000000000000002 from becoming 2.
  return Math.max(1, Math.ceil((cf * pairs) / Math.max(1, experts) - 1e-9));
}

/**
 * Expected drops for `pairs` pairs spread over the experts by `shares` (expertShares) with
 * capacity factor cf. Expert e's load is Poisson-like with mean λ = share·pairs; its expected
 * overflow E[max(0, X − C)] is taken from the Gaussian approximation N(λ, λ) (as
 * imbalanceFactor does), so a small batch drops some pairs even under uniform routing.
 */
export function capacityLoad(shares: readonly number[], pairs: number, cf: number): CapacityLoad {
  const capacity = capacityPerExpert(cf, pairs, shares.length);
  let droppedPairs = 0;
  if (pairs > 0)
    for (const s of shares) {
      const lambda = s * pairs;
      if (lambda > 0) droppedPairs += expectedOverflow(lambda, capacity);
    }
  droppedPairs = Math.min(pairs, droppedPairs);
  return { capacity, droppedPairs, droppedShare: pairs > 0 ? droppedPairs / pairs : 0 };
}

/** E[max(0, X − C)] for X ~ N(λ, λ): σ·φ(z) + (λ − C)·(1 − Φ(z)), z = (C − λ)/σ. */
function expectedOverflow(lambda: number, C: number): number {
  const sigma = Math.sqrt(lambda);
  const z = (C - lambda) / sigma;
  const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  const tail = 0.5 * erfc(z / Math.SQRT2);
  return Math.max(0, sigma * pdf + (lambda - C) * tail);
}

/** Complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
