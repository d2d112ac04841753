// The error each simulated figure carries, by kind of figure and regime: the largest
// |log(simulated / published)| over the serving figures of servingCalibration.ts of that kind
// and regime, each predicted by profiles fitted WITHOUT that figure's source (leave-one-source-
// out), as a factor f: the truth lay within [value / f, value × f] for every one of them. A
// kind with no figure in a regime takes the widest band of the regime. calibration.test.ts
// recomputes them and fails when a constant drifts from what the calibration shows.

export type FigureKind = 'ttft' | 'itl' | 'throughput';
export type Regime = 'low' | 'high';

/** Concurrency at or below which a run counts as low-concurrency (latency-bound). */
export const LOW_CONCURRENCY = 4;

export const ERROR_BANDS: Readonly<Record<Regime, Record<FigureKind, number>>> = {
  low: { ttft: 2.17, itl: 1.97, throughput: 2.17 },
  high: { ttft: 1.52, itl: 1.48, throughput: 2.1 },
};

/**
 * The leave-one-source-out error over all serving figures (median and worst, as factors, to two
 * decimals), for sentences that state the model's error; calibration.test.ts checks them.
 */
export const HELD_OUT_ERROR = { median: 1.24, worst: 2.17 } as const;

export function regimeOf(concurrency: number): Regime {
  return concurrency <= LOW_CONCURRENCY ? 'low' : 'high';
}

export function errorBands(concurrency: number): Record<FigureKind, number> {
  return { ...ERROR_BANDS[regimeOf(concurrency)] };
}
