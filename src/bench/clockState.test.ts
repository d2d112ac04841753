import { describe, expect, it } from 'vitest';
import { slowClockNote, slowClockRows } from './clockState';
import type { LayerRow } from './ourLayer';

const row = (model: string, T: number, router: number | null, extra: Partial<LayerRow> = {}) =>
  ({
    model,
    E: 8,
    k: 2,
    D: 64,
    I: 96,
    T,
    variant: 'fused',
    gpuMs: 1,
    wallMs: 1,
    kernelMs: router === null ? null : { router, gemm1: 0.5 },
    dispatches: 8,
    expertsHit: 2,
    bytesTouched: 1,
    flops: 1,
    ...extra,
  }) as LayerRow;

describe('slow clock rows', () => {
  it('flags rows whose router took ≥ 2× the model’s fastest, per model', () => {
    const rows = [
      row('Mixtral', 1, 0.066),
      row('Mixtral', 8, 0.023),
      row('Mixtral', 1, 0.082, { format: 'int4' }),
      row('Mixtral', 8, 0.04), // 1.7×: within the state's spread
      row('OLMoE', 1, 0.114),
      row('OLMoE', 8, 0.1), // OLMoE's own fastest is 0.1: nothing flagged for it
      row('OLMoE', 1, null),
      row('Mixtral', 1, 0.5, { variant: 'perExpert' }), // other variants run other kernels
    ];
    expect(slowClockRows(rows).map((s) => [s.row.model, s.row.T, s.row.format])).toEqual([
      ['Mixtral', 1, undefined],
      ['Mixtral', 1, 'int4'],
    ]);
    const note = slowClockNote(rows)!;
    expect(note).toContain('Mixtral T=1 (router 66 µs vs 23 µs)');
    expect(note).toContain('Mixtral T=1 int4 (router 82 µs vs 23 µs)');
    expect(note).not.toContain('OLMoE');
  });

  it('names only the rows asked for, against the fastest of all rows', () => {
    const rows = [row('m', 8, 0.02), row('m', 1, 0.08, { format: 'int4' }), row('m', 1, 0.07)];
    const note = slowClockNote(rows, (r) => r.format === 'int4')!;
    expect(note).toContain('m T=1 int4 (router 80 µs vs 20 µs)');
    expect(note).not.toContain('m T=1 (router');
  });

  it('says nothing when every row ran at the same speed', () => {
    expect(slowClockNote([row('a', 1, 0.03), row('a', 8, 0.031)])).toBeNull();
    expect(slowClockNote([])).toBeNull();
  });
});
