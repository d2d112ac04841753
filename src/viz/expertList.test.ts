import { describe, expect, it } from 'vitest';
import { parseExpertList } from './expertList';

describe('disabled-expert list', () => {
  it('parses, dedupes, sorts and drops out-of-range or junk entries', () => {
    expect(parseExpertList('5, 1,1,x,99,-2,3.5', 8)).toEqual([1, 5]);
    expect(parseExpertList('', 8)).toEqual([]);
  });
  it('never switches every expert off', () => {
    expect(parseExpertList('0,1,2,3', 4)).toEqual([0, 1, 2]);
  });
});
