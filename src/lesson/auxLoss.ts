// The Switch-Transformer load-balancing loss of one routed layer, from the engine's trace:
// aux = E · Σ_e f_e · P_e, where f_e is the share of (token, expert) pairs sent to expert e and
// P_e the mean router probability of e. It is 1 when routing is uniform and grows with skew
// (up to E when every token goes to the same expert with certainty).
export type RoutedLayer = {
  T: number;
  k: number;
  experts: number;
  /** [T, E] router probabilities. */
  probs: ArrayLike<number>;
  /** [E] pairs routed to each expert. */
  counts: ArrayLike<number>;
};

export function auxLoss(layer: RoutedLayer): number | null {
  const { T, k, experts: E } = layer;
  if (T <= 0 || k <= 0 || E <= 0 || layer.probs.length < T * E) return null;
  let pairs = 0;
  for (let e = 0; e < E; e++) pairs += layer.counts[e] ?? 0;
  if (pairs === 0) return null;
  let sum = 0;
  for (let e = 0; e < E; e++) {
    let p = 0;
    for (let t = 0; t < T; t++) p += layer.probs[t * E + e]!;
    sum += ((layer.counts[e] ?? 0) / pairs) * (p / T);
  }
  return E * sum;
}
