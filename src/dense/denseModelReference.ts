// The whole model on the CPU from the dense twins and the MoE layer's twin: the WGSL dense
// path's reference, checked against the exporter's golden logits (and so the ONNX weight
// mapping with it). One sequence, prompt rows at positions 0…T−1.
import { moeLayerReference } from '../kernels/reference';
import { kernelConfig } from '../model/moeReference';
import { denseWeights, type DenseWeights } from '../model/onnxWeights';
import type { DensePackSource } from './denseConfig';
import {
  attentionRows,
  embedRows,
  matmulRows,
  ropeKvRows,
  rmsnormRows,
  type AttentionShape,
} from './denseReference';
import { fusedQkv, headMatrix } from './denseWeights';
import { ropeTable } from './ropeTable';

/** Last-position logits [V] of `ids` (BOS included) through every layer. */
export function denseModelReference(pack: DensePackSource, ids: number[]): Float32Array {
  const c = pack.config;
  const w: DenseWeights = denseWeights((n) => pack.onnx(n), c.layers);
  const D = c.hidden;
  const T = ids.length;
  const shape: AttentionShape = {
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    ctx: c.maxContext,
  };
  const rope = ropeTable(c.maxContext, c.headDim, c.ropeTheta);
  const slots = new Int32Array(T);
  const positions = Int32Array.from(ids, (_, i) => i);
  const moeConfig = kernelConfig(c);
  const qkvWidth = (c.heads + 2 * c.kvHeads) * c.headDim;
  let x = embedRows(w.embedding, ids, D);
  for (let l = 0; l < c.layers; l++) {
    const lw = w.layers[l]!;
    const kCache = new Float32Array(c.kvHeads * c.maxContext * c.headDim);
    const vCache = new Float32Array(kCache.length);
    const a = rmsnormRows(x, lw.norm1, T, D, c.normEps);
    const qkv = matmulRows(a, fusedQkv(lw, D), T, D, qkvWidth);
    const q = ropeKvRows(qkv, T, slots, positions, rope, shape, kCache, vCache);
    const att = attentionRows(q, T, slots, positions, kCache, vCache, shape);
    const h = matmulRows(att, lw.wo, T, c.heads * c.headDim, D, x);
    const m = rmsnormRows(h, lw.norm2, T, D, c.normEps);
    x = moeLayerReference(moeConfig, pack.moeWeights(l), m, T, { k: c.topK, residual: h }).out;
  }
  const last = rmsnormRows(x, w.normFinal, 1, D, c.normEps, [T - 1]);
  return matmulRows(last, headMatrix(w, D, c.vocabSize), 1, D, c.vocabSize);
}
