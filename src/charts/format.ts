// One number format for every chart of the lab, axes and values alike:
// - below 10 000 a number is written whole when it is an integer (1024, 4096: powers of two stay
//   recognisable), else with three significant digits (12.3, 0.0456);
// - from 10 000 up it takes a unit, k, M or G, and three significant digits (12.3k, 150k, 1.5M);
// - never a trailing zero: "5k" next to "10k", never "5.0k".
// An axis picks one unit for all its ticks, from its largest tick (0, 5k, 10k, 15k), and as many
// decimals as its tick step needs (0, 0.25, 0.5), so neighbouring ticks never read alike.

const UNITS: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** The unit a number (or an axis whose largest tick is `max`) is written in. */
export function unitFor(max: number): [number, string] {
  const a = Math.abs(max);
  if (!(a >= 1e4) || !Number.isFinite(a)) return [1, ''];
  return UNITS.find(([u]) => a >= u) ?? [1, ''];
}

/** "1.50" → "1.5", "2.000" → "2", "0.0120" → "0.012"; leaves exponents alone. */
function trimZeros(s: string): string {
  if (!s.includes('.') || /e/i.test(s)) return s;
  return s.replace(/\.?0+$/, '');
}

/** `-0` and rounding leftovers like `-0.000` read as "0". */
function tidy(s: string): string {
  return /^-0(\.0*)?$/.test(s) ? '0' : s;
}

/** One value: the lab's number format (see the top of this file). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const [u, suffix] = unitFor(v);
  const s = v / u;
  if (u === 1 && Number.isInteger(v)) return String(v);
  if (u === 1 && Math.abs(v) >= 1000) return tidy(String(Math.round(v)));
  return `${tidy(trimZeros(s.toPrecision(3)))}${suffix}`;
}

/** Decimals that write `x` exactly (to 1e-6 of itself), at most 9. */
function decimalsOf(x: number): number {
  const a = Math.abs(x);
  for (let d = 0; d < 9; d++) {
    const scaled = a * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 9;
}

/**
 * Labels for an axis's ticks: one unit for all (from the largest tick), and the decimals the
 * smallest gap between ticks needs, so no two ticks read alike; trailing zeros dropped.
 */
export function tickLabels(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  if (ticks.length === 1) return [formatNumber(ticks[0]!)];
  const max = Math.max(...ticks.map(Math.abs));
  const [u, suffix] = unitFor(max);
  const sorted = [...ticks].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0) gap = Math.min(gap, d);
  }
  const dec = Number.isFinite(gap) ? decimalsOf(gap / u) : 0;
  return ticks.map((t) => {
    if (t === 0) return '0';
    return `${tidy(trimZeros((t / u).toFixed(dec)))}${suffix}`;
  });
}

/** Whether every finite value is an integer (a count, a step, a GPU index): an integer axis. */
export function allIntegers(values: Iterable<number>): boolean {
  let any = false;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) return false;
    any = true;
  }
  return any;
}

/**
 * Ticks for an integer axis: only the integers among `ticks`, and when that leaves fewer than
 * two (a domain like [0, 1] ticked in fifths), every integer of the domain.
 */
export function integerTicks(
  ticks: readonly number[],
  domain: readonly [number, number],
): number[] {
  const ints = ticks.filter((t) => Number.isInteger(t));
  if (ints.length >= 2) return ints;
  const lo = Math.ceil(Math.min(domain[0], domain[1]));
  const hi = Math.floor(Math.max(domain[0], domain[1]));
  const all: number[] = [];
  for (let i = lo; i <= hi && all.length < 12; i++) all.push(i);
  return all.length ? all : ints;
}
