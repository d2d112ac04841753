// Kernel efficiency factors: the fraction of the data-sheet peak a real kernel reaches.
// Each is a single named constant so the calibration report can say which one a figure moved.
import { ENGINES, releaseFactor, type EngineProfile, type EngineRelease } from './engines';
import type { HardwareSpec, Precision } from './types';

/** Large dense GEMMs (cuBLAS/CUTLASS) reach ~70% of the dense tensor peak. */
export const DENSE_GEMM_EFFICIENCY = 0.7;
/** Grouped expert GEMMs: fused Triton/CUTLASS MoE kernels lose some to ragged shapes. */
export const FUSED_MOE_GEMM_EFFICIENCY = 0.6;
/** Unfused MoE (per-expert GEMMs, separate activation and permute kernels). */
export const UNFUSED_MOE_GEMM_EFFICIENCY = 0.45;
/** Flash-attention prefill reaches about half the tensor peak. */
export const ATTENTION_COMPUTE_EFFICIENCY = 0.5;
/** Streaming kernels reach ~85% of the HBM data-sheet bandwidth. */
export const HBM_EFFICIENCY = 0.85;
/**
 * Collectives reach ~78% of the link rate: DeepEP's normal kernels move 153–158 GB/s over
 * H800 NVLink whose per-direction rate is 200 GB/s (a fitted figure, see calibration.ts).
 */
export const COLLECTIVE_EFFICIENCY = 0.78;
/** Tensor-core tiles are 128 wide along N: a pruned FFN width is padded up to it. */
export const FFN_TILE = 128;
/** Grouped-GEMM row block: vLLM's fused_moe picks BLOCK_SIZE_M 16 for small M, 64 for large. */
export function moeBlockRows(pairsPerExpert: number): number {
  return pairsPerExpert <= 32 ? 16 : 64;
}
/** Usable fraction of HBM (vLLM gpu_memory_utilization default 0.9). */
export const USABLE_MEMORY_FRACTION = 0.9;
/** CUDA context, NCCL buffers and captured graphs, per GPU. */
export const RUNTIME_OVERHEAD_GB = 2;
/** Extra communication buffers of an expert-parallel all-to-all library (DeepEP). */
export const EP_BUFFER_GB = 1;

export type Rates = {
  /** Achievable FLOP/s for dense GEMMs, expert GEMMs and attention. */
  denseFlops: number;
  moeFlops: number;
  attentionFlops: number;
  /** Achievable bytes/s from HBM. */
  hbm: number;
  /** Bytes per routed-expert weight, per activation and per KV-cache element. */
  weightBytes: number;
  /**
   * Bytes per weight of the other linear layers (attention projections, dense FFNs, shared
   * experts): `weightBytes`, except in a release that quantises its experts only (MXFP4_EXPERTS).
   */
  linearWeightBytes: number;
  actBytes: number;
  kvBytes: number;
  /** Bytes per element dispatched to experts (DeepEP sends FP8 when the model runs FP8). */
  dispatchBytes: number;
};

/** Bytes per weight: INT4 carries one fp16 scale per 128-weight group (AWQ/GPTQ g128). */
export const WEIGHT_BYTES: Record<Precision, number> = { bf16: 2, fp8: 1, int4: 0.5 + 2 / 128 };

/**
 * A model's own 4-bit release (ModelSpec.int4Format), which `int4` stands for on that model:
 * `mxfp4-experts` is gpt-oss's checkpoint — the routed experts in MXFP4 (4-bit E2M1 values and
 * one 1-byte E8M0 scale per block of 32: vLLM's mxfp4.py `mxfp4_block = 32`, uint8 scales), and
 * every other linear layer in BF16: the checkpoint leaves attention, router, embedding and head
 * unquantised, and vLLM's Mxfp4Config returns UnquantizedLinearMethod for every LinearBase
 * ("MXFP4 linear layer is not implemented", vllm/model_executor/layers/quantization/mxfp4.py,
 * read at vllm-project/vllm 007d500). gpt-oss-120b then weighs 65.2 GB, about its checkpoint.
 */
export const MXFP4_EXPERTS = { expertBytes: 0.5 + 1 / 32, linearBytes: 2 } as const;

/** An NVIDIA GPU without FP8 tensor cores (before Hopper: the A100 presets). */
export function isPreHopperNvidia(hw: Pick<HardwareSpec, 'vendor' | 'fp8Tflops'>): boolean {
  return hw.vendor === 'nvidia' && hw.fp8Tflops === 0;
}

export function ratesFor(
  hw: HardwareSpec,
  precision: Precision,
  fused: boolean,
  engine: EngineProfile = ENGINES.tuned,
  release?: EngineRelease,
  int4Format?: 'mxfp4-experts',
): Rates {
  // FP8 matmuls need FP8 tensor cores (Hopper, Blackwell, CDNA3). Without them (A100) FP8 and
  // INT4 are weight-only formats: weights are dequantised and multiplied in BF16. Engines
  // realise only part of the FP8 peak's gain (block scales, less-tuned FP8 kernels).
  const peak =
    precision === 'fp8' && hw.fp8Tflops > 0
      ? hw.bf16Tflops + (hw.fp8Tflops - hw.bf16Tflops) * engine.fp8Realised
      : hw.bf16Tflops;
  // Early-2025 builds ran FP8 block-scaled GEMMs (dense and grouped) on less tuned kernels:
  // their GEMM rate is the current build's divided by the engine's release factor.
  // Pre-Hopper NVIDIA GPUs (no FP8 tensor cores: A100) run other GEMM and attention kernels,
  // which reach another share of their peak (engines.ts ampereGemmFactor, ampereAttentionFactor).
  const ampere = isPreHopperNvidia(hw);
  const tflops =
    (peak * 1e12 * engine.computeScale * (ampere ? engine.ampereGemmFactor : 1)) /
    releaseFactor(engine, release);
  return {
    denseFlops: tflops * DENSE_GEMM_EFFICIENCY,
    moeFlops: tflops * (fused ? FUSED_MOE_GEMM_EFFICIENCY : UNFUSED_MOE_GEMM_EFFICIENCY),
    // Attention kernels (FlashAttention, FlashMLA) are tuned alike in every engine: unscaled,
    // except where an engine runs another attention kernel on pre-Hopper GPUs.
    attentionFlops:
      hw.bf16Tflops *
      1e12 *
      ATTENTION_COMPUTE_EFFICIENCY *
      (ampere ? engine.ampereAttentionFactor : 1),
    hbm: hw.hbmTBs * 1e12 * HBM_EFFICIENCY,
    ...(precision === 'int4' && int4Format === 'mxfp4-experts'
      ? { weightBytes: MXFP4_EXPERTS.expertBytes, linearWeightBytes: MXFP4_EXPERTS.linearBytes }
      : { weightBytes: WEIGHT_BYTES[precision], linearWeightBytes: WEIGHT_BYTES[precision] }),
    actBytes: 2,
    kvBytes: 2,
    dispatchBytes: precision === 'bf16' ? 2 : 1,
  };
}
