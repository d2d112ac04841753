// Expert specialisation over a whole evaluation set: for every MoE layer, how the pairs of each
// skill and of each character spread over the experts, with the number of tokens behind every
// cell. The engine tallies it from the routing of the evaluation it scores (one pass, so the
// accuracy and the specialisation come from the same run); the views only draw it.
import type { StepTrace } from '../engine/trace';
import { positionLabel } from './tokens';

/** Rows (skills or characters) × experts at one layer. */
export type SpecTable = {
  labels: string[];
  /** Tokens (rows of the run) counted for each label. */
  tokens: number[];
  /** [label][expert]: tokens of that label routed to that expert (pairs: an expert once per token). */
  counts: number[][];
};

export type Specialisation = {
  experts: number;
  /** Sequences (evaluation prompts) and token rows it counts, per layer. */
  sequences: number;
  tokens: number;
  layers: { skills: SpecTable; chars: SpecTable }[];
};

/** Only what the tally needs of a step (the engine keeps these, not whole traces). */
export type RoutingStep = {
  layers: {
    T: number;
    k: number;
    experts: number;
    topkIds: Int32Array;
    rowSeq: Int32Array;
    rowPos: Int32Array;
  }[];
};

export function routingOnly(step: StepTrace): RoutingStep {
  return {
    layers: step.layers.map((l) => ({
      T: l.T,
      k: l.k,
      experts: l.experts,
      topkIds: l.topkIds,
      rowSeq: l.rowSeq,
      rowPos: l.rowPos,
    })),
  };
}

function table(rows: Map<string, { tokens: number; counts: number[] }>): SpecTable {
  const labels = [...rows.keys()].sort();
  return {
    labels,
    tokens: labels.map((l) => rows.get(l)!.tokens),
    counts: labels.map((l) => rows.get(l)!.counts),
  };
}

/**
 * Tallies every row of every step: its sequence's skill (`skillOfSeq`) and its character (from
 * the prompt and the generated tokens, as the other views label rows) against the k experts it
 * was routed to, layer by layer.
 */
export function tallySpecialisation(
  steps: readonly RoutingStep[],
  skillOfSeq: readonly string[],
  prompts: readonly string[],
  outputTokens: readonly (readonly number[])[],
): Specialisation {
  const L = steps[0]?.layers.length ?? 0;
  const E = steps[0]?.layers[0]?.experts ?? 0;
  const skills = Array.from(
    { length: L },
    () => new Map<string, { tokens: number; counts: number[] }>(),
  );
  const chars = Array.from(
    { length: L },
    () => new Map<string, { tokens: number; counts: number[] }>(),
  );
  let tokens = 0;
  const add = (
    m: Map<string, { tokens: number; counts: number[] }>,
    key: string,
    ids: Int32Array,
    at: number,
    k: number,
  ) => {
    let row = m.get(key);
    if (!row) m.set(key, (row = { tokens: 0, counts: new Array<number>(E).fill(0) }));
    row.tokens++;
    for (let j = 0; j < k; j++) row.counts[ids[at + j]!]!++;
  };
  for (const s of steps) {
    s.layers.forEach((l, li) => {
      if (li === 0) tokens += l.T;
      for (let r = 0; r < l.T; r++) {
        const seq = l.rowSeq[r]!;
        const skill = skillOfSeq[seq];
        if (skill !== undefined) add(skills[li]!, skill, l.topkIds, r * l.k, l.k);
        add(
          chars[li]!,
          positionLabel(prompts, outputTokens, seq, l.rowPos[r]!),
          l.topkIds,
          r * l.k,
          l.k,
        );
      }
    });
  }
  return {
    experts: E,
    sequences: prompts.length,
    tokens,
    layers: Array.from({ length: L }, (_, li) => ({
      skills: table(skills[li]!),
      chars: table(chars[li]!),
    })),
  };
}

/** [label][expert] share of the label's pairs (each row sums to 1 over its k·tokens pairs). */
export function pairShares(t: SpecTable): number[][] {
  return t.counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (sum > 0 ? c / sum : 0));
  });
}
