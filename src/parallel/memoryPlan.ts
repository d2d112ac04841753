// What each virtual GPU holds, in bytes (f32, as the lab runs): its experts (or expert slices),
// its shared-expert slice, the router, attention weights (split by tensor-parallel attention or
// whole), embeddings, and the KV cache of the sequences whose attention it runs.
import { attentionTp, type ModelDims } from './modelDims';
import { evenSplit, type ShardLayout } from './shardLayout';

export type MemoryPart =
  'experts' | 'shared expert' | 'router' | 'attention' | 'embeddings' | 'KV cache';

export const MEMORY_PARTS: readonly MemoryPart[] = [
  'experts',
  'shared expert',
  'router',
  'attention',
  'embeddings',
  'KV cache',
];

export type GpuMemory = Record<MemoryPart, number>;

const F32 = 4;

function attentionBytes(m: ModelDims): number {
  const q = m.heads * m.headDim;
  const kv = m.kvHeads * m.headDim;
  return (m.D * (q + 2 * kv) + q * m.D + 2 * m.D) * F32; // QKV, O, two norms
}

/** KV cache bytes of one sequence's context in one layer, all heads. */
const kvBytes = (m: ModelDims) => 2 * m.kvHeads * m.headDim * m.context * F32;

/** Expert/tensor-parallel strategies: every GPU holds a slice of every layer. */
export function memoryPerGpu(layout: ShardLayout, m: ModelDims, sequences: number): GpuMemory[] {
  const attnTp = attentionTp(layout.strategy, layout.gpus, layout.tp, m.heads);
  const out: GpuMemory[] = [];
  for (let g = 0; g < layout.ep; g++)
    for (let r = 0; r < layout.tp; r++) {
      const [c0, c1] = layout.iSlice[r]!;
      const [s0, s1] = layout.sharedSlice[r]!;
      const experts = layout.physByGroup[g]!.length;
      // Sequences whose attention this GPU runs: all (tp, ep) or its group's share (dp-ep, tp-ep).
      const seqs =
        layout.strategy === 'tp' || layout.strategy === 'ep'
          ? sequences
          : evenSplit(sequences, layout.ep, g)[1] - evenSplit(sequences, layout.ep, g)[0];
      out.push({
        experts: m.layers * experts * 3 * m.D * (c1 - c0) * F32,
        'shared expert': m.layers * 3 * m.D * (s1 - s0) * F32,
        router: m.layers * m.D * m.E * F32,
        attention: (m.layers * attentionBytes(m)) / attnTp,
        embeddings: m.vocab * m.D * F32 + m.D * F32,
        'KV cache': (m.layers * seqs * kvBytes(m)) / attnTp,
      });
    }
  return out;
}

/** Pipeline: each stage holds whole layers; embeddings on the first (tied head on the last too). */
export function pipelineMemory(
  stages: [number, number][],
  m: ModelDims,
  sequences: number,
): GpuMemory[] {
  return stages.map(([a, b], s) => {
    const L = b - a;
    return {
      experts: L * m.E * 3 * m.D * m.I * F32,
      'shared expert': L * 3 * m.D * m.sharedI * F32,
      router: L * m.D * m.E * F32,
      attention: L * attentionBytes(m),
      embeddings: (s === 0 || s === stages.length - 1 ? m.vocab * m.D * F32 : 0) + m.D * F32,
      'KV cache': L * sequences * kvBytes(m),
    };
  });
}

export const totalBytes = (g: GpuMemory) => MEMORY_PARTS.reduce((s, p) => s + g[p], 0);
