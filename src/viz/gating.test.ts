import { describe, expect, it } from 'vitest';
import { gatingBars, gatingView } from './gating';
import { fixtureLayer } from './traceFixture.testing';

describe('gating view', () => {
  it('reads the softmax row, the top-k and renormalises over the chosen experts', () => {
    const g = gatingView(fixtureLayer(), 1);
    expect(g.probs).toHaveLength(4);
    expect(g.chosen.map((c) => c.expert)).toEqual([2, 1]);
    expect(g.topSum).toBeCloseTo(0.85, 6);
    expect(g.chosen[0]!.renormalized).toBeCloseTo(0.6 / 0.85, 6);
    expect(g.chosen[0]!.renormalized + g.chosen[1]!.renormalized).toBeCloseTo(1, 12);
    expect(g.weightsAreRenormalized).toBe(true);
  });

  it('draws one bar per expert and tags the chosen ones by rank', () => {
    const bars = gatingBars(gatingView(fixtureLayer(), 1));
    expect(bars.map((b) => b.label)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(bars.map((b) => b.tag)).toEqual([undefined, 'top-2', 'top-1', undefined]);
    expect(bars[2]!.value).toBeCloseTo(0.6, 6);
    expect(bars.filter((b) => b.detail === 'chosen')).toHaveLength(2);
  });

  it('says so when the kernel did not renormalise', () => {
    const l = fixtureLayer();
    // Raw probabilities as weights (no renormalisation): 0.5 and 0.3 do not sum to 1.
    l.topkWeights = Float32Array.from([0.5, 0.3, 0.6, 0.25, 0.4, 0.4]);
    expect(gatingView(l, 0).weightsAreRenormalized).toBe(false);
  });
});
