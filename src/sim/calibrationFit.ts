// Fits the engine profiles' free constants to the serving figures and measures how well the
// result predicts figures it was not fitted on (leave-one-source-out cross-validation).
// Error is |log(simulated / published)|: symmetric, so 2× too fast and 2× too slow count alike.
import { ENGINES, type EngineId, type EngineProfile } from './engines';
import {
  SERVING_FIGURES,
  SERVING_SOURCES,
  kindOf,
  metricOf,
  servingInput,
  type ServingFigure,
} from './servingCalibration';
import { isPreHopperNvidia } from './efficiency';
import { hardwareById } from './hardware';
import { simulate } from './simulate';
import { regimeOf, type FigureKind, type Regime } from './errorBands';

/** The constants the fit may move, per engine, and the range it may move them in. */
const FREE: readonly {
  key:
    | 'computeScale'
    | 'layerFixedUs'
    | 'eagerLayerFixedUs'
    | 'allReduceUs'
    | 'stepFixedUs'
    | 'perSeqStepUs'
    | 'requestOverheadMs'
    | 'ttftFixedMs'
    | 'amdFactor'
    | 'earlyReleaseFactor'
    | 'ampereGemmFactor'
    | 'ampereAttentionFactor';
  lo: number;
  hi: number;
}[] = [
  { key: 'computeScale', lo: 0.05, hi: 1 },
  { key: 'layerFixedUs', lo: 0, hi: 400 },
  { key: 'eagerLayerFixedUs', lo: 0, hi: 4000 },
  { key: 'allReduceUs', lo: 0, hi: 200 },
  { key: 'stepFixedUs', lo: 0, hi: 20000 },
  { key: 'perSeqStepUs', lo: 0, hi: 200 },
  { key: 'requestOverheadMs', lo: 0, hi: 100 },
  { key: 'ttftFixedMs', lo: 0, hi: 500 },
  // Moves only where the engine has AMD figures (a trial that changes nothing is skipped).
  { key: 'amdFactor', lo: 0.5, hi: 4 },
  // Moves only where the engine has figures of an early-2025 build.
  { key: 'earlyReleaseFactor', lo: 0.5, hi: 4 },
  // Move only where the engine has A100 figures (pre-Hopper kernels, engines.ts).
  { key: 'ampereGemmFactor', lo: 0.5, hi: 4 },
  { key: 'ampereAttentionFactor', lo: 0.25, hi: 2 },
];
const FITTED_ENGINES: readonly EngineId[] = ['vllm', 'sglang', 'trtllm'];

export type Profiles = Record<EngineId, EngineProfile>;

type Free = (typeof FREE)[number]['key'];
/**
 * Slowdown of the block-scaled FP8 Triton GEMM of SGLang 0.4.3 against DeepGEMM (what SGLang
 * 0.5 runs on Hopper), measured outside the serving figures: SGLang PR #3893 (2025-02-26), H200
 * TP1 table, DeepSeek-V3 shapes at prefill-sized m: (n, k) = (24576, 7168) at m = 2048, 4096
 * (2.95×, 3.00×) and (32768, 512) at m = 1024, 2048, 4096 (1.68×, 1.80×, 1.93×); geometric mean
 * 2.20×. The SGLang early-release factor starts here, so a fit without dstack's runs (the only
 * early-build figures) still predicts them with a measured factor rather than none; vLLM's
 * starts from the same measurement applied to its Triton expert GEMMs only (below).
 */
export const SGLANG_EARLY_GEMM_SLOWDOWN = 2.2;

/**
 * Share of DeepSeek-R1's GEMM work per token in the routed-expert (grouped) GEMMs, from the
 * deepseek-v3 preset (config.json): 58 MoE layers × 8 experts × 3·7168·2048 = 20.4 G
 * multiply-adds, against 35.6 G for all GEMMs (plus the shared expert 58 × 3·7168·2048 = 2.6 G,
 * the 3 dense FFNs 3 × 3·7168·18432 = 1.2 G and the MLA projections 61 × 187 M = 11.4 G:
 * q_a 7168·1536, q_b 1536·128·192, kv_a 7168·576, kv_b 512·128·256, o 128·128·7168).
 */
export const R1_ROUTED_GEMM_SHARE = 20.4 / 35.6;

/**
 * Where vLLM's early-release factor starts: the measured Triton-vs-DeepGEMM slowdown above on
 * the routed-expert GEMMs only. vLLM 0.7 ran DeepSeek's block-FP8 experts on its Triton fused
 * MoE kernel — the kernel family SGLang's was ported from, and PR #3893's table gives vLLM's
 * Triton column the same times as SGLang's; vLLM's blocked-FP8 CUTLASS MoE came only in June
 * 2025 (vLLM PR #19983) — while its dense block-FP8 layers already had CUTLASS blockwise
 * kernels on Hopper (vLLM PR #12587, before March 2025: PR #14796 fixed its binding on
 * 2025-03-14), taken here as no slower than the current build's. Time-weighted:
 * 1 + 0.574 × (2.2 − 1) = 1.69. The fit moves it where vLLM's early figures (dstack) are in the
 * fit; held out, they are predicted from this start instead of 1.
 */
