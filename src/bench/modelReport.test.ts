// The whole-model report: agreement with the reference tokens, speed-up ratios, missing paths.
import { describe, expect, it } from 'vitest';
import {
  modelReport,
  sharedPrefix,
  type EngineBatchResult,
  type ModelPathResult,
  type WgslBatchResult,
} from './modelReport';

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

  describe('batched decode across paths', () => {
    const profile = {
      dispatches: 46,
      encodeMs: 0.4,
      waitMs: 0.2,
      gpuDenseMs: null,
      gpuMoeMs: null,
    };
    const wgsl = (S: number, tps: number): WgslBatchResult => ({
      sequences: S,
      ttftMs: 3,
      itlMs: 0.5,
      outputTokensPerS: tps,
      submitsPerStep: 1,
      sameTokens: true,
      tokens: [1, 2, 3],
      profile,
    });
    const engine = (
      id: EngineBatchResult['id'],
      S: number,
      tps: number,
      more: Partial<EngineBatchResult> = {},
    ): EngineBatchResult => ({
      id,
      label: id,
      backend: id === 'ours-wasm' ? 'wasm' : 'WebGPU',
      sequences: S,
      ttftMs: 10,
      itlMs: 2,
      outputTokensPerS: tps,
      ortRunsPerStep: id === 'ours-wasm' ? 4 * S + 1 : 4,
      sameTokens: true,
      tokens: [1, 2, 3],
      measureMs: 100,
      ...more,
    });
    const report = (e: EngineBatchResult[], w: WgslBatchResult[] = []) =>
      modelReport(
        [path('wgsl-webgpu', 1, [1, 2, 3]), path('ref-wasm', 6, [1, 2, 3])],
        w,
        { ...meta, size: 'full', runs: 5, batchRuns: 3 },
        e,
      ).sections.find((s) => s.id === 'model-batch')!;

    it('tabulates every path × S, with the gain over 1 request and agreement with the truth', () => {
      const t = report(
        [
          engine('ours-webgpu', 1, 50, { singleRequestRuns: 5 }),
          engine('ours-webgpu', 16, 400, { tokens: [1, 2, 4] }),
          engine('ours-wasm', 1, 400, { singleRequestRuns: 5 }),
          engine('ours-wasm', 16, 1000, { sameTokens: false }),
        ],
        [wgsl(1, 1000), wgsl(16, 8000)],
      );
      expect(t.columns).toEqual([
        'Path',
        'Backend',
        'Requests',
        'TTFT ms',
        'ITL ms',
        'output tokens/s (all requests)',
        '× 1 request',
        'ORT runs / decode step',
        'Same tokens (every request, as reference (wasm))',
      ]);
      expect(t.rows).toEqual([
        ['ours-webgpu', 'WebGPU', '1', '10.0', '2.00', '50.0', null, '4.0', 'yes'],
        ['ours-webgpu', 'WebGPU', '16', '10.0', '2.00', '400', '8.00', '4.0', 'first 2 of 3'],
        ['wgsl-webgpu', 'WebGPU', '1', '3.0', '0.50', '1000', null, '0.0', 'yes'],
        ['wgsl-webgpu', 'WebGPU', '16', '3.0', '0.50', '8000', '8.00', '0.0', 'yes'],
        ['ours-wasm', 'wasm', '1', '10.0', '2.00', '400', null, '5.0', 'yes'],
        [
          'ours-wasm',
          'wasm',
          '16',
          '10.0',
          '2.00',
          '1000',
          '2.50',
          '65.0',
          'no: the requests differ',
        ],
      ]);
      expect(t.notes[0]).toMatch(/Medians over 3 timed runs \(own WGSL dense: 5\)/);
      expect(t.notes[1]).toBe(
        '1 request on ORT dense + our MoE on WebGPU and ORT dense + TS MoE on wasm: the single-request runs of the first table (median of 5), not measured again; its ORT runs / decode step count decode steps only.',
      );
    });

    it('divides the fastest WebGPU path by wasm at each S, against the 10× target at 16 and 64', () => {
      const notes = report(
        [
          engine('ours-webgpu', 1, 50),
          engine('ours-webgpu', 16, 400),
          engine('ours-webgpu', 64, 30000),
          engine('ours-wasm', 1, 400),
          engine('ours-wasm', 16, 1000),
          engine('ours-wasm', 64, 2000),
        ],
        [wgsl(1, 1000), wgsl(16, 9900), wgsl(64, 20000)],
      ).notes.join('\n');
      // S=1: own WGSL (1000) is the fastest WebGPU path: 1000 / 400; no target at 1 request.
      expect(notes).toContain(
        '1 request: WebGPU ÷ wasm output tokens/s = 2.50× (fastest WebGPU path: own WGSL dense, 1000 tokens/s; wasm 400 tokens/s) — no target at this S',
      );
      // S=16: 9900 / 1000 = 9.9×: short of 10× by 10 / 9.9.
      expect(notes).toContain(
        '16 requests: WebGPU ÷ wasm output tokens/s = 9.90× (fastest WebGPU path: own WGSL dense, 9900 tokens/s; wasm 1000 tokens/s) — target ≥ 10×: missed, 1.01× short.',
      );
      // S=64: ORT dense (30000) beats own WGSL (20000): 15× — met.
      expect(notes).toContain(
        '64 requests: WebGPU ÷ wasm output tokens/s = 15.00× (fastest WebGPU path: ORT dense + our MoE, 30000 tokens/s; wasm 2000 tokens/s) — target ≥ 10×: met.',
      );
      // Growth: ORT dense 50 → 400 → 30000 grows; every path grows.
      expect(notes).toContain(
        'ORT dense + our MoE on WebGPU: output tokens/s at 1 → 16 → 64 requests: 50.0 → 400 → 30000 (×8.00, ×75.00) — grows with the batch at every step.',
      );
      expect(notes).toContain(
        'Throughput grows with the batch on every path measured: yes (3 paths).',
      );
    });

    it('says where throughput does not grow, and which ratio it cannot compute', () => {
      const notes = report([
        engine('ours-webgpu', 1, 100),
        engine('ours-webgpu', 16, 90),
        engine('ours-webgpu', 64, 200),
        engine('ours-wasm', 1, 400),
        engine('ours-wasm', 16, 1000),
        engine('ours-wasm', 64, 1000, { error: 'out of memory.' }),
      ]).notes.join('\n');
      expect(notes).toContain(
        'ORT dense + our MoE on WebGPU: output tokens/s at 1 → 16 → 64 requests: 100 → 90.0 → 200 (×0.90, ×2.22) — does not grow with the batch from 1 to 16 requests.',
      );
      expect(notes).toContain('ORT dense + TS MoE on wasm: output tokens/s at 1 → 16 requests');
      expect(notes).toContain(
        'Throughput grows with the batch on every path measured: no (not on ORT dense + our MoE on WebGPU).',
      );
      expect(notes).toContain(
        'ORT dense + TS MoE on wasm, 64 requests: not measured (out of memory).',
      );
      expect(notes).toContain(
        '64 requests: WebGPU ÷ wasm output tokens/s: no ratio (wasm not measured at this S); the ≥ 10× target is not measured.',
      );
      expect(notes).toContain('16 requests: WebGPU ÷ wasm output tokens/s = 0.09×');
      expect(notes).toContain('target ≥ 10×: missed, 111.11× short.');
    });

    it('meets the target at exactly 10×', () => {
      const notes = report([engine('ours-webgpu', 16, 5000), engine('ours-wasm', 16, 500)]).notes;
      expect(notes.join(' ')).toContain(
        '= 10.00× (fastest WebGPU path: ORT dense + our MoE, 5000 tokens/s; wasm 500 tokens/s) — target ≥ 10×: met.',
      );
      // One size per path: no growth verdict.
      expect(notes.join(' ')).not.toContain('grows with the batch');
    });

    it('reads a flat throughput as not growing', () => {
      const notes = report([engine('ours-wasm', 1, 500), engine('ours-wasm', 2, 500)]).notes.join(
        ' ',
      );
      expect(notes).toContain('(×1.00) — does not grow with the batch from 1 to 2 requests.');
      expect(notes).toContain(
        '2 requests: WebGPU ÷ wasm output tokens/s: no ratio (no WebGPU path measured at this S).',
      );
    });

    it('is left out with no batched measurement, and keeps the WGSL batch table as it was', () => {
      const r = modelReport([path('ref-wasm', 6, [1])], [], meta);
      expect(r.sections.map((s) => s.id)).not.toContain('model-batch');
      const w = modelReport([path('ref-wasm', 6, [1])], [wgsl(1, 10)], meta);
      expect(w.sections.map((s) => s.id)).toEqual([
        'model',
        'model-speedup',
        'model-wgsl-dense',
        'model-wgsl-batch',
        'model-batch',
      ]);
      expect((w.raw as { engineBatches: unknown[] }).engineBatches).toEqual([]);
    });
  });
});
