// The layer report's ratios and target verdicts, from hand-made rows.
import { describe, expect, it } from 'vitest';
import type { LayerBenchRaw } from './layerBench';
import { datasheetPeak, type Floors } from './floors';
import {
  equalBitsLines,
  equalBitsSection,
  floorsNote,
  gemmTileLines,
  gemmTileSection,
  layerCharts,
  layerLines,
  layerSection,
  layerTargets,
  qmoeExpertBytes,
  strongestMatmul,
} from './layerReport';
import { expertBytesIn } from './layerCases';
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

describe('grouped GEMM tile rows (BN 64 vs 128)', () => {
  const rows = [
    row(1, 'fused', 1, 2),
    row(512, 'fused', 12, 14),
    row(512, 'fused', 6, 8, { gemmTile: 128 }),
  ];

  it('keeps the wide rows out of the f32 table and sets them beside the 64 tile', () => {
    const lines = layerLines(raw(rows));
    expect(lines.map((l) => l.T)).toEqual([1, 512]);
    expect(lines[1]!.fused.gpuMs).toBe(12);
    const [t] = gemmTileLines(raw(rows));
    expect(gemmTileLines(raw(rows)).length).toBe(1);
    expect(t!.T).toBe(512);
    expect(t!.gemm64).toBe(9); // gemm1 6 + gemm2 3
    expect(t!.gemm128).toBe(4.5);
    expect(t!.speedup).toBe(2);
    // FLOP floor at 1 TFLOP/s: 2·512·2·3·64·128 FLOP = 50.3 µs
    expect(t!.ofMatmul128).toBeCloseTo((2 * 512 * 2 * 3 * 64 * 128) / 1e9 / 4.5, 6);
    const s = gemmTileSection(raw(rows));
    expect(s.rows.length).toBe(1);
    for (const r of s.rows) expect(r.length).toBe(s.columns.length);
  });
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
    expect(c.series).toHaveLength(7);
    expect(c.groups.map((g) => g.label)).toEqual(['M T=1', 'M T=512']);
    expect(c.groups[1]!.values).toEqual([12, 18, null, null, null, null, null]);
  });
});

