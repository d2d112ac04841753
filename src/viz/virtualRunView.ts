// What the Parallelism view draws from a virtual-GPU run, as plain data: bytes in binary units,
// how many copies of each expert exist, each GPU's load as chart bars (its busy time in the
// timeline drawn, so the two never disagree), and each collective's measured bytes against its
// formula.
import type { CommRow, VirtualRunReport } from '../parallel/virtualRun';
import type { Timeline } from '../parallel/timeline';
import { formatMs, laneTimes } from './timelineLayout';

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
  /** Mean busy ms per GPU in the timeline drawn (compute + communication, waits left out). */
  mean: number;
  /** Busiest GPU's busy time over the mean (1 = perfectly balanced). */
  imbalance: number;
  /** [gpu] (token, expert) pairs its experts computed: the routing's load behind the time. */
  pairs: number[];
  bars: { label: string; value: number; tag?: string; detail: string }[];
};

/**
 * Each GPU's load as the timeline drew it: the bar is the GPU's busy time in that timeline (its
 * compute and communication blocks, not its waits), so the load chart and the timeline are one set
 * of numbers; the pairs from the routing, and the time the GPU spent waiting, are in the detail.
 */
export function gpuLoad(
  report: Pick<VirtualRunReport, 'pairs' | 'rows' | 'expertsHit' | 'spec'>,
  timeline: Timeline,
): GpuLoad {
  const times = laneTimes(timeline);
  const busy = times.map((t) => t.busy);
  const max = Math.max(...busy);
  const mean = busy.reduce((a, b) => a + b, 0) / Math.max(1, busy.length);
  const busiest = busy.indexOf(max);
  // Even as the title writes it (the ratio to two decimals): no GPU is tagged busiest beside
  // "1.00× the mean" for a difference the chart cannot show.
  const uneven = max >= mean * 1.005;
  const pp = report.spec.strategy === 'pp';
  const bars = times.map((t, g) => ({
    label: `GPU ${g}`,
    value: t.busy,
    ...(g === busiest && uneven ? { tag: 'busiest' } : {}),
    detail: `${formatMs(t.compute)} compute${pp ? '' : ` (experts ${formatMs(t.experts)})`}, ${formatMs(t.comm)} communication, ${formatMs(t.wait)} waiting; ${report.pairs[g]} (token, expert) pairs${pp ? '' : `, ${report.rows[g]} token rows received, ${report.expertsHit[g]} experts touched`}`,
  }));
  return { mean, imbalance: max / Math.max(mean, 1e-12), pairs: [...report.pairs], bars };
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
