// Matrices the heatmap draws from the traces: token × expert router probabilities, the experts
// each token was routed to, layer × expert load (pairs routed), and which characters and skills
// each expert serves.
import type { StepTrace } from '../engine/trace';
import type { TracedToken } from './tokens';

/** Router probability of every expert for each given token, at one layer. */
export function tokenExpertMatrix(
  steps: readonly StepTrace[],
  tokens: readonly TracedToken[],
  layer: number,
): number[][] {
  return tokens.map((t) => {
    const l = steps[t.step]!.layers[layer]!;
    return Array.from(l.probs.subarray(t.row * l.experts, (t.row + 1) * l.experts));
  });
}

/** The top-1 expert of each token at one layer (rank 0 of the kernel's top-k). */
export function topExperts(
  steps: readonly StepTrace[],
  tokens: readonly TracedToken[],
  layer: number,
): number[] {
  return tokens.map((t) => {
    const l = steps[t.step]!.layers[layer]!;
    return l.topkIds[t.row * l.k]!;
  });
}

/** The k experts each token was routed to at one layer, in the kernel's rank order. */
export function routedExperts(
  steps: readonly StepTrace[],
  tokens: readonly TracedToken[],
  layer: number,
): number[][] {
  return tokens.map((t) => {
    const l = steps[t.step]!.layers[layer]!;
    return Array.from(l.topkIds.subarray(t.row * l.k, (t.row + 1) * l.k));
  });
}

/** A token × expert matrix turned expert × token: long texts then grow sideways, not down. */
export function expertRows(tokenByExpert: readonly (readonly number[])[], experts: number) {
  return Array.from({ length: experts }, (_, e) => tokenByExpert.map((row) => row[e]!));
}

/** Each row as shares of its own total, so frequent rows do not drown the rest (0 stays 0). */
export function rowShares(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((v) => v / total);
  });
}

/** Pairs routed to each expert, per layer, summed over the given steps. */
export function layerLoadMatrix(steps: readonly StepTrace[]): number[][] {
  const out: number[][] = [];
  for (const s of steps) {
    s.layers.forEach((l, i) => {
      const row = (out[i] ??= new Array<number>(l.experts).fill(0));
      l.counts.forEach((c, e) => (row[e] = row[e]! + c));
    });
  }
  return out;
}

/**
 * How often each character is routed to each expert (any of its k choices) at one layer, over
 * the given tokens, or over every layer when `layer` is null. Rows sorted by character.
 */
export function characterExpertCounts(
  steps: readonly StepTrace[],
  tokens: readonly TracedToken[],
  layer: number | null,
): { labels: string[]; counts: number[][] } {
  const byLabel = new Map<string, number[]>();
  for (const t of tokens) {
    const layers = steps[t.step]!.layers;
    for (const l of layer === null ? layers : [layers[layer]!]) {
      const row = byLabel.get(t.label) ?? new Array<number>(l.experts).fill(0);
      for (let j = 0; j < l.k; j++) row[l.topkIds[t.row * l.k + j]!]!++;
      byLabel.set(t.label, row);
    }
  }
  const labels = [...byLabel.keys()].sort();
  return { labels, counts: labels.map((c) => byLabel.get(c)!) };
}

/** The skill of each sequence of a run, where its prompt is one of the pack's examples. */
export function sequenceSkills(
  prompts: readonly string[],
  examples: readonly { prompt: string; skill: string }[],
): (string | null)[] {
  return prompts.map((p) => examples.find((e) => e.prompt === p)?.skill ?? null);
}

/**
 * Pairs routed to each expert per skill at one layer (null: all layers), when every sequence of
 * the run is a prompt of a known skill (`skillOfSeq[seq]`; null = unknown, skipped).
 */
export function skillExpertCounts(
  steps: readonly StepTrace[],
  skillOfSeq: readonly (string | null)[],
  layer: number | null,
): { labels: string[]; counts: number[][] } {
  const bySkill = new Map<string, number[]>();
  for (const s of steps) {
    for (const l of layer === null ? s.layers : [s.layers[layer]!]) {
      for (let t = 0; t < l.T; t++) {
        const skill = skillOfSeq[l.rowSeq[t]!];
        if (!skill) continue;
        const row = bySkill.get(skill) ?? new Array<number>(l.experts).fill(0);
        for (let j = 0; j < l.k; j++) row[l.topkIds[t * l.k + j]!]!++;
        bySkill.set(skill, row);
      }
    }
  }
  const labels = [...bySkill.keys()];
  return { labels, counts: labels.map((s) => bySkill.get(s)!) };
}
