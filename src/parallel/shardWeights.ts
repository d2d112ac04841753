// The weights one virtual GPU holds: its group's experts (replicas included), each cut to its
// tensor-parallel columns of W1/W3 and rows of W2, and its slice of the shared expert.
import type { MoeWeights } from '../kernels/types';
import type { ShardLayout } from './shardLayout';

/** Columns [c0, c1) of a row-major [rows, cols] matrix stored at `base`. */
function columns(
  src: Float32Array,
  base: number,
  rows: number,
  cols: number,
  c0: number,
  c1: number,
  out: Float32Array,
  at: number,
) {
  const w = c1 - c0;
  for (let r = 0; r < rows; r++)
    out.set(src.subarray(base + r * cols + c0, base + r * cols + c1), at + r * w);
}

export type RankWeights = {
  /** [experts on this rank, D, Ir] / [.., Ir, D]. */
  W1: Float32Array;
  W3: Float32Array;
  W2: Float32Array;
  I: number;
  /** Shared expert slice, when the layer has one and this rank's slice is not empty. */
  shared?: { S1: Float32Array; S3: Float32Array; S2: Float32Array; I: number };
};

export function rankWeights(
  layout: ShardLayout,
  w: MoeWeights,
  dims: { D: number; I: number; sharedI?: number },
  group: number,
  tpRank: number,
): RankWeights {
  const { D, I } = dims;
  const [c0, c1] = layout.iSlice[tpRank]!;
  const Ir = c1 - c0;
  const experts = layout.physByGroup[group]!.map((p) => layout.physical[p]!.expert);
  const W1 = new Float32Array(experts.length * D * Ir);
  const W3 = new Float32Array(experts.length * D * Ir);
  const W2 = new Float32Array(experts.length * Ir * D);
  experts.forEach((e, i) => {
    columns(w.W1, e * D * I, D, I, c0, c1, W1, i * D * Ir);
    columns(w.W3, e * D * I, D, I, c0, c1, W3, i * D * Ir);
    W2.set(w.W2.subarray(e * I * D + c0 * D, e * I * D + c1 * D), i * Ir * D);
  });
  const out: RankWeights = { W1, W3, W2, I: Ir };
  const Is = dims.sharedI ?? 0;
  const [s0, s1] = layout.sharedSlice[tpRank]!;
  if (Is > 0 && s1 > s0 && w.S1 && w.S3 && w.S2) {
    const n = s1 - s0;
    const S1 = new Float32Array(D * n);
    const S3 = new Float32Array(D * n);
    columns(w.S1, 0, D, Is, s0, s1, S1, 0);
    columns(w.S3, 0, D, Is, s0, s1, S3, 0);
    out.shared = { S1, S3, S2: w.S2.slice(s0 * D, s1 * D), I: n };
  }
  return out;
}
