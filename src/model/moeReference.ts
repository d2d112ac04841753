// A pack's MoE layer on the CPU, for tests that prove the split export (embed → attn_l → MoE →
// head): the pack's tensors in the kernels' layout, computed by the kernels' own TypeScript twin,
// so the lab has one implementation of the MoE math. No residual here. A dense pack (E = 1, no
// router tensor) is expert 0 with weight 1: a zero router over one expert gives exactly that.
import { moeLayerReference } from '../kernels/reference';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import type { ModelConfig } from './config';
import type { MoeLayerWeights } from './pack';

export type MoeShape = Pick<
  ModelConfig,
  'hidden' | 'experts' | 'topK' | 'expertFfn' | 'sharedFfn' | 'renormalize'
>;

export type MoeReferenceOutput = {
  /** [T, D] MoE output (no residual). */
  out: Float32Array;
  /** [T, E] router probabilities (all 1 for a dense pack). */
  probs: Float32Array;
  /** [T, k]. */
  topkIds: Int32Array;
  topkWeights: Float32Array;
};

/** The kernels' configuration for a pack's MoE layers (softmax routing, f32). */
export function kernelConfig(c: MoeShape, blockSize: MoeConfig['blockSize'] = 16): MoeConfig {
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

/** A pack layer's tensors under the kernels' names. */
export function kernelWeights(w: MoeLayerWeights, c: MoeShape): MoeWeights {
  return {
    Wr: w.router ?? new Float32Array(c.hidden * c.experts),
    ...(w.routerBias ? { routerBias: w.routerBias } : {}),
    W1: w.w1,
    W3: w.w3,
    W2: w.w2,
    ...(w.shared ? { S1: w.shared.w1, S3: w.shared.w3, S2: w.shared.w2 } : {}),
  };
}

export function moeReference(
  x: Float32Array,
  T: number,
  w: MoeLayerWeights,
  c: MoeShape,
): MoeReferenceOutput {
  const r = moeLayerReference(kernelConfig(c), kernelWeights(w, c), x, T, { k: c.topK });
  return { out: r.out, probs: r.probs, topkIds: r.topkIds, topkWeights: r.topkWeights };
}
