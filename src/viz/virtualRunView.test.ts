import { describe, expect, it } from 'vitest';
import type { CommRow } from '../parallel/virtualRun';
import { commLines, expertCopies, formatBinaryBytes, gpuLoad } from './virtualRunView';

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
    const load = gpuLoad({ pairs: [2, 6, 4, 4], rows: [1, 3, 2, 2], expertsHit: [1, 2, 2, 2] });
    expect(load.mean).toBe(4);
    expect(load.imbalance).toBe(1.5);
    expect(load.bars.map((b) => b.tag)).toEqual([undefined, 'busiest', undefined, undefined]);
    expect(load.bars[1]!.detail).toBe('3 token rows received, 2 experts touched');
  });

  it('tags nothing when the load is even', () => {
    const load = gpuLoad({ pairs: [3, 3], rows: [3, 3], expertsHit: [1, 1] });
    expect(load.imbalance).toBe(1);
    expect(load.bars.every((b) => b.tag === undefined)).toBe(true);
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
