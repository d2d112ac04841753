import { describe, expect, it } from 'vitest';
import { pairShares, routingOnly, tallySpecialisation } from './specialisation';
import { fixtureSteps } from './traceFixture.testing';

describe('expert specialisation over an evaluation run', () => {
  // Prefill of "<bos>ab": rows 0..2 → experts {1,0}, {2,1}, {1,3}; decode of 'c' → {1,0}.
  const steps = fixtureSteps().map(routingOnly);
  const prompts = ['ab'];
  const outputs = [[0x63 - 0x20 + 5]]; // the token of 'c'

  it('counts every token of the run per skill and per character, layer by layer', () => {
    const s = tallySpecialisation(steps, ['add'], prompts, outputs);
    expect(s.experts).toBe(4);
    expect(s.tokens).toBe(4);
    expect(s.sequences).toBe(1);
    expect(s.layers).toHaveLength(2);
    const skills = s.layers[0]!.skills;
    expect(skills.labels).toEqual(['add']);
    expect(skills.tokens).toEqual([4]);
    expect(skills.counts).toEqual([[2, 4, 1, 1]]);
    const chars = s.layers[1]!.chars;
    expect(chars.labels).toEqual(['<bos>', 'a', 'b', 'c']);
    expect(chars.tokens).toEqual([1, 1, 1, 1]);
    expect(chars.counts[3]).toEqual([1, 1, 0, 0]); // 'c' went to experts 1 and 0
    expect(pairShares(skills)[0]).toEqual([2 / 8, 4 / 8, 1 / 8, 1 / 8]);
  });

  it('sequences of several skills are kept apart; unknown sequences count only as characters', () => {
    const two = steps.map((st) => ({
      layers: st.layers.map((l) => ({
        ...l,
        T: l.T * 2,
        topkIds: Int32Array.from([...l.topkIds, ...l.topkIds]),
        rowSeq: Int32Array.from([...l.rowSeq, ...Array.from(l.rowSeq, () => 1)]),
        rowPos: Int32Array.from([...l.rowPos, ...l.rowPos]),
      })),
    }));
    const s = tallySpecialisation(two, ['add', 'copy'], ['ab', 'ab'], [outputs[0]!, outputs[0]!]);
    expect(s.layers[0]!.skills.labels).toEqual(['add', 'copy']);
    expect(s.layers[0]!.skills.tokens).toEqual([4, 4]);
    expect(s.layers[0]!.chars.tokens).toEqual([2, 2, 2, 2]);
    const partial = tallySpecialisation(two, ['add'], ['ab', 'ab'], [outputs[0]!, outputs[0]!]);
    expect(partial.layers[0]!.skills.tokens).toEqual([4]);
    expect(partial.layers[0]!.chars.tokens).toEqual([2, 2, 2, 2]);
  });

  it('an empty run has no layers', () => {
    expect(tallySpecialisation([], [], [], []).layers).toEqual([]);
  });
});
