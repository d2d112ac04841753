import { describe, expect, it } from 'vitest';
import { balancedPlacement, expertMapFor, gpuTokenLoad, placeExperts } from './placement';

describe('expert placement', () => {
  it('contiguous and round-robin place every expert exactly once', () => {
    const c = placeExperts('contiguous', 8, 4);
    expect(c.byGpu).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    const r = placeExperts('round-robin', 8, 4);
    expect(r.byGpu).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
      [3, 7],
    ]);
    for (const p of [c, r]) expect(p.replicas.every((g) => g.length === 1)).toBe(true);
  });

  it('handles experts that do not divide evenly', () => {
    const c = placeExperts('contiguous', 10, 4);
    expect(c.byGpu.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(c.byGpu.map((l) => l.length)).toEqual([3, 3, 3, 1]);
  });

  it('EPLB copies hot experts and lowers the busiest GPU', () => {
    // Expert 0 is hot: contiguous puts all of it on GPU 0.
    const load = [800, 10, 10, 10, 10, 10, 10, 10];
    const contiguous = Math.max(...gpuTokenLoad(placeExperts('contiguous', 8, 4), load));
    const p = balancedPlacement(load, 4);
    const balanced = Math.max(...gpuTokenLoad(p, load));
    expect(p.replicas[0]!.length).toBeGreaterThan(1);
    expect(new Set(p.replicas[0]).size).toBe(p.replicas[0]!.length); // copies on distinct GPUs
    expect(p.byGpu.every((l) => l.length === p.byGpu[0]!.length)).toBe(true); // equal slots
    expect(balanced).toBeLessThan(contiguous / 2);
    // Load is conserved.
    expect(gpuTokenLoad(p, load).reduce((a, b) => a + b, 0)).toBeCloseTo(870, 9);
  });

  it('gives each GPU the kernels expert map of its local experts', () => {
    const p = placeExperts('round-robin', 6, 2);
    expect(Array.from(expertMapFor(p, 1))).toEqual([-1, 0, -1, 1, -1, 2]);
  });

  it('refuses a nonsense GPU count', () => {
    expect(() => placeExperts('contiguous', 8, 0)).toThrow(/positive integer/);
  });
});
