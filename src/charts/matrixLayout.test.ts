import { describe, expect, it } from 'vitest';
import { bandOf, matrixBands } from './matrixLayout';

describe('matrixBands', () => {
  it('keeps a matrix that fits on one band', () => {
    expect(matrixBands(8, 40, 100, 1000)).toEqual({ perBand: 8, bands: 1 });
  });
  it('keeps one band until the width is measured', () => {
    expect(matrixBands(58, 24, 60, 0)).toEqual({ perBand: 58, bands: 1 });
  });
  it('wraps a long sequence into balanced bands that fit', () => {
    // 58 tokens of 24 px beside 60 px of labels in 1020 px: 40 fit, so 2 bands of 29.
    const b = matrixBands(58, 24, 60, 1020);
    expect(b).toEqual({ perBand: 29, bands: 2 });
    expect(60 + b.perBand * 24).toBeLessThanOrEqual(1020);
    expect(b.perBand * b.bands).toBeGreaterThanOrEqual(58);
  });
  it('never makes a band narrower than the minimum (it scrolls instead)', () => {
    expect(matrixBands(58, 24, 60, 200).perBand).toBeGreaterThanOrEqual(8);
  });
  it('places every column in its band', () => {
    expect(bandOf(0, 29)).toEqual({ band: 0, at: 0 });
    expect(bandOf(29, 29)).toEqual({ band: 1, at: 0 });
    expect(bandOf(57, 29)).toEqual({ band: 1, at: 28 });
  });
});
