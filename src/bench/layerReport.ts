// The layer benchmark's tables (f32; quantised experts at equal bits with onnxruntime-web's
// QMoE), chart and issue-9 targets, from its raw rows (pure: tested in plain Vitest, shared by
// the CLI and the Performance panel).
import type { WeightFormat } from '../kernels/types';
import type { AlignRow } from './alignBench';
import { slowClockNote } from './clockState';
import type { Floors } from './floors';
import type { LayerModel } from './layerCases';
import { qmoeSupport } from './ortMoeGraphs';
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
  int8?: LayerRow;
  int4?: LayerRow;
  xPe: number | null;
  xPeWall: number | null;
  xDm: number | null;
  xOrtDm: number | null;
  xQmoe: number | null;
  bwFloorMs: number;
  ofCopyBw: number | null;
  flopFloorMs: number;
  ofMatmul: number | null;
  /** FLOP floor (at the strongest matmul rate) ÷ gemm1 + gemm2. */
  gemmOfMatmul: number | null;
  /** The same against the plain floor: comparable with results from before issue 23. */
  gemmOfPlain: number | null;
};

/**
 * The matmul rate the grouped GEMM is held to: the faster of the plain floor and the strong one
 * (issue 23). Results written before the strong floor existed have only the plain one.
 */
export function strongestMatmul(f: Floors): { TFLOPs: number; which: string } {
  const strong = f.matmulStrong;
  return strong && strong.TFLOPs > f.matmul.TFLOPs
    ? { TFLOPs: strong.TFLOPs, which: `strong floor, ${strong.shape}` }
    : { TFLOPs: f.matmul.TFLOPs, which: 'plain floor, 64×64 tiles' };
}

const tflops = (x: number) => `${x.toPrecision(3)} TFLOP/s`;

/** The "Floors in this run" note: copy, both matmul floors, the data-sheet peak. */
export function floorsNote(f: Floors): string {
  const strong = f.matmulStrong;
  const parts = [
    `copy ${fmt(f.copy.GBps, 0)} GB/s`,
    `f32 matmul plain ${tflops(f.matmul.TFLOPs)} (${f.matmul.n}³, 64×64 tiles)`,
    strong
      ? `strong ${tflops(strong.TFLOPs)} (${strong.n}³, ${strong.shape}, fastest of ${strong.candidates.filter((c) => c.TFLOPs !== null).length} timed)`
      : strong === null
        ? 'strong: no candidate ran'
        : 'strong: not measured in this run',
    f.peak
      ? `data-sheet f32 peak ${tflops(f.peak.TFLOPs)} (${f.peak.gpu}): the strongest floor is ${pct(strongestMatmul(f).TFLOPs / f.peak.TFLOPs)} of it`
      : f.peak === null
        ? 'data-sheet peak unknown for this adapter'
        : null,
  ];
  return `Floors in this run: ${parts.filter(Boolean).join(', ')}. GEMM and FLOP-floor columns use the strongest (${strongestMatmul(f).which}).`;
}

/** Each strong-floor candidate's rate (or why it did not run), or null without a strong floor. */
export function strongCandidatesNote(f: Floors): string | null {
  const c = f.matmulStrong?.candidates;
  if (!c?.length) return null;
  return `Strong matmul candidates (src/bench/floorMatmulStrong.wgsl): ${c
    .map(
      (x) => `${x.shape} ${x.TFLOPs !== null ? tflops(x.TFLOPs) : `not run (${x.skipped ?? '?'})`}`,
    )
    .join('; ')}.`;
}

const ratio = (ours: number | null | undefined, other: number | null | undefined) =>
  ours && other && Number.isFinite(ours) && Number.isFinite(other) ? other / ours : null;

/** A row's expert weight format (rows written before the field existed are f32). */
const formatOf = (r: LayerRow): WeightFormat => r.format ?? 'f32';
/** A row's grouped-GEMM column tile (absent: 64, which the bench's main rows pin). */
const tileOf = (r: LayerRow): number => r.gemmTile ?? 64;

