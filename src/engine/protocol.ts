// Messages between the page and the engine's Web Worker. Plain data only.
import type { BatchMetrics } from './metrics';
import type { StepTrace } from './trace';

export type Backend = 'webgpu' | 'cpu';

export type GenerationRequest = {
  prompts: string[];
  maxTokens: number;
  temperature: number;
  topP: number;
  stops: string[];
  seed: number;
  /** Record router/permutation traces (costs readbacks; off for pure speed runs). */
  trace: boolean;
};

export type Knobs = {
  /** Experts each token uses, 1…E (renormalised over the chosen ones). */
  topK: number;
  /** Experts switched off; the router renormalises over the rest. */
  disabledExperts: number[];
  /** Fraction of each expert's FFN neurons kept (by weight norm). */
  ffnKeep: number;
};

export type ToWorker =
  | { type: 'load'; packUrl: string; ortWasmBase: string; prefer: Backend }
  | { type: 'generate'; id: number; request: GenerationRequest }
  | { type: 'cancel'; id: number }
  | { type: 'knobs'; knobs: Knobs };

export type FromWorker =
  | { type: 'loaded'; backend: Backend; adapter: string; config: unknown; loadMs: number }
  | { type: 'progress'; text: string; fraction: number }
  | { type: 'token'; id: number; seq: number; token: number; text: string; atMs: number }
  | { type: 'step'; id: number; trace: StepTrace }
  | {
      type: 'done';
      id: number;
      texts: string[];
      reason: 'length' | 'stop' | 'cancelled';
      metrics: BatchMetrics | null;
      perToken: { dispatches: number; ortCalls: number; gpuShare: number | null };
    }
  | { type: 'error'; id: number | null; message: string };
