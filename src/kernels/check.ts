// Checks a GPU run of the MoE layer kernel by kernel against the TypeScript twins. Each kernel
// is fed the GPU's own inputs (the previous kernel's GPU output), so a row isolates one kernel.
// Shared by the gpu tests and the in-browser kernel check on the user's device.
import type { MoeRunResult, MoeVariant } from './MoeLayer';
import {
  alignReference,
  combineReference,
  expertCapacity,
  gemm1Reference,
  gemm2Reference,
  maxRelError,
  moeLayerReference,
  pairMask,
  routerReference,
  selectionKey,
  sharedExpertReference,
} from './reference';
import type { MoeConfig, MoeWeights } from './types';

export type CheckRow = {
  kernel: string;
  size: string;
  /** max|gpu − twin| / max|twin| (0/1 for exact integer outputs: 1 = mismatch). */
  maxRelError: number;
  pass: boolean;
  gpuMs: number | null;
  detail?: string;
};

export type CheckInput = {
  config: MoeConfig;
  /** Weights as the kernels hold them (already rounded to f16 for an f16 layer). */
  weights: MoeWeights;
  x: Float32Array;
  T: number;
  k: number;
  residual?: Float32Array;
  expertMask?: Uint32Array;
  expertMap?: Int32Array;
  /** Capacity factor the run was made with (null / absent: none). */
  capacityFactor?: number | null;
  variant: MoeVariant;
  tolerance: number;
};

/**
 * Router ids may differ from the twin's only where two keys tie within rounding (GPU f32 vs
 * twin f64): then the swapped experts' twin keys must agree within the tolerance.
 */
export function topkMismatch(
  gpuIds: Int32Array,
  twinIds: Int32Array,
  keys: Float32Array,
  E: number,
  k: number,
  tol: number,
): string | null {
  for (let i = 0; i < twinIds.length; i++) {
    const g = gpuIds[i]!;
    const c = twinIds[i]!;
    if (g === c) continue;
    const t = Math.floor(i / k);
    if (!(g >= 0 && g < E) || Math.abs(keys[t * E + g]! - keys[t * E + c]!) > tol)
      return `token ${t} slot ${i % k}: GPU expert ${g}, twin ${c}`;
  }
  return null;
}

/** Per-expert sets of sorted_ids equal (order inside an expert is free); null when they are. */
export function permutationMismatch(
  gpu: Int32Array,
  twin: Int32Array,
  offsets: Int32Array,
): string | null {
  if (gpu.length !== twin.length) return `${gpu.length} slots, twin ${twin.length}`;
  for (let e = 0; e + 1 < offsets.length; e++) {
    const a = Array.from(gpu.subarray(offsets[e]!, offsets[e + 1]!)).sort((x, y) => x - y);
    const b = twin.subarray(offsets[e]!, offsets[e + 1]!); // the twin's are ascending already
    for (let i = 0; i < a.length; i++)
      if (a[i] !== b[i]) return `expert ${e}: slot ${offsets[e]! + i} holds ${a[i]}, twin ${b[i]}`;
  }
  return null;
}

function exact(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return 1;
  return 0;
}

/**
 * Zeroes the rows of pairs whose expert lives elsewhere or that were dropped over capacity (the
 * GPU never writes them).
 */
function localRows(
  data: Float32Array,
  ids: Int32Array,
  width: number,
  map?: Int32Array,
  skip?: Uint8Array,
) {
  if (!map && !skip) return data;
  const out = data.slice();
  for (let i = 0; i < ids.length; i++)
    if ((map && map[ids[i]!]! < 0) || skip?.[i]) out.fill(0, i * width, (i + 1) * width);
  return out;
}

