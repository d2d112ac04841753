// The engine's interface, and the messages that carry it between the page and the engine's
// Web Worker. The page-side client implements `EngineApi` by sending one message per call; the
// worker is transport only: it hands each call to the engine it owns and posts back the reply.
import type { Specialisation } from '../viz/specialisation';
import type { BenchReport, BenchRequest } from '../bench/types';
import type { GpuProbe } from '../gpu/gpuInfo';
import type { SelfTestResult } from '../gpu/selfTest';
import type { DeviceCheckRow } from '../kernels/deviceCheck';
import type { ModelConfig } from '../model/config';
import type { VirtualRunReport, VirtualRunSpec } from '../parallel/virtualRun';
import type { WeightFormat } from '../kernels/types';
import type { DispatchCosts } from '../viz/dispatchFloor';
import type { BackendMeasurement } from './backendChoice';
import type { GoldenResult } from './golden';
import type { OrtBuild } from './ortBuilds';
import type { BatchMetrics } from './metrics';
import type { StepTrace } from './trace';
import type { Backend, DensePath, GenerationRequest, Knobs, SkillScore } from './types';

export type {
  Backend,
  DensePath,
  GenerationRequest,
  GoldenCheck,
  Knobs,
  SkillScore,
} from './types';

export type LoadRequest = {
  packUrl: string;
  ortWasmBase: string;
  /** 'auto': time the paths that exist here and keep the faster ("Best available"). */
  prefer: Backend | 'auto';
  /** On WebGPU, which kernels run the dense parts (absent: onnxruntime-web's). */
  densePath?: DensePath;
  /** With 'auto': requests at once in the timed runs (the batch the user asked for). */
  probeBatch?: number;
};

export type LoadedModel = {
  backend: Backend;
  /** What runs the dense parts on WebGPU; null on the CPU path. */
  densePath: DensePath | null;
  /** ORT dense on WebGPU: whether decode steps replay graph-captured sessions (one call per layer for the whole batch); else null. */
  graphCapture: boolean | null;
  adapter: string;
  config: ModelConfig;
  loadMs: number;
  /** The knobs the engine starts with (the model as trained). */
  knobs: Knobs;
  /** One held-out example per skill, to offer as prompts. */
  examples: { skill: string; prompt: string; expected: string }[];
  /** The pack's held-out prompts by skill (what the prompt box reads the formats from). */
  evalSets: Record<string, { prompt: string; expected: string }[]>;
  /** Why the engine is not on WebGPU although it was asked for, or null. */
  fallbackReason: string | null;
  /** f16 expert weights can run on this backend (WebGPU needs `shader-f16`; the CPU twin can). */
  f16Weights: boolean;
  /** With prefer 'auto': what each path measured (the choice follows from it); else null. */
  measurement: BackendMeasurement | null;
  /** onnxruntime-web's build the engine runs (ortBuilds.ts), and why not JSPI where it exists. */
  ortBuild: { build: OrtBuild; reason: string | null };
};

export type GenerationDone = {
  texts: string[];
  reason: 'length' | 'stop' | 'cancelled';
  metrics: BatchMetrics | null;
  perToken: { dispatches: number; ortCalls: number; gpuShare: number | null };
  notices: string[];
  /** The knobs this run ran with. */
  knobs: Knobs;
};

export type Evaluation = {
  scores: SkillScore[];
  ms: number;
  knobs: Knobs;
  /** Which experts each skill and character used over the scored prompts (when asked for). */
  specialisation?: Specialisation;
};

/** Prompts per skill to score; `specialisation`: also tally the routing of that same pass. */
export type EvaluateRequest = { perSkill: number; specialisation?: boolean };

export type GoldenReport = {
  checks: GoldenResult[];
  backend: Backend;
  densePath: DensePath | null;
  /** The experts' precision the check ran at (the other knobs as trained); absent: f32. */
  expertPrecision?: WeightFormat;
};

/** The golden check at the model as trained, or with its experts at another precision. */
export type GoldenRequest = { expertPrecision?: WeightFormat };