describe('layer report at equal bits', () => {
  // A shape QMoE runs (I ≠ 2·D): D 64, I 96.
  const rawQ = (rs: LayerRow[]): LayerBenchRaw => ({
    ...raw(rs),
    models: [{ ...model, config: { ...model.config, I: 96 } }],
  });
  // One expert as the kernels store it at int4: codes half a byte a weight, an f32 scale per 32
  // rows of K and output column — W1, W3 [64, 96]: 3072 + 2·96·4; W2 [96, 64]: 3072 + 3·64·4.
  const int4Expert = 2 * (3072 + 768) + 3072 + 768;
  it('counts an expert’s bytes in each format', () => {
    expect(expertBytesIn('int4', 64, 96)).toBe(int4Expert);
    expect(expertBytesIn('f32', 64, 96)).toBe(3 * 64 * 96 * 4);
    expect(expertBytesIn('int8', 64, 96)).toBe(3 * 64 * 96 + 4 * (2 * 96 + 64));
  });
  const rows = [
    row(1, 'fused', 1, 2),
    row(1, 'ortQMoE', null, 3, { relErr: 0.01 }),
    row(1, 'fused', 0.25, 0.5, {
      format: 'int4',
      expertsHit: 2,
      bytesTouched: 2 * int4Expert + 64 * 8 * 4,
      relErr: 2e-7,
    }),
    row(1, 'fused', 0.5, 1, { format: 'int8', relErr: 1e-7 }),
    row(8, 'fused', 2, 4),
    row(8, 'fused', null, null, { format: 'int4', error: 'boom' }),
  ];

  it('keeps quantised rows out of the f32 lines and pairs them by format', () => {
    const ls = layerLines(rawQ(rows));
    expect(ls.map((l) => [l.T, l.fused.wallMs])).toEqual([
      [1, 2],
      [8, 4],
    ]);
    expect(ls[0]!.int4!.wallMs).toBe(0.5);
    expect(ls[0]!.int8!.wallMs).toBe(1);
    expect(ls[1]!.int4).toBeUndefined();
  });

  it('divides QMoE 4-bit wall by our int4 wall, and counts each one’s bytes', () => {
    const [l1, l8] = equalBitsLines(rawQ(rows));
    expect(l1!.xQmoeEqualBits).toBe(6);
    expect(l1!.xF32Int4).toBe(4);
    // QMoE at block 32 on D 64, I 128: 3·D·I/2 codes + 3·D·I/32 f32 scales, per expert hit.
    expect(qmoeExpertBytes({ D: 64, I: 96 })).toBe((3 * 64 * 96) / 2 + ((3 * 64 * 96) / 32) * 4);
    expect(l1!.bytes.qmoe).toBe(2 * qmoeExpertBytes({ D: 64, I: 96 })! + 64 * 8 * 4);
    expect(l1!.bytes.int4).toBe(2 * int4Expert + 64 * 8 * 4);
    expect(l1!.bytes.f32).toBe(8 * 3 * 64 * 128 * 4); // the hand-made f32 row's own
    // copy floor 100 GB/s: bytes / 1e8 ms, against 0.25 ms of int4 GPU time
    expect(l1!.int4OfCopyBw).toBeCloseTo(l1!.bytes.int4! / 1e8 / 0.25, 12);
    expect(l8!.xQmoeEqualBits).toBeNull();
    // I = 2·D: QMoE cannot run the shape, so it has no bytes to count
    expect(qmoeExpertBytes({ D: 64, I: 128 })).toBeNull();
    expect(equalBitsLines(raw(rows))[0]!.bytes.qmoe).toBeNull();
  });

  it('writes the same numbers into the table, errors included, and says what did not run', () => {
    const s = equalBitsSection(rawQ(rows));
    const col = (name: string) => s.columns.indexOf(name);
    expect(s.rows).toHaveLength(2);
    expect(s.rows[0]![col('×QMoE at equal bits')]).toBe('6.00');
    expect(s.rows[0]![col('fused int4 wall ms')]).toBe('0.500');
    expect(s.rows[0]![col('err vs CPU twin int8 / int4')]).toBe('1.0e-7 / 2.0e-7');
    expect(s.rows[1]![col('×QMoE at equal bits')]).toBeNull();
    expect(s.notes.some((n) => n.includes('not run — M fused int4: boom (T = 8)'))).toBe(true);
    // the f32 table does not list the int4 failure as its own
    expect(layerSection(raw(rows), true).notes.some((n) => n.includes('boom'))).toBe(false);
  });
});

