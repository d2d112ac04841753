// Load-balance figures of one MoE layer from its per-expert token counts.

export type LoadBalance = {
  /** Busiest expert's load over the mean load: 1 is perfect balance. */
  maxOverMean: number;
  /** Coefficient of variation of the loads (std / mean). */
  cv: number;
  /** Entropy of the load distribution in bits, and as a fraction of the maximum log2(E). */
  entropyBits: number;
  entropyFraction: number;
  /** Experts that received no token. */
  idleExperts: number;
};

export function loadBalance(counts: ArrayLike<number>): LoadBalance {
  const E = counts.length;
  let total = 0;
  let max = 0;
  let idle = 0;
  for (let e = 0; e < E; e++) {
    total += counts[e]!;
    max = Math.max(max, counts[e]!);
    if (counts[e] === 0) idle++;
  }
  if (E === 0 || total === 0) {
    return { maxOverMean: 0, cv: 0, entropyBits: 0, entropyFraction: 0, idleExperts: idle };
  }
  const mean = total / E;
  let varSum = 0;
  let entropy = 0;
  for (let e = 0; e < E; e++) {
    varSum += (counts[e]! - mean) ** 2;
    const p = counts[e]! / total;
    if (p > 0) entropy -= p * Math.log2(p);
  }
  return {
    maxOverMean: max / mean,
    cv: Math.sqrt(varSum / E) / mean,
    entropyBits: entropy,
    entropyFraction: E > 1 ? entropy / Math.log2(E) : 1,
    idleExperts: idle,
  };
}