/** The run's row of one model, T, variant, format and tile that did not fail. */
const findRow = (
  raw: LayerBenchRaw,
  model: string,
  T: number,
  v: LayerRow['variant'],
  f: WeightFormat = 'f32',
  tile = 64,
) =>
  raw.rows.find(
    (r) =>
      r.model === model &&
      r.T === T &&
      r.variant === v &&
      formatOf(r) === f &&
      tileOf(r) === tile &&
      !r.error,
  );

export function layerLines(raw: LayerBenchRaw): Line[] {
  const get = (model: string, T: number, v: LayerRow['variant'], f: WeightFormat = 'f32') =>
    findRow(raw, model, T, v, f);
  const lines: Line[] = [];
  const matmulTFLOPs = strongestMatmul(raw.floors).TFLOPs;
  for (const m of raw.models) {
    const c = m.config;
    for (const r of raw.rows) {
      if (r.model !== m.name || r.variant !== 'fused' || formatOf(r) !== 'f32' || r.error) continue;
      if (tileOf(r) !== 64) continue; // the wide tile's rows: gemmTileSection
      const T = r.T;
      const pe = get(m.name, T, 'perExpert');
      const dm = get(m.name, T, 'denseMasked');
      const ortDm = get(m.name, T, 'ortDenseMasked');
      const qmoe = get(m.name, T, 'ortQMoE');
      const bwFloorMs = r.bytesTouched / (raw.floors.copy.GBps * 1e6);
      const flopFloorMs = r.flops / (matmulTFLOPs * 1e9);
      const plainFloorMs = r.flops / (raw.floors.matmul.TFLOPs * 1e9);
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
        int8: get(m.name, T, 'fused', 'int8'),
        int4: get(m.name, T, 'fused', 'int4'),
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
        gemmOfPlain: gemm ? plainFloorMs / gemm : null,
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
    pct(l.gemmOfPlain),
    [l.ortDm?.relErr, l.qmoe?.relErr]
      .map((e) => (e == null ? '—' : e.toExponential(1)))
      .join(' / '),
  ]);
  const notes = [
    `GPU ms = sum of our kernel times by timestamp-query (median)${timestamps ? '' : ' — this device has no timestamp-query, so GPU columns are empty'}; wall ms = forward (or ORT session.run) + queue drain, median, inputs and weights already on the GPU.`,
    '×pe, ×dm = per-expert (our dense-masked) GPU ms ÷ fused GPU ms; ×ORT-dm, ×QMoE = ORT wall ms ÷ fused wall ms (> 1: fused faster).',
    'ORT dense-masked = standard ONNX ops (MatMul over all experts, top-k gates masking the sum); QMoE = com.microsoft.QMoE with 4-bit weights (reads ~8× fewer weight bytes than our f32: the equal-bits table sets it against our int4).',
    'bw floor = (experts hit × 3·D·I·4 B + router D·E·4 B) ÷ measured copy bandwidth; FLOP floor = (2·T·k·3·D·I + 2·T·D·E) ÷ the strongest measured matmul rate; % = floor ÷ fused GPU ms; GEMM % = FLOP floor ÷ (gemm1 + gemm2); GEMM % plain = the same at the plain 64×64-tile floor (the "GEMM % matmul" of results before issue 23).',
    "ORT err = max relative error of the ORT dense-masked output vs our fused output, and of QMoE vs the reference on its dequantised weights (quick size; the full size feeds QMoE random codes). A QMoE error near 1 at T > 1 is onnxruntime-web 1.30's own race: its gate kernel zeroes the per-expert counters in workgroup 0 while other workgroups already add to them, dropping tokens (src/bench/ortMoeGraphs.gpu.test.ts).",
    floorsNote(raw.floors),
  ];
  const candidates = strongCandidatesNote(raw.floors);
  if (candidates) notes.push(candidates);
  for (const m of raw.models) if (m.note) notes.push(`${m.name}: ${m.note}`);
  const slow = slowClockNote(raw.rows, (r) => formatOf(r) === 'f32' && tileOf(r) === 64);
  if (slow) notes.push(slow);
  const errs = new Map<string, LayerRow[]>();
  for (const r of raw.rows)
    if (r.error && formatOf(r) === 'f32' && tileOf(r) === 64)
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
      'GEMM % plain matmul',
      'ORT err dm / QMoE',
    ],
    rows,
    notes,
  };
}

