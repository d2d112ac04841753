import { describe, expect, it } from 'vitest';
import { alignReference } from '../kernels/reference';
import type { BlockSize } from '../kernels/types';
import {
  alignView,
  combineTerms,
  dropSummary,
  droppedInRun,
  slots,
  traceMatchesReference,
} from './permutation';
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

describe('align view with a capacity factor', () => {
  // Pairs: t0 → 1, 0; t1 → 2, 1; t2 → 1, 3. Capacity 1: expert 1 keeps pair 0, drops 3 and 4.
  const base = fixtureLayer();
  const capped = () => {
    const a = alignReference(base.topkIds, 4, 4 as BlockSize, undefined, 1);
    return { ...base, ...a, capacity: 1 };
  };

  it('shows the run’s dropped pairs and counts only the kept ones', () => {
    const layer = capped();
    const v = alignView(layer, 4);
    expect(v.dropped).toEqual([3, 4]);
    expect(v.capacity).toBe(1);
    expect(v.counts).toEqual([1, 1, 1, 1]);
    expect(traceMatchesReference(layer)).toBe(true);
    // At another BM the same pairs stay dropped.
    expect(alignView(layer, 16).counts).toEqual([1, 1, 1, 1]);
    expect(alignView(layer, 16).dropped).toEqual([3, 4]);
  });

  it('the twin check fails when the trace dropped other pairs than the twin would', () => {
    const layer = capped();
    expect(traceMatchesReference({ ...layer, dropped: Int32Array.from([3]) })).toBe(false);
    expect(traceMatchesReference({ ...layer, capacity: 2 })).toBe(false);
  });

  it('a dropped pair has no slot in the combine', () => {
    const layer = capped();
    const terms = combineTerms(alignView(layer, 4), layer.topkWeights, 2);
    expect(terms.map((t) => [t.pair, t.dropped, t.slot])).toEqual([
      [4, true, -1],
      [5, false, 12],
    ]);
  });

  it('summarises the drops from the trace', () => {
    const s = dropSummary(capped())!;
    expect(s).toMatchObject({ capacity: 1, pairs: 6, dropped: 2, tokensLostAll: 0, calls: 1 });
    const w = base.topkWeights;
    const total = Array.from(w).reduce((a, b) => a + b, 0);
    expect(s.weightShare).toBeCloseTo((w[3]! + w[4]!) / total, 6);
    expect(dropSummary(base)).toBeNull();
  });

  it('counts a run’s drops over every step and layer', () => {
    const step = {
      step: 0,
      phase: 'prefill' as const,
      ortMs: 0,
      moeMs: 0,
      stepMs: 0,
      ortCalls: 0,
      moeDispatches: 0,
    };
    expect(droppedInRun([{ ...step, layers: [capped(), capped()] }])).toEqual({
      dropped: 4,
      pairs: 12,
    });
    expect(droppedInRun([{ ...step, layers: [base] }])).toBeNull();
  });
});
