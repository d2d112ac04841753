// The GPU's clock state, read from the benchmark itself: the router kernel does the same small
// job in every fused row of a model (its weights are f32 whatever the experts' format), so a row
// whose router took far longer than that model's fastest was timed on a slowed GPU. On an H200
// the same layer read 2.5× apart this way (bench/results/2026-11-30-h200-decode.md).
import type { LayerRow } from './ourLayer';
import { SLOW_ROUTER_RATIO } from './timing';

export { SLOW_ROUTER_RATIO };

export type SlowRow = { row: LayerRow; routerMs: number; fastestMs: number };

/** Fused rows timed while the GPU was slow (router ≥ SLOW_ROUTER_RATIO × the model's fastest). */
export function slowClockRows(rows: readonly LayerRow[]): SlowRow[] {
  const fused = rows.filter(
    (r) => r.variant === 'fused' && r.kernelMs?.router !== undefined && r.kernelMs.router > 0,
  );
  const fastest = new Map<string, number>();
  for (const r of fused)
    fastest.set(r.model, Math.min(fastest.get(r.model) ?? Infinity, r.kernelMs!.router!));
  return fused
    .filter((r) => r.kernelMs!.router! >= SLOW_ROUTER_RATIO * fastest.get(r.model)!)
    .map((row) => ({ row, routerMs: row.kernelMs!.router!, fastestMs: fastest.get(row.model)! }));
}

/**
 * One report note naming the slow rows that `shown` keeps (each model's fastest is still read
 * from all rows), or null when there are none.
 */
export function slowClockNote(
  rows: readonly LayerRow[],
  shown: (r: LayerRow) => boolean = () => true,
): string | null {
  const slow = slowClockRows(rows).filter((s) => shown(s.row));
  if (!slow.length) return null;
  const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
  const list = slow
    .map(
      (s) =>
        `${s.row.model} T=${s.row.T}${s.row.format ? ` ${s.row.format}` : ''} (router ${us(s.routerMs)} vs ${us(s.fastestMs)})`,
    )
    .join('; ');
  return `measured on a slowed GPU — the router, the same small kernel in every row of a model, took ≥ ${SLOW_ROUTER_RATIO}× its fastest time in this run, so these rows read slow by the GPU's state, not by the kernels: ${list}.`;
}
