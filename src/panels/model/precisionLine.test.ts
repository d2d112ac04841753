import { describe, expect, it } from 'vitest';
import type { StepTrace } from '../../engine/trace';
import { expertWeightBytes, medianDecodeMoeMs, precisionLine } from './precisionLine';

const shape = { layers: 2, hidden: 64, experts: 4, expertFfn: 32, sharedFfn: 0 };
const step = (phase: 'prefill' | 'decode', moeMs: number): StepTrace => ({
  step: 0,
  phase,
  layers: [],
  ortMs: 0,
  moeMs,
  stepMs: moeMs,
  ortCalls: 0,
  moeDispatches: 0,
});

describe('expert precision line', () => {
  it('counts the experts’ bytes as the kernels store them', () => {
    const n = 2 * 3 * 4 * 64 * 32; // layers × (W1, W3, W2) × E × D × I
    expect(expertWeightBytes(shape, 'f32')).toBe(4 * n);
    expect(expertWeightBytes(shape, 'f16')).toBe(2 * n);
    // int8: one byte a weight + an f32 scale per output column per expert.
    const int8 = expertWeightBytes(shape, 'int8');
    expect(int8).toBe(n + 2 * 4 * (2 * 4 * 32 + 4 * 64));
    // int4: half a byte a weight + a scale per block of 32 rows of K per column.
    expect(expertWeightBytes(shape, 'int4')).toBe(n / 2 + 2 * 4 * (2 * 4 * 2 * 32 + 4 * 1 * 64));
    expect(expertWeightBytes(shape, 'f32', 0.5)).toBe(2 * n);
    expect(expertWeightBytes({ ...shape, sharedFfn: 16 }, 'f32')).toBe(4 * n + 2 * 4 * 3 * 64 * 16);
  });

  it('takes the median MoE time of the decode steps only', () => {
    expect(medianDecodeMoeMs([step('prefill', 9)])).toBe(null);
    expect(medianDecodeMoeMs([step('prefill', 100), step('decode', 3), step('decode', 1)])).toEqual(
      { ms: 2, steps: 2 },
    );
    const line = precisionLine(shape, { expertPrecision: 'int8', ffnKeep: 1 }, [
      step('decode', 1),
      step('decode', 5),
      step('decode', 2),
    ]);
    expect(line).toMatch(
      /run shown \(int8\): median MoE time per decode step 2\.00 ms over 3 steps/,
    );
    expect(line).toMatch(/at int8 vs .* at f32 \(27\.1%\)/);
  });
});
