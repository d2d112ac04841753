// Serving-engine profiles: the same GPU runs a model faster or slower depending on the
// software. Each profile scales the roofline's kernel efficiencies and adds the fixed costs a
// roofline misses — per layer (kernels that are not GEMMs, graph gaps), per step (scheduler,
// sampling over the vocabulary) and per request (tokenisation, HTTP, detokenisation) — plus
// the scheduler limits (batch size, chunked-prefill token budget) and a per-vendor factor.
// The constants marked "fitted" in EngineProfile are the output of `fitProfiles`
// (calibrationFit.ts) on all the serving figures of servingCalibration.ts, rounded to three
// digits (`npx tsx src/sim/calibrationReport.ts --fit` prints them); docs/simulator.md gives the fit's
// error and its leave-one-source-out cross-validated error. Two factors are fitted on dstack's
// DeepSeek-R1 runs, the only figures of early-2025 builds and of MI300X: the early-release
// factor (those builds' kernels against the current releases', on H200 and MI300X alike) and
// the AMD factor (MI300X against H200 under the same build). Two more are fitted on GPUStack's
// A100 runs (vLLM only): the GEMM and attention rates on pre-Hopper GPUs, where vLLM runs other
// kernels (Marlin MoE, Triton attention) than on Hopper. The rest (limits, CUDA-graph sizes,
// sampling, FP8 share) are set from the engines' documented defaults or stated assumptions.

export const ENGINE_IDS = ['tuned', 'vllm', 'sglang', 'trtllm'] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/**
 * Engine builds the profiles tell apart. `current`: the late-2025 releases most serving figures
 * come from (vLLM 0.10–0.11, SGLang 0.5, TensorRT-LLM 1.0–1.2). `early-2025`: the releases of
 * February–March 2025 (vLLM 0.7, SGLang 0.4.2–0.4.3, TensorRT-LLM 0.17), before the FP8
 * block-scaled grouped GEMMs (DeepGEMM, CUTLASS), FlashMLA and the MLA CUDA-graph paths the
 * later releases run DeepSeek-class models with.
 */
export const ENGINE_RELEASES = ['current', 'early-2025'] as const;
export type EngineRelease = (typeof ENGINE_RELEASES)[number];