export type GemmTileLine = {
  label: string;
  model: string;
  T: number;
  /** The default tile's fused f32 row and the wide tile's (BN = 128) of the same run. */
  bn64: LayerRow;
  bn128: LayerRow;
  /** gemm1 + gemm2 GPU ms of each. */
  gemm64: number | null;
  gemm128: number | null;
  /** gemm1 + gemm2 at 64 ÷ at 128 (> 1: the wide tile is faster). */
  speedup: number | null;
  /** FLOP floor at the strongest matmul rate ÷ gemm1 + gemm2, each tile. */
  ofMatmul64: number | null;
  ofMatmul128: number | null;
};

const gemmMs = (r: LayerRow) =>
  r.kernelMs ? (r.kernelMs.gemm1 ?? 0) + (r.kernelMs.gemm2 ?? 0) : null;

/** The fused f32 layer with the grouped GEMM's 64- and 128-column tiles, same run, same inputs. */
export function gemmTileLines(raw: LayerBenchRaw): GemmTileLine[] {
  const matmulTFLOPs = strongestMatmul(raw.floors).TFLOPs;
  const out: GemmTileLine[] = [];
  for (const l of layerLines(raw)) {
    const wide = findRow(raw, l.model, l.T, 'fused', 'f32', 128);
    if (!wide) continue;
    const [g64, g128] = [gemmMs(l.fused), gemmMs(wide)];
    const floorMs = l.fused.flops / (matmulTFLOPs * 1e9);
    out.push({
      label: l.label,
      model: l.model,
      T: l.T,
      bn64: l.fused,
      bn128: wide,
      gemm64: g64,
      gemm128: g128,
      speedup: ratio(g128, g64),
      ofMatmul64: g64 ? floorMs / g64 : null,
      ofMatmul128: g128 ? floorMs / g128 : null,
    });
  }
  return out;
}

const ms2 = (a: number | null | undefined, b: number | null | undefined) =>
  `${fmt(a, 3) ?? '—'} / ${fmt(b, 3) ?? '—'}`;

/** The grouped GEMM's column tile, 64 (default) beside 128, against the strongest matmul floor. */
export function gemmTileSection(raw: LayerBenchRaw): BenchSection {
  const lines = gemmTileLines(raw);
  const rows: Cell[][] = lines.map((l) => [
    l.label,
    l.T,
    fmt(l.gemm64, 3),
    fmt(l.gemm128, 3),
    fmt(l.speedup),
    pct(l.ofMatmul64),
    pct(l.ofMatmul128),
    ms2(l.bn64.kernelMs?.gemm1, l.bn128.kernelMs?.gemm1),
    ms2(l.bn64.kernelMs?.gemm2, l.bn128.kernelMs?.gemm2),
    ms2(l.bn64.gpuMs, l.bn128.gpuMs),
    ms2(l.bn64.wallMs, l.bn128.wallMs),
  ]);
  const notes = [
    'The fused f32 layer run twice in this run on the same inputs: the tiled grouped GEMM (shaders/grouped_gemm.wgsl) with BN = 64 columns (gemm1 / gemm2: 4 columns a thread, B one element at a time; the tile of the f32 table above), and with BN = 128 (gemm1_wide / gemm2_wide: 8 columns a thread as two vec4 quads, B loaded and kept in workgroup memory as vec4, K steps of 8). MoeLayer’s default (src/kernels/gemmTile.ts): 128 where D and I are ≥ 1024 and multiples of 4, 64 otherwise.',
    'GEMM ms = gemm1 + gemm2 GPU time (timestamp-query, median); ×BN128 = BN 64 ÷ BN 128 (> 1: the wide tile is faster); GEMM % matmul = FLOP floor (2·T·k·3·D·I + 2·T·D·E at the strongest measured matmul rate, as in the f32 table) ÷ GEMM ms.',
    'Rows only where the layer runs the tiled GEMM: at small T·k the decode path runs and the tile is not used.',
    floorsNote(raw.floors),
  ];
  const failed = raw.rows.filter((r) => tileOf(r) !== 64 && r.error);
  for (const r of failed) notes.push(`not run — ${r.model} T=${r.T} BN=${tileOf(r)}: ${r.error}`);
  const slow = slowClockNote(raw.rows, (r) => tileOf(r) !== 64);
  if (slow) notes.push(slow);
  return {
    id: 'layer-gemm-tile',
    title: 'Grouped GEMM tile: 64 vs 128 columns (fused f32), against the strongest matmul floor',
    columns: [
      'model (E,k,D,I)',
      'T',
      'GEMM ms BN 64',
      'GEMM ms BN 128',
      '×BN128',
      'GEMM % matmul BN 64',
      'GEMM % matmul BN 128',
      'gemm1 ms 64 / 128',
      'gemm2 ms 64 / 128',
      'fused GPU ms 64 / 128',
      'fused wall ms 64 / 128',
    ],
    rows,
    notes,
  };
}

