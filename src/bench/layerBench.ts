// The MoE layer benchmark, wherever it runs (Node + Dawn, the Performance panel, headless
// Chromium): floors → per model: our fused / per-expert / dense-masked kernels (f32), our fused
// layer with int8 and int4 experts, then onnxruntime-web's dense-masked graph and QMoE (4-bit) on
// the same device → align & sort → one report.
import type { GemmTile, MoeVariant } from '../kernels/MoeLayer';
import type { WeightFormat } from '../kernels/types';
import { alignChart, alignSection, alignTarget, runAlignBench, type AlignRow } from './alignBench';
import { measureFloors } from './floors';
import { fastWeights, layerModels, layerTokens } from './layerCases';
import {
  equalBitsSection,
  layerCharts,
  gemmTileSection,
  layerSection,
  layerTargets,
  type LayerBenchRaw,
} from './layerReport';
import { timeOrtLayer, type OrtModule } from './ortLayer';
import { fusedOutput, timeOurLayer, type LayerRow } from './ourLayer';
import { yieldToUi } from './timing';
import { throwIfCancelled, type BenchHooks, type BenchReport, type BenchSize } from './types';

export type LayerBenchEnv = {
  device: GPUDevice;
  /** onnxruntime-web with its WebGPU EP, or null to leave the ORT columns out. */
  ort: OrtModule | null;
  runtime: string;
  deviceText: string;
};

export type LayerBenchOptions = {
  /** Model names (substring match) to run; all when absent. */
  only?: string[];
  /** Also run align & sort alone (default true). */
  align?: boolean;
  /** Token counts to run instead of the size's own. */
  tokens?: number[];
  /** The MoE layer itself (default true); false with align leaves an align & sort report. */
  layer?: boolean;
  /**
   * Only our fused f32 layer, at both grouped-GEMM tiles (BN 64 and 128): the tile comparison
   * without the baselines and the quantised rows (ORT rows still run unless `ort` is null).
   */
  gemmTilesOnly?: boolean;
};

// The raw rows' type belongs to the report that reads them (so the report imports no runner).
export type { LayerBenchRaw };

type Ours = { variant: MoeVariant; format: WeightFormat; gemmTile?: GemmTile };
const OURS: Ours[] = [
  { variant: 'fused', format: 'f32' },
  // The wide grouped-GEMM tile (BN = 128) beside the default 64, where the tiled GEMM runs.
  { variant: 'fused', format: 'f32', gemmTile: 128 },
  { variant: 'perExpert', format: 'f32' },
  { variant: 'denseMasked', format: 'f32' },
  // Quantised experts, for the comparison with QMoE at equal bits (int8: twice its bits).
  { variant: 'fused', format: 'int8' },
  { variant: 'fused', format: 'int4' },
];

export async function runLayerBench(
  env: LayerBenchEnv,
  size: BenchSize,
  hooks: BenchHooks = {},
  opts: LayerBenchOptions = {},
): Promise<BenchReport> {
  const { device, ort } = env;
  const full = size === 'full';
  const startedIso = new Date().toISOString();
  if (opts.layer === false) return runAlignOnly(env, size, hooks, startedIso);
  const check = () => throwIfCancelled(hooks.signal);
  const say = (message: string, fraction: number) => hooks.onProgress?.({ message, fraction });
  const models = layerModels(size).filter(
    (m) => !opts.only || opts.only.some((o) => m.name.toLowerCase().includes(o.toLowerCase())),
  );
  const Ts = opts.tokens?.length ? opts.tokens : layerTokens(size);

  say('measuring the floors: copy bandwidth and matmul rate', 0);
  await yieldToUi();
  const floors = await measureFloors(device, size, check);
  const rows: LayerRow[] = [];
  const ours = opts.gemmTilesOnly
    ? OURS.filter((o) => o.variant === 'fused' && o.format === 'f32')
    : OURS;
  const steps = models.length * (ours.length + (ort ? 2 : 0));
  let step = 0;
  for (const m of models) {
    const w = fastWeights(m.config);
    const variants = [...ours, ...(ort ? (['ortDenseMasked', 'ortQMoE'] as const) : [])];
    for (const v of variants) {
      check();
      const name =
        typeof v === 'string'
          ? v
          : `${v.variant}${v.format === 'f32' ? '' : ` ${v.format}`}${v.gemmTile ? ` BN=${v.gemmTile}` : ''}`;
      say(`${m.name}: ${name}`, (0.85 * step++) / steps);
      await yieldToUi();
      const onRow = (r: LayerRow) => rows.push(r);
      if (v === 'ortDenseMasked' || v === 'ortQMoE')
        await timeOrtLayer({
          device,
          ort: ort!,
          model: m,
          weights: w,
          Ts,
          kind: v,
          full,
          onRow,
          check,
          fusedOut: (x, T) => fusedOutput(device, m, w, x, T),
        });
      else
        await timeOurLayer(device, m, w, Ts, v.variant, full, onRow, check, v.format, v.gemmTile);
    }
  }
  let align: AlignRow[] = [];
  if (opts.align !== false) {
    align = await runAlignBench(device, size, {
      signal: hooks.signal,
      onProgress: (p) => say(p.message, 0.85 + 0.15 * p.fraction),
    });
  }
  say('done', 1);
  const timestamps = device.features.has('timestamp-query');
  const raw: LayerBenchRaw = { floors, models, rows, align };
  return {
    kind: 'layer',
    size,
    startedIso,
    finishedIso: new Date().toISOString(),
    device: env.deviceText,
    runtime: env.runtime,
    sections: [
      layerSection(raw, timestamps),
      ...(raw.rows.some((r) => r.gemmTile) ? [gemmTileSection(raw)] : []),
      equalBitsSection(raw),
      ...(align.length ? [alignSection(align, timestamps)] : []),
    ],
    charts: [...layerCharts(raw), ...(align.length ? [alignChart(align)] : [])],
    targets: [...layerTargets(raw, ort !== null), ...(align.length ? [alignTarget(align)] : [])],
    raw,
  };
}

/** Align & sort alone: the permutation kernels against a serial scan and the published figures. */
async function runAlignOnly(
  env: LayerBenchEnv,
  size: BenchSize,
  hooks: BenchHooks,
  startedIso: string,
): Promise<BenchReport> {
  const align = await runAlignBench(env.device, size, hooks);
  hooks.onProgress?.({ message: 'done', fraction: 1 });
  return {
    kind: 'align',
    size,
    startedIso,
    finishedIso: new Date().toISOString(),
    device: env.deviceText,
    runtime: env.runtime,
    sections: [alignSection(align, env.device.features.has('timestamp-query'))],
    charts: [alignChart(align)],
    targets: [alignTarget(align)],
    raw: { align },
  };
}
