// What the engine has produced, for every panel to draw: the loaded model, the last run's text,
// its per-step traces and metrics, and evaluation scores. Plain data only.
import { create } from 'zustand';
import type { ModelConfig } from '../model/config';
import type { Done, Evaluated, GoldenChecked } from './engineClient';
import type { Backend, Knobs } from './protocol';
import type { StepTrace } from './trace';

/** Steps kept per run: the prefill and enough decode steps to draw; longer runs keep the first ones. */
export const MAX_KEPT_STEPS = 256;

export type RunStatus = 'idle' | 'loading' | 'ready' | 'running' | 'evaluating' | 'error';

export type RunState = {
  status: RunStatus;
  modelId: string | null;
  backend: Backend | null;
  adapter: string | null;
  config: ModelConfig | null;
  loadMs: number | null;
  progress: {
    text: string;
    fraction: number;
    files: { name: string; status: string; bytesDone: number; bytesTotal: number | undefined }[];
  } | null;
  error: string | null;
  runId: number | null;
  prompts: string[];
  outputs: string[];
  /** Token ids of each sequence's output, in order. */
  outputTokens: number[][];
  steps: StepTrace[];
  done: Done | null;
  evals: Evaluated[];
  knobs: Knobs | null;
  examples: { skill: string; prompt: string; expected: string }[];
  golden: GoldenChecked | null;
};

export const initialRunState: RunState = {
  status: 'idle',
  modelId: null,
  backend: null,
  adapter: null,
  config: null,
  loadMs: null,
  progress: null,
  error: null,
  runId: null,
  prompts: [],
  outputs: [],
  outputTokens: [],
  steps: [],
  done: null,
  evals: [],
  knobs: null,
  examples: [],
  golden: null,
};

export const useRunStore = create<RunState>()(() => initialRunState);
