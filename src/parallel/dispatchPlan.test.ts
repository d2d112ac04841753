import { describe, expect, it } from 'vitest';
import { planDispatch, remoteRows } from './dispatchPlan';
import { evenSplit, resolveShardLayout, ShardError, tokenOwnership } from './shardLayout';
import { memoryPerGpu, pipelineMemory, totalBytes } from './memoryPlan';
import { rankWeights } from './shardWeights';

describe('shard layout', () => {
  it('cuts tp / ep / dp-ep / tp-ep into groups and slices', () => {
    const d = { E: 8, I: 10, sharedI: 6 };
    expect(
      resolveShardLayout({ strategy: 'tp', gpus: 4, placement: 'contiguous' }, d),
    ).toMatchObject({ tp: 4, ep: 1 });
    const ep = resolveShardLayout({ strategy: 'ep', gpus: 4, placement: 'round-robin' }, d);
    expect(ep.physByGroup.map((g) => g.map((p) => ep.physical[p]!.expert))).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    const hy = resolveShardLayout(
      { strategy: 'tp-ep', gpus: 8, tp: 2, placement: 'contiguous' },
      d,
    );
    expect([hy.tp, hy.ep]).toEqual([2, 4]);
    expect(hy.iSlice).toEqual([
      [0, 5],
      [5, 10],
    ]);
    expect(hy.sharedSlice).toEqual([
      [0, 3],
      [3, 6],
    ]);
    expect(hy.replicatedTokens).toBe(false);
  });

  it('EPLB adds replicas of the hot expert as extra physical experts', () => {
    const l = resolveShardLayout(
      { strategy: 'dp-ep', gpus: 2, placement: 'eplb', load: [100, 1, 1, 1] },
      { E: 4, I: 8 },
    );
    expect(l.physOfExpert[0]!.length).toBe(2);
    expect(l.physical.length).toBe(6);
  });

  it('refuses impossible cuts with a reason', () => {
    expect(() =>
      resolveShardLayout({ strategy: 'ep', gpus: 8, placement: 'contiguous' }, { E: 4, I: 8 }),
    ).toThrow(ShardError);
    expect(() =>
      resolveShardLayout(
        { strategy: 'tp-ep', gpus: 8, tp: 3, placement: 'contiguous' },
        { E: 8, I: 8 },
      ),
    ).toThrow(/divides 8/);
    expect(() =>
      resolveShardLayout({ strategy: 'tp', gpus: 3.5, placement: 'contiguous' }, { E: 8, I: 8 }),
    ).toThrow(/whole number/);
  });

  it('splits evenly and owns every token once', () => {
    const l = resolveShardLayout(
      { strategy: 'dp-ep', gpus: 4, placement: 'contiguous' },
      { E: 8, I: 8 },
    );
    const own = tokenOwnership(l, 10);
    expect(own).toEqual([
      [0, 2],
      [2, 5],
      [5, 7],
      [7, 10],
    ]);
    expect(evenSplit(7, 7, 6)).toEqual([6, 7]);
  });
});

describe('dispatch plan', () => {
  const l = resolveShardLayout(
    { strategy: 'dp-ep', gpus: 2, placement: 'contiguous' },
    { E: 4, I: 8 },
  );
  // Group 0 owns tokens 0,1; group 1 owns 2,3. Experts 0,1 on group 0; 2,3 on group 1.
  const topk = [Int32Array.from([0, 1, 2, 0]), Int32Array.from([3, 2, 1, 3])];
  const plan = planDispatch(l, 4, 2, topk);

  it('sends a token once to each group holding one of its experts', () => {
    expect(plan.rows).toEqual([
      [[0, 1], [1]],
      [[1], [0, 1]],
    ]);
    expect(remoteRows(plan)).toBe(2);
    expect(plan.recvRows).toEqual([3, 3]);
  });

  it('lays out receive buffers by source, with the physical ids of every pair', () => {
    expect(plan.recvOff).toEqual([
      [0, 2],
      [0, 1],
    ]);
    expect([...plan.recvIds[0]!]).toEqual([0, 1, 2, 0, 1, 3]);
    expect(plan.pairsPerGroup).toEqual([4, 4]);
  });

  it('knows where each output comes back to', () => {
    // Token 1 of group 0 gets rows from group 0 (slot 1) and group 1 (slot 2).
    expect([...plan.retSlot[0]!]).toEqual([0, 1, -1, 2]);
  });
});

describe('per-GPU weights and memory', () => {
  it('a rank holds its experts’ column slice: W1 columns, W2 rows', () => {
    const l = resolveShardLayout(
      { strategy: 'tp', gpus: 2, placement: 'contiguous' },
      { E: 1, I: 4 },
    );
    const D = 2;
    const w = {
      Wr: new Float32Array(2),
      W1: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      W3: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      W2: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    };
    const r1 = rankWeights(l, w, { D, I: 4 }, 0, 1);
    expect([...r1.W1]).toEqual([3, 4, 7, 8]);
    expect([...r1.W2]).toEqual([5, 6, 7, 8]);
  });

  it('TP and EP split expert bytes P ways; pipeline stages hold whole layers', () => {
    const dims = {
      D: 8,
      I: 16,
      E: 4,
      k: 2,
      sharedI: 0,
      layers: 4,
      heads: 2,
      kvHeads: 2,
      headDim: 4,
      vocab: 10,
      context: 8,
    };
    const one = memoryPerGpu(
      resolveShardLayout({ strategy: 'tp', gpus: 1, placement: 'contiguous' }, dims),
      dims,
      2,
    );
    const tp = memoryPerGpu(
      resolveShardLayout({ strategy: 'tp', gpus: 2, placement: 'contiguous' }, dims),
      dims,
      2,
    );
    const ep = memoryPerGpu(
      resolveShardLayout({ strategy: 'dp-ep', gpus: 2, placement: 'contiguous' }, dims),
      dims,
      2,
    );
    expect(tp[0]!.experts).toBe(one[0]!.experts / 2);
    expect(ep[0]!.experts).toBe(one[0]!.experts / 2);
    expect(tp[0]!.attention).toBe(one[0]!.attention / 2);
    expect(ep[0]!.attention).toBe(one[0]!.attention); // data-parallel attention: whole weights
    expect(ep[0]!['KV cache']).toBe(one[0]!['KV cache'] / 2); // ... but only its own sequences
    const pp = pipelineMemory(
      [
        [0, 2],
        [2, 4],
      ],
      dims,
      2,
    );
    expect(pp[0]!.experts + pp[1]!.experts).toBe(one[0]!.experts);
    expect(totalBytes(pp[0]!)).toBeGreaterThan(0);
  });
});