/** Bytes QMoE's 4-bit weights take per expert (codes + one f32 scale per block), or null. */
export function qmoeExpertBytes(c: { D: number; I: number }): number | null {
  const s = qmoeSupport(c);
  return 'blockSize' in s ? (3 * c.D * c.I) / 2 + ((3 * c.D * c.I) / s.blockSize) * 4 : null;
}

export type EqualBitsLine = {
  label: string;
  model: string;
  T: number;
  f32: LayerRow;
  int8?: LayerRow;
  int4?: LayerRow;
  qmoe?: LayerRow;
  /** ORT QMoE 4-bit wall ÷ our fused int4 wall (> 1: ours faster), at the same 4 bits. */
  xQmoeEqualBits: number | null;
  /** Our f32 wall ÷ our int4 wall: what 4-bit experts buy our own layer. */
  xF32Int4: number | null;
  /** Bytes of weights each reads for this call's experts (router included). */
  bytes: { f32: number; int8: number | null; int4: number | null; qmoe: number | null };
  /** Our int4 GPU time against the copy-bandwidth floor for its bytes. */
  int4OfCopyBw: number | null;
};

/**
 * Our fused layer with int8 / int4 experts next to onnxruntime-web's 4-bit QMoE. Bytes are those
 * of the experts our router hit at this T (QMoE sees the same input and router weights, so the
 * same experts), each format's own layout: ours int4 = codes + a scale per 32 rows of K and
 * column, QMoE = codes + a scale per block of its block size.
 */
export function equalBitsLines(raw: LayerBenchRaw): EqualBitsLine[] {
  return layerLines(raw).map((l) => {
    const c = raw.models.find((m) => m.name === l.model)!.config;
    const router = c.D * c.E * 4;
    const hit = l.int4?.expertsHit ?? l.fused.expertsHit;
    const qmoePer = qmoeExpertBytes(c);
    const int4Bytes = l.int4 ? l.int4.bytesTouched : null;
    return {
      label: l.label,
      model: l.model,
      T: l.T,
      f32: l.fused,
      int8: l.int8,
      int4: l.int4,
      qmoe: l.qmoe,
      xQmoeEqualBits: ratio(l.int4?.wallMs, l.qmoe?.wallMs),
      xF32Int4: ratio(l.int4?.wallMs, l.fused.wallMs),
      bytes: {
        f32: l.fused.bytesTouched,
        int8: l.int8 ? l.int8.bytesTouched : null,
        int4: int4Bytes,
        qmoe: l.qmoe && qmoePer !== null ? hit * qmoePer + router : null,
      },
      int4OfCopyBw:
        l.int4?.gpuMs && int4Bytes !== null
          ? int4Bytes / (raw.floors.copy.GBps * 1e6) / l.int4.gpuMs
          : null,
    };
  });
}

/** MiB, with three decimals below 10 MiB (the quick shapes' experts are kilobytes). */
const mib = (b: number | null) =>
  b === null ? '—' : (fmt(b / 2 ** 20, b < 10 * 2 ** 20 ? 3 : 1) ?? '—');
const err = (e: number | null | undefined) => (e == null ? '—' : e.toExponential(1));