export const VLLM_EARLY_GEMM_SLOWDOWN = 1 + R1_ROUTED_GEMM_SHARE * (SGLANG_EARLY_GEMM_SLOWDOWN - 1);

/**
 * Where the fit starts: round guesses (a roofline at a third of its efficiency, tens of µs per
 * layer and per all-reduce, a millisecond or two per step, ~10 ms per request), except the
 * early-build GEMM slowdowns of SGLang and vLLM above, which rest on a kernel measurement. The
 * published profiles in engines.ts are this fit's output, so they never depend on an earlier fit.
 */
const START: Record<'vllm' | 'sglang' | 'trtllm', Record<Free, number>> = {
  vllm: {
    computeScale: 0.3,
    layerFixedUs: 60,
    eagerLayerFixedUs: 100,
    allReduceUs: 15,
    stepFixedUs: 1500,
    perSeqStepUs: 4,
    requestOverheadMs: 8,
    ttftFixedMs: 10,
    amdFactor: 1.5,
    earlyReleaseFactor: VLLM_EARLY_GEMM_SLOWDOWN,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
  },
  sglang: {
    computeScale: 0.3,
    layerFixedUs: 60,
    eagerLayerFixedUs: 100,
    allReduceUs: 15,
    stepFixedUs: 1500,
    perSeqStepUs: 4,
    requestOverheadMs: 8,
    ttftFixedMs: 10,
    amdFactor: 1.5,
    earlyReleaseFactor: SGLANG_EARLY_GEMM_SLOWDOWN,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
  },
  trtllm: {
    computeScale: 0.3,
    layerFixedUs: 60,
    eagerLayerFixedUs: 100,
    allReduceUs: 15,
    stepFixedUs: 1500,
    perSeqStepUs: 4,
    requestOverheadMs: 8,
    ttftFixedMs: 10,
    amdFactor: 1,
    earlyReleaseFactor: 1,
    ampereGemmFactor: 1,
    ampereAttentionFactor: 1,
  },
};
export const START_PROFILES: Profiles = {
  ...ENGINES,
  vllm: { ...ENGINES.vllm, ...START.vllm },
  sglang: { ...ENGINES.sglang, ...START.sglang },
  trtllm: { ...ENGINES.trtllm, ...START.trtllm },
};

/** The fitted constants rounded to three significant digits, as engines.ts carries them. */
export function roundedFit(
  p: Profiles,
): Record<'vllm' | 'sglang' | 'trtllm', Record<Free, number>> {
  const pick = (e: EngineProfile) =>
    Object.fromEntries(FREE.map(({ key }) => [key, Number(e[key].toPrecision(3))])) as Record<
      Free,
      number
    >;
  return { vllm: pick(p.vllm), sglang: pick(p.sglang), trtllm: pick(p.trtllm) };
}

export type FigureResult = ServingFigure & {
  simulated: number;
  /** log(simulated / published). */
  logError: number;
  kind: 'ttft' | 'itl' | 'throughput';
  regime: 'low' | 'high';
};

export function evaluate(
  figures: readonly ServingFigure[],
  profiles: Profiles = ENGINES,
): FigureResult[] {
  return figures.map((f) => {
    const r = simulate({ ...servingInput(f), engineProfile: profiles[f.engine] });
    const simulated = metricOf(r, f.metric);
    return {
      ...f,
      simulated,
      logError: Math.log(simulated / f.published),
      kind: kindOf(f.metric),
      regime: regimeOf(Math.min(f.concurrency, f.prompts)),
    };
  });
}

/**
 * What the fit minimises per figure: |log error|, less the log of a widened band where the
 * figure carries one (servingCalibration.ts says why), and never below zero.
 */
export function fitLoss(r: FigureResult): number {
  const e = Math.abs(r.logError);
  return r.band ? Math.max(0, e - Math.log(r.band.factor)) : e;
}

export type ErrorSummary = { count: number; median: number; worst: number; within125: number };

/** Median and worst |log error|, as factors (1.25 = 25% off either way). */
export function summarise(rows: readonly { logError: number }[]): ErrorSummary {
  const abs = rows.map((r) => Math.abs(r.logError)).sort((a, b) => a - b);
  const n = abs.length;
  const median = n === 0 ? 0 : n % 2 ? abs[(n - 1) / 2]! : (abs[n / 2 - 1]! + abs[n / 2]!) / 2;
  return {
    count: n,
    median: Math.exp(median),
    worst: Math.exp(abs[n - 1] ?? 0),
    within125: abs.filter((a) => a <= Math.log(1.25)).length,
  };
}

