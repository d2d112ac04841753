// Issue 19's whole-model targets from one run's rows: the fastest WebGPU path judged, its floor
// computed from the counted dispatches and the measured costs, missing rows not judged.
import { describe, expect, it } from 'vitest';
import type { DispatchCosts } from '../viz/dispatchFloor';
import type { ModelPathResult } from './modelReport';
import { modelTargets, tokenFloor } from './modelTargets';

const costs: DispatchCosts = {
  perDispatchUs: 2,
  perSubmitUs: 20,
  source: 'measured',
  device: 'test',
  at: 0,
};
const row = (id: ModelPathResult['id'], r: Partial<ModelPathResult>): ModelPathResult => ({
  id,
  label: id,
  backend: id.endsWith('wasm') ? 'wasm' : 'WebGPU',
  runs: [],
  ...r,
});

describe('whole-model targets (issue 19)', () => {
  const wgsl = row('wgsl-webgpu', {
    itlMs: 0.8,
    ttftMs: 4,
    dispatchesPerToken: 46,
    submitsPerToken: 1,
  });
  const ort = row('ours-webgpu', {
    itlMs: 4.6,
    ttftMs: 20,
    dispatchesPerToken: 163,
    submitsPerToken: 23,
  });
  const wasm = row('ours-wasm', { itlMs: 2, ttftMs: 30 });

  it('judges the fastest WebGPU path, with its floor from the counts and the measured costs', () => {
    const [itl, ratio, ttft] = modelTargets([ort, wgsl, wasm], costs);
    expect(itl!.status).toBe('met');
    // 46 × 2 µs + 1 × 20 µs = 0.112 ms; 0.8 / 0.112 = 7.1×.
    expect(itl!.detail).toContain('own WGSL dense ITL 0.80 ms, floor 0.112 ms');
    expect(itl!.detail).toContain('7.1× it');
    expect(itl!.target).toContain('2.0 µs a dispatch, 20.0 µs a submission');
    expect(ratio!.status).toBe('met');
    expect(ratio!.detail).toContain('= 0.40×');
    expect(ttft!.status).toBe('met');
    expect(ttft!.detail).toContain('own WGSL dense 4.0 ms');
  });

  it('says by how much a target is missed, and at exactly the bound it is met', () => {
    const slow = { ...wgsl, itlMs: 1.3, ttftMs: 5.5 };
    const [itl, ratio, ttft] = modelTargets([slow, wasm], costs);
    expect(itl!.status).toBe('missed');
    expect(itl!.detail).toContain('misses by 0.30 ms');
    expect(ratio!.status).toBe('missed');
    expect(ttft!.status).toBe('missed');
    const edge = modelTargets(
      [{ ...wgsl, itlMs: 1, ttftMs: 5 }, row('ours-wasm', { itlMs: 2 })],
      costs,
    );
    expect(edge.map((t) => t.status)).toEqual(['met', 'met', 'met']);
  });

  it('does not judge what did not run, and has no floor without the costs', () => {
    const none = modelTargets([wasm, { ...wgsl, error: 'no WebGPU', itlMs: undefined }], costs);
    expect(none.map((t) => t.status)).toEqual(['not measured', 'not measured', 'not measured']);
    const noCosts = modelTargets([wgsl], null);
    expect(noCosts[0]!.status).toBe('met');
    expect(noCosts[0]!.detail).toContain('dispatch cost not measured in this run');
    expect(noCosts[1]!.status).toBe('not measured');
    expect(tokenFloor(wgsl, null)).toBeNull();
    expect(tokenFloor({ ...wgsl, dispatchesPerToken: null }, costs)).toBeNull();
  });
});
