import { describe, expect, it } from 'vitest';
import { allIntegers, formatNumber, integerTicks, tickLabels, unitFor } from './format';

describe('formatNumber (one number format for the lab)', () => {
  it('writes integers below 10 000 whole', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(7)).toBe('7');
    expect(formatNumber(1024)).toBe('1024');
    expect(formatNumber(5000)).toBe('5000');
    expect(formatNumber(-42)).toBe('-42');
  });
  it('gives other numbers three significant digits and no trailing zero', () => {
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(2.0000001)).toBe('2');
    expect(formatNumber(1234.6)).toBe('1235');
  });
  it('takes k, M or G from 10 000 up, never "5.0k"', () => {
    expect(formatNumber(10_000)).toBe('10k');
    expect(formatNumber(12_345)).toBe('12.3k');
    expect(formatNumber(150_000)).toBe('150k');
    expect(formatNumber(1_500_000)).toBe('1.5M');
    expect(formatNumber(2e9)).toBe('2G');
    expect(formatNumber(-25_000)).toBe('-25k');
  });
  it('says what a non-number is', () => {
    expect(formatNumber(Number.NaN)).toBe('–');
    expect(formatNumber(Infinity)).toBe('∞');
  });
  it('picks a unit from the magnitude', () => {
    expect(unitFor(9999)).toEqual([1, '']);
    expect(unitFor(10_000)).toEqual([1e3, 'k']);
    expect(unitFor(3e7)).toEqual([1e6, 'M']);
  });
});

describe('tickLabels (an axis shares one unit)', () => {
  it('writes "5k" next to "10k", not "5.0k"', () => {
    expect(tickLabels([0, 5000, 10_000, 15_000])).toEqual(['0', '5k', '10k', '15k']);
    expect(tickLabels([0, 2500, 5000, 7500, 10_000])).toEqual(['0', '2.5k', '5k', '7.5k', '10k']);
  });
  it('keeps an axis below 10 000 in plain numbers', () => {
    expect(tickLabels([0, 2000, 4000, 6000, 8000])).toEqual(['0', '2000', '4000', '6000', '8000']);
    expect(tickLabels([1, 2, 4, 8, 16, 1024])).toEqual(['1', '2', '4', '8', '16', '1024']);
  });
  it('gives ticks the decimals their step needs, and no two ticks read alike', () => {
    expect(tickLabels([0, 0.25, 0.5, 0.75, 1])).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(tickLabels([0, 0.2, 0.4, 0.6000000000000001])).toEqual(['0', '0.2', '0.4', '0.6']);
    const close = tickLabels([100_000, 100_500, 101_000]);
    expect(new Set(close).size).toBe(3);
    expect(close).toEqual(['100k', '100.5k', '101k']);
    expect(tickLabels([0.01, 0.1, 1, 10, 100])).toEqual(['0.01', '0.1', '1', '10', '100']);
  });
  it('handles one tick and none', () => {
    expect(tickLabels([])).toEqual([]);
    expect(tickLabels([12_000])).toEqual(['12k']);
  });
});

describe('integer axes', () => {
  it('detects all-integer data', () => {
    expect(allIntegers([0, 1, 2, 3])).toBe(true);
    expect(allIntegers([0, 1.5])).toBe(false);
    expect(allIntegers([])).toBe(false);
    expect(allIntegers([1, Number.NaN, 2])).toBe(true);
  });
  it('never ticks at 0.5', () => {
    expect(integerTicks([0, 0.5, 1, 1.5, 2, 2.5, 3], [0, 3])).toEqual([0, 1, 2, 3]);
    expect(integerTicks([0, 0.2, 0.4, 0.6, 0.8, 1], [0, 1])).toEqual([0, 1]);
    expect(integerTicks([0, 0.5], [0, 0.5])).toEqual([0]);
    expect(integerTicks([0, 5, 10], [0, 10])).toEqual([0, 5, 10]);
  });
});
