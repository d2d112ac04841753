import { describe, expect, it } from 'vitest';
import { activeExpertShare } from './activeShare';

describe('share of the expert FFN a token runs', () => {
  it('is k of E experts', () => {
    expect(activeExpertShare(8, 64, 2)).toEqual({ active: 128, total: 512, percent: 25 });
    expect(activeExpertShare(64, 32, 6)).toEqual({ active: 192, total: 2048, percent: 9 });
  });

  it('never exceeds the whole FFN, and is 0 of nothing', () => {
    expect(activeExpertShare(4, 10, 8).percent).toBe(100);
    expect(activeExpertShare(0, 10, 2).percent).toBe(0);
  });
});
