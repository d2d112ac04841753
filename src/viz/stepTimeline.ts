// Per-step timing of a run, from the engine's step traces: the points the Latency view draws
// and the split of each step's wall time between onnxruntime-web calls and the MoE layers.
import type { StepTrace } from '../engine/trace';

export type StepTiming = {
  step: number;
  phase: 'prefill' | 'decode';
  stepMs: number;
  ortMs: number;
  moeMs: number;
  otherMs: number;
  tokens: number;
  kernelMs: Record<string, number> | null;
};

export function stepTimings(steps: readonly StepTrace[]): StepTiming[] {
  return steps.map((s) => {
    let kernelMs: Record<string, number> | null = null;
    for (const l of s.layers) {
      if (!l.kernelMs) continue;
      kernelMs ??= {};
      for (const [k, v] of Object.entries(l.kernelMs)) kernelMs[k] = (kernelMs[k] ?? 0) + v;
    }
    return {
      step: s.step,
      phase: s.phase,
      stepMs: s.stepMs,
      ortMs: s.ortMs,
      moeMs: s.moeMs,
      otherMs: Math.max(0, s.stepMs - s.ortMs - s.moeMs),
      tokens: s.layers[0]?.T ?? 0,
      kernelMs,
    };
  });
}

/** Sum of GPU kernel time per kernel name over the given steps (timestamp-query runs only). */
export function kernelTotals(timings: readonly StepTiming[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const t of timings) {
    for (const [k, v] of Object.entries(t.kernelMs ?? {})) totals.set(k, (totals.get(k) ?? 0) + v);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}
