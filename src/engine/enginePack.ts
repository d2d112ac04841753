// The parts of a model pack the engine needs, independent of how the pack was fetched.
import type { MoeConfig, MoeWeights } from '../kernels/types';
import type { TextCodec } from './generate';

export type EngineModelConfig = {
  vocabSize: number;
  hidden: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  maxContext: number;
  experts: number;
  topK: number;
  expertFfn: number;
  sharedFfn: number;
  renormalize: boolean;
};

export type EnginePack = {
  config: EngineModelConfig;
  /** Bytes of one of the pack's ONNX graphs: embed.onnx, attn_<l>.onnx, head.onnx. */
  onnx(name: string): Uint8Array;
  /** MoE weights of a layer. A dense pack is one expert with no router: Wr is zeros [D, 1]. */
  moeWeights(layer: number): MoeWeights;
  codec: TextCodec;
};

export function moeConfigOf(
  c: EngineModelConfig,
  blockSize: MoeConfig['blockSize'] = 16,
): MoeConfig {
  return {
    D: c.hidden,
    I: c.expertFfn,
    E: c.experts,
    k: Math.min(c.experts, 16),
    blockSize,
    scoring: 'softmax',
    renormalize: c.renormalize,
    sharedI: c.sharedFfn,
    dtype: 'f32',
  };
}
