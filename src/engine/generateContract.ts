// What every generation loop promises, whichever runs it (the per-layer loop in generate.ts, or a
// backend that runs whole steps itself, like our WGSL dense path): the hooks it calls and the
// result it returns. Apart from the loops, so a backend can name them without importing a loop.
import type { BatchMetrics } from './metrics';
import type { StepTrace } from './trace';

export type GenerateHooks = {
  onToken?: (seq: number, token: number, text: string, atMs: number) => void;
  onStep?: (trace: StepTrace) => void;
  /** With `req.trace`: false records the routing only, not the prefill's layer inputs. */
  traceInputs?: boolean;
  /** Each step's last-position logits, one array per active sequence (in `seqs` order). */
  onLogits?: (step: number, seqIndices: number[], logits: Float32Array[]) => void;
  isCancelled?: () => boolean;
  now?: () => number;
};

export type GenerateResult = {
  texts: string[];
  tokens: number[][];
  reason: 'length' | 'stop' | 'cancelled';
  metrics: BatchMetrics | null;
  perToken: { dispatches: number; ortCalls: number; gpuShare: number | null };
  notices: string[];
};
