// Next-token choice from logits: greedy at temperature 0, otherwise softmax at a temperature
// followed by nucleus (top-p) truncation.
import type { Rng } from './rng';

export type SamplingOptions = { temperature: number; topP: number };

export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Probabilities after temperature and top-p, as (token, p) pairs sorted by p, summing to 1. */
export function nucleus(logits: ArrayLike<number>, { temperature, topP }: SamplingOptions) {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const items: { token: number; p: number }[] = [];
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const p = Math.exp((logits[i]! - max) / temperature);
    items.push({ token: i, p });
    total += p;
  }
  items.sort((a, b) => b.p - a.p);
  const kept: { token: number; p: number }[] = [];
  let mass = 0;
  for (const it of items) {
    kept.push(it);
    mass += it.p / total;
    if (mass >= topP) break;
  }
  const keptTotal = kept.reduce((s, it) => s + it.p, 0);
  return kept.map((it) => ({ token: it.token, p: it.p / keptTotal }));
}

export function sampleToken(logits: ArrayLike<number>, opts: SamplingOptions, rng: Rng): number {
  if (opts.temperature <= 0) return argmax(logits);
  const dist = nucleus(logits, opts);
  let r = rng();
  for (const { token, p } of dist) {
    r -= p;
    if (r <= 0) return token;
  }
  return dist[dist.length - 1]!.token;
}
