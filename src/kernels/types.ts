// Shapes shared by the WGSL kernels, their TypeScript twins, the engine and the lab.

export type BlockSize = 16 | 32 | 64 | 128;

/**
 * How expert weights are stored on the GPU (activations and accumulation are f32 in every case):
 * f32; f16 (needs `shader-f16`); int8 with one scale per output channel; int4 in blocks of 32
 * rows of K with one scale per block and output column. Quantised on upload (weightFormats.ts).
 */
export type WeightFormat = 'f32' | 'f16' | 'int8' | 'int4';

export type MoeConfig = {
  /** Hidden size. */
  D: number;
  /** Expert FFN size. */
  I: number;
  /** Routed experts (global count: the router scores all of them). */
  E: number;
  /** Largest top-k the layer is built for (1…min(E, 16)); `k` can be lowered per call. */
  k: number;
  /** Rows per grouped-GEMM block (BM); every expert's token count is padded up to it. */
  blockSize: BlockSize;
  /**
   * softmax over the logits (Mixtral, Qwen) or sigmoid (DeepSeek-V3); either may carry a selection
   * bias (`MoeWeights.routerBias`).
   */
  scoring: 'softmax' | 'sigmoid';
  /** Divide the k chosen weights by their sum. */
  renormalize: boolean;
  /** Shared-expert FFN size; 0 or undefined = no shared expert. */
  sharedI?: number;
  /** Storage of the expert weights (routed and shared); activations and accumulation stay f32. */
  dtype: WeightFormat;
};

/** Row-major Float32Arrays, f32 values whatever `dtype` (converted / quantised on upload). */
export type MoeWeights = {
  /** [D, E]: logits = h · Wr. */
  Wr: Float32Array;
  /** [E]: added to the scores (softmax or sigmoid) for selection only (DeepSeek-V3 balancing); absent = none. */
  routerBias?: Float32Array;
  /** [E_local, D, I] gate and up projections, [E_local, I, D] down projection. */
  W1: Float32Array;
  W3: Float32Array;
  W2: Float32Array;
  /** Shared expert: [D, Is], [D, Is], [Is, D]. */
  S1?: Float32Array;
  S3?: Float32Array;
  S2?: Float32Array;
};

/** What can change per call without recompiling. */
export type MoeRunOptions = {
  /** Top-k for this call, 1…config.k. Default config.k. */
  k?: number;
  /** [E] u32, 0 = expert disabled (excluded before top-k, probabilities renormalised). */
  expertMask?: Uint32Array;
};

/** Every intermediate the lab draws, as plain typed arrays. */
export type MoeTrace = {
  T: number;
  k: number;
  /** [T, E] router probabilities (softmax, or sigmoid scores; 0 for disabled experts). */
  probs: Float32Array;
  /** [T, k]. */
  topkIds: Int32Array;
  topkWeights: Float32Array;
  /** [E] pairs routed to each (local) expert. */
  counts: Int32Array;
  /** [E + 1] exclusive prefix sum of the counts padded up to the block size. */
  offsets: Int32Array;
  numPostPad: number;
  /** [numPostPad / BM] expert (local index) of each block. */
  expertIds: Int32Array;
  /** [numPostPad] pair index t·k + j, or the sentinel T·k in padding slots. */
  sortedIds: Int32Array;
  /**
   * Pairs over their expert's capacity in this call, ascending pair indices: no expert computed
   * them, their gate weight adds nothing and the residual carries the token. Empty (or absent in
   * traces made before capacity existed) when nothing was dropped.
   */
  dropped?: Int32Array;
  /** Pairs each expert could take in this call (⌈cf·T·k/E⌉), null without a capacity factor. */
  capacity?: number | null;
};

export type MoeReferenceResult = MoeTrace & {
  dropped: Int32Array;
  capacity: number | null;
  /** [T·k, I] SwiGLU output of GEMM1 per pair row (zeros for pairs not on this shard). */
  act: Float32Array;
  /** [T·k, D] GEMM2 output scaled by the routed weight, per pair row. */
  pairOut: Float32Array;
  /** [T, D] shared-expert output (zeros when there is none). */
  shared: Float32Array;
  /** [T, D] final output: Σ_j pairOut + shared + residual. */
  out: Float32Array;
};

export type MoeVariant = 'fused' | 'perExpert' | 'denseMasked';

export type MoeLayerOptions = {
  /** Largest T per call; buffers are sized for it. */
  maxTokens: number;
  variant?: MoeVariant;
  /** [E] global → local expert index, −1 = on another shard (expert parallelism). */
  expertMap?: Int32Array;
  /** Align path: one workgroup, many, or by size (≤ 4096 pairs: one). */
  alignMode?: 'auto' | 'single' | 'multi';
  /**
   * No router: each call brings its top-k (`MoeIo.routing`), as an expert shard does when the
   * tokens' own GPU routed them. Ids are global expert ids; the expert map drops remote ones.
   */
  externalRouting?: boolean;
  /**
   * Fused variant's expert GEMMs: 'auto' (default) takes the decode path (weight-streaming,
   * shaders/decode_gemv.wgsl) while T·k ≤ 8 × local experts and D, I are multiples of 4, the
   * tiled grouped GEMM otherwise; 'tiled' / 'decode' force one (tests, benchmarks).
   */
  gemmPath?: 'auto' | 'tiled' | 'decode';
};

/**
 * GPU buffers of one call: x and out are [T, D] f32; residual is added when given. `routing`
 * ([T, k] u32 ids and f32 weights) only for a layer created with `externalRouting`.
 */
export type MoeIo = {
  x: GPUBuffer;
  out: GPUBuffer;
  residual?: GPUBuffer;
  T: number;
  k?: number;
  routing?: { topkIds: GPUBuffer; topkW: GPUBuffer };
  /**
   * Capacity factor (fused and per-expert variants): each expert takes at most ⌈cf·T·k/E⌉ of
   * this call's pairs, first come first served in pair order. Null / absent: no limit.
   */
  capacityFactor?: number | null;
};

export type MoeRunInput = {
  x: Float32Array;
  T: number;
  k?: number;
  residual?: Float32Array;
  capacityFactor?: number | null;
  /** Also read back GEMM1/GEMM2/shared outputs (tests). */
  debug?: boolean;
  /** Fill every output with NaN / 0xFFFFFFFF first so unwritten elements show (tests). */
  poison?: boolean;
};

export type MoeRunResult = {
  trace: MoeTrace;
  out: Float32Array;
  act?: Float32Array;
  pairOut?: Float32Array;
  shared?: Float32Array;
  /** GPU ms per kernel (timestamp-query), null without it. */
  kernelMs: Record<string, number> | null;
  dispatches: number;
  submits: number;
};
