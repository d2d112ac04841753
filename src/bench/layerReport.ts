// The layer benchmark's table, chart and issue-9 targets, from its raw rows (pure: tested in
// plain Vitest, shared by the CLI and the Performance panel).
import type { AlignRow } from './alignBench';
import type { Floors } from './floors';
import type { LayerModel } from './layerCases';
import type { LayerRow } from './ourLayer';
import { fmt, pct } from './timing';
import type { BenchChart, BenchSection, Cell, Target } from './types';

/** What `runLayerBench` measured, before it becomes tables, charts and targets. */
export type LayerBenchRaw = {
  floors: Floors;
  models: LayerModel[];
  rows: LayerRow[];
  align: AlignRow[];
};

type Line = {
  model: string;
  label: string;
  T: number;
  fused: LayerRow;
  pe?: LayerRow;
  dm?: LayerRow;
  ortDm?: LayerRow;
  qmoe?: LayerRow;
  xPe: number | null;
  xPeWall: number | null;
  xDm: number | null;
  xOrtDm: number | null;
  xQmoe: number | null;
  bwFloorMs: number;
  ofCopyBw: number | null;
  flopFloorMs: number;
  ofMatmul: number | null;
  gemmOfMatmul: number | null;
};

const ratio = (ours: number | null | undefined, other: number | null | undefined) =>
  ours && other && Number.isFinite(ours) && Number.isFinite(other) ? other / ours : null;

export function layerLines(raw: LayerBenchRaw): Line[] {
  const get = (model: string, T: number, v: LayerRow['variant']) =>
    raw.rows.find((r) => r.model === model && r.T === T && r.variant === v && !r.error);
  const lines: Line[] = [];
  for (const m of raw.models) {
    const c = m.config;
    for (const r of raw.rows) {
      if (r.model !== m.name || r.variant !== 'fused' || r.error) continue;
      const T = r.T;
      const pe = get(m.name, T, 'perExpert');
      const dm = get(m.name, T, 'denseMasked');
      const ortDm = get(m.name, T, 'ortDenseMasked');
      const qmoe = get(m.name, T, 'ortQMoE');
      const bwFloorMs = r.bytesTouched / (raw.floors.copy.GBps * 1e6);
      const flopFloorMs = r.flops / (raw.floors.matmul.TFLOPs * 1e9);
      const gemm = r.kernelMs ? (r.kernelMs.gemm1 ?? 0) + (r.kernelMs.gemm2 ?? 0) : null;
      lines.push({
        model: m.name,
        label: `${m.name} (${c.E},${c.k},${c.D},${c.I})`,
        T,
        fused: r,
        pe,
        dm,
        ortDm,
        qmoe,
        xPe: ratio(r.gpuMs, pe?.gpuMs),
        xPeWall: ratio(r.wallMs, pe?.wallMs),
        xDm: ratio(r.gpuMs, dm?.gpuMs),
        // ORT is timed by wall clock, so these compare wall with wall.
        xOrtDm: ratio(r.wallMs, ortDm?.wallMs),
        xQmoe: ratio(r.wallMs, qmoe?.wallMs),
        bwFloorMs,
        ofCopyBw: r.gpuMs ? bwFloorMs / r.gpuMs : null,
        flopFloorMs,
        ofMatmul: r.gpuMs ? flopFloorMs / r.gpuMs : null,
        gemmOfMatmul: gemm ? flopFloorMs / gemm : null,
      });
    }
  }
  return lines;
}

