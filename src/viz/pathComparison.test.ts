import { describe, expect, it } from 'vitest';
import { comparableRuns, comparisonSentence, pathOf, type PathRun } from './pathComparison';

const run = (over: Partial<PathRun>): PathRun => ({
  path: 'webgpu-ort',
  key: 'k',
  adapter: 'nvidia · hopper',
  ttftMs: 20,
  itlMs: 18,
  outputTokensPerS: 50,
  dispatchesPerToken: 179,
  ortCallsPerToken: 5,
  seq: 0,
  ...over,
});

describe('path comparison', () => {
  it('names the path of a backend and dense path', () => {
    expect(pathOf('cpu', null)).toBe('cpu');
    expect(pathOf('cpu', 'wgsl')).toBe('cpu');
    expect(pathOf('webgpu', 'wgsl')).toBe('webgpu-wgsl');
    expect(pathOf('webgpu', 'ort')).toBe('webgpu-ort');
  });

  it('keeps the latest run of each path with the same settings only', () => {
    const rows = comparableRuns(
      [
        run({ seq: 1, itlMs: 20 }),
        run({ seq: 3, itlMs: 18 }),
        run({ seq: 2, path: 'webgpu-wgsl', itlMs: 1.7 }),
        run({ seq: 4, path: 'cpu', key: 'other settings', itlMs: 2 }),
      ],
      'k',
    );
    expect(rows.map((r) => [r.path, r.itlMs])).toEqual([
      ['webgpu-ort', 18],
      ['webgpu-wgsl', 1.7],
    ]);
  });

  it('says which path decodes fastest, by the measured ratio', () => {
    const s = comparisonSentence(
      [
        run({ itlMs: 18.57 }),
        run({ path: 'webgpu-wgsl', itlMs: 1.74 }),
        run({ path: 'cpu', itlMs: 1.67, adapter: 'CPU' }),
      ],
      'webgpu-wgsl',
    );
    expect(s).toMatch(
      /^Per decode token on this device, CPU, onnxruntime-web wasm \+ our TypeScript MoE is fastest at 1\.67 ms/,
    );
    expect(s).toContain('our WGSL kernels for the whole model takes 1.0× as long (1.74 ms)');
    expect(s).toContain('onnxruntime-web dense + our MoE kernels takes 11.1× as long (18.6 ms)');
    expect(s).not.toContain('software');
  });

  it('says when the GPU is a software one, and how to measure a second path', () => {
    const s = comparisonSentence(
      [
        run({ adapter: 'google · swiftshader', itlMs: 800 }),
        run({ path: 'cpu', adapter: 'CPU', itlMs: 3 }),
      ],
      'cpu',
    );
    expect(s).toContain('software rasteriser');
    const one = comparisonSentence([run({})], 'webgpu-ort');
    expect(one).toMatch(/^Only WebGPU, onnxruntime-web dense/);
    expect(one).toContain('our WGSL kernels for the whole model');
    expect(one).toContain('CPU, onnxruntime-web wasm');
  });

  it('compares no decode when the runs made one token each', () => {
    expect(
      comparisonSentence([run({ itlMs: null }), run({ path: 'cpu', itlMs: null })], 'cpu'),
    ).toMatch(/no decode step/);
  });
});
