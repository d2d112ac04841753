// What the engine has produced, for every view to draw: the loaded model, the last run's text,
// its per-step traces and metrics, evaluation scores — and what that run ran with, so a view can
// say when the settings have moved on since. Plain data only; written by the engine actions.
import { create } from 'zustand';
import type { ModelConfig } from '../model/config';
import { initialLifecycle, type EngineStatus, type Lifecycle } from './lifecycle';
import type { Evaluation, GenerationDone, GoldenReport, LoadedModel, Progress } from './protocol';
import type { RunSignature } from './runSignature';
import type { StepTrace } from './trace';
import type { Backend, DensePath, Knobs } from './types';

/** Steps kept per run: the prefill and enough decode steps to draw; longer runs keep the first ones. */
export const MAX_KEPT_STEPS = 256;

export type RunStatus = EngineStatus;

export type Done = GenerationDone & { id: number };
export type Evaluated = Evaluation & { id: number };

export type RunState = {
  lifecycle: Lifecycle;
  /** The lifecycle's status, for the views (kept equal to `lifecycle.status`). */
  status: RunStatus;
  modelId: string | null;
  backend: Backend | null;
  /** What runs the dense parts on WebGPU (null on the CPU path or before a load). */
  densePath: DensePath | null;
  adapter: string | null;
  /** Why the engine runs on the CPU although WebGPU was asked for, or null. */
  fallbackReason: string | null;
  /** f16 expert weights can run on the loaded backend (null before a load). */
  f16Weights: boolean | null;
  /** onnxruntime-web's build the engine runs, and why not JSPI where it exists (null before a load). */
  ortBuild: LoadedModel['ortBuild'] | null;
  /** ORT dense on WebGPU: decode steps replay graph-captured sessions, one call per layer for the whole batch (null elsewhere). */
  graphCapture: boolean | null;
  config: ModelConfig | null;
  loadMs: number | null;
  progress:
    | (Required<Pick<Progress, 'text' | 'fraction'>> & {
        files: NonNullable<Progress['files']>;
      })
    | null;
  error: string | null;
  /** The run or evaluation in progress, or null. */
  runId: number | null;
  prompts: string[];
  outputs: string[];
  /** Token ids of each sequence's output, in order. */
  outputTokens: number[][];
  steps: StepTrace[];
  done: Done | null;
  /** What the last shown run ran with (null before the first); views compare it to the settings. */
  ranWith: RunSignature | null;
  /** The run being computed for newer settings (null when none): views say "updating". */
  pending: RunSignature | null;
  /** Runs shown since the model loaded (the warm-up run is never one of them). */
  runCount: number;
  evals: Evaluated[];
  /** The knobs the engine holds now (its reply to the last change). */
  knobs: Knobs | null;
  examples: { skill: string; prompt: string; expected: string }[];
  /** The loaded pack's held-out prompts by skill (empty before a load). */
  evalSets: Record<string, { prompt: string; expected: string }[]>;
  golden: GoldenReport | null;
};

export const initialRunState: RunState = {
  lifecycle: initialLifecycle,
  status: initialLifecycle.status,
  modelId: null,
  backend: null,
  densePath: null,
  adapter: null,
  fallbackReason: null,
  f16Weights: null,
  ortBuild: null,
  graphCapture: null,
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
  ranWith: null,
  pending: null,
  runCount: 0,
  evals: [],
  knobs: null,
  examples: [],
  evalSets: {},
  golden: null,
};

export const useRunStore = create<RunState>()(() => initialRunState);
