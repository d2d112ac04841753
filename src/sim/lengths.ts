// Request-length distributions as a few equally likely classes, so the scheduler can move each
// class as one cohort (fast) while a long-output tail still sets when a burst finishes.
import type { LengthDistribution } from './types';

export type LengthClass = { weight: number; inputLen: number; outputLen: number };

export const LENGTH_DISTRIBUTIONS: readonly LengthDistribution[] = ['fixed', 'uniform', 'sharegpt'];

/**
 * ShareGPT-like shape: relative lengths of eight equally likely classes (mean 1), long-tailed
 * like the ShareGPT V3 conversations vLLM's and SGLang's benchmarks sample — most answers short,
 * the longest eighth 3.5× the mean (their filter keeps prompts ≤ 1024 and prompt + answer ≤ 2048
 * tokens, so answers reach ~10× the mean of ~200). An assumed shape, scaled to the requested
 * means; vLLM's benchmark reports 215–229 input and 194–217 output tokens per request on this
 * set (GPUStack performance lab).
 */
const SHAREGPT_INPUT = [0.05, 0.12, 0.25, 0.45, 0.75, 1.15, 1.78, 3.45];
const SHAREGPT_OUTPUT = [0.05, 0.15, 0.3, 0.5, 0.75, 1.1, 1.65, 3.5];

/** Uniform over [0.5, 1.5] × the mean, as a benchmark's `--random-range-ratio 0.5` draws. */
const UNIFORM = [0.583, 0.75, 0.917, 1.083, 1.25, 1.417];

export function lengthClasses(
  kind: LengthDistribution,
  inputLen: number,
  outputLen: number,
): LengthClass[] {
  if (kind === 'fixed') return [{ weight: 1, inputLen, outputLen }];
  const [ins, outs] = kind === 'uniform' ? [UNIFORM, UNIFORM] : [SHAREGPT_INPUT, SHAREGPT_OUTPUT];
  return ins.map((r, i) => ({
    weight: 1 / ins.length,
    inputLen: Math.max(1, r * inputLen),
    outputLen: Math.max(1, outs[i]! * outputLen),
  }));
}
