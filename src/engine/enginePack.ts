// The parts of a model pack the engine needs, independent of how the pack was fetched.
import type { MoeWeights } from '../kernels/types';
import type { TextCodec } from './generate';
import type { ModelPack } from '../model/pack';
import { kernelWeights } from '../model/moeReference';

export type EngineModelConfig = {
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

export type EnginePack = {
  config: EngineModelConfig;
  /** Bytes of one of the pack's ONNX graphs: embed.onnx, attn_<l>.onnx, head.onnx. */
  onnx(name: string): Uint8Array;
  /** MoE weights of a layer. A dense pack is one expert with no router: Wr is zeros [D, 1]. */
  moeWeights(layer: number): MoeWeights;
  codec: TextCodec;
};

/** The engine's view of a validated model pack. */
export function enginePackFrom(pack: ModelPack): EnginePack {
  const c = pack.config;
  const tok = pack.tokenizer;
  return {
    config: c,
    onnx(name) {
      if (name === 'embed.onnx') return pack.onnx.embed;
      if (name === 'head.onnx') return pack.onnx.head;
      const m = /^attn_(\d+)\.onnx$/.exec(name);
      const bytes = m ? pack.onnx.attn[Number(m[1])] : undefined;
      if (!bytes) throw new Error(`The model pack has no ${name}.`);
      return bytes;
    },
    moeWeights(layer) {
      const w = pack.moe[layer];
      if (!w) throw new Error(`The model pack has no MoE weights for layer ${layer}.`);
      return kernelWeights(w, c);
    },
    codec: {
      encode: (text) => tok.encode(text),
      decode: (ids) => tok.decode(ids),
      bosId: tok.bosId,
      eosId: tok.eosId,
    },
  };
}
