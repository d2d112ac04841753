import { describe, expect, it } from 'vitest';
import type { StepTrace } from '../engine/trace';
import { kernelTotals, stepTimings } from './stepTimeline';

const layer = (T: number, kernelMs: Record<string, number> | null) =>
  ({ T, kernelMs }) as unknown as StepTrace['layers'][number];

describe('step timeline', () => {
  const steps: StepTrace[] = [
    {
      step: 0,
      phase: 'prefill',
      layers: [layer(5, { gemm1: 1, router: 0.5 }), layer(5, { gemm1: 2 })],
      ortMs: 4,
      moeMs: 3,
      stepMs: 10,
      ortCalls: 5,
      moeDispatches: 10,
    },
    {
      step: 1,
      phase: 'decode',
      layers: [layer(1, null)],
      ortMs: 1,
      moeMs: 1,
      stepMs: 1.5,
      ortCalls: 5,
      moeDispatches: 10,
    },
  ];
  it('splits each step and sums kernel times over layers', () => {
    const t = stepTimings(steps);
    expect(t[0]).toMatchObject({ tokens: 5, otherMs: 3, kernelMs: { gemm1: 3, router: 0.5 } });
    expect(t[1]).toMatchObject({ tokens: 1, otherMs: 0, kernelMs: null });
    expect(kernelTotals(t)).toEqual([
      ['gemm1', 3],
      ['router', 0.5],
    ]);
  });
});