/** What the virtual GPUs run: the trained model's last traced prefill, or a random stack. */
export type VirtualRunRequest = {
  spec: VirtualRunSpec;
  source: 'model' | 'random';
  /** Layer of the trained model to cut (clamped to the model's layers). */
  layer: number;
  random: { experts: number; topK: number; batch: number; skew: number };
};

export type VirtualRunResult = VirtualRunReport & {
  /** Which run's tokens the trained model's layer ran on (the engine's run counter), or null. */
  fromRun: number | null;
};

/** Per-call streams: generation tokens and traces, load and benchmark progress. */
export type JobHooks = {
  onToken?: (seq: number, token: number, text: string, atMs: number) => void;
  onStep?: (trace: StepTrace) => void;
  onProgress?: (p: Progress) => void;
  /** Aborting asks the engine to stop this call at its next safe point. */
  signal?: AbortSignal;
};

export type Progress = {
  text: string;
  fraction: number;
  /** Per-file state while a model pack downloads. */
  files?: { name: string; status: string; bytesDone: number; bytesTotal: number | undefined }[];
};

/** Everything the engine does; the one owner of the GPU device runs every GPU job. */
export interface EngineApi {
  /** The GPU the engine holds (adapter, features, limits), or why there is none. */
  gpuInfo(): Promise<GpuProbe>;
  load(req: LoadRequest, hooks?: JobHooks): Promise<LoadedModel>;
  setKnobs(knobs: Knobs): Promise<Knobs>;
  generate(req: GenerationRequest, hooks?: JobHooks): Promise<GenerationDone>;
  evaluate(req: EvaluateRequest, hooks?: JobHooks): Promise<Evaluation>;
  checkGolden(req?: GoldenRequest | null, hooks?: JobHooks): Promise<GoldenReport>;
  selfTest(): Promise<SelfTestResult>;
  kernelCheck(): Promise<DeviceCheckRow[]>;
  /** What one dispatch and one submission cost on the engine's device. */
  dispatchCosts(): Promise<DispatchCosts>;
  virtualRun(req: VirtualRunRequest, hooks?: JobHooks): Promise<VirtualRunResult>;
  bench(req: BenchRequest, hooks?: JobHooks): Promise<BenchReport>;
}

/** Each job: its request and its reply, by name (the worker dispatches on the name). */
export type Jobs = {
  gpuInfo: { req: null; reply: GpuProbe };
  load: { req: LoadRequest; reply: LoadedModel };
  setKnobs: { req: Knobs; reply: Knobs };
  generate: { req: GenerationRequest; reply: GenerationDone };
  evaluate: { req: EvaluateRequest; reply: Evaluation };
  checkGolden: { req: GoldenRequest | null; reply: GoldenReport };
  selfTest: { req: null; reply: SelfTestResult };
  kernelCheck: { req: null; reply: DeviceCheckRow[] };
  dispatchCosts: { req: null; reply: DispatchCosts };
  virtualRun: { req: VirtualRunRequest; reply: VirtualRunResult };
  bench: { req: BenchRequest; reply: BenchReport };
};
export type JobName = keyof Jobs;

export type JobMessage = {
  [K in JobName]: { type: 'job'; id: number; job: K; req: Jobs[K]['req'] };
}[JobName];

export type ToWorker =
  | JobMessage
  | { type: 'cancel'; id: number }
  /** Diagnostics: destroy the engine's GPUDevice, as a driver reset would. */
  | { type: 'loseDevice' };

export type ReplyMessage = {
  [K in JobName]: { type: 'reply'; id: number; job: K; reply: Jobs[K]['reply'] };
}[JobName];

export type FromWorker =
  | ReplyMessage
  | { type: 'error'; id: number; message: string; cancelled: boolean }
  | { type: 'token'; id: number; seq: number; token: number; text: string; atMs: number }
  | { type: 'step'; id: number; trace: StepTrace }
  | ({ type: 'progress'; id: number } & Progress)
  | { type: 'deviceLost'; reason: string }
  /** Something the user should know that did not stop the work (a retried download, say). */
  | { type: 'notice'; text: string };