export function equalBitsSection(raw: LayerBenchRaw): BenchSection {
  const lines = equalBitsLines(raw);
  const rows: Cell[][] = lines.map((l) => [
    l.label,
    l.T,
    fmt(l.f32.wallMs, 3),
    fmt(l.int8?.gpuMs, 3),
    fmt(l.int8?.wallMs, 3),
    fmt(l.int4?.gpuMs, 3),
    fmt(l.int4?.wallMs, 3),
    fmt(l.qmoe?.wallMs, 3),
    fmt(l.xQmoeEqualBits),
    fmt(l.xF32Int4),
    [l.bytes.f32, l.bytes.int8, l.bytes.int4, l.bytes.qmoe].map(mib).join(' / '),
    pct(l.int4OfCopyBw),
    [l.int8?.relErr, l.int4?.relErr].map(err).join(' / '),
    err(l.qmoe?.relErr),
  ]);
  const notes = [
    'Our fused layer with its experts quantised on upload (src/kernels/weightFormats.ts): int8 = one byte a weight + an f32 scale per expert and output column; int4 = half a byte + an f32 scale per block of 32 rows of K and output column (the block MatMulNBits and QMoE use). The kernels dequantise inside the GEMMs and accumulate in f32; the router stays f32.',
    '×QMoE at equal bits = ORT QMoE 4-bit wall ms ÷ our fused int4 wall ms (> 1: ours faster); ×f32 = our f32 wall ÷ our int4 wall. Wall = forward (or session.run) + queue drain, median, weights and input already on the GPU.',
    "weights MiB = bytes of the experts the router hit at this T (the same experts for all four: same input, same router), in each one's own layout, + the f32 router D·E·4; int4 % copy bw = those bytes ÷ the measured copy bandwidth ÷ int4 GPU ms.",
    'err vs CPU twin = max relative error of our int8 / int4 output against the reference layer on the same quantised-then-dequantised weights (src/kernels/reference.ts storedWeights; every T in the quick size, the smallest T in the full size). QMoE err as in the f32 table.',
  ];
  const notRun = raw.rows.filter((r) => r.format && r.format !== 'f32' && r.error);
  const why = new Map<string, number[]>();
  for (const r of notRun) {
    const key = `${r.model} fused ${r.format}: ${r.error}`;
    why.set(key, [...(why.get(key) ?? []), r.T]);
  }
  for (const [what, Ts] of why) notes.push(`not run — ${what} (T = ${Ts.join(', ')})`);
  const slow = slowClockNote(raw.rows, (r) => formatOf(r) !== 'f32');
  if (slow) notes.push(slow);
  return {
    id: 'layer-equal-bits',
    title: 'MoE layer at equal bits: our fused int4 (and int8) vs onnxruntime-web QMoE 4-bit',
    columns: [
      'model (E,k,D,I)',
      'T',
      'fused f32 wall ms',
      'fused int8 GPU ms',
      'fused int8 wall ms',
      'fused int4 GPU ms',
      'fused int4 wall ms',
      'ORT QMoE 4-bit wall ms',
      '×QMoE at equal bits',
      '×f32 (int4)',
      'weights MiB f32 / int8 / int4 / QMoE',
      'int4 % copy bw',
      'err vs CPU twin int8 / int4',
      'QMoE err',
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
        'ours fused int8',
        'ours fused int4',
      ],
      groups: lines.map((l) => ({
        label: `${l.model} T=${l.T}`,
        values: [
          l.fused.wallMs,
          l.pe?.wallMs ?? null,
          l.dm?.wallMs ?? null,
          l.ortDm?.wallMs ?? null,
          l.qmoe?.wallMs ?? null,
          l.int8?.wallMs ?? null,
          l.int4?.wallMs ?? null,
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
      target: `prefill grouped GEMM ≥ 40% of the strongest measured matmul rate (${tflops(strongestMatmul(raw.floors).TFLOPs)}, ${strongestMatmul(raw.floors).which})`,
      status: !w ? 'not measured' : w.gemmOfMatmul! >= 0.4 ? 'met' : 'missed',
      detail:
        s
          .map(
            (l) =>
              `${l.model} T=${l.T}: ${pct(l.gemmOfMatmul)}${raw.floors.matmulStrong ? ` (${pct(l.gemmOfPlain)} of the plain floor)` : ''}`,
          )
          .join('; ') || 'no prefill rows (quick size)',
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