export type EngineProfile = {
  id: EngineId;
  name: string;
  /** Fraction of the efficiency.ts GEMM rates this engine reaches; attention is unscaled (fitted). */
  computeScale: number;
  /** Fraction of the FP8-over-BF16 peak ratio realised (block-scaled FP8 kernels lose some). */
  fp8Realised: number;
  /** Extra time per layer per forward pass beyond the roofline's launches, µs (fitted). */
  layerFixedUs: number;
  /**
   * Extra time per layer of every step that runs outside the decode CUDA graphs, µs (fitted):
   * engines replay full graphs only for decode-only batches of at most `cudaGraphMaxBatch`
   * sequences (per attention-DP rank), so a step with a prefill chunk, or a decode batch larger
   * than the largest captured graph, launches its kernels from the host (eagerly or piecewise)
   * and pays per layer, not per token.
   */
  eagerLayerFixedUs: number;
  /**
   * Largest decode batch (sequences per attention-DP rank) the engine captures a CUDA graph
   * for by default; a larger decode step runs eagerly (set from the engines' defaults).
   */
  cudaGraphMaxBatch: number;
  /**
   * Extra latency of each tensor-parallel all-reduce call beyond the α–β model, per doubling
   * of the group (a 2-GPU call pays it once, an 8-GPU call three times), µs (fitted).
   */
  allReduceUs: number;
  /** Per engine step: scheduler, input preparation, graph replay, µs. */
  stepFixedUs: number;
  /** Per sequence in a step: bookkeeping of the scheduler and the detokeniser, µs (fitted). */
  perSeqStepUs: number;
  /** Sampling cost per sequence per vocabulary entry (softmax, top-p over 150–200k), ns. */
  samplingNsPerVocab: number;
  /**
   * Front-end time per request — HTTP, tokenisation, streaming and detokenisation in the API
   * server — served one request after another, so a burst queues behind it, ms (fitted).
   */
  requestOverheadMs: number;
  /**
   * More front-end time per request, served the same way, when the client calls the chat
   * endpoint of a model whose prompt the server renders through its Jinja chat template
   * (SimInput.endpoint, ModelSpec.chatFormat; gpt-oss takes the Harmony path instead), ms.
   * Measured, not fitted: vLLM's from bursts outside the calibration (VLLM_CHAT_TEMPLATE_MS);
   * 0 where no measurement separates it from `requestOverheadMs`.
   */
  chatTemplateMs: number;
  /**
   * Latency every request pays on its way to the first token that does not occupy the GPUs:
   * the HTTP round trip, the first step's synchronisation, streaming the token back, ms (fitted).
   */
  ttftFixedMs: number;
  /** Most sequences one engine instance runs at once. */
  maxSeqs: number;
  /** Chunked-prefill token budget of one step (decode tokens count against it). */
  maxBatchTokens: number;
  /**
   * The engine's smaller scheduler defaults for GPUs it does not count as large: `maxSeqs` and
   * `maxBatchTokens` replace the profile's on an A100 or any GPU under `minMemoryGB` (see
   * `schedulerLimitsFor`); absent where the engine's defaults do not depend on the GPU.
   */
  smallGpuLimits?: { maxSeqs: number; maxBatchTokens: number; minMemoryGB: number };
  /**
   * Multiplies step time on AMD GPUs (less mature kernels on ROCm): fitted where the
   * calibration has MI300X figures of the engine, otherwise an assumption (see `source`).
   */
  amdFactor: number;
  /**
   * Divides the GEMM rate (dense and grouped expert GEMMs) of the engine's early-2025 builds,
   * which ran FP8 block-scaled GEMMs on Triton kernels before DeepGEMM and CUTLASS blockwise
   * kernels (see ENGINE_RELEASES): it slows compute-bound prefill most and memory-bound decode
   * little, as dstack's runs show (their TTFT at 3 200 tokens is 2× the current builds', their
   * low-concurrency TPOT close to it). Fitted on those runs, from a start of 1 — for SGLang from
   * its kernel benchmark's slowdown (calibrationFit.ts SGLANG_EARLY_GEMM_SLOWDOWN), for vLLM from
   * that slowdown on its Triton expert GEMMs only (VLLM_EARLY_GEMM_SLOWDOWN); 1 where the
   * calibration has no figure of an early build of the engine.
   */
  earlyReleaseFactor: number;
  /**
   * Multiplies the GEMM rate (dense and grouped) on pre-Hopper NVIDIA GPUs (A100: no FP8 tensor
   * cores, no wgmma/TMA). The engines run other kernels there: vLLM serves gpt-oss on Ampere
   * with Marlin's MXFP4 MoE, a kernel written for Ampere's mma.sync (vLLM recipes,
   * OpenAI/GPT-OSS.md), and kernels of that style reach a larger share of Ampere's peak than of
   * Hopper's (FlashAttention-2: 50–73% of A100's peak, 35% of H100's — FlashAttention-3 paper),
   * so one share of the peak, fitted mostly on Hopper, under-rates A100. Fitted where the
   * calibration has A100 figures of the engine (from a neutral start of 1), otherwise 1.
   */
  ampereGemmFactor: number;
  /**
   * Multiplies the attention rate on pre-Hopper NVIDIA GPUs: vLLM runs gpt-oss's attention
   * (sinks, sliding windows) on Ampere with its Triton backend (TRITON_ATTN, same recipe), on
   * Hopper with FlashAttention 3. Fitted where the calibration has A100 figures (from 1),
   * otherwise 1.
   */
  ampereAttentionFactor: number;
  source: string;
};

/**
 * vLLM's front-end time per chat request for a model with a Jinja chat template, beyond a
 * gpt-oss request's (Harmony renderer: vLLM's serving_chat.py takes `_make_request_with_harmony`
 * when `model_type == "gpt_oss"`, `_preprocess_chat` with the HF template otherwise), ms.
 * Measured on GPUStack's vLLM 0.11 performance-lab runs outside the calibration set
 * (github.com/gpustack/gpustack docs/performance-lab/*, at 47277d7; every one `vllm bench serve
 * --backend openai-chat --endpoint /v1/chat/completions`): bursts of 1000 prompts of 128 tokens,
 * 4 out, all sent at once. Their first tokens wait for the front end — none arrives before a
 * stall, then they spread over the prefill; read as a stall plus an even spread, the stall is
 * 2 × mean TTFT − P99 TTFT. Per request, Jinja-template models: Qwen3-14B 1×H100 14.0 ms
 * (2 × 18 283 − 22 565 ms, ÷ 1000), 1×A100 12.4; Qwen3-32B 1×H100 10.6, 1×A100 13.4;
 * Qwen3-235B-A22B 8×H100 5.4 (984 requests), 8×A100 8.2; GLM-4.5-Air TP4 12.4 (its A100 and H100
 * pages print the same run); GLM-4.6 8×H200 9.2 — median 11.5. gpt-oss (Harmony), the same
 * bench: 20b 1×H100 1.9, 1×A100 0.25; 120b 1×H100 2.3, 1×A100 1.7 — median 1.8. The
 * difference is this constant. In the calibration only GPUStack's DeepSeek-R1 vLLM figures
 * take this path (its own burst reads 17.4 ms, not used here).
 */
