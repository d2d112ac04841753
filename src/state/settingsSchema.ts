// The lab's settings, each with its type, range and default, in one table. The URL codec,
// the store and the sliders all read limits from here, so a value is checked in one place.

export type IntField = { kind: 'int'; min: number; max: number; default: number };
export type FloatField = { kind: 'float'; min: number; max: number; default: number };
export type EnumField<T extends string = string> = {
  kind: 'enum';
  values: readonly T[];
  default: T;
};
export type BoolField = { kind: 'bool'; default: boolean };
export type TextField = { kind: 'text'; maxLength: number; default: string };
export type Field = IntField | FloatField | EnumField | BoolField | TextField;

const int = (min: number, max: number, def: number): IntField => ({
  kind: 'int',
  min,
  max,
  default: def,
});
const float = (min: number, max: number, def: number): FloatField => ({
  kind: 'float',
  min,
  max,
  default: def,
});
function oneOf<T extends string>(values: readonly T[], def: T): EnumField<T> {
  return { kind: 'enum', values, default: def };
}

export const MODEL_IDS = ['mixtral-style', 'fine-grained', 'shared-expert', 'dense'] as const;
export const STRATEGIES = ['tp', 'ep', 'dp-ep', 'tp-ep', 'pp'] as const;
export const PLACEMENTS = ['contiguous', 'round-robin', 'eplb'] as const;
export const HARDWARE_IDS = [
  'a100-40gb',
  'a100-80gb',
  'h100-sxm',
  'h800',
  'h200',
  'b200',
  'mi300x',
] as const;
export const SIM_MODEL_IDS = [
  'mixtral-8x7b',
  'qwen1.5-moe-a2.7b',
  'qwen3-30b-a3b',
  'deepseek-v2-lite',
  'phi-3.5-moe',
  'olmoe-1b-7b',
  'deepseek-v3',
  'llama-4-scout-17b-16e',
  'gpt-oss-20b',
  'gpt-oss-120b',
  'deepseek-vl2-tiny',
  'deepseek-vl2-small',
  'deepseek-vl2-base',
  'llada-moe',
] as const;
export const PRECISIONS = ['bf16', 'fp8', 'int4'] as const;
export const SIM_GOALS = ['throughput', 'latency', 'cost'] as const;
export const INTERCONNECTS = ['nvlink', 'pcie', 'infiniband'] as const;

/** Every setting the lab shares through a link. Keys are the URL's query keys. */
export const SETTINGS_SCHEMA = {
  // The trained model in the page (engine).
  model: oneOf(MODEL_IDS, 'mixtral-style'),
  prompt: { kind: 'text', maxLength: 2000, default: 'add: 37+45=' } as TextField,
  topK: int(1, 32, 2),
  experts: int(1, 64, 8),
  ffnKeep: float(0.05, 1, 1),
  blockSize: oneOf(['16', '32', '64', '128'] as const, '16'),
  maxTokens: int(1, 512, 32),
  genBatch: int(1, 32, 1),
  engineBackend: oneOf(['auto', 'webgpu', 'cpu'] as const, 'auto'),
  disabledExperts: { kind: 'text', maxLength: 200, default: '' } as TextField,
  temperature: float(0, 2, 0),
  topP: float(0.05, 1, 1),
  // Virtual GPUs.
  gpus: oneOf(['1', '2', '4', '8'] as const, '4'),
  strategy: oneOf(STRATEGIES, 'ep'),
  placement: oneOf(PLACEMENTS, 'contiguous'),
  batch: int(1, 256, 8),
  skew: float(0, 1, 0),
  interconnect: oneOf(INTERCONNECTS, 'nvlink'),
  /** tp-ep on the virtual GPUs: GPUs per tensor-parallel group (ep = gpus / parTp). */
  parTp: oneOf(['1', '2', '4', '8'] as const, '2'),
  /** Pipeline parallel: micro-batches the batch is cut into. */
  microBatches: int(1, 16, 4),
  /** What the virtual GPUs run: the trained model's layers on the last run's tokens, or random. */
  parSource: oneOf(['model', 'random'] as const, 'model'),
  // Cluster simulator.
  simModel: oneOf(SIM_MODEL_IDS, 'mixtral-8x7b'),
  hardware: oneOf(HARDWARE_IDS, 'h100-sxm'),
  simGpus: int(1, 1024, 8),
  precision: oneOf(PRECISIONS, 'bf16'),
  inputLen: int(1, 131072, 1024),
  outputLen: int(1, 131072, 512),
  concurrency: int(1, 4096, 64),
  prompts: int(1, 100000, 100),
  // tp-ep degrees (tp × ep must equal simGpus; the simulator says so when it does not).
  simTp: int(1, 64, 2),
  simEp: int(1, 1024, 4),
  fusedMoe: { kind: 'bool', default: true } as BoolField,
  overlapComm: { kind: 'bool', default: false } as BoolField,
  pruneInter: float(0, 0.875, 0),
  pruneIntra: float(0, 0.875, 0),
  // Speculative decoding: a draft of 0 B parameters means off.
  specDraftB: float(0, 70, 0),
  specTokens: int(1, 8, 4),
  specAccept: float(0, 1, 0.7),
  diffusionSteps: int(1, 1024, 128),
  goal: oneOf(SIM_GOALS, 'throughput'),
  // What the gating, heatmap and permutation views look at in the last run's trace.
  vizStep: int(0, 255, 0),
  vizLayer: int(0, 63, 0),
  vizToken: int(0, 4095, 0),
  /** Block size the permutation view pads with (the engine itself ran with `blockSize`). */
  vizBm: oneOf(['16', '32', '64', '128'] as const, '16'),
  permStage: int(0, 7, 0),
  // Performance panel: which benchmark and how big (quick fits a laptop; full is for big GPUs).
  benchKind: oneOf(['layer', 'align', 'model'] as const, 'align'),
  benchSize: oneOf(['quick', 'full'] as const, 'quick'),
  // Presentation.
  presentation: { kind: 'bool', default: false } as BoolField,
  // Lesson: the chapter on screen (1-based, as a lecturer says it on a slide).
  chapter: int(1, 8, 1),
} satisfies Record<string, Field>;

export type SettingsSchema = typeof SETTINGS_SCHEMA;
export type SettingKey = keyof SettingsSchema;

type ValueOf<F> =
  F extends EnumField<infer T>
    ? T
    : F extends BoolField
      ? boolean
      : F extends TextField
        ? string
        : number;

export type LabSettings = { [K in SettingKey]: ValueOf<SettingsSchema[K]> };

export const SETTING_KEYS = Object.keys(SETTINGS_SCHEMA) as SettingKey[];

export function defaultSettings(): LabSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) out[key] = SETTINGS_SCHEMA[key].default;
  return out as LabSettings;
}
