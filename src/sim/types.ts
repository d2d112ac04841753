// The simulator's vocabulary: what a model, a GPU and a workload are, what one simulation
// asks and what it answers. Plain data only, so the page, the CLI and the tests share it.
import type { EngineId, EngineProfile, EngineRelease } from './engines';

/** Attention as the serving engine sees it: grouped-query (MHA is kvHeads = heads) or MLA. */
export type AttentionSpec =
  | { kind: 'gqa'; heads: number; kvHeads: number; headDim: number }
  | {
      kind: 'mla';
      heads: number;
      /** 0 when the model projects queries directly (no low-rank query path). */
      qLoraRank: number;
      kvLoraRank: number;
      qkNopeHeadDim: number;
      qkRopeHeadDim: number;
      vHeadDim: number;
    };

export type ModelSpec = {
  id: string;
  name: string;
  layers: number;
  /** Leading layers whose FFN is dense, not MoE (DeepSeek's first_k_dense_replace). */
  denseLayers: number;
  /** Intermediate size of those dense FFNs. */
  denseFfn: number;
  hidden: number;
  attention: AttentionSpec;
  /** Routed experts per MoE layer. */
  experts: number;
  topK: number;
  /** Intermediate size of one routed expert (SwiGLU: three D×I matrices). */
  expertFfn: number;
  /** Always-on shared experts per MoE layer and the intermediate size of each. */
  sharedExperts: number;
  sharedExpertFfn: number;
  vocab: number;
  tiedEmbeddings: boolean;
  /** Some layers attend to a sliding window only (gpt-oss: every other layer, 128 tokens). */
  slidingWindow?: { tokens: number; fractionOfLayers: number };
  /** A masked-diffusion LM: no causal KV cache, every step re-runs the whole canvas. */
  diffusion?: { defaultSteps: number; blockLength: number };
  /**
   * How a chat request's messages become the prompt: absent, the model's Hugging Face Jinja
   * chat template, rendered in the API server; `harmony`, OpenAI's Harmony renderer, which
   * vLLM and SGLang use instead for gpt-oss (`use_harmony = model_type == "gpt_oss"` in their
   * serving_chat.py).
   */
  chatFormat?: 'harmony';
  /**
   * What `int4` precision means for this model when it names the model's own 4-bit release
   * rather than a generic AWQ/GPTQ quantisation: `mxfp4-experts`, gpt-oss's checkpoint (MXFP4
   * routed experts, BF16 attention and everything else; efficiency.ts MXFP4_EXPERTS).
   */
  int4Format?: 'mxfp4-experts';
  /** Published totals, used to check that the architecture numbers above add up. */
  publishedTotalParamsB: number;
  publishedActiveParamsB: number;
  /** Longest sequence the model was trained for (config.json max_position_embeddings). */
  maxContext?: number;
  source: string;
  notes?: string;
};

export type LinkSpec = {
  name: string;
  /** Unidirectional bandwidth one GPU can drive on this fabric, GB/s. */
  gbPerS: number;
  /** Per-hop software + wire latency, µs. */
  latencyUs: number;
};

export type HardwareSpec = {
  id: string;
  name: string;
  memoryGB: number;
  hbmTBs: number;
  /** Dense (no sparsity) tensor throughput, TFLOP/s. fp8 is 0 where the chip has none. */
  bf16Tflops: number;
  fp8Tflops: number;
  /** GPUs that share the fast fabric (an HGX/DGX node, an MI300X platform). */
  nodeSize: number;
  nvlink: LinkSpec;
  pcie: LinkSpec;
  infiniband: LinkSpec;
  /** Cost of one kernel launch inside a captured graph, µs. */
  kernelLaunchUs: number;
  /** Host-side cost of one isolated, synchronised kernel call (micro-benchmarks measure this). */
  isolatedCallUs: number;
  /** moe_align_block_size throughput term: ns per (token, expert) pair at large batch. */
  alignNsPerPair: number;
  /** Software maturity differs by vendor: engine profiles scale AMD step time. */
  vendor: 'nvidia' | 'amd';
  source: string;
};

export type Precision = 'bf16' | 'fp8' | 'int4';
export type Strategy = 'tp' | 'ep' | 'dp-ep' | 'tp-ep' | 'pp';
export type Interconnect = 'nvlink' | 'pcie' | 'infiniband';
export type Goal = 'throughput' | 'latency' | 'cost';

export type WorkloadPreset = {
  id: string;
  name: string;
  inputLen: number;
  outputLen: number;
  /** The batch of a batch_ISL_OSL workload, used as the concurrency. */
  concurrency: number;
  prompts: number;
  source: string;
};

export type SpeculativeSpec = {
  /** Draft model size, billions of parameters (a dense model). */
  draftParamsB: number;
  /** Tokens the draft proposes per verification step. */
  draftTokens: number;
  /** Probability that the target accepts one draft token. */
  acceptanceRate: number;
};