export const VLLM_CHAT_TEMPLATE_MS = 11.5 - 1.8;

// One profile per engine. The `tuned` profile is the original roofline (DeepEP-class kernels,
// no software overheads): the collective and align figures of the calibration stay on it.
export const ENGINES: Readonly<Record<EngineId, EngineProfile>> = {
  tuned: {
    id: 'tuned',
    name: 'Tuned (DeepEP / TensorRT-LLM-class kernels, no host overhead)',
    computeScale: 1,
    fp8Realised: 1,
    layerFixedUs: 0,
    eagerLayerFixedUs: 0,
    allReduceUs: 0,
    stepFixedUs: 0,
    perSeqStepUs: 0,
    samplingNsPerVocab: 0,
    requestOverheadMs: 0,
    chatTemplateMs: 0,
    ttftFixedMs: 0,
    cudaGraphMaxBatch: 4096,
    maxSeqs: 4096,
    maxBatchTokens: 16384,
    amdFactor: 1,
    earlyReleaseFactor: 1,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
    source:
      'efficiency.ts constants, fitted to DeepEP and the SGLang align blog; DeepSeek and SGLang production figures and Baseten’s compiled TensorRT-LLM Mixtral TTFT checked',
  },
  vllm: {
    id: 'vllm',
    name: 'vLLM (V1 defaults)',
    computeScale: 0.366,
    fp8Realised: 0.5,
    layerFixedUs: 66.5,
    eagerLayerFixedUs: 173,
    allReduceUs: 21.7,
    stepFixedUs: 649,
    perSeqStepUs: 8.38,
    samplingNsPerVocab: 0.02,
    requestOverheadMs: 8,
    chatTemplateMs: VLLM_CHAT_TEMPLATE_MS,
    ttftFixedMs: 20,
    // vLLM V1 serving defaults on ≥ 70 GB GPUs: max_num_seqs 1024, max_num_batched_tokens 8192.
    // vLLM V1: max_cudagraph_capture_size = min(2 × max_num_seqs, 512).
    cudaGraphMaxBatch: 512,
    maxSeqs: 1024,
    maxBatchTokens: 8192,
    // vLLM ≥ 0.9 (PR #17885, "Use small max_num_batched_tokens for A100", May 2025): the API
    // server keeps max_num_seqs 256 and max_num_batched_tokens 2048 on A100s and on GPUs under
    // 70 GiB (EngineArgs defaults, `device_memory >= 70 GiB and "a100" not in device_name`,
    // checked by vLLM's tests/engine/test_arg_utils.py test_defaults_with_usage_context).
    // The CUDA-graph limit stays min(2 × 256, 512) = 512.
    smallGpuLimits: { maxSeqs: 256, maxBatchTokens: 2048, minMemoryGB: 70 },
    amdFactor: 1.83,
    earlyReleaseFactor: 2.11,
    ampereGemmFactor: 1.6,
    ampereAttentionFactor: 0.433,
    source:
      'fitted to GPUStack performance lab (vLLM 0.10–0.11 on A100/H100/H200) and dstack (vLLM 0.7 on H200 and MI300X: earlyReleaseFactor and amdFactor rest on these runs alone); ampereGemmFactor and ampereAttentionFactor on GPUStack’s A100 runs (gpt-oss, Marlin MoE and Triton attention); chatTemplateMs measured on GPUStack’s other vLLM 0.11 chat bursts (Qwen3, GLM) against gpt-oss’s, not fitted; limits and CUDA-graph sizes from vLLM defaults',
  },
  sglang: {
    id: 'sglang',
    name: 'SGLang (defaults)',
    computeScale: 0.217,
    fp8Realised: 0.5,
    layerFixedUs: 139,
    eagerLayerFixedUs: 210,
    allReduceUs: 16.6,
    stepFixedUs: 3470,
    perSeqStepUs: 9.24,
    samplingNsPerVocab: 0.02,
    requestOverheadMs: 3.46,
    // No gpt-oss chat figures of SGLang in the calibration (left out, servingCalibration.ts) to
    // separate it from requestOverheadMs, and SGLang's 1000 × 128-token chat bursts of
    // Jinja-template models barely stall (GPUStack, 2 × mean − P99 TTFT: R1 with DP attention
    // 2.4 s, GLM-4.6-FP8 TP4 1.6 s, against vLLM's 17.4 s and 9.2 s for the same models).
    chatTemplateMs: 0,
    ttftFixedMs: 17.3,
    // SGLang: chunked_prefill_size 8192 on large GPUs; its running-request limit follows the KV
    // pool (bounded by memory here), so 1024 is an assumption, not a documented default.
    // SGLang 0.5 on ≥ 80 GB GPUs with TP ≥ 4: cuda_graph_max_bs 512 (256 below TP 4; 0.4 had 160).
    cudaGraphMaxBatch: 512,
    maxSeqs: 1024,
    maxBatchTokens: 8192,
    amdFactor: 1.36,
    earlyReleaseFactor: 3.03,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
    source:
      'fitted to GPUStack performance lab (SGLang 0.5.3 on H200) and dstack (SGLang 0.4.2–0.4.3 on H200 and MI300X: earlyReleaseFactor, started from the 2.2× Triton-vs-DeepGEMM block-FP8 GEMM slowdown of SGLang PR #3893, and amdFactor rest on these runs); limits and CUDA-graph sizes from SGLang server defaults',
  },
  trtllm: {
    id: 'trtllm',
    name: 'TensorRT-LLM (trtllm-serve defaults, PyTorch backend)',
    computeScale: 0.13,
    fp8Realised: 0.6,
    layerFixedUs: 139,
    eagerLayerFixedUs: 231,
    allReduceUs: 34.6,
    stepFixedUs: 3470,
    perSeqStepUs: 9.24,
    samplingNsPerVocab: 0.02,
    requestOverheadMs: 18.5,
    // Not told apart: no measurement outside the calibration gives TensorRT-LLM's template cost.
    chatTemplateMs: 0,
    ttftFixedMs: 11.1,
    // trtllm-serve defaults: max_batch_size 2048, max_num_tokens 8192.
    // TensorRT-LLM PyTorch backend: CUDA graphs for batch sizes up to 128 unless configured.
    cudaGraphMaxBatch: 128,
    maxSeqs: 2048,
    maxBatchTokens: 8192,
    amdFactor: 1,
    earlyReleaseFactor: 1.39,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
    source:
      'fitted to GPUStack performance lab (TensorRT-LLM 1.0–1.2 trtllm-serve on H100/H200) and dstack (TensorRT-LLM 0.17 pytorch backend on H200: earlyReleaseFactor rests on it alone); no AMD build, amdFactor 1. A compiled TensorRT engine (C++ runtime) is the tuned profile',
  },
};

