// The lab's settings, each with its type, range, default, label and help, in one table. The URL
// codec, the store and every control (src/panels/shared/SettingControl.tsx) read from here, so a
// value is checked in one place and a new knob is one line here plus one <SettingControl>.

/** What a control says about a setting: its label and one sentence of help. */
export type FieldText = { label?: string; help?: string };
/** How a control steps and shows a number: slider step, unit after the value, decimals shown. */
export type NumberFormat = { step?: number; unit?: string; digits?: number; percent?: boolean };

export type IntField = { kind: 'int'; min: number; max: number; default: number } & FieldText &
  NumberFormat;
export type FloatField = { kind: 'float'; min: number; max: number; default: number } & FieldText &
  NumberFormat;
export type EnumField<T extends string = string> = {
  kind: 'enum';
  values: readonly T[];
  default: T;
  /** What a select shows for each value, where the value itself is terse (`tp`, `eplb`). */
  optionText?: Partial<Record<T, string>>;
  /** The values are in order (block sizes): a slider steps through them instead of a select. */
  ordinal?: boolean;
} & FieldText;
export type BoolField = { kind: 'bool'; default: boolean } & FieldText;
export type TextField = { kind: 'text'; maxLength: number; default: string } & FieldText;
export type Field = IntField | FloatField | EnumField | BoolField | TextField;

type NumberText = FieldText & NumberFormat;

const int = (min: number, max: number, def: number, text: NumberText = {}): IntField => ({
  kind: 'int',
  min,
  max,
  default: def,
  ...text,
});
const float = (min: number, max: number, def: number, text: NumberText = {}): FloatField => ({
  kind: 'float',
  min,
  max,
  default: def,
  ...text,
});
function oneOf<T extends string>(
  values: readonly T[],
  def: T,
  text: FieldText & { optionText?: Partial<Record<T, string>>; ordinal?: boolean } = {},
): EnumField<T> {
  return { kind: 'enum', values, default: def, ...text };
}
const bool = (def: boolean, text: FieldText = {}): BoolField => ({
  kind: 'bool',
  default: def,
  ...text,
});

