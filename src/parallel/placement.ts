// Which virtual GPU holds which experts (expert parallelism): contiguous blocks, round-robin, or
// EPLB-style load balancing with redundant copies of hot experts. Pure data, so the executor, the
// panel and the cost model all read the same placement.

export type PlacementKind = 'contiguous' | 'round-robin' | 'eplb';

export type ExpertPlacement = {
  kind: PlacementKind;
  experts: number;
  gpus: number;
  /** Per GPU, the global ids of the experts it holds (its local expert i is byGpu[g][i]). */
  byGpu: number[][];
  /** Per expert, the GPUs holding a copy (more than one only with EPLB's redundant copies). */
  replicas: number[][];
};

function fromByGpu(kind: PlacementKind, experts: number, byGpu: number[][]): ExpertPlacement {
  const replicas = Array.from({ length: experts }, () => [] as number[]);
  byGpu.forEach((list, g) => list.forEach((e) => replicas[e]!.push(g)));
  return { kind, experts, gpus: byGpu.length, byGpu, replicas };
}

export function contiguousPlacement(experts: number, gpus: number): ExpertPlacement {
  const per = Math.ceil(experts / gpus);
  const byGpu = Array.from({ length: gpus }, (_, g) =>
    Array.from({ length: Math.max(0, Math.min(per, experts - g * per)) }, (_, i) => g * per + i),
  );
  return fromByGpu('contiguous', experts, byGpu);
}

export function roundRobinPlacement(experts: number, gpus: number): ExpertPlacement {
  const byGpu = Array.from({ length: gpus }, () => [] as number[]);
  for (let e = 0; e < experts; e++) byGpu[e % gpus]!.push(e);
  return fromByGpu('round-robin', experts, byGpu);
}

/**
 * EPLB-style: give the `redundant` spare slots to the hottest experts (each time the one with
 * the most load per copy), then place copies heaviest-first on the least-loaded GPU that has a
 * free slot and no copy of that expert yet. Every GPU gets the same number of slots.
 */
export function balancedPlacement(
  load: readonly number[],
  gpus: number,
  redundant = gpus,
): ExpertPlacement {
  const experts = load.length;
  const slots = Math.ceil((experts + redundant) / gpus);
  const spare = Math.min(slots * gpus - experts, redundant, experts * (gpus - 1));
  const copies = new Array<number>(experts).fill(1);
  for (let r = 0; r < spare; r++) {
    let best = -1;
    for (let e = 0; e < experts; e++) {
      if (copies[e]! >= gpus) continue;
      if (best === -1 || load[e]! / copies[e]! > load[best]! / copies[best]!) best = e;
    }
    if (best === -1) break;
    copies[best]!++;
  }
  const items = copies
    .flatMap((c, e) => Array.from({ length: c }, () => ({ e, share: load[e]! / c })))
    .sort((a, b) => b.share - a.share || a.e - b.e);
  const byGpu = Array.from({ length: gpus }, () => [] as number[]);
  const gpuLoad = new Array<number>(gpus).fill(0);
  for (const it of items) {
    let target = -1;
    for (let g = 0; g < gpus; g++) {
      if (byGpu[g]!.length >= slots || byGpu[g]!.includes(it.e)) continue;
      if (target === -1 || gpuLoad[g]! < gpuLoad[target]!) target = g;
    }
    if (target === -1) throw new Error(`No GPU can take another copy of expert ${it.e}.`);
    byGpu[target]!.push(it.e);
    gpuLoad[target]! += it.share;
  }
  for (const list of byGpu) list.sort((a, b) => a - b);
  return fromByGpu('eplb', experts, byGpu);
}

export function placeExperts(
  kind: PlacementKind,
  experts: number,
  gpus: number,
  load: readonly number[] = new Array<number>(experts).fill(1),
): ExpertPlacement {
  if (!Number.isInteger(gpus) || gpus < 1)
    throw new Error(`GPUs must be a positive integer (got ${gpus}).`);
  if (kind === 'contiguous') return contiguousPlacement(experts, gpus);
  if (kind === 'round-robin') return roundRobinPlacement(experts, gpus);
  return balancedPlacement(load, gpus);
}

/** Tokens each GPU's experts process: an expert's tokens are split evenly over its copies. */
export function gpuTokenLoad(p: ExpertPlacement, counts: ArrayLike<number>): number[] {
  const out = new Array<number>(p.gpus).fill(0);
  p.replicas.forEach((gpus, e) => {
    for (const g of gpus) out[g]! += (counts[e] ?? 0) / gpus.length;
  });
  return out;
}

/** The kernels' expert map for one GPU: global expert id → local index, −1 where not local. */
export function expertMapFor(p: ExpertPlacement, gpu: number): Int32Array {
  const map = new Int32Array(p.experts).fill(-1);
  p.byGpu[gpu]!.forEach((e, i) => (map[e] = i));
  return map;
}
