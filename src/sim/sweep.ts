// Sweeps: the same run repeated over one varying setting (and, for charts, every strategy).
// A point that cannot exist (layout error) is kept with its reason instead of a result.
import { defaultTpEp, LayoutError } from './layout';
import { modelById } from './models';
import { simulate } from './simulate';
import type { SimInput, SimResult, Strategy } from './types';

export const SWEEP_KEYS = ['concurrency', 'input', 'output', 'gpus', 'prompts', 'skew'] as const;
export type SweepKey = (typeof SWEEP_KEYS)[number];

export type SweepPoint = { value: number; strategy: Strategy; result?: SimResult; error?: string };

const FIELD: Record<SweepKey, keyof SimInput> = {
  concurrency: 'concurrency',
  input: 'inputLen',
  output: 'outputLen',
  gpus: 'gpus',
  prompts: 'prompts',
  skew: 'skew',
};

/** Fill in tp × ep for tp-ep when the caller's degrees do not match the GPU count. */
export function withStrategy(base: SimInput, strategy: Strategy): SimInput {
  const input = { ...base, strategy };
  if (strategy === 'tp-ep' && (!base.tp || !base.ep || base.tp * base.ep !== base.gpus)) {
    const model = modelById(base.model);
    if (model) Object.assign(input, defaultTpEp(model, base.gpus));
  }
  return input;
}

export function trySimulate(input: SimInput): { result?: SimResult; error?: string } {
  try {
    return { result: simulate(input) };
  } catch (e) {
    if (e instanceof Error) return { error: e.message };
    throw e;
  }
}

export function sweep(
  base: SimInput,
  key: SweepKey,
  values: readonly number[],
  strategies: readonly Strategy[] = [base.strategy],
): SweepPoint[] {
  const out: SweepPoint[] = [];
  for (const strategy of strategies) {
    for (const value of values) {
      const varied = { ...base, [FIELD[key]]: value } as SimInput;
      const input =
        strategies.length > 1 || key === 'gpus' ? withStrategy(varied, strategy) : varied;
      out.push({ value, strategy, ...trySimulate(input) });
    }
  }
  return out;
}

/** Error type re-exported so callers can tell an impossible layout from a bug. */
export { LayoutError };