// The committed packs (public/models/index.json): the four architectures, the router-collapse pair
// (no balancing loss / DeepSeek-V3 bias balancing) and the large pack, fetched only when chosen.
export const MODEL_IDS = [
  'mixtral-style',
  'fine-grained',
  'shared-expert',
  'dense',
  'collapse',
  'bias-balance',
  'large',
] as const;
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
  model: oneOf(MODEL_IDS, 'mixtral-style', { label: 'Model' }),
  prompt: { kind: 'text', maxLength: 2000, default: 'add: 37+45=', label: 'Prompt' } as TextField,
  topK: int(1, 32, 2, {
    label: 'Top-k experts per token',
    help: 'Experts each token is sent to; the router renormalises over the k it picks.',
  }),
  ffnKeep: float(0.05, 1, 1, {
    label: 'Fraction of FFN neurons kept',
    step: 0.05,
    percent: true,
    help: 'Each expert keeps this fraction of its hidden neurons; the rest are cut.',
  }),
  blockSize: oneOf(['16', '32', '64', '128'] as const, '16', {
    label: 'Block size BM of the grouped GEMM',
    help: 'Rows per block: each expert’s tokens are padded up to a multiple of it.',
  }),
  capacityFactor: oneOf(['off', '1', '1.25', '1.5', '2', '3', '4'] as const, 'off', {
    label: 'Expert capacity factor',
    ordinal: true,
    help: 'Each expert takes at most ⌈factor × tokens × k / experts⌉ tokens per MoE call, first come first served; the rest skip it and keep only the residual.',
  }),
  expertPrecision: oneOf(['f32', 'f16', 'int8', 'int4'] as const, 'f32', {
    label: 'Expert weight precision',
    help: 'The loaded expert weights re-quantised: f16, int8 (one scale per output channel) or int4 (one scale per block of 32 rows); the kernels dequantise them and accumulate in f32. f16 needs the GPU feature shader-f16.',
  }),
  maxTokens: int(1, 512, 32, { label: 'Max tokens', unit: 'tokens' }),
  genBatch: int(1, 32, 1, {
    label: 'Requests at once',
    help: 'Copies of the prompt run as one batch, as a server would batch users.',
  }),
  engineBackend: oneOf(['auto', 'webgpu', 'cpu'] as const, 'auto', {
    label: 'Backend',
    optionText: { auto: 'best available', webgpu: 'WebGPU', cpu: 'CPU (wasm)' },
  }),
  densePath: oneOf(['ort', 'wgsl'] as const, 'ort', {
    label: 'Dense layers on WebGPU',
    optionText: { ort: 'onnxruntime-web', wgsl: 'our WGSL kernels' },
    help: 'What runs embeddings, attention, norms and the LM head on WebGPU: onnxruntime-web (our MoE kernels between its calls) or our own WGSL kernels (the whole token in one GPU submission). The CPU path always uses onnxruntime-web.',
  }),
  disabledExperts: {
    kind: 'text',
    maxLength: 200,
    default: '',
    label: 'Experts switched off',
  } as TextField,
  temperature: float(0, 2, 0, {
    label: 'Temperature',
    step: 0.05,
    digits: 2,
    help: '0 always picks the likeliest token; higher spreads the choice.',
  }),
  topP: float(0.05, 1, 1, {
    label: 'Top-p',
    step: 0.05,
    digits: 2,
    help: 'Sampling keeps the likeliest tokens whose probabilities add up to this.',
  }),
  // Virtual GPUs.
  gpus: oneOf(['1', '2', '4', '8'] as const, '4', { label: 'Virtual GPUs' }),
  strategy: oneOf(STRATEGIES, 'ep', {
    label: 'Strategy',
    optionText: {
      tp: 'TP — every expert cut across all GPUs',
      ep: 'EP — whole experts per GPU, TP attention',
      'dp-ep': 'DP attention + EP (DeepSeek-V3)',
      'tp-ep': 'TP × EP hybrid',
      pp: 'PP — layers per GPU, micro-batches',
    },
  }),
  placement: oneOf(PLACEMENTS, 'contiguous', {
    label: 'Expert placement',
    optionText: {
      contiguous: 'contiguous blocks',
      'round-robin': 'round-robin',
      eplb: 'load-balanced + hot copies (EPLB)',
    },
  }),
  // The random stack the virtual GPUs can run instead of the trained model: keys of its own,
  // so a link's engine top-k never reshapes this workload (and the reverse).
  parExperts: int(1, 64, 8, { label: 'Experts' }),
  parTopK: int(1, 16, 2, { label: 'Top-k', help: 'At most the number of experts.' }),
  parBatch: int(1, 256, 8, { label: 'Batch', unit: 'tokens' }),
  parSkew: float(0, 1, 0, {
    label: 'Routing skew',
    step: 0.05,
    digits: 2,
    help: '0 = uniform, 1 = a few hot experts',
  }),
  interconnect: oneOf(INTERCONNECTS, 'nvlink', {
    label: 'Interconnect',
    optionText: { nvlink: 'NVLink 4 (H100 node)', pcie: 'PCIe 5', infiniband: 'InfiniBand NDR' },
  }),
  /** tp-ep on the virtual GPUs: GPUs per tensor-parallel group (ep = gpus / parTp). */
  parTp: oneOf(['1', '2', '4', '8'] as const, '2', { label: 'GPUs per TP group' }),
  /** Pipeline parallel: micro-batches the batch is cut into. */
  microBatches: int(1, 16, 4, { label: 'Micro-batches' }),
  /** What the virtual GPUs run: the trained model's layers on the last run's tokens, or random. */
  parSource: oneOf(['model', 'random'] as const, 'model', {
    label: 'Runs on',
    optionText: { model: 'the trained model', random: 'a random layer stack' },
  }),
  /** Where the virtual GPUs' timeline takes its times: one hardware model for all, or this GPU. */
  parCompute: oneOf(['modelled', 'measured'] as const, 'modelled', {
    label: 'Timeline times',
    optionText: {
      modelled: 'all modelled for one H100 (compute, attention, links)',
      measured: 'MoE compute measured on this GPU (attention, links modelled)',
    },
  }),
  // Cluster simulator.
  simModel: oneOf(SIM_MODEL_IDS, 'mixtral-8x7b'),
  hardware: oneOf(HARDWARE_IDS, 'h100-sxm'),
  simGpus: int(1, 1024, 8),
  precision: oneOf(PRECISIONS, 'bf16'),
  inputLen: int(1, 131072, 1024),
  outputLen: int(1, 131072, 512),
  concurrency: int(1, 16384, 64),
  prompts: int(1, 100000, 100),
  // tp-ep degrees (tp × ep must equal simGpus; the simulator says so when it does not).
  simTp: int(1, 64, 2),
  simEp: int(1, 1024, 4),
  fusedMoe: { kind: 'bool', default: true } as BoolField,
  overlapComm: { kind: 'bool', default: false } as BoolField,
  pruneInter: float(0, 0.875, 0),
  pruneIntra: float(0, 0.875, 0),
  /** Routing skew of the simulated cluster's experts (0 = uniform). */
  skew: float(0, 1, 0),
  // Speculative decoding: a draft of 0 B parameters means off.
  specDraftB: float(0, 70, 0),
  specTokens: int(1, 8, 4),
  specAccept: float(0, 1, 0.7),
  diffusionSteps: int(1, 1024, 128),
  goal: oneOf(SIM_GOALS, 'throughput'),
  // Serving-engine profile (src/sim/engines.ts ENGINE_IDS), request lengths, and arrivals:
  // requests per second, 0 = every request at once up to the concurrency.
  simEngine: oneOf(['tuned', 'vllm', 'sglang', 'trtllm'] as const, 'vllm'),
  /** The engine's build (src/sim/engines.ts ENGINE_RELEASES). */
  simRelease: oneOf(['current', 'early-2025'] as const, 'current'),
  simLengths: oneOf(['fixed', 'uniform', 'sharegpt'] as const, 'fixed'),
  simRate: float(0, 10000, 0),
  // What the gating, heatmap and permutation views look at in the last run's trace.
  vizStep: int(0, 255, 0, { label: 'Step' }),
  vizLayer: int(0, 63, 0, { label: 'MoE layer' }),
  vizToken: int(0, 4095, 0, { label: 'Token' }),
  /** Block size the permutation view pads with (the engine itself ran with `blockSize`). */
  vizBm: oneOf(['16', '32', '64', '128'] as const, '16', {
    label: 'Block size BM',
    ordinal: true,
    help: 'The permutation view pads each expert’s rows to a multiple of it.',
  }),
  permStage: int(0, 7, 0, { label: 'Stage' }),
  // Performance panel: which benchmark and how big (quick fits a laptop; full is for big GPUs).
  benchKind: oneOf(['layer', 'align', 'model'] as const, 'align', {
    label: 'Benchmark',
    optionText: { align: 'Align & sort', layer: 'MoE layer', model: 'Whole model' },
  }),
  benchSize: oneOf(['quick', 'full'] as const, 'quick', {
    label: 'Size',
    optionText: {
      quick: 'quick — small shapes: seconds on a laptop GPU, a few minutes on a software adapter',
      full: 'full — the real models’ shapes (a data-centre GPU; scaled down to fit this one)',
    },
  }),
  // The MoE layer benchmark's shapes: all five, or one (a full run of all five is long in a
  // browser; one shape at a time fits).
  benchShape: oneOf(['all', 'tiny', 'mixtral', 'qwen', 'olmoe', 'deepseek'] as const, 'all', {
    label: 'Shapes',
    optionText: {
      all: 'all five',
      tiny: 'tiny',
      mixtral: 'Mixtral-8x7B',
      qwen: 'Qwen1.5-MoE',
      olmoe: 'OLMoE',
      deepseek: 'DeepSeek-V3-like',
    },
  }),
  // Presentation.
  presentation: bool(false, { label: 'Presentation mode' }),
  // Lesson: the chapter on screen (1-based, as a lecturer says it on a slide).
  chapter: int(1, 8, 1, { label: 'Chapter' }),
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
