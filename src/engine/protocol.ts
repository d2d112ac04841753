// Messages between the page and the engine's Web Worker. Plain data only.
import type { BatchMetrics } from './metrics';
import type { StepTrace } from './trace';
import type { GoldenCheck } from './golden';

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
  | { type: 'knobs'; knobs: Knobs }
  | { type: 'evaluate'; id: number; perSkill: number }
  | { type: 'checkGolden'; id: number }
  /** Diagnostics: destroy the engine's GPUDevice, as a driver reset would. */
  | { type: 'loseDevice' };

export type SkillScore = {
  skill: string;
  correct: number;
  total: number;
  examples: { prompt: string; expected: string; got: string }[];
};

export type FromWorker =
  | {
      type: 'loaded';
      backend: Backend;
      adapter: string;
      config: unknown;
      loadMs: number;
      /** One held-out example per skill, to offer as prompts. */
      examples: { skill: string; prompt: string; expected: string }[];
    }
  | {
      type: 'progress';
      text: string;
      fraction: number;
      /** Per-file state while a model pack downloads. */
      files?: { name: string; status: string; bytesDone: number; bytesTotal: number | undefined }[];
    }
  | { type: 'token'; id: number; seq: number; token: number; text: string; atMs: number }
  | { type: 'step'; id: number; trace: StepTrace }
  | {
      type: 'done';
      id: number;
      texts: string[];
      reason: 'length' | 'stop' | 'cancelled';
      metrics: BatchMetrics | null;
      perToken: { dispatches: number; ortCalls: number; gpuShare: number | null };
      notices: string[];
    }
  | { type: 'evaluated'; id: number; scores: SkillScore[]; ms: number; knobs: Knobs }
  | { type: 'knobsApplied'; knobs: Knobs }
  | { type: 'goldenChecked'; id: number; checks: GoldenCheck[]; backend: Backend }
  | { type: 'deviceLost'; reason: string }
  /** Something the user should know that did not stop the work (a retried download, a repaired cache). */
  | { type: 'notice'; text: string }
  | { type: 'error'; id: number | null; message: string };
