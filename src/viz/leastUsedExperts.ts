// Expert pruning by measured use: the experts that the last run routed the fewest tokens to,
// over every step and layer of its trace.
import type { StepTrace } from '../engine/trace';

export function expertUse(steps: readonly StepTrace[], experts: number): number[] {
  const use = new Array<number>(experts).fill(0);
  for (const s of steps) {
    for (const l of s.layers) {
      for (let e = 0; e < Math.min(experts, l.counts.length); e++) use[e]! += l.counts[e]!;
    }
  }
  return use;
}

/** The `n` least-used experts (ties: the lower index first), never all of them. */
export function leastUsedExperts(use: readonly number[], n: number): number[] {
  const keep = Math.max(0, Math.min(n, use.length - 1));
  return use
    .map((u, e) => ({ u, e }))
    .sort((a, b) => a.u - b.u || a.e - b.e)
    .slice(0, keep)
    .map((x) => x.e)
    .sort((a, b) => a - b);
}