export function layerSection(raw: LayerBenchRaw, timestamps: boolean): BenchSection {
  const lines = layerLines(raw);
  const rows: Cell[][] = lines.map((l) => [
    l.label,
    l.T,
    fmt(l.fused.gpuMs, 3),
    fmt(l.fused.wallMs, 3),
    fmt(l.pe?.gpuMs, 3),
    fmt(l.xPe),
    fmt(l.dm?.gpuMs, 3),
    fmt(l.xDm),
    fmt(l.ortDm?.wallMs, 3),
    fmt(l.xOrtDm),
    fmt(l.qmoe?.wallMs, 3),
    fmt(l.xQmoe),
    [l.fused.dispatches, l.pe?.dispatches, l.ortDm?.dispatches, l.qmoe?.dispatches]
      .map((d) => d ?? '—')
      .join('/'),
    l.fused.expertsHit,
    fmt(l.fused.bytesTouched / 2 ** 20, 1),
    fmt(l.bwFloorMs, 3),
    pct(l.ofCopyBw),
    fmt(l.flopFloorMs, 3),
    pct(l.ofMatmul),
    pct(l.gemmOfMatmul),
    [l.ortDm?.relErr, l.qmoe?.relErr]
      .map((e) => (e == null ? '—' : e.toExponential(1)))
      .join(' / '),
  ]);
  const notes = [
    `GPU ms = sum of our kernel times by timestamp-query (median)${timestamps ? '' : ' — this device has no timestamp-query, so GPU columns are empty'}; wall ms = forward (or ORT session.run) + queue drain, median, inputs and weights already on the GPU.`,
    '×pe, ×dm = per-expert (our dense-masked) GPU ms ÷ fused GPU ms; ×ORT-dm, ×QMoE = ORT wall ms ÷ fused wall ms (> 1: fused faster).',
    'ORT dense-masked = standard ONNX ops (MatMul over all experts, top-k gates masking the sum); QMoE = com.microsoft.QMoE with 4-bit weights (reads ~8× fewer weight bytes than our f32).',
    'bw floor = (experts hit × 3·D·I·4 B + router D·E·4 B) ÷ measured copy bandwidth; FLOP floor = (2·T·k·3·D·I + 2·T·D·E) ÷ measured matmul rate; % = floor ÷ fused GPU ms; GEMM % = FLOP floor ÷ (gemm1 + gemm2).',
    "ORT err = max relative error of the ORT dense-masked output vs our fused output, and of QMoE vs the reference on its dequantised weights (quick size; the full size feeds QMoE random codes). A QMoE error near 1 at T > 1 is onnxruntime-web 1.30's own race: its gate kernel zeroes the per-expert counters in workgroup 0 while other workgroups already add to them, dropping tokens (src/bench/ortMoeGraphs.gpu.test.ts).",
    `Floors in this run: copy ${fmt(raw.floors.copy.GBps, 0)} GB/s, f32 matmul ${raw.floors.matmul.TFLOPs.toPrecision(3)} TFLOP/s (${raw.floors.matmul.n}³).`,
  ];
  for (const m of raw.models) if (m.note) notes.push(`${m.name}: ${m.note}`);
  const errs = new Map<string, LayerRow[]>();
  for (const r of raw.rows)
    if (r.error)
      errs.set(`${r.model} ${r.variant}: ${r.error}`, [
        ...(errs.get(`${r.model} ${r.variant}: ${r.error}`) ?? []),
        r,
      ]);
  for (const [what, rs] of errs)
    notes.push(`not run — ${what} (T = ${rs.map((r) => r.T).join(', ')})`);
  return {
    id: 'layer',
    title: 'MoE layer, f32: ours vs per-expert dispatch vs onnxruntime-web, against the floors',
    columns: [
      'model (E,k,D,I)',
      'T',
      'fused GPU ms',
      'fused wall ms',
      'per-expert GPU ms',
      '×pe',
      'our dense-masked GPU ms',
      '×dm',
      'ORT dense-masked wall ms',
      '×ORT-dm',
      'ORT QMoE 4-bit wall ms',
      '×QMoE',
      'dispatches f/pe/ORT-dm/QMoE',
      'experts hit',
      'weights MiB',
      'bw floor ms',
      '% copy bw',
      'FLOP floor ms',
      '% matmul',
      'GEMM % matmul',
      'ORT err dm / QMoE',
    ],
    rows,
    notes,
  };
}

export function layerCharts(raw: LayerBenchRaw): BenchChart[] {
  const lines = layerLines(raw);
  return [
    {
      title: 'MoE layer wall time per forward (lower is better)',
      unit: 'ms, log scale',
      log: true,
      series: [
        'ours fused',
        'per-expert',
        'our dense-masked',
        'ORT dense-masked',
        'ORT QMoE 4-bit',
      ],
      groups: lines.map((l) => ({
        label: `${l.model} T=${l.T}`,
        values: [
          l.fused.wallMs,
          l.pe?.wallMs ?? null,
          l.dm?.wallMs ?? null,
          l.ortDm?.wallMs ?? null,
          l.qmoe?.wallMs ?? null,
        ],
      })),
    },
  ];
}

