import { describe, expect, it } from 'vitest';
import { memoryPerGpu, pipelineMemory } from '../parallel/memoryPlan';
import { linkFor } from '../parallel/phaseCosts';
import { randomDims } from '../parallel/randomWorkload';
import { resolveShardLayout, type ShardStrategy } from '../parallel/shardLayout';
import type { Timeline } from '../parallel/timeline';
import type { CommRow, VirtualRunReport } from '../parallel/virtualRun';
import { virtualTimelines, type ComputeSource } from '../parallel/virtualTimeline';
import { commLines, expertCopies, formatBinaryBytes, gpuLoad } from './virtualRunView';

/** A lane's working time, read off its blocks directly: everything that is not a wait. */
const laneBusy = (t: Timeline) =>
  t.lanes.map((lane) =>
    lane.filter((s) => s.kind !== 'wait').reduce((a, s) => a + (s.end - s.start), 0),
  );

/** A one-layer timeline with the given busy ms per GPU (router, then experts). */
function timelineOf(busy: number[]): Timeline {
  return {
    totalMs: Math.max(...busy),
    lanes: busy.map((b) => [
      { phase: 'router', kind: 'compute', start: 0, end: b / 2 },
      { phase: 'experts', kind: 'compute', start: b / 2, end: b },
    ]),
  };
}

const SPEC = { strategy: 'ep', gpus: 4, tp: 1, placement: 'contiguous', microBatches: 1 } as const;

/** A report as the engine returns it, without a GPU: 4 GPUs, the pairs given, bytes to match. */
function reportFor(
  strategy: ShardStrategy | 'pp',
  pairs: number[],
  measured?: number[],
): VirtualRunReport {
  const dims = randomDims(8, 2);
  const P = 4;
  const T = 16;
  const spec = {
    strategy,
    gpus: P,
    tp: strategy === 'tp-ep' ? 2 : 1,
    placement: 'contiguous',
    microBatches: 4,
  } as const;
  const row = (kind: CommRow['kind'], sent: number[]): CommRow => ({
    kind,
    bytes: sent.reduce((a, b) => a + b, 0),
    sent,
    received: sent,
    formula: null,
    formulaText: '',
  });
  const base = {
    spec,
    dims,
    T,
    k: dims.k,
    layer: 0,
    maxRelError: 0,
    rows: pairs.map((p) => Math.ceil(p / dims.k)),
    pairs,
    expertsHit: pairs.map((p) => Math.min(2, p)),
  };
  if (strategy === 'pp') {
    const stages: [number, number][] = [0, 2, 4, 6].map((a) => [a, a + 2]);
    const micro: [number, number][] = [0, 4, 8, 12].map((a) => [a, a + 4]);
    return {
      ...base,
      layout: null,
      stages,
      micro,
      ownTokens: [T, T, T, T],
      experts: stages.map(() => [0, 1, 2, 3, 4, 5, 6, 7]),
      memory: pipelineMemory(stages, dims, 2),
      comm: [row('pp-send', [4096, 4096, 4096, 0])],
      measuredMs: null,
      pipelineMs: measured ? stages.map((_, s) => micro.map(() => measured[s]!)) : null,
    };
  }
  const L = resolveShardLayout({ strategy, gpus: P, tp: spec.tp, placement: 'contiguous' }, dims);
  const bytes = pairs.map((p) => p * dims.D * 4);
  return {
    ...base,
    layout: L,
    stages: null,
    micro: null,
    ownTokens: pairs.map(() => (L.replicatedTokens ? T : T / L.ep)),
    experts: Array.from({ length: P }, (_, g) =>
      L.physByGroup[Math.floor(g / L.tp)]!.map((p) => L.physical[p]!.expert),
    ),
    memory: memoryPerGpu(L, dims, 2),
    comm:
      strategy === 'tp'
        ? [row('all-reduce', [6144, 6144, 6144, 6144])]
        : [
            row('dispatch', bytes),
            row('combine', bytes),
            row(
              'dispatch-meta',
              pairs.map((p) => p * 16),
            ),
          ],
    measuredMs: measured
      ? measured.map((m) => ({ router: 0.1, pack: 0.05, experts: m, shared: 0, sum: 0.05 }))
      : null,
    pipelineMs: null,
  };
}

