// The order the layer diagram plays a run in, token by token: every row of the prefill, then
// each decode step's rows — the sequence as the model read and wrote it.
export type TokenPosition = { step: number; row: number };

/** Rows of each step (its first MoE layer's T), in step order. */
export type StepRows = readonly number[];

/** The position `delta` tokens away from `at`, or null past either end of the run. */
export function walkTokens(rows: StepRows, at: TokenPosition, delta: 1 | -1): TokenPosition | null {
  let step = Math.max(0, Math.min(at.step, rows.length - 1));
  let row = Math.max(0, Math.min(at.row, (rows[step] ?? 1) - 1)) + delta;
  while (step >= 0 && step < rows.length) {
    if (row >= 0 && row < rows[step]!) return { step, row };
    step += delta;
    row = delta === 1 ? 0 : (rows[step] ?? 0) - 1;
  }
  return null;
}

/** How many tokens come before `at` in the walk, and how many there are in all. */
export function walkIndex(rows: StepRows, at: TokenPosition): { index: number; total: number } {
  let index = 0;
  for (let s = 0; s < Math.min(at.step, rows.length); s++) index += rows[s]!;
  const total = rows.reduce((a, b) => a + b, 0);
  return { index: index + at.row, total };
}
