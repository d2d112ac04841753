// The batch buckets of the captured decode: a batch runs in the smallest graph that holds it.
import { describe, expect, it } from 'vitest';
import { DECODE_BUCKETS, decodeBucket } from './decodeGraph';

describe('decode batch buckets', () => {
  it('picks the smallest bucket that holds the batch, the largest past it', () => {
    expect(decodeBucket(1)).toBe(1);
    expect(decodeBucket(2)).toBe(2);
    expect(decodeBucket(3)).toBe(4);
    expect(decodeBucket(9)).toBe(16);
    expect(decodeBucket(64)).toBe(64);
    // Past the largest: calls of the largest (capturedDecode chunks the batch).
    expect(decodeBucket(65)).toBe(64);
    for (let S = 1; S <= 64; S++) {
      const B = decodeBucket(S);
      expect(B).toBeGreaterThanOrEqual(S);
      // No smaller bucket would do.
      expect(DECODE_BUCKETS.filter((b) => b >= S && b < B)).toEqual([]);
    }
  });

  it('refuses a batch that is not a positive integer', () => {
    for (const S of [0, -1, 1.5, NaN]) expect(() => decodeBucket(S)).toThrow(/positive integer/);
  });
});