/**
 * Coordinate search on a log grid: each free constant of each engine in turn is multiplied by
 * the factor that lowers the mean |log error| most, with the factors shrinking every round.
 * A trial re-simulates only the figures of the engine it changes.
 */
export function fitProfiles(
  figures: readonly ServingFigure[],
  start: Profiles = START_PROFILES,
  rounds = 4,
): Profiles {
  let best: Profiles = { ...start };
  const errorOf = (profiles: Profiles, id: EngineId) =>
    evaluate(
      figures.filter((f) => f.engine === id),
      profiles,
    ).reduce((a, r) => a + fitLoss(r), 0);
  const engineError = new Map<EngineId, number>();
  for (const id of FITTED_ENGINES) engineError.set(id, errorOf(best, id));
  for (let round = 0; round < rounds; round++) {
    const step = [1.6, 1.25, 1.1, 1.05][round] ?? 1.03;
    for (const id of FITTED_ENGINES) {
      if (!figures.some((f) => f.engine === id)) continue;
      for (const { key, lo, hi } of FREE) {
        if (key === 'amdFactor' && !hasAmd(figures, id)) continue;
        if (key === 'earlyReleaseFactor' && !hasEarly(figures, id)) continue;
        if (
          (key === 'ampereGemmFactor' || key === 'ampereAttentionFactor') &&
          !hasAmpere(figures, id)
        )
          continue;
        for (const factor of [step, 1 / step]) {
          const p = best[id];
          const base = p[key] === 0 ? (hi - lo) / 100 : p[key];
          const value = Math.min(hi, Math.max(lo, base * factor));
          if (value === p[key]) continue;
          const trial: Profiles = { ...best, [id]: { ...p, [key]: value } };
          const score = errorOf(trial, id);
          if (score < engineError.get(id)! - 1e-9) {
            best = trial;
            engineError.set(id, score);
          }
        }
      }
    }
  }
  return best;
}

function hasAmd(figures: readonly ServingFigure[], id: EngineId): boolean {
  return figures.some((f) => f.engine === id && hardwareById(f.hardware)?.vendor === 'amd');
}

function hasAmpere(figures: readonly ServingFigure[], id: EngineId): boolean {
  return figures.some((f) => {
    const hw = hardwareById(f.hardware);
    return f.engine === id && hw !== undefined && isPreHopperNvidia(hw);
  });
}

function hasEarly(figures: readonly ServingFigure[], id: EngineId): boolean {
  return figures.some((f) => f.engine === id && f.release === 'early-2025');
}

export type CrossValidation = {
  perSource: { source: string; count: number; median: number; worst: number }[];
  all: ErrorSummary;
  /** Every figure as predicted by the profiles fitted without its source. */
  rows: FigureResult[];
};

/** Worst |log error| per kind of figure and regime, as a factor (the stated error bands). */
export function bandsFrom(
  rows: readonly FigureResult[],
): Record<Regime, Record<FigureKind, number>> {
  const out = {
    low: { ttft: 1, itl: 1, throughput: 1 },
    high: { ttft: 1, itl: 1, throughput: 1 },
  };
  const seen = new Set<string>();
  for (const r of rows) {
    out[r.regime][r.kind] = Math.max(out[r.regime][r.kind], Math.exp(Math.abs(r.logError)));
    seen.add(`${r.regime}/${r.kind}`);
  }
  // A kind with no figure in a regime carries the widest band of that regime.
  for (const regime of ['low', 'high'] as const) {
    const widest = Math.max(...Object.values(out[regime]));
    for (const kind of ['ttft', 'itl', 'throughput'] as const)
      if (!seen.has(`${regime}/${kind}`)) out[regime][kind] = widest;
  }
  return out;
}

/** Fit on every source but one, predict that one; pool the held-out errors. */
export function leaveOneSourceOut(
  figures: readonly ServingFigure[] = SERVING_FIGURES,
): CrossValidation {
  const pooled: FigureResult[] = [];
  const perSource: CrossValidation['perSource'] = [];
  for (const s of SERVING_SOURCES) {
    const held = figures.filter((f) => f.source === s.id);
    if (held.length === 0) continue;
    const profiles = fitProfiles(figures.filter((f) => f.source !== s.id));
    const rows = evaluate(held, profiles);
    pooled.push(...rows);
    const sum = summarise(rows);
    perSource.push({ source: s.id, count: rows.length, median: sum.median, worst: sum.worst });
  }
  return { perSource, all: summarise(pooled), rows: pooled };
}
