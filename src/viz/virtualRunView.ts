// What the Parallelism view draws from a virtual-GPU run, as plain data: bytes in binary units,
// how many copies of each expert exist, each GPU's load as chart bars, and each collective's
// measured bytes against its formula.
import type { CommRow, VirtualRunReport } from '../parallel/virtualRun';

/** Bytes as the GPU-memory view writes them: B, KiB, MiB (binary, like device limits). */
export function formatBinaryBytes(b: number): string {
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(2)} MiB`;
  if (b >= 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${Math.round(b)} B`;
}

/** How many GPUs hold each expert (EPLB copies hot ones; TP cuts each over a group). */
export function expertCopies(expertsPerGpu: readonly (readonly number[])[]): Map<number, number> {
  const copies = new Map<number, number>();
  for (const list of expertsPerGpu) for (const e of list) copies.set(e, (copies.get(e) ?? 0) + 1);
  return copies;
}

export type GpuLoad = {
  mean: number;
  /** Busiest GPU's pairs over the mean (1 = perfectly balanced). */
  imbalance: number;
  bars: { label: string; value: number; tag?: string; detail: string }[];
};

/** (token, expert) pairs each GPU computed, the busiest one tagged when it is above the mean. */
export function gpuLoad(report: Pick<VirtualRunReport, 'pairs' | 'rows' | 'expertsHit'>): GpuLoad {
  const pairs = report.pairs;
  const max = Math.max(...pairs);
  const mean = pairs.reduce((a, b) => a + b, 0) / pairs.length;
  const busiest = pairs.indexOf(max);
  const bars = pairs.map((p, g) => ({
    label: `GPU ${g}`,
    value: p,
    ...(g === busiest && max > mean ? { tag: 'busiest' } : {}),
    detail: `${report.rows[g]} token rows received, ${report.expertsHit[g]} experts touched`,
  }));
  return { mean, imbalance: max / Math.max(mean, 1e-9), bars };
}

export type CommLine = CommRow & {
  /** The formula counts per GPU for ring collectives, over all links for all-to-alls. */
  perGpu: boolean;
  /** The measured bytes comparable with the formula. */
  measured: number;
  /** measured / formula, or null when there is no formula to compare with. */
  ofFormula: number | null;
};

/** The collectives that moved (or should have moved) bytes, each set against its formula. */
export function commLines(comm: readonly CommRow[]): CommLine[] {
  return comm
    .filter((c) => c.bytes > 0 || (c.formula ?? 0) > 0)
    .map((c) => {
      const perGpu = c.kind === 'all-reduce' || c.kind === 'all-gather';
      const measured = perGpu ? Math.max(...c.sent) : c.bytes;
      const ofFormula = c.formula !== null && c.formula > 0 ? measured / c.formula : null;
      return { ...c, perGpu, measured, ofFormula };
    });
}
