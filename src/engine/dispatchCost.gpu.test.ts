// The Latency view's floor rests on two things done on the device: counting every dispatch and
// submission (gpuCounters.ts) and the tiny probe of their costs (dispatchCost.ts). Both on Dawn.
import { describe, expect, it } from 'vitest';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { measureDispatchCosts } from './dispatchCost';
import { installGpuCounters, takeGpuCounts } from './gpuCounters';

describe('dispatch counting and the dispatch-cost probe', () => {
  it('counts exactly what was dispatched and submitted, and measures both costs', async () => {
    const device = await nodeDevice();
    installGpuCounters(device);
    installGpuCounters(device); // idempotent: a second install must not count twice
    takeGpuCounts();
    const costs = await measureDispatchCosts(device, 'test adapter');
    // Six rounds (one warm-up): a 1-dispatch pass, a 400-dispatch pass, 64 one-dispatch submits.
    expect(takeGpuCounts()).toEqual({ dispatches: 6 * (1 + 400 + 64), submits: 6 * (2 + 64) });
    expect(takeGpuCounts()).toEqual({ dispatches: 0, submits: 0 });
    expect(costs.source).toBe('measured');
    expect(costs.device).toBe('test adapter');
    expect(Number.isFinite(costs.perDispatchUs)).toBe(true);
    expect(Number.isFinite(costs.perSubmitUs)).toBe(true);
  });
});
