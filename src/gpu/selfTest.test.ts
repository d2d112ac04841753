import { describe, expect, it } from 'vitest';
import { selfTestReference } from './selfTest';

describe('self-test reference', () => {
  it('is a scaled inclusive prefix sum', () => {
    expect(Array.from(selfTestReference(new Float32Array([1, 2, 3, 4]), 2, 1))).toEqual([
      3, 7, 13, 21,
    ]);
  });
});
