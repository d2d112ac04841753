// What the WGSL dense path needs to know about a model pack: its shape (a subset of the pack's
// ModelConfig, so a validated pack's config fits as is) and where its weights come from.
import type { MoeWeights } from '../kernels/types';

export type DenseModelConfig = {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  maxContext: number;
  ropeTheta: number;
  normEps: number;
  experts: number;
  topK: number;
  expertFfn: number;
  sharedFfn: number;
  renormalize: boolean;
};

/** The parts of a pack the dense path reads (src/engine/enginePack.ts's EnginePack has them). */
export type DensePackSource = {
  config: DenseModelConfig;
  /** Bytes of embed.onnx, attn_<l>.onnx, head.onnx. */
  onnx(name: string): Uint8Array;
  moeWeights(layer: number): MoeWeights;
};
