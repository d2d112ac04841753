import { describe, expect, it } from 'vitest';
import { fileStem, toCsv } from './exportChart';

describe('chart export helpers', () => {
  it('writes CSV with quoting', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          ['say "hi"', NaN],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n"say ""hi""",\r\n');
  });
  it('makes a file name from a title', () => {
    expect(fileStem('Router softmax — layer 2, token "a"')).toBe('router-softmax-layer-2-token-a');
    expect(fileStem('***')).toBe('chart');
  });
});
