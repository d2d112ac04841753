// The last finished runs of each engine path on this page (onnxruntime-web dense, our WGSL dense,
// the CPU), kept across model reloads — a switch of path reloads the model and resets the run
// store, yet the Latency view must still set the runs of the two paths side by side.
import { create } from 'zustand';
import { pathOf, type PathRun } from '../viz/pathComparison';
import type { GenerationDone } from './protocol';
import type { RunSignature } from './runSignature';
import type { Backend, DensePath } from './types';

const KEPT = 24;

type PathRunState = { runs: PathRun[]; seq: number };

export const usePathRunStore = create<PathRunState>(() => ({ runs: [], seq: 0 }));

/** Everything a run's numbers depend on besides the path: runs with equal keys are comparable. */
export function comparisonKey(sig: RunSignature): string {
  const { model, prompt, maxTokens, genBatch, temperature, topP, knobs, custom } = sig;
  return JSON.stringify({ model, prompt, maxTokens, genBatch, temperature, topP, knobs, custom });
}

/** Records a finished run (one with metrics) of the path the engine holds. */
export function recordPathRun(
  sig: RunSignature,
  done: GenerationDone,
  held: { backend: Backend | null; densePath: DensePath | null; adapter: string | null },
): void {
  const m = done.metrics;
  if (!m || !held.backend || done.reason === 'cancelled') return;
  usePathRunStore.setState((s) => ({
    seq: s.seq + 1,
    runs: [
      ...s.runs,
      {
        path: pathOf(held.backend!, held.densePath),
        key: comparisonKey(sig),
        adapter: held.adapter ?? '',
        ttftMs: m.meanTtftMs,
        itlMs: m.meanItlMs,
        outputTokensPerS: m.outputTokensPerS,
        dispatchesPerToken: done.perToken.dispatches,
        ortCallsPerToken: done.perToken.ortCalls,
        seq: s.seq,
      },
    ].slice(-KEPT),
  }));
}
