// Layout of the virtual GPUs' timeline as plain data: one time format, each lane's busy and idle
// time (what the load chart shows, so the two agree), axis ticks in one unit whose labels never
// overlap or leave the chart, and the names written inside blocks only where they fit.
import { scaleLinear } from 'd3';
import type { Timeline } from '../parallel/timeline';

/** A duration in ms as the timeline writes it everywhere: s, ms or µs. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

export type LaneTime = {
  /** ms of compute blocks, of communication blocks, and of the expert blocks among the compute. */
  compute: number;
  comm: number;
  experts: number;
  /** compute + comm: the time the GPU works. */
  busy: number;
  /** The rest of the timeline: waiting for a collective or a pipeline bubble, and idle at the end. */
  wait: number;
};

/** Each GPU's time in a timeline, from its own blocks. busy + wait = the timeline's total. */
export function laneTimes(t: Timeline): LaneTime[] {
  return t.lanes.map((lane) => {
    let compute = 0;
    let comm = 0;
    let experts = 0;
    for (const s of lane) {
      const d = s.end - s.start;
      if (s.kind === 'compute') compute += d;
      else if (s.kind === 'comm') comm += d;
      if (s.kind === 'compute' && s.phase === 'experts') experts += d;
    }
    const busy = compute + comm;
    return { compute, comm, experts, busy, wait: Math.max(0, t.totalMs - busy) };
  });
}

export type Anchor = 'start' | 'middle' | 'end';
export type PlacedLabel = { x: number; text: string; anchor: Anchor };

/** How wide text is drawn: px per character (an upper bound for the font) and the gap kept. */
export type TextFit = { charPx: number; gapPx: number };

/** The [left, right] px a label covers. */
export function labelExtent(l: PlacedLabel, charPx: number): [number, number] {
  const w = l.text.length * charPx;
  if (l.anchor === 'start') return [l.x, l.x + w];
  if (l.anchor === 'end') return [l.x - w, l.x];
  return [l.x - w / 2, l.x + w / 2];
}

/**
 * Labels centred on their x where they fit; a label that would leave [lo, hi] is anchored at
 * its x towards the inside, and one that would still overlap a label kept before it is dropped.
 * The first label is kept first, so the axis always starts at its origin.
 */
export function fitLabels(
  labels: readonly { x: number; text: string }[],
  [lo, hi]: [number, number],
  fit: TextFit,
): PlacedLabel[] {
  const kept: PlacedLabel[] = [];
  let right = -Infinity;
  for (const { x, text } of labels) {
    let l: PlacedLabel = { x, text, anchor: 'middle' };
    const [a, b] = labelExtent(l, fit.charPx);
    if (a < lo) l = { ...l, anchor: 'start' };
    else if (b > hi) l = { ...l, anchor: 'end' };
    const [a2, b2] = labelExtent(l, fit.charPx);
    if (a2 < lo - 0.5 || b2 > hi + 0.5) continue;
    if (a2 < right + fit.gapPx) continue;
    kept.push(l);
    right = b2;
  }
  return kept;
}

export type AxisTick = PlacedLabel & { ms: number };

const UNITS: { unit: string; perMs: number; from: number }[] = [
  { unit: 's', perMs: 1e-3, from: 2000 },
  { unit: 'ms', perMs: 1, from: 1 },
  { unit: 'µs', perMs: 1e3, from: 0 },
];

/** The unit the time axis of a timeline `totalMs` long writes: s, ms or µs. */
export function timeUnit(totalMs: number): { unit: string; perMs: number } {
  const total = Math.max(totalMs, 1e-9);
  const { unit, perMs } = UNITS.find((u) => total >= u.from) ?? UNITS[UNITS.length - 1]!;
  return { unit, perMs };
}

/**
 * A duration in the axis's unit as at most four characters ("228", "32.9", "1.23"), for a value
 * printed above a bar no wider than that; the unit goes on the axis.
 */
export function shortDuration(ms: number, perMs: number): string {
  const v = ms * perMs;
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Decimals enough to write every value exactly (up to 4). */
function decimalsFor(values: readonly number[]): number {
  for (let d = 0; d < 4; d++) {
    const f = 10 ** d;
    if (values.every((v) => Math.abs(Math.round(v * f) - v * f) < 1e-6 * Math.max(1, v * f)))
      return d;
  }
  return 4;
}

/**
 * Ticks of a time axis [0, totalMs] drawn over px [x0, x1]: one unit for the whole axis (chosen
 * by the total), as many ticks as fit without overlapping (fewer when the labels are wide), each
 * label inside [lo, hi] (the chart's edges).
 */
export function timeAxisTicks(
  totalMs: number,
  [x0, x1]: [number, number],
  bounds: [number, number],
  fit: TextFit,
  maxTicks = 8,
): AxisTick[] {
  const total = Math.max(totalMs, 1e-9);
  const { unit, perMs } = timeUnit(total);
  const x = scaleLinear().domain([0, total]).range([x0, x1]);
  let best: AxisTick[] = [];
  for (let n = maxTicks; n >= 1; n--) {
    const ticks = x.ticks(n);
    const d = decimalsFor(ticks.map((t) => t * perMs));
    const labels = ticks.map((t) => ({
      ms: t,
      x: x(t),
      text: t === 0 ? '0' : `${(t * perMs).toFixed(d)} ${unit}`,
    }));
    const placed = fitLabels(labels, bounds, fit);
    const withMs = placed.map((p) => ({ ...p, ms: labels.find((l) => l.x === p.x)!.ms }));
    if (placed.length === labels.length) return withMs;
    if (withMs.length > best.length) best = withMs;
  }
  return best;
}

/** Shorter names a block can fall back to, longest first. */
const SHORT: [RegExp, string[]][] = [
  [/^attention all-reduce/, ['attention all-reduce', 'all-reduce', 'AR']],
  [/^attention/, ['attention', 'attn']],
  [/^dispatch/, ['disp']],
  [/^combine/, ['comb']],
  [/^experts/, ['exp']],
  [/^all-reduce/, ['AR']],
  [/^all-gather/, ['AG']],
  [/^shared/, ['shrd']],
  [/^micro-batch (\d+)/, ['mb $1', '$1']],
  [/^send (\d+)/, ['send', '→']],
];

/**
 * The name written inside a block of `widthPx`: the phase itself, a shorter form, or nothing when
 * even that does not fit (with `padPx` kept on each side), so no name spills over its block.
 */
export function blockLabel(
  phase: string,
  widthPx: number,
  fit: { charPx: number; padPx: number },
): string | null {
  const match = SHORT.find(([re]) => re.test(phase));
  const candidates = [phase, ...(match ? match[1].map((s) => expand(phase, match[0], s)) : [])];
  for (const c of candidates) if (c.length * fit.charPx + 2 * fit.padPx <= widthPx) return c;
  return null;
}

function expand(phase: string, re: RegExp, pattern: string): string {
  const m = phase.match(re);
  if (!m) return pattern;
  return pattern.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
}
