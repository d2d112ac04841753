// The whole-model report: agreement with the reference tokens, speed-up ratios, missing paths.
import { describe, expect, it } from 'vitest';
import { modelReport, sharedPrefix, type ModelPathResult } from './modelReport';

const meta = {
  packId: 'm',
  promptTokens: 10,
  newTokens: 3,
  runs: 2,
  startedIso: '2026-11-22T00:00:00Z',
  device: 'gpu',
  runtime: 'test',
  size: 'quick' as const,
};

function path(id: ModelPathResult['id'], ms: number, tokens: number[]): ModelPathResult {
  return {
    id,
    label: id,
    backend: id.endsWith('webgpu') ? 'WebGPU' : 'wasm',
    ttftMs: ms * 4,
    itlMs: ms,
    tokensPerS: 1000 / ms,
    dispatchesPerToken: id.endsWith('webgpu') ? ms * 10 : null,
    ortRunsPerToken: id.startsWith('ours') ? 5 : 1,
    ortMsPerToken: ms / 2,
    moeMsPerToken: id.startsWith('ours') ? ms / 4 : null,
    tokens,
    runs: [tokens, tokens],
  };
}

describe('whole-model report', () => {
  it('sets onnxruntime-web per call on its asyncify and JSPI builds side by side, either way', () => {
    const notes = (jspiMs: number) =>
      modelReport(
        [
          path('ours-webgpu', 4, [1, 2]),
          { ...path('ours-webgpu-jspi', jspiMs, [1, 2]), backend: 'WebGPU, ORT JSPI build' },
        ],
        [],
        meta,
      ).sections[0]!.notes!.join(' ');
    // ORT ms / token = ms / 2 over 5 runs a token: 0.40 ms a call at 4 ms, 0.20 at 2 ms.
    expect(notes(2)).toContain(
      'asyncify build 0.40 ms, JSPI build 0.20 ms — JSPI 2.00× faster per call',
    );
    expect(notes(5)).toContain('JSPI not faster here (1.25× the asyncify time)');
    const without = modelReport([path('ours-webgpu', 4, [1, 2])], [], meta);
    expect(without.sections[0]!.notes!.join(' ')).not.toContain('JSPI');
  });

  it('counts the shared prefix of two token runs', () => {
    expect(sharedPrefix([1, 2, 3], [1, 2, 4])).toBe(2);
    expect(sharedPrefix([], [1])).toBe(0);
  });

  it('checks every path against the reference on wasm and gives our speed-up', () => {
    const r = modelReport(
      [
        path('ours-webgpu', 2, [1, 2, 3]),
        path('ref-webgpu', 8, [1, 2, 3]),
        path('ours-wasm', 4, [1, 9, 3]),
        path('ref-wasm', 6, [1, 2, 3]),
      ],
      [],
      meta,
    );
    const table = r.sections[0]!;
    expect(table.columns.at(-1)).toBe('Same tokens as reference (wasm)');
    // Where the decode time goes: inside ORT calls, inside our MoE layers (ours only).
    const ortCol = table.columns.indexOf('ORT ms / token');
    expect(table.rows.map((x) => [x[ortCol], x[ortCol + 1]])).toEqual([
      ['1.00', '0.50'],
      ['4.00', null],
      ['2.00', '1.00'],
      ['3.00', null],
    ]);
    expect(table.rows.map((x) => x.at(-1))).toEqual([
      'yes',
      'yes',
      'first 1 of 3',
      'is the reference',
    ]);
    expect(r.sections[1]!.rows).toEqual([
      ['WebGPU', '4.00', '4.00', '4.00', '4.00'],
      ['wasm', '1.50', '1.50', '1.50', null],
    ]);
    expect(r.charts[0]!.groups[1]!.values).toEqual([2, 8, 4, 6]);
  });

  it('keeps the measured paths when one fails, and says why', () => {
    const failed: ModelPathResult = {
      id: 'ref-webgpu',
      label: 'reference',
      backend: 'WebGPU',
      error: 'op not supported',
      runs: [],
    };
    const runs = [path('ours-webgpu', 2, [5, 6]), failed, path('ours-wasm', 4, [5, 6])];
    runs[2]!.runs = [
      [5, 6],
      [5, 7],
    ];
    const r = modelReport(runs, [], meta);
    expect(r.sections[0]!.rows[1]!.slice(2, 5)).toEqual([null, null, null]);
    expect(r.sections[0]!.columns.at(-1)).toBe('Same tokens as ours (wasm)');
    const notes = r.sections[0]!.notes.join('\n');
    expect(notes).toMatch(/reference on WebGPU: not measured \(op not supported\)/);
    expect(notes).toMatch(/ours-wasm on wasm: the timed runs did not all make the same tokens/);
    expect(r.sections[1]!.rows).toEqual([]);
    expect(r.charts[0]!.groups[0]!.values).toEqual([8, null, 16]);
  });

  it('compares the own WGSL dense path with ORT dense on WebGPU, submits included', () => {
    const wgsl: ModelPathResult = {
      ...path('wgsl-webgpu', 0.5, [1, 2, 3]),
      label: 'own WGSL',
      ortRunsPerToken: 0,
      ortMsPerToken: 0,
      moeMsPerToken: null,
      dispatchesPerToken: 40,
      submitsPerToken: 1,
    };
    const ortDense = { ...path('ours-webgpu', 2, [1, 2, 3]), submitsPerToken: 20 };
    const r = modelReport([ortDense, wgsl, path('ref-wasm', 6, [1, 2, 3])], [], meta);
    const table = r.sections[0]!;
    const sub = table.columns.indexOf('Submits / token');
    expect(table.rows.map((x) => x[sub])).toEqual(['20.0', '1.0', null]);
    expect(table.rows[1]!.at(-1)).toBe('yes');
    const dense = r.sections.find((s) => s.id === 'model-wgsl-dense')!;
    expect(dense.rows).toEqual([['WebGPU', '4.00', '4.00', '4.00', '0.50', '20.00']]);
    expect(r.charts[0]!.series).toEqual(['ours WebGPU', 'own WGSL WebGPU', 'reference wasm']);
  });

  it('says the WGSL comparison needs both WebGPU paths', () => {
    const r = modelReport([path('ours-webgpu', 2, [1]), path('ref-wasm', 6, [1])], [], meta);
    const dense = r.sections.find((s) => s.id === 'model-wgsl-dense')!;
    expect(dense.rows).toEqual([]);
    expect(dense.notes.join()).toMatch(/Needs both WebGPU paths/);
  });

  it('tabulates batched decode on the own WGSL dense path', () => {
    const profile = {
      dispatches: 46,
      encodeMs: 0.4,
      waitMs: 0.2,
      gpuDenseMs: 0.05,
      gpuMoeMs: null,
    };
    const b = { ttftMs: 3, itlMs: 0.5, submitsPerStep: 1, sameTokens: true, profile };
    const r = modelReport(
      [path('ref-wasm', 6, [1])],
      [
        { ...b, sequences: 1, outputTokensPerS: 2000 },
        { ...b, sequences: 16, outputTokensPerS: 30000, sameTokens: false },
      ],
      meta,
    );
    const batch = r.sections.find((s) => s.id === 'model-wgsl-batch')!;
    expect(batch.rows).toEqual([
      ['1', '3.0', '0.50', '2000', '1.00', 'yes', '46', '0.400', '0.200', '0.050', null],
      ['16', '3.0', '0.50', '30000', '1.00', 'no', '46', '0.400', '0.200', '0.050', null],
    ]);
    expect(
      modelReport([path('ref-wasm', 6, [1])], [], meta).sections.map((s) => s.id),
    ).not.toContain('model-wgsl-batch');
  });
});
