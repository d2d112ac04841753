import { describe, expect, it } from 'vitest';
import { alignView, combineTerms, slots, traceMatchesReference } from './permutation';
import { gemmBlocks, workPerExpert } from './gemmBlocks';
import { fixtureLayer } from './traceFixture.testing';

describe('align view of a traced layer', () => {
  const layer = fixtureLayer();

  it('uses the trace buffers at the engine block size', () => {
    const v = alignView(layer, 4);
    expect(v.fromTrace).toBe(true);
    // pairs: t0 → 1, 0; t1 → 2, 1; t2 → 1, 3
    expect(v.counts).toEqual([1, 3, 1, 1]);
    expect(v.padded).toEqual([4, 4, 4, 4]);
    expect(v.offsets).toEqual([0, 4, 8, 12, 16]);
    expect(v.expertIds).toEqual([0, 1, 2, 3]);
    expect(v.sortedIds).toEqual([1, 6, 6, 6, 0, 3, 4, 6, 2, 6, 6, 6, 5, 6, 6, 6]);
    expect(v.paddingSlots).toBe(10);
    expect(v.paddingFraction).toBeCloseTo(10 / 16, 12);
    expect(traceMatchesReference(layer)).toBe(true);
  });

  it('recomputes the padding for another BM from the same counts', () => {
    const v = alignView(layer, 16);
    expect(v.fromTrace).toBe(false);
    expect(v.counts).toEqual([1, 3, 1, 1]);
    expect(v.numPostPad).toBe(64);
    expect(v.paddingSlots).toBe(58);
    expect(v.expertIds).toEqual([0, 1, 2, 3]);
  });

  it('accepts any order inside an expert (GPU atomics), not across experts', () => {
    const swapped = { ...layer, sortedIds: layer.sortedIds.slice() };
    // Expert 1's segment is slots 4..7 = [0, 3, 4, sentinel].
    swapped.sortedIds.set([4, 0, 3], 4);
    expect(traceMatchesReference(swapped)).toBe(true);
  });

  it('notices a trace that disagrees with the CPU twin', () => {
    const bad = { ...layer, sortedIds: layer.sortedIds.slice() };
    bad.sortedIds[0] = 5;
    expect(traceMatchesReference(bad)).toBe(false);
  });

  it('maps slots to tokens and padding', () => {
    const s = slots(alignView(layer, 4));
    expect(s[4]).toEqual({ slot: 4, block: 1, expert: 1, pair: 0, token: 0, j: 0 });
    expect(s[1]).toMatchObject({ pair: null, token: null, expert: 0 });
    expect(s.filter((x) => x.pair !== null)).toHaveLength(6);
  });

  it('finds where each of a token’s pairs landed for the combine', () => {
    const terms = combineTerms(alignView(layer, 4), layer.topkWeights, 1);
    expect(terms.map((t) => [t.pair, t.expert, t.slot])).toEqual([
      [2, 2, 8],
      [3, 1, 5],
    ]);
    expect(terms[0]!.weight).toBeCloseTo(0.6 / 0.85, 6);
  });
});

describe('grouped GEMM blocks', () => {
  it('labels each block with its expert and fill', () => {
    const v = alignView(fixtureLayer(), 4);
    expect(gemmBlocks(v).map((b) => [b.expert, b.rows, b.fill])).toEqual([
      [0, 1, 0.25],
      [1, 3, 0.75],
      [2, 1, 0.25],
      [3, 1, 0.25],
    ]);
  });

  it('counts each expert’s work over its padded rows', () => {
    const w = workPerExpert(alignView(fixtureLayer(), 4), 8, 2);
    expect(w[1]).toEqual({
      expert: 1,
      tokens: 3,
      blocks: 1,
      computedRows: 4,
      flops: 4 * 6 * 8 * 2,
      usefulFlops: 3 * 6 * 8 * 2,
    });
  });
});