describe('layer report against the two matmul floors and the data-sheet peak', () => {
  // gemm1 + gemm2 = 0.1 ms for 2·512·2·3·64·128 FLOP = 0.0503 ms at 1 TFLOP/s.
  const rows = [
    row(1, 'fused', 1, 2),
    row(512, 'fused', 10, 12, { kernelMs: { gemm1: 0.05, gemm2: 0.05 } }),
  ];
  const plain: Floors = {
    copy: { bytes: 1, ms: 1, GBps: 100 },
    matmul: { n: 256, ms: 1, TFLOPs: 1 },
  };
  const strongFloors: Floors = {
    ...plain,
    matmulStrong: {
      n: 256,
      ms: 0.4,
      TFLOPs: 2.5,
      shape: '128×128×8 8×8/thread 2-stage',
      candidates: [
        { shape: '128×128×8 8×8/thread 2-stage', ms: 0.4, TFLOPs: 2.5 },
        { shape: '64×64×16 4×4/thread 2-stage', ms: 0.5, TFLOPs: 2 },
        {
          shape: '128×128×16 8×8/thread 2-stage',
          ms: null,
          TFLOPs: null,
          skipped: 'needs 32 KiB of workgroup memory, the device allows 16 KiB',
        },
      ],
    },
    peak: { TFLOPs: 67, gpu: 'NVIDIA H200 SXM' },
  };
  const withFloors = (floors: Floors): LayerBenchRaw => ({ ...raw(rows), floors });

  it('holds the GEMM to the strong floor, and still reports it against the plain one', () => {
    const [, l512] = layerLines(withFloors(strongFloors));
    const flops = 2 * 512 * 2 * 3 * 64 * 128;
    expect(l512!.flopFloorMs).toBeCloseTo(flops / 2.5e9, 15);
    expect(l512!.gemmOfMatmul).toBeCloseTo(flops / 2.5e9 / 0.1, 12);
    expect(l512!.gemmOfPlain).toBeCloseTo(flops / 1e9 / 0.1, 12);
    const s = layerSection(withFloors(strongFloors), true);
    const col = (name: string) => s.columns.indexOf(name);
    expect(s.rows[1]![col('GEMM % matmul')]).toBe('20%');
    expect(s.rows[1]![col('GEMM % plain matmul')]).toBe('50%');
    const t = layerTargets(withFloors(strongFloors), true).find((x) =>
      x.target.startsWith('prefill grouped GEMM'),
    )!;
    expect(t.target).toContain('2.50 TFLOP/s, strong floor, 128×128×8 8×8/thread 2-stage');
    expect(t.detail).toBe('M T=512: 20% (50% of the plain floor)');
  });

  it('names both floors, the candidates and the data-sheet peak in the notes', () => {
    const notes = layerSection(withFloors(strongFloors), true).notes;
    const floors = notes.find((n) => n.startsWith('Floors in this run'))!;
    expect(floors).toContain('plain 1.00 TFLOP/s (256³, 64×64 tiles)');
    expect(floors).toContain('strong 2.50 TFLOP/s (256³, 128×128×8 8×8/thread 2-stage');
    expect(floors).toContain('fastest of 2 timed');
    expect(floors).toContain('data-sheet f32 peak 67.0 TFLOP/s (NVIDIA H200 SXM)');
    expect(floors).toContain('4% of it');
    const c = notes.find((n) => n.startsWith('Strong matmul candidates'))!;
    expect(c).toContain('64×64×16 4×4/thread 2-stage 2.00 TFLOP/s');
    expect(c).toContain('not run (needs 32 KiB');
  });

  it('reads results written before the strong floor: the plain floor judges, nothing crashes', () => {
    // `plain` is the raw shape of bench/results/*.json from before issue 23.
    expect(strongestMatmul(plain)).toEqual({ TFLOPs: 1, which: 'plain floor, 64×64 tiles' });
    const [, l512] = layerLines(withFloors(plain));
    expect(l512!.gemmOfMatmul).toBe(l512!.gemmOfPlain);
    const s = layerSection(withFloors(plain), true);
    expect(s.rows[1]![s.columns.indexOf('GEMM % matmul')]).toBe('50%');
    expect(s.notes.some((n) => n.startsWith('Strong matmul candidates'))).toBe(false);
    expect(floorsNote(plain)).toContain('strong: not measured in this run');
    expect(floorsNote(plain)).not.toContain('data-sheet');
    const t = layerTargets(withFloors(plain), true).find((x) =>
      x.target.startsWith('prefill grouped GEMM'),
    )!;
    expect(t.detail).toBe('M T=512: 50%');
    // A strong floor slower than the plain one (a small GPU) does not lower the bar.
    const slower: Floors = {
      ...strongFloors,
      matmulStrong: { ...strongFloors.matmulStrong!, TFLOPs: 0.5 },
    };
    expect(strongestMatmul(slower).TFLOPs).toBe(1);
    expect(floorsNote({ ...plain, matmulStrong: null, peak: null })).toContain(
      'strong: no candidate ran, data-sheet peak unknown for this adapter',
    );
  });

  it('knows the data-sheet f32 peak of the big GPUs from the adapter text, else null', () => {
    const dawn = (device: string) => ({
      vendor: 'nvidia',
      architecture: '',
      device,
      description: 'NVIDIA: 580.159.04 580.159.4.0',
    });
    expect(datasheetPeak(dawn('nvidia-h200'))).toEqual({ TFLOPs: 67, gpu: 'NVIDIA H200 SXM' });
    expect(datasheetPeak(dawn('nvidia-h100-80gb-hbm3'))!.TFLOPs).toBe(67);
    expect(datasheetPeak(dawn('nvidia-h100-pcie'))!.TFLOPs).toBe(51);
    expect(datasheetPeak(dawn('nvidia-a100-sxm4-80gb'))!.TFLOPs).toBe(19.5);
    expect(
      datasheetPeak({
        vendor: 'amd',
        architecture: 'cdna-3',
        device: '',
        description: 'AMD Instinct MI300X',
      })!.TFLOPs,
    ).toBe(81.7);
    // What a browser shows (no device name), SwiftShader, and no info at all.
    expect(datasheetPeak({ vendor: 'nvidia', architecture: 'hopper' })).toBeNull();
    expect(datasheetPeak({ vendor: 'google', architecture: 'swiftshader' })).toBeNull();
    expect(datasheetPeak(null)).toBeNull();
  });
});