export function layerTargets(raw: LayerBenchRaw, ortRan: boolean): Target[] {
  const lines = layerLines(raw).filter((l) => l.model !== 'tiny');
  const prefill = lines.filter((l) => l.T >= 512);
  const decode1 = lines.filter((l) => l.T === 1);
  const worst = (ls: Line[], key: (l: Line) => number | null) =>
    ls
      .filter((l) => key(l) !== null)
      .reduce<Line | null>((a, l) => (!a || key(l)! < key(a)! ? l : a), null);
  const targets: Target[] = [];
  {
    const s = lines.filter((l) => l.xOrtDm !== null);
    const w = worst(s, (l) => l.xOrtDm);
    targets.push({
      target: 'fused ≥ 3× onnxruntime-web dense-masked graph (wall time)',
      status: !ortRan || !w ? 'not measured' : w.xOrtDm! >= 3 ? 'met' : 'missed',
      detail: s.length
        ? s.map((l) => `${l.model} T=${l.T}: ${fmt(l.xOrtDm)}×`).join('; ')
        : ortRan
          ? 'no ORT dense-masked row ran'
          : 'onnxruntime-web not loaded in this run',
    });
  }
  {
    const s = prefill.filter((l) => l.xPe !== null);
    const w = worst(s, (l) => l.xPe);
    targets.push({
      target: 'fused ≥ 2× per-expert at prefill, E ≥ 8 (GPU time)',
      status: !w ? 'not measured' : w.xPe! >= 2 ? 'met' : 'missed',
      detail:
        s.map((l) => `${l.model} T=${l.T}: ${fmt(l.xPe)}×`).join('; ') ||
        'no prefill rows (quick size)',
    });
  }
  {
    const s = decode1.filter((l) => l.xPe !== null);
    const slow = s.filter((l) => l.xPe! < 1 || (l.xOrtDm !== null && l.xOrtDm < 1));
    targets.push({
      target: 'fused not slower at T = 1 (vs per-expert GPU time; vs ORT dense-masked wall time)',
      status: !s.length ? 'not measured' : slow.length ? 'missed' : 'met',
      detail: s
        .map(
          (l) =>
            `${l.model}: ${fmt(l.xPe)}× pe, ${fmt(l.xOrtDm) ?? '—'}× ORT-dm, ${fmt(l.xQmoe) ?? '—'}× QMoE`,
        )
        .join('; '),
    });
  }
  {
    const s = prefill.filter((l) => l.gemmOfMatmul !== null);
    const w = worst(s, (l) => l.gemmOfMatmul);
    targets.push({
      target: `prefill grouped GEMM ≥ 40% of the measured matmul rate (${raw.floors.matmul.TFLOPs.toPrecision(3)} TFLOP/s)`,
      status: !w ? 'not measured' : w.gemmOfMatmul! >= 0.4 ? 'met' : 'missed',
      detail:
        s.map((l) => `${l.model} T=${l.T}: ${pct(l.gemmOfMatmul)}`).join('; ') ||
        'no prefill rows (quick size)',
    });
  }
  {
    const s = decode1.filter((l) => l.ofCopyBw !== null);
    const w = worst(s, (l) => l.ofCopyBw);
    targets.push({
      target: `decode (T = 1) ≥ 50% of copy bandwidth (${fmt(raw.floors.copy.GBps, 0)} GB/s) for the weights touched`,
      status: !w ? 'not measured' : w.ofCopyBw! >= 0.5 ? 'met' : 'missed',
      detail: s
        .map(
          (l) =>
            `${l.model}: ${pct(l.ofCopyBw)} (${fmt(l.fused.bytesTouched / 2 ** 20, 0)} MiB in ${fmt(l.fused.gpuMs, 3)} ms)`,
        )
        .join('; '),
    });
  }
  return targets;
}
