import { describe, expect, it } from 'vitest';
import {
  characterExpertCounts,
  expertRows,
  layerLoadMatrix,
  routedExperts,
  rowShares,
  sequenceSkills,
  skillExpertCounts,
  tokenExpertMatrix,
  topExperts,
} from './routingMatrix';
import { sequenceTokens } from './tokens';
import { fixtureSteps } from './traceFixture.testing';

const c = 5 + 'c'.charCodeAt(0) - 0x20;

describe('routing matrices', () => {
  const steps = fixtureSteps();
  const tokens = sequenceTokens(steps, 0, ['ab'], [[c]]);

  it('reads each token’s probability row and top expert at a layer', () => {
    const m = tokenExpertMatrix(steps, tokens, 1);
    expect(m).toHaveLength(4);
    expect(m[1]![2]).toBeCloseTo(0.6, 6);
    expect(topExperts(steps, tokens, 0)).toEqual([1, 2, 1, 1]);
  });

  it('reads the k experts each token was routed to, top-1 first', () => {
    const routed = routedExperts(steps, tokens, 0);
    expect(routed).toHaveLength(4);
    expect(routed.map((r) => r[0])).toEqual(topExperts(steps, tokens, 0));
    expect(routed.every((r) => r.length === 2 && r[0] !== r[1])).toBe(true);
  });

  it('turns tokens × experts into experts × tokens', () => {
    expect(
      expertRows(
        [
          [0.1, 0.9],
          [0.7, 0.3],
          [0.5, 0.5],
        ],
        2,
      ),
    ).toEqual([
      [0.1, 0.7, 0.5],
      [0.9, 0.3, 0.5],
    ]);
  });

  it('writes each row as shares of its total, an empty row as zeros', () => {
    expect(
      rowShares([
        [1, 3],
        [0, 0],
      ]),
    ).toEqual([
      [0.25, 0.75],
      [0, 0],
    ]);
  });

  it('finds each sequence’s skill from the pack’s example prompts', () => {
    const examples = [
      { prompt: 'add: 1+2=', skill: 'add' },
      { prompt: 'rev: abc=', skill: 'reverse' },
    ];
    expect(sequenceSkills(['rev: abc=', 'free text', 'add: 1+2='], examples)).toEqual([
      'reverse',
      null,
      'add',
    ]);
  });

  it('sums the per-expert counts of every step, per layer', () => {
    // prefill counts [1,3,1,1], decode [1,1,0,0]; both layers alike.
    expect(layerLoadMatrix(steps)).toEqual([
      [2, 4, 1, 1],
      [2, 4, 1, 1],
    ]);
  });

  it('counts which characters each expert serves', () => {
    const one = characterExpertCounts(steps, tokens, 0);
    expect(one.labels).toEqual(['<bos>', 'a', 'b', 'c']);
    expect(one.counts[1]).toEqual([0, 1, 1, 0]);
    const all = characterExpertCounts(steps, tokens, null);
    expect(all.counts[1]).toEqual([0, 2, 2, 0]);
    // Every token contributes k pairs per layer.
    const total = all.counts.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(tokens.length * 2 * 2);
  });

  it('groups the routed pairs by the skill of each sequence', () => {
    const byLayer0 = skillExpertCounts(steps, ['add'], 0);
    expect(byLayer0.labels).toEqual(['add']);
    // prefill [1,3,1,1] + decode [1,1,0,0]
    expect(byLayer0.counts[0]).toEqual([2, 4, 1, 1]);
    expect(skillExpertCounts(steps, [null], 0).labels).toEqual([]);
  });
});