describe('virtual-GPU run, as the view draws it', () => {
  it('writes bytes in binary units', () => {
    expect(formatBinaryBytes(512)).toBe('512 B');
    expect(formatBinaryBytes(1536)).toBe('1.5 KiB');
    expect(formatBinaryBytes(3 * (1 << 20))).toBe('3.00 MiB');
  });

  it('counts the GPUs that hold each expert', () => {
    const copies = expertCopies([
      [0, 1, 7],
      [2, 3, 7],
    ]);
    expect(copies.get(7)).toBe(2);
    expect(copies.get(0)).toBe(1);
    expect(copies.has(4)).toBe(false);
  });

  it('tags the busiest GPU and says how far above the mean it is', () => {
    const r = { pairs: [2, 6, 4, 4], rows: [1, 3, 2, 2], expertsHit: [1, 2, 2, 2], spec: SPEC };
    const load = gpuLoad(r, timelineOf([2, 6, 4, 4]));
    expect(load.mean).toBe(4);
    expect(load.imbalance).toBe(1.5);
    expect(load.pairs).toEqual([2, 6, 4, 4]);
    expect(load.bars.map((b) => b.tag)).toEqual([undefined, 'busiest', undefined, undefined]);
    expect(load.bars[1]!.detail).toBe(
      '6.00 ms compute (experts 3.00 ms), 0 ms communication, 0 ms waiting; 6 (token, expert) pairs, 3 token rows received, 2 experts touched',
    );
  });

  it('tags nothing when the load is even', () => {
    const r = { pairs: [3, 3], rows: [3, 3], expertsHit: [1, 1], spec: SPEC };
    const load = gpuLoad(r, timelineOf([3, 3]));
    expect(load.imbalance).toBe(1);
    expect(load.bars.every((b) => b.tag === undefined)).toBe(true);
    // 0.3 % apart reads "1.00× the mean": no GPU is called busiest for it.
    const close = gpuLoad(r, timelineOf([3, 3.02]));
    expect(close.imbalance.toFixed(2)).toBe('1.00');
    expect(close.bars.every((b) => b.tag === undefined)).toBe(true);
  });

  // The issue: under TP the load chart said 1.00× while the timeline showed GPU 0 three times as
  // long. The bars are now the timeline's own busy time, for every strategy and compute source.
  it('draws each GPU’s load as exactly the busy time its timeline lane shows', () => {
    const link = linkFor('nvlink');
    const cases: [ShardStrategy | 'pp', number[]][] = [
      ['ep', [6, 20, 4, 2]],
      ['dp-ep', [30, 2, 0, 0]],
      ['tp', [24, 24, 24, 24]],
      ['tp-ep', [10, 10, 4, 4]],
      ['pp', [64, 64, 64, 64]],
    ];
    for (const [strategy, pairs] of cases)
      for (const source of ['modelled', 'measured'] as ComputeSource[]) {
        // Measured times that disagree with the pairs, as a software GPU's do.
        const r = reportFor(strategy, pairs, source === 'measured' ? [200, 90, 60, 60] : undefined);
        const t = virtualTimelines(r, source, link);
        const load = gpuLoad(r, t.layer);
        const busy = laneBusy(t.layer);
        const what = `${strategy}, ${source}`;
        expect(load.bars).toHaveLength(busy.length);
        load.bars.forEach((b, g) => expect(b.value, `${what}, GPU ${g}`).toBeCloseTo(busy[g]!, 9));
        expect(load.bars.map((b) => b.label)).toEqual(['GPU 0', 'GPU 1', 'GPU 2', 'GPU 3']);
        const mean = busy.reduce((a, b) => a + b, 0) / busy.length;
        expect(load.mean, what).toBeCloseTo(mean, 12);
        expect(load.imbalance, what).toBeCloseTo(Math.max(...busy) / mean, 12);
        const tagged = load.bars.findIndex((b) => b.tag === 'busiest');
        if (tagged >= 0) expect(busy[tagged], what).toBeCloseTo(Math.max(...busy), 9);
      }
  });

  it('modelled for one H100, TP’s even pairs give even load, and EP’s skewed pairs the busiest GPU', () => {
    const link = linkFor('nvlink');
    const tp = reportFor('tp', [24, 24, 24, 24]);
    const tpLoad = gpuLoad(tp, virtualTimelines(tp, 'modelled', link).layer);
    expect(tpLoad.imbalance).toBeCloseTo(1, 9);
    expect(tpLoad.bars.every((b) => b.tag === undefined)).toBe(true);
    // At these small sizes an expert's time is mostly its kernel launches, so a GPU whose experts
    // got nothing stands out (as a skewed routing leaves some GPUs idle).
    const ep = reportFor('ep', [0, 20, 4, 2]);
    const epLoad = gpuLoad(ep, virtualTimelines(ep, 'modelled', link).layer);
    expect(epLoad.bars.findIndex((b) => b.tag === 'busiest')).toBe(1);
    expect(epLoad.imbalance).toBeGreaterThan(1);
  });

  it('modelled, the collectives are visible: each all-to-all is a real share of the layer', () => {
    const ep = reportFor('ep', [6, 20, 4, 2]);
    const t = virtualTimelines(ep, 'modelled', linkFor('nvlink')).layer;
    const comm = t.lanes[1]!.filter((s) => s.kind === 'comm');
    expect(comm.map((s) => s.phase)).toEqual(expect.arrayContaining(['dispatch', 'combine']));
    const share = comm.reduce((a, s) => a + s.end - s.start, 0) / t.totalMs;
    expect(share).toBeGreaterThan(0.02);
  });

  it('sets each collective against its formula: per GPU for rings, all links for all-to-alls', () => {
    const row = (kind: CommRow['kind'], bytes: number, sent: number[], formula: number | null) =>
      ({ kind, bytes, sent, received: sent, formula, formulaText: '' }) satisfies CommRow;
    const lines = commLines([
      row('all-reduce', 400, [100, 100, 100, 100], 100),
      row('dispatch', 300, [100, 200], 400),
      row('combine', 0, [0, 0], 0),
      row('dispatch-meta', 40, [20, 20], null),
    ]);
    expect(lines.map((l) => l.kind)).toEqual(['all-reduce', 'dispatch', 'dispatch-meta']);
    expect(lines.map((l) => [l.perGpu, l.measured, l.ofFormula])).toEqual([
      [true, 100, 1],
      [false, 300, 0.75],
      [false, 40, null],
    ]);
  });
});
