import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareReports } from './compareReports';
import type { BenchReport } from './types';

/** The committed result files: `{ reports }` (bench CLI) or `{ parts }` (the first GPU runs). */
function committed(path: string): BenchReport[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    reports?: BenchReport[];
    parts?: BenchReport[];
  };
  return json.reports ?? json.parts ?? [];
}

function report(
  kind: BenchReport['kind'],
  size: BenchReport['size'],
  values: number[],
): BenchReport {
  return {
    kind,
    size,
    startedIso: '2026-11-22T00:00:00Z',
    finishedIso: '2026-11-22T00:00:01Z',
    device: 'test',
    runtime: 'test',
    sections: [{ id: 's', title: 'S', columns: ['a'], rows: [[1]], notes: [] }],
    charts: [
      {
        title: 'Align & sort GPU time (lower is better)',
        unit: 'µs',
        log: true,
        series: ['single workgroup', 'multi workgroup'],
        groups: [
          { label: 'T=16 E=8 k=2', values: [values[0]!, values[1]!] },
          { label: 'T=256 E=8 k=2', values: [values[2]!, null] },
        ],
      },
    ],
    targets: [],
    raw: null,
  };
}

describe('compareReports', () => {
  it('pairs every shared case and series, with there ÷ here', () => {
    const c = compareReports(
      report('align', 'quick', [10, 20, 30]),
      report('align', 'full', [40, 10, 60]),
    );
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.sameSize).toBe(false);
    expect(c.values.map((v) => [v.case, v.series, v.ratio])).toEqual([
      ['T=16 E=8 k=2', 'single workgroup', 4],
      ['T=16 E=8 k=2', 'multi workgroup', 0.5],
      ['T=256 E=8 k=2', 'single workgroup', 2],
    ]);
  });

  it('refuses different benchmarks and runs with nothing in common', () => {
    const a = report('align', 'quick', [1, 2, 3]);
    expect(compareReports(a, report('model', 'quick', [1, 2, 3]))).toMatchObject({ ok: false });
    const b = report('align', 'quick', [1, 2, 3]);
    b.charts[0]!.groups = [{ label: 'T=9 E=9 k=9', values: [1, 1] }];
    const c = compareReports(a, b);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toMatch(/share no measured case/);
  });
});

describe('comparing the committed results', () => {
  it('reads the committed real-GPU results in both of their formats', () => {
    const v3 = committed('bench/results/2026-11-22-h100-v3.json');
    const v4 = committed('bench/results/2026-11-22-h100-v4-align-model.json');
    expect(v3.map((r) => r.kind)).toContain('layer');
    expect(v4.map((r) => r.kind)).toEqual(['align', 'model']);
    const self = compareReports(v4[0]!, v4[0]!);
    expect(self.ok && self.values.length).toBe(45);
    expect(self.ok && self.values.every((v) => v.ratio === 1)).toBe(true);
  });
});
