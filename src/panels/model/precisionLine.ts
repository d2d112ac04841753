// The expert-precision knob's line in the Model view: what the run shown measured (median MoE
// time per decode step, from its step traces) and what the experts' weights weigh at its
// precision next to f32 (computed from the model's shapes the way the kernels store them).
import type { StepTrace } from '../../engine/trace';
import type { WeightFormat } from '../../kernels/types';
import { storedBytes } from '../../kernels/weightFormats';
import { keptNeurons } from '../../engine/pruning';

type Shape = {
  layers: number;
  hidden: number;
  experts: number;
  expertFfn: number;
  sharedFfn: number;
};

/** Bytes of every layer's expert weights (routed, FFN-pruned to `ffnKeep`; shared) in `format`. */
export function expertWeightBytes(c: Shape, format: WeightFormat, ffnKeep = 1): number {
  const D = c.hidden;
  const I = keptNeurons(ffnKeep, c.expertFfn);
  const routed = 2 * storedBytes(format, c.experts, D, I) + storedBytes(format, c.experts, I, D);
  const Is = c.sharedFfn;
  const shared = Is > 0 ? 2 * storedBytes(format, 1, D, Is) + storedBytes(format, 1, Is, D) : 0;
  return c.layers * (routed + shared);
}

/** Median MoE milliseconds over the run's decode steps, and how many there were (null: none). */
export function medianDecodeMoeMs(steps: StepTrace[]): { ms: number; steps: number } | null {
  const ms = steps
    .filter((s) => s.phase === 'decode')
    .map((s) => s.moeMs)
    .sort((a, b) => a - b);
  if (ms.length === 0) return null;
  const m = ms.length >> 1;
  return { ms: ms.length % 2 ? ms[m]! : (ms[m - 1]! + ms[m]!) / 2, steps: ms.length };
}

const mb = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;

/** The line, in words, for the run shown (its precision and FFN fraction, its steps). */
export function precisionLine(
  c: Shape,
  ran: { expertPrecision?: WeightFormat; ffnKeep: number },
  steps: StepTrace[],
): string {
  const p = ran.expertPrecision ?? 'f32';
  const bytes = expertWeightBytes(c, p, ran.ffnKeep);
  const f32 = expertWeightBytes(c, 'f32', ran.ffnKeep);
  const weights =
    p === 'f32'
      ? `expert weights ${mb(bytes)} (f32)`
      : `expert weights ${mb(bytes)} at ${p} vs ${mb(f32)} at f32 (${((100 * bytes) / f32).toFixed(1)}%)`;
  const d = medianDecodeMoeMs(steps);
  const time = d
    ? `median MoE time per decode step ${d.ms.toFixed(2)} ms over ${d.steps} step${d.steps === 1 ? '' : 's'}`
    : 'no decode steps to time';
  return `run shown (${p}): ${time}; ${weights}`;
}
