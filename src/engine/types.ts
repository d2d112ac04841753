// The engine's vocabulary, shared by the worker, the page-side client and the generation loop:
// plain data only, so every message between them is structured-cloneable.
import type { WeightFormat } from '../kernels/types';

export type Backend = 'webgpu' | 'cpu';

/**
 * What runs the dense parts (embeddings, attention, norms, LM head) on WebGPU: onnxruntime-web
 * (the design's default; our MoE kernels between its calls) or our own WGSL kernels (the whole
 * step in one submission).
 */
export type DensePath = 'ort' | 'wgsl';

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

/** What can change on the loaded model without reloading it. */
export type Knobs = {
  /** Experts each token uses, 1…E − disabled (renormalised over the chosen ones). */
  topK: number;
  /** Experts switched off, ascending; the router renormalises over the rest. */
  disabledExperts: number[];
  /** Fraction of each expert's FFN neurons kept (by weight norm), (0, 1]. */
  ffnKeep: number;
  /** Rows per grouped-GEMM block (BM): each expert's token count is padded up to it. */
  blockSize: 16 | 32 | 64 | 128;
  /**
   * Expert capacity factor (Switch Transformer / GShard), 1…4, or null for no capacity: in each
   * MoE call an expert takes at most ⌈cf·T·k/E⌉ (token, expert) pairs, first come first served
   * in token order; the rest skip it (the residual carries the token). Absent means off (knobs
   * recorded before the knob existed); `clampKnobs` always sets it.
   */
  capacityFactor?: number | null;
  /**
   * How the expert weights (routed and shared) are stored: the loaded f32 weights re-quantised
   * (f16, int8 per channel, int4 in blocks of 32), dequantised inside the kernels with f32
   * accumulation; the CPU path runs its twin on the same quantised-then-dequantised weights.
   * Absent means f32 (knobs recorded before the knob existed); `clampKnobs` always sets it.
   */
  expertPrecision?: WeightFormat;
};

export type SkillScore = {
  skill: string;
  correct: number;
  total: number;
  examples: { prompt: string; expected: string; got: string }[];
};

export type GoldenCheck = {
  prompt: string;
  logitsRelError: number;
  routingTokensMatched: number;
  routingTokens: number;
  expectedCompletion: string;
  completion: string;
  pass: boolean;
};

export type TextCodec = {
  encode(text: string): number[];
  decode(ids: number[]): string;
  /** Token that starts every sequence, and the one that ends it (generation stops there). */
  bosId: number | null;
  eosId: number | null;
};
