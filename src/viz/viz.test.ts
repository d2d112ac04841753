import { describe, expect, it } from 'vitest';
import { csrFromSorted, paddedCounts } from './csr';
import { loadBalance } from './loadBalance';

describe('load balance', () => {
  it('is perfect for equal loads', () => {
    const b = loadBalance([4, 4, 4, 4]);
    expect(b.maxOverMean).toBe(1);
    expect(b.cv).toBe(0);
    expect(b.entropyFraction).toBeCloseTo(1, 12);
  });
  it('measures a skewed load', () => {
    const b = loadBalance([8, 0, 0, 0]);
    expect(b.maxOverMean).toBe(4);
    expect(b.entropyBits).toBe(0);
    expect(b.idleExperts).toBe(3);
    expect(b.cv).toBeCloseTo(Math.sqrt(3), 12);
  });
  it('handles no tokens', () => {
    expect(loadBalance([0, 0]).maxOverMean).toBe(0);
  });
});

describe('CSR view of the sorted ids', () => {
  it('drops padding and recovers tokens per expert', () => {
    // T = 3, k = 2: pairs 0..5; expert 0 gets pairs 0, 3; expert 1 gets 1, 4, 5; expert 2 gets 2.
    const bm = 4;
    const sentinel = 6;
    const sorted = [0, 3, sentinel, sentinel, 1, 4, 5, sentinel, 2, sentinel, sentinel, sentinel];
    const offsets = [0, 4, 8, 12];
    const v = csrFromSorted(sorted, offsets, 2, 3);
    expect(v.indptr).toEqual([0, 2, 5, 6]);
    expect(v.tokens).toEqual([0, 1, 0, 2, 2, 1]);
    expect(v.paddedSlots).toBe(6);
    expect(v.paddingFraction).toBe(0.5);
    expect(paddedCounts([2, 3, 1], bm)).toEqual([4, 4, 4]);
  });
});
