import { describe, expect, it } from 'vitest';
import type { StepTrace } from '../engine/trace';
import { expertUse, leastUsedExperts } from './leastUsedExperts';

const step = (counts: number[][]) =>
  ({ layers: counts.map((c) => ({ counts: Int32Array.from(c) })) }) as unknown as StepTrace;

describe('least-used experts', () => {
  it('sums counts over steps and layers', () => {
    expect(
      expertUse(
        [
          step([[1, 0, 3]]),
          step([
            [0, 2, 1],
            [1, 1, 1],
          ]),
        ],
        3,
      ),
    ).toEqual([2, 3, 5]);
  });
  it('picks the n smallest, lower index on ties, never every expert', () => {
    expect(leastUsedExperts([5, 0, 2, 0], 2)).toEqual([1, 3]);
    expect(leastUsedExperts([5, 0, 2, 0], 9)).toEqual([1, 2, 3]);
    expect(leastUsedExperts([1, 1], 0)).toEqual([]);
  });
});
