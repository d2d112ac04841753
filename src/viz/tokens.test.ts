import { describe, expect, it } from 'vitest';
import {
  cellLabel,
  positionLabel,
  promptLabels,
  sequenceTokens,
  stepTokens,
  tokenLabel,
} from './tokens';
import { fixtureSteps } from './traceFixture.testing';

describe('token labels', () => {
  it('follows the character tokenizer', () => {
    expect(tokenLabel(1)).toBe('<bos>');
    expect(tokenLabel(2)).toBe('<eos>');
    expect(tokenLabel(4)).toBe('⏎');
    expect(tokenLabel(5)).toBe('␣');
    expect(tokenLabel(5 + 0x41 - 0x20)).toBe('A');
    expect(promptLabels('a\tb\né')).toEqual(['a', '␣', 'b', '⏎', '<unk>']);
    expect(['<bos>', '<unk>', '<', 'x'].map(cellLabel)).toEqual(['⟨b⟩', '⟨?⟩', '<', 'x']);
  });

  it('labels positions: <bos>, the prompt, then the output tokens', () => {
    const c = 5 + 'c'.charCodeAt(0) - 0x20;
    expect(positionLabel(['ab'], [[c, 2]], 0, 0)).toBe('<bos>');
    expect(positionLabel(['ab'], [[c, 2]], 0, 2)).toBe('b');
    expect(positionLabel(['ab'], [[c, 2]], 0, 3)).toBe('c');
    expect(positionLabel(['ab'], [[c, 2]], 0, 4)).toBe('<eos>');
  });

  it('walks the traced rows of a step and of a whole sequence', () => {
    const c = 5 + 'c'.charCodeAt(0) - 0x20;
    const steps = fixtureSteps();
    expect(stepTokens(steps, 0, ['ab'], [[c, 2]]).map((t) => t.label)).toEqual(['<bos>', 'a', 'b']);
    const seq = sequenceTokens(steps, 0, ['ab'], [[c, 2]]);
    expect(seq.map((t) => [t.label, t.step, t.row])).toEqual([
      ['<bos>', 0, 0],
      ['a', 0, 1],
      ['b', 0, 2],
      ['c', 1, 0],
    ]);
  });
});
