// The layer report's ratios and target verdicts, from hand-made rows.
import { describe, expect, it } from 'vitest';
import type { LayerBenchRaw } from './layerBench';
import { layerCharts, layerLines, layerSection, layerTargets } from './layerReport';
import type { LayerRow } from './ourLayer';

const model = {
  name: 'M',
  config: {
    E: 8,
    k: 2,
    D: 64,
    I: 128,
    blockSize: 16,
    scoring: 'softmax',
    renormalize: true,
    dtype: 'f32',
  },
} as const;

function row(
  T: number,
  variant: LayerRow['variant'],
  gpuMs: number | null,
  wallMs: number | null,
  extra: Partial<LayerRow> = {},
): LayerRow {
  return {
    model: 'M',
    E: 8,
    k: 2,
    D: 64,
    I: 128,
    T,
    variant,
    gpuMs,
    wallMs,
    kernelMs: gpuMs ? { gemm1: gpuMs / 2, gemm2: gpuMs / 4 } : null,
    dispatches: 6,
    expertsHit: 8,
    bytesTouched: 8 * 3 * 64 * 128 * 4,
    flops: 2 * T * 2 * 3 * 64 * 128,
    ...extra,
  };
}

const raw = (rows: LayerRow[]): LayerBenchRaw => ({
  floors: { copy: { bytes: 1, ms: 1, GBps: 100 }, matmul: { n: 256, ms: 1, TFLOPs: 1 } },
  models: [{ ...model, config: { ...model.config } }],
  rows,
  align: [],
});

describe('layer report', () => {
  const rows = [
    row(1, 'fused', 1, 2),
    row(1, 'perExpert', 3, 5),
    row(1, 'ortDenseMasked', null, 8),
    row(1, 'ortQMoE', null, 1),
    row(512, 'fused', 10, 12),
    row(512, 'perExpert', 15, 18),
    row(512, 'ortDenseMasked', null, null, { error: 'too big' }),
  ];

  it('computes ratios: GPU against GPU, wall against wall', () => {
    const [l1, l512] = layerLines(raw(rows));
    expect(l1!.xPe).toBe(3);
    expect(l1!.xOrtDm).toBe(4);
    expect(l1!.xQmoe).toBe(0.5);
    expect(l512!.xPe).toBe(1.5);
    // an errored row is not compared
    expect(l512!.xOrtDm).toBeNull();
  });

  it('judges the targets and says which rows miss', () => {
    const t = Object.fromEntries(
      layerTargets(raw(rows), true).map((x) => [x.target.slice(0, 18), x]),
    );
    expect(t['fused ≥ 3× onnxrun']!.status).toBe('met');
    expect(t['fused ≥ 2× per-exp']!.status).toBe('missed');
    expect(t['fused ≥ 2× per-exp']!.detail).toContain('M T=512: 1.50×');
    expect(t['fused not slower a']!.status).toBe('met');
    // GEMM % = FLOP floor ÷ (gemm1 + gemm2) = 0.050 ms ÷ 7.5 ms ≈ 1%
    expect(t['prefill grouped GE']!.detail).toContain('M T=512: 1%');
    expect(t['prefill grouped GE']!.status).toBe('missed');
    expect(layerTargets(raw(rows), false)[0]!.status).toBe('not measured');
  });

  it('lists rows that did not run, with their reason', () => {
    const s = layerSection(raw(rows), true);
    expect(s.rows).toHaveLength(2);
    expect(s.notes.some((n) => n.includes('not run — M ortDenseMasked: too big (T = 512)'))).toBe(
      true,
    );
    expect(s.rows[0]![9]).toBe('4.00');
  });

  it('charts every variant per (model, T), null where one did not run', () => {
    const c = layerCharts(raw(rows))[0]!;
    expect(c.series).toHaveLength(5);
    expect(c.groups.map((g) => g.label)).toEqual(['M T=1', 'M T=512']);
    expect(c.groups[1]!.values).toEqual([12, 18, null, null, null]);
  });
});
