// A layer that ran in several calls (more rows than the kernels take at once) still gets one
// trace: the router's outputs are concatenated row by row, and the grouping by expert is the
// align of all rows together (its CPU twin) — what one call over the whole batch computes.
// With a capacity factor each call dropped pairs over its own capacity: those stay dropped (their
// pair indices shifted to the whole batch) and the grouping is of the pairs the calls kept.
import { alignExcluding, alignReference, pairMask } from '../kernels/reference';
import type { BlockSize } from '../kernels/types';
import type { MoeLayerTrace } from './trace';

function concat<T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function mergeLayerTraces(parts: MoeLayerTrace[]): MoeLayerTrace {
  const first = parts[0];
  if (!first) throw new Error('mergeLayerTraces needs at least one trace.');
  if (parts.length === 1) return first;
  const { k, experts: E, blockSize } = first;
  if (parts.some((p) => p.k !== k || p.experts !== E || p.blockSize !== blockSize))
    throw new Error('Traces of one layer must share k, experts and block size.');
  const topkIds = concat(
    parts.map((p) => p.topkIds),
    (n) => new Int32Array(n),
  );
  const dropped: number[] = [];
  let pairStart = 0;
  for (const p of parts) {
    for (const i of p.dropped ?? []) dropped.push(pairStart + i);
    pairStart += p.topkIds.length;
  }
  const capacities = parts.map((p) => p.capacity ?? null);
  const capped = capacities.some((c) => c !== null);
  const aligned = capped
    ? alignExcluding(topkIds, E, blockSize as BlockSize, pairMask(topkIds.length, dropped))
    : alignReference(topkIds, E, blockSize as BlockSize);
  let kernelMs: Record<string, number> | null = {};
  for (const p of parts) {
    if (!p.kernelMs || !kernelMs) {
      kernelMs = null;
      continue;
    }
    for (const [label, ms] of Object.entries(p.kernelMs))
      kernelMs[label] = (kernelMs[label] ?? 0) + ms;
  }
  const f32 = (n: number) => new Float32Array(n);
  const i32 = (n: number) => new Int32Array(n);
  const inputs = parts.every((p) => p.moeInput && p.moeResidual);
  return {
    ...first,
    T: parts.reduce((n, p) => n + p.T, 0),
    probs: concat(
      parts.map((p) => p.probs),
      f32,
    ),
    topkIds,
    topkWeights: concat(
      parts.map((p) => p.topkWeights),
      f32,
    ),
    ...aligned,
    // The largest call's capacity (calls of fewer rows had smaller ones).
    capacity: capped ? Math.max(...capacities.map((c) => c ?? 0)) : null,
    rowSeq: concat(
      parts.map((p) => p.rowSeq),
      i32,
    ),
    rowPos: concat(
      parts.map((p) => p.rowPos),
      i32,
    ),
    kernelMs,
    calls: parts.length,
    moeInput: inputs
      ? concat(
          parts.map((p) => p.moeInput!),
          f32,
        )
      : undefined,
    moeResidual: inputs
      ? concat(
          parts.map((p) => p.moeResidual!),
          f32,
        )
      : undefined,
  };
}