export function engineById(id: string): EngineProfile | undefined {
  return (ENGINE_IDS as readonly string[]).includes(id) ? ENGINES[id as EngineId] : undefined;
}

/**
 * The engine's default scheduler limits on this GPU: the profile's, or its smaller defaults on
 * an A100 or a GPU under their memory threshold (vLLM's `"a100" not in device_name` test reads
 * the device name; the A100 presets are the pre-Hopper NVIDIA GPUs, no FP8 tensor cores).
 */
export function schedulerLimitsFor(
  engine: EngineProfile,
  hw: { vendor: 'nvidia' | 'amd'; fp8Tflops: number; memoryGB: number },
): { maxSeqs: number; maxBatchTokens: number } {
  const small = engine.smallGpuLimits;
  const isA100 = hw.vendor === 'nvidia' && hw.fp8Tflops === 0;
  if (small && (isA100 || hw.memoryGB < small.minMemoryGB))
    return { maxSeqs: small.maxSeqs, maxBatchTokens: small.maxBatchTokens };
  return { maxSeqs: engine.maxSeqs, maxBatchTokens: engine.maxBatchTokens };
}

/** `hw` is any hardware spec (src/sim/types.ts imports this file, so only its vendor is named). */
export function vendorFactor(engine: EngineProfile, hw: { vendor: 'nvidia' | 'amd' }): number {
  return hw.vendor === 'amd' ? engine.amdFactor : 1;
}

/** Step-time factor of the engine's build (1 for the current releases). */
export function releaseFactor(engine: EngineProfile, release: EngineRelease | undefined): number {
  return release === 'early-2025' ? engine.earlyReleaseFactor : 1;
}
