import { describe, expect, it } from 'vitest';
import { imbalanceLoss, pipelineTimeline, repeatStages, runStages, type Stage } from './timeline';

describe('virtual GPU timelines', () => {
  const stages: Stage[] = [
    { phase: 'router', kind: 'compute', ms: [1, 1] },
    { phase: 'dispatch', kind: 'comm', ms: [0.5, 0.5], scope: [0, 0] },
    { phase: 'experts', kind: 'compute', ms: [1, 3] },
    { phase: 'combine', kind: 'comm', ms: [0.5, 0.5], scope: [0, 0] },
  ];

  it('starts a collective when the slowest member arrives; the others wait', () => {
    const t = runStages(2, stages);
    expect(t.totalMs).toBe(1 + 0.5 + 3 + 0.5);
    const wait = t.lanes[0]!.find((s) => s.kind === 'wait')!;
    expect([wait.start, wait.end]).toEqual([2.5, 4.5]);
    expect(t.lanes[1]!.some((s) => s.kind === 'wait')).toBe(false);
  });

  it('separate barrier groups do not wait for each other', () => {
    const t = runStages(4, [
      { phase: 'experts', kind: 'compute', ms: [1, 2, 5, 5] },
      { phase: 'all-reduce', kind: 'comm', ms: [1, 1, 1, 1], scope: [0, 0, 1, 1] },
    ]);
    expect(t.lanes[0]!.at(-1)!.end).toBe(3);
    expect(t.lanes[2]!.at(-1)!.end).toBe(6);
  });

  it('imbalance loss: 1 − balanced / actual', () => {
    // actual 5; with experts at their mean (2 each): 1 + 0.5 + 2 + 0.5 = 4.
    expect(imbalanceLoss(2, stages, 'experts')).toBeCloseTo(1 - 4 / 5, 12);
    expect(imbalanceLoss(2, [{ phase: 'experts', kind: 'compute', ms: [2, 2] }], 'experts')).toBe(
      0,
    );
  });

  it('repeats a layer for a decode step', () => {
    expect(repeatStages(2, stages, 3).totalMs).toBeCloseTo(15, 12);
  });

  it('pipeline: fill and drain bubbles of a GPipe schedule', () => {
    const S = 3;
    const m = 4;
    const t = pipelineTimeline(
      Array.from({ length: S }, () => new Array<number>(m).fill(1)),
      Array.from({ length: S - 1 }, () => new Array<number>(m).fill(0)),
    );
    expect(t.totalMs).toBe(m + S - 1);
    expect(t.lanes[2]![0]).toMatchObject({ kind: 'wait', start: 0, end: 2 });
  });
});