export type SimInput = {
  model: string;
  hardware: string;
  gpus: number;
  strategy: Strategy;
  /** Degrees for tp-ep (tp × ep = gpus). Ignored by the other strategies. */
  tp?: number;
  ep?: number;
  precision: Precision;
  inputLen: number;
  outputLen: number;
  concurrency: number;
  prompts: number;
  interconnect?: Interconnect;
  /** 0 = uniform routing; 1 = strongly Zipf-skewed expert popularity. */
  skew?: number;
  /** Measured routing counts per expert (e.g. from the lab's engine); overrides skew. */
  expertLoad?: number[];
  /** Greedy expert re-placement (EPLB-style) instead of contiguous blocks of experts. */
  balancedPlacement?: boolean;
  fusedMoe?: boolean;
  /** Two-batch overlap: communication hides behind the other micro-batch's compute. */
  overlapComm?: boolean;
  /** Fraction of experts removed (inter-expert pruning). */
  pruneInter?: number;
  /** Fraction of each expert's FFN width removed (intra-expert pruning). */
  pruneIntra?: number;
  speculative?: SpeculativeSpec;
  /** Denoising steps for a diffusion MoE (defaults to the model's own). */
  diffusionSteps?: number;
  /**
   * Coefficient of variation of the sequence lengths in flight (0 = a benchmark's fixed
   * lengths; production chat traffic is closer to 1). Drives the DP-attention straggler term.
   */
  lengthCv?: number;
  /** Largest number of tokens one prefill iteration takes (chunked prefill). */
  maxBatchTokens?: number;
  /** Serving engine whose efficiencies, fixed costs and limits apply (default vllm). */
  engine?: EngineId;
  /** A complete profile instead of a named one (the calibration fit tries candidates). */
  engineProfile?: EngineProfile;
  /**
   * Which builds of the engine: `current` (late-2025 releases, the default) or `early-2025`
   * (vLLM 0.7, SGLang 0.4, TensorRT-LLM 0.17), whose kernels the profile's release factor slows.
   */
  engineRelease?: EngineRelease;
  /** Request lengths: fixed (default), uniform around the means, or ShareGPT-like. */
  lengths?: LengthDistribution;
  /**
   * The API the client calls: `completions` (a prompt, the default) or `chat` (messages the
   * server renders into a prompt first; a Jinja chat template costs the engine's
   * `chatTemplateMs` more per request, engines.ts).
   */
  endpoint?: Endpoint;
  /** Requests per second (Poisson-like, evenly spaced); absent = all at once up to concurrency. */
  arrivalRate?: number;
  /**
   * Switch / GShard capacity factor, 1…4: each expert takes at most ⌈cf · pairs / experts⌉ of a
   * pass's (token, expert) pairs in static buffers padded up to that; the rest are dropped.
   * Absent: dropless (the grouped GEMM pads each expert to its block size only).
   */
  capacityFactor?: number;
};

export type LengthDistribution = 'fixed' | 'uniform' | 'sharegpt';

/** The API a benchmark client calls (SimInput.endpoint). */
export const ENDPOINTS = ['completions', 'chat'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** Where the time of a run went. Sums to the busy time of the busiest GPU, ms. */
export type TimeSplit = {
  compute: number;
  memory: number;
  communication: number;
  imbalance: number;
  /** Fixed costs: launches and non-GEMM kernels per layer, scheduler and sampling per step. */
  overhead: number;
};

export type Bottleneck = keyof TimeSplit | 'memory capacity';

export type MemoryBreakdown = {
  weightsGB: number;
  kvCacheGB: number;
  activationsGB: number;
  runtimeGB: number;
  totalGB: number;
  capacityGB: number;
};

export type SimResult = {
  ttftMs: number;
  itlMs: number;
  e2eMs: number;
  outputTokensPerS: number;
  totalTokensPerS: number;
  tokensPerSPerGpu: number;
  /** Output tokens per second seen by one user (1000 / ITL). */
  tokensPerSPerUser: number;
  memoryPerGpuGB: number;
  memory: MemoryBreakdown;
  fits: boolean;
  /** Why it does not fit; absent when it fits. */
  reason?: string;
  bottleneck: Bottleneck;
  split: TimeSplit;
  /** Per decode step and per prefill iteration, for the curious. */
  decodeStepMs: number;
  prefillMs: number;
  layout: { attentionTp: number; attentionDp: number; expertTp: number; ep: number; pp: number };
  /** Engine profile the figures were computed with. */
  engine: EngineId;
  /** Most requests running at once (KV cache and the engine's batch limit admit them). */
  admitted: number;
  /** Mean time a request waited before its prefill started, ms. */
  queueMs: number;
  /**
   * Stated error of each figure: the truth lies within [value / f, value × f] for every
   * calibration figure of that kind and regime (errorBands.ts).
   */
  bands: { ttft: number; itl: number; throughput: number };
  /**
   * With a capacity factor: C (pairs per expert) and the expected share of (token, expert) pairs
   * dropped over it, for a decode step of the busiest batch and for one prefill iteration.
   */
  capacity?: {
    factor: number;
    decode: { capacity: number; droppedShare: number };
    prefill: { capacity: number; droppedShare: number };
  };
  notes: string[];
};
