import { describe, expect, it } from 'vitest';
import { walkIndex, walkTokens } from './tokenWalk';

describe('walkTokens', () => {
  const rows = [3, 1, 1];
  it('walks the prefill rows, then each decode step', () => {
    expect(walkTokens(rows, { step: 0, row: 0 }, 1)).toEqual({ step: 0, row: 1 });
    expect(walkTokens(rows, { step: 0, row: 2 }, 1)).toEqual({ step: 1, row: 0 });
    expect(walkTokens(rows, { step: 1, row: 0 }, 1)).toEqual({ step: 2, row: 0 });
    expect(walkTokens(rows, { step: 2, row: 0 }, 1)).toBeNull();
  });
  it('walks back across steps and stops at the first token', () => {
    expect(walkTokens(rows, { step: 1, row: 0 }, -1)).toEqual({ step: 0, row: 2 });
    expect(walkTokens(rows, { step: 0, row: 0 }, -1)).toBeNull();
  });
  it('clamps a position the run does not have', () => {
    expect(walkTokens(rows, { step: 9, row: 9 }, -1)).toEqual({ step: 1, row: 0 });
    expect(walkTokens([], { step: 0, row: 0 }, 1)).toBeNull();
  });
  it('counts the position along the walk', () => {
    expect(walkIndex(rows, { step: 1, row: 0 })).toEqual({ index: 3, total: 5 });
    expect(walkIndex(rows, { step: 0, row: 0 })).toEqual({ index: 0, total: 5 });
  });
});
