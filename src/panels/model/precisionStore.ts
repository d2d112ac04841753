// The golden reports measured on the loaded model, by expert precision, so the precision line can
// set the chosen precision's golden-logit error beside f32's (the run store keeps only the last
// report, for the fidelity table). Written by the fidelity check and the precision line's button.
import { create } from 'zustand';
import type { GoldenReport } from '../../engine/protocol';
import type { MeasuredGolden } from './precisionCost';

/** Reports kept: a few precisions of the current load and the previous one's. */
const KEPT = 12;

export const usePrecisionGolden = create<{ measured: MeasuredGolden[] }>()(() => ({
  measured: [],
}));

export function recordGolden(load: string, report: GoldenReport): void {
  usePrecisionGolden.setState((s) => ({
    measured: [...s.measured, { load, report }].slice(-KEPT),
  }));
}