export function checkRun(input: CheckInput, r: MoeRunResult): CheckRow[] {
  const { config: c, weights: w, x, T, k, tolerance: tol } = input;
  const { D, I, E, blockSize: BM } = c;
  const tr = r.trace;
  const ms = (label: string) => r.kernelMs?.[label] ?? null;
  const rows: CheckRow[] = [];
  const add = (kernel: string, size: string, err: number, gpuMs: number | null, detail?: string) =>
    rows.push({ kernel, size, maxRelError: err, pass: err <= tol && !detail, gpuMs, detail });

  const rt = routerReference(
    x,
    w.Wr,
    T,
    D,
    E,
    k,
    c.scoring,
    c.renormalize,
    w.routerBias,
    input.expertMask,
  );
  const keys = rt.probs.map((p, i) => selectionKey(p, w.routerBias, i % E));
  const idsMiss = topkMismatch(tr.topkIds, rt.topkIds, keys, E, k, tol);
  const routerErr = Math.max(
    maxRelError(tr.probs, rt.probs),
    idsMiss ? 1 : maxRelError(tr.topkWeights, rt.topkWeights),
  );
  add('router', `T=${T} E=${E} k=${k}`, routerErr, ms('router'), idsMiss ?? undefined);

  // The pairs the grouped GEMM saw: top-k, or every expert per token for the dense baseline.
  const dense = input.variant === 'denseMasked';
  const kEff = dense ? E : k;
  let ids = tr.topkIds;
  let gates = tr.topkWeights;
  if (dense) {
    ids = new Int32Array(T * E);
    gates = new Float32Array(T * E);
    for (let t = 0; t < T; t++) {
      for (let e = 0; e < E; e++) ids[t * E + e] = e;
      for (let j = 0; j < k; j++)
        gates[t * E + tr.topkIds[t * k + j]!] = tr.topkWeights[t * k + j]!;
    }
  }
  const map = input.expertMap;
  const capacity = expertCapacity(input.capacityFactor, T, kEff, E);
  const al = alignReference(ids, E, BM, map, capacity);
  const alignErr = Math.max(
    exact(tr.counts, al.counts),
    exact(tr.offsets, al.offsets),
    exact([tr.numPostPad], [al.numPostPad]),
    exact(tr.expertIds, al.expertIds),
    exact(tr.dropped ?? [], al.dropped),
  );
  // With a capacity the kernel places pairs in pair order, like the twin: compare exactly.
  const perm = alignErr
    ? null
    : capacity !== null
      ? exact(tr.sortedIds, al.sortedIds)
        ? 'sorted_ids differ from the twin (pair order inside each expert)'
        : null
      : permutationMismatch(tr.sortedIds, al.sortedIds, al.offsets);
  const skip = al.dropped.length > 0 ? pairMask(ids.length, al.dropped) : undefined;
  add(
    'align',
    `pairs=${T * kEff} BM=${BM}`,
    alignErr || (perm ? 1 : 0),
    ms('align'),
    alignErr ? 'counts / offsets / expert_ids / dropped pairs differ' : (perm ?? undefined),
  );

  if (r.act && r.pairOut) {
    const act = gemm1Reference(x, w.W1, w.W3, ids, kEff, D, I, map, skip);
    add(
      'gemm1 (SwiGLU)',
      `${T * kEff}×${D}→${I}`,
      maxRelError(localRows(r.act, ids, I, map, skip), act),
      ms('gemm1'),
    );
    const po = gemm2Reference(r.act, w.W2, ids, gates, D, I, map, skip);
    add(
      'gemm2 (scaled)',
      `${T * kEff}×${I}→${D}`,
      maxRelError(localRows(r.pairOut, ids, D, map, skip), po),
      ms('gemm2'),
    );
    const Is = c.sharedI ?? 0;
    if (Is > 0 && r.shared && w.S1 && w.S3 && w.S2) {
      const sh = sharedExpertReference(x, w.S1, w.S3, w.S2, T, D, Is);
      add('shared expert', `${T}×${D}→${Is}`, maxRelError(r.shared, sh), ms('shared'));
    }
    const comb = combineReference(r.pairOut, ids, T, kEff, D, r.shared, input.residual, map, skip);
    add('combine', `T=${T} D=${D} k=${kEff}`, maxRelError(r.out, comb), ms('combine'));
  }
  const ref = moeLayerReference(c, w, x, T, {
    k,
    expertMask: input.expertMask,
    expertMap: map,
    residual: input.residual,
    capacityFactor: input.capacityFactor,
  });
  const total = r.kernelMs ? Object.values(r.kernelMs).reduce((a, b) => a + b, 0) : null;
  add(`layer (${input.variant})`, `T=${T} D=${D} I=${I}`, maxRelError(r.out, ref.out), total);
  return rows;
}
