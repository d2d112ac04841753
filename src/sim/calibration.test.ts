import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationTable } from './calibration';
import {
  bandsFrom,
  evaluate,
  fitProfiles,
  leaveOneSourceOut,
  roundedFit,
  SGLANG_EARLY_GEMM_SLOWDOWN,
  VLLM_EARLY_GEMM_SLOWDOWN,
  START_PROFILES,
  summarise,
} from './calibrationFit';
import { ENGINES } from './engines';
import { bandLine, summaryLine } from './calibrationReport';
import { isPreHopperNvidia } from './efficiency';
import { ERROR_BANDS, HELD_OUT_ERROR } from './errorBands';
import { hardwareById } from './hardware';
import { SERVING_FIGURES, SERVING_SOURCES } from './servingCalibration';

describe('calibration against published kernel and production measurements', () => {
  const rows = calibrationTable();

  it.each(rows.map((r) => [r.id, r] as const))('%s lands within its stated tolerance', (_id, r) => {
    expect(Number.isFinite(r.simulated)).toBe(true);
    if (r.bound === 'capacity') {
      // A production 24-hour average must not exceed the simulated capacity, nor be far below.
      expect(r.simulated).toBeGreaterThanOrEqual(r.published);
      expect(r.simulated).toBeLessThanOrEqual(r.published * (1 + r.tolerance));
    } else {
      expect(
        Math.abs(r.error),
        `${r.what}: simulated ${r.simulated} vs ${r.published}`,
      ).toBeLessThanOrEqual(r.tolerance);
    }
  });

  it('holds most figures as checks, not fits, and every figure has a source', () => {
    expect(rows.filter((r) => r.role === 'check').length).toBeGreaterThan(
      2 * rows.filter((r) => r.role === 'fit').length,
    );
    for (const r of rows) expect(r.source).toMatch(/\S{8,}/);
  });

  it('keeps the check figures tight on average', () => {
    const checks = rows.filter((r) => r.role === 'check' && r.bound === 'two-sided');
    const mean = checks.reduce((a, r) => a + Math.abs(r.error), 0) / checks.length;
    expect(mean).toBeLessThan(0.2);
  });
});

describe('calibration against published end-to-end serving measurements', () => {
  const fitted = evaluate(SERVING_FIGURES);
  const fit = summarise(fitted);

  it('covers at least 30 figures, three engines, four GPU types incl. MI300X, low and high concurrency', () => {
    expect(SERVING_FIGURES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SERVING_FIGURES.map((f) => f.engine)).size).toBeGreaterThanOrEqual(3);
    const gpus = new Set(SERVING_FIGURES.map((f) => f.hardware));
    expect(gpus.size).toBeGreaterThanOrEqual(4);
    for (const id of ['a100-80gb', 'h100-sxm', 'h200', 'mi300x'])
      expect(gpus.has(id), id).toBe(true);
    expect(SERVING_FIGURES.some((f) => Math.min(f.concurrency, f.prompts) <= 4)).toBe(true);
    expect(SERVING_FIGURES.some((f) => Math.min(f.concurrency, f.prompts) >= 100)).toBe(true);
    const ids = new Set(SERVING_SOURCES.map((s) => s.id));
    for (const f of SERVING_FIGURES) {
      expect(ids.has(f.source), f.id).toBe(true);
      expect(hardwareById(f.hardware), f.id).toBeDefined();
      expect(f.conditions).toMatch(/\S{6,}/);
    }
    for (const s of SERVING_SOURCES) expect(s.url).toMatch(/^https:\/\//);
    expect(new Set(SERVING_FIGURES.map((f) => f.id)).size).toBe(SERVING_FIGURES.length);
  });

  it('publishes exactly the fitted constants (engines.ts is the fit, not a hand edit)', () => {
    const fittedNow = roundedFit(fitProfiles(SERVING_FIGURES));
    for (const id of ['vllm', 'sglang', 'trtllm'] as const)
      expect(fittedNow[id], id).toEqual(roundedFit(ENGINES)[id]);
  }, 300_000);

  it('keeps the fitted error near the median goal (×1.25) and no worse than it stands', () => {
    for (const r of fitted) expect(Number.isFinite(r.simulated), r.id).toBe(true);
    // The fitted median meets the goal (×1.18), the worst (×2.77) does not; these bounds guard
    // the current state from getting worse.
    expect(fit.median).toBeLessThan(1.23);
    expect(fit.worst).toBeLessThan(3);
  });

  it('fits the AMD factor of every engine that has MI300X figures (not an assumption)', () => {
    const amdEngines = new Set(
      SERVING_FIGURES.filter((f) => hardwareById(f.hardware)?.vendor === 'amd').map(
        (f) => f.engine,
      ),
    );
    expect(amdEngines.size).toBeGreaterThanOrEqual(2);
    const start = fitProfiles(SERVING_FIGURES.filter((f) => !amdEngines.has(f.engine)));
    for (const id of amdEngines) {
      // The published factor is not where the fit starts: the figures moved it.
      expect(ENGINES[id].amdFactor, id).not.toBe(START_PROFILES[id].amdFactor);
      expect(start[id].amdFactor, id).toBe(START_PROFILES[id].amdFactor);
    }
  }, 300_000);

  it('fits the early-release factor of every engine with figures of an early-2025 build', () => {
    const early = SERVING_FIGURES.filter((f) => f.release === 'early-2025');
    const engines = new Set(early.map((f) => f.engine));
    expect(engines.size).toBeGreaterThanOrEqual(2);
    // Every early-build figure names its version in its conditions.
    for (const f of early) expect(f.conditions, f.id).toMatch(/0\.(4|7|17)\b/);
    for (const id of engines) {
      expect(ENGINES[id].earlyReleaseFactor, id).not.toBe(START_PROFILES[id].earlyReleaseFactor);
      // Early builds are not faster than current ones.
      expect(ENGINES[id].earlyReleaseFactor, id).toBeGreaterThanOrEqual(1);
    }
    // An engine with no early figure keeps the neutral start.
    expect(ENGINES.tuned.earlyReleaseFactor).toBe(1);
  });

  it('fits the A100 factors only for engines with A100 figures, and keeps 1 elsewhere', () => {
    const ampereEngines = new Set(
      SERVING_FIGURES.filter((f) => {
        const hw = hardwareById(f.hardware);
        return hw !== undefined && isPreHopperNvidia(hw) && f.engine !== 'tuned';
      }).map((f) => f.engine),
    );
    expect(ampereEngines.size).toBeGreaterThanOrEqual(1);
    for (const id of ['vllm', 'sglang', 'trtllm', 'tuned'] as const) {
      const e = ENGINES[id];
      if (ampereEngines.has(id)) {
        // The figures moved both factors from their neutral start.
        expect(e.ampereGemmFactor, id).not.toBe(START_PROFILES[id].ampereGemmFactor);
        expect(e.ampereAttentionFactor, id).not.toBe(START_PROFILES[id].ampereAttentionFactor);
      } else {
        expect(e.ampereGemmFactor, id).toBe(1);
        expect(e.ampereAttentionFactor, id).toBe(1);
      }
    }
  });

  it('predicts early builds without their figures from the measured kernel slowdown, not from 1', () => {
    // SGLang's start is the kernel benchmark (calibrationFit.ts), measured outside the figures.
    expect(START_PROFILES.sglang.earlyReleaseFactor).toBe(SGLANG_EARLY_GEMM_SLOWDOWN);
    expect(SGLANG_EARLY_GEMM_SLOWDOWN).toBeGreaterThan(1);
    const withoutEarly = fitProfiles(SERVING_FIGURES.filter((f) => f.release !== 'early-2025'));
    expect(withoutEarly.sglang.earlyReleaseFactor).toBe(SGLANG_EARLY_GEMM_SLOWDOWN);
    expect(withoutEarly.vllm.earlyReleaseFactor).toBe(VLLM_EARLY_GEMM_SLOWDOWN);
  }, 300_000);

  it('counts every widened band, with a reason, and keeps those figures in the statistics', () => {
    const banded = fitted.filter((r) => r.band);
    for (const r of banded) {
      expect(r.band!.factor, r.id).toBeGreaterThan(1);
      expect(r.band!.factor, r.id).toBeLessThanOrEqual(3);
      expect(r.band!.reason.length, r.id).toBeGreaterThan(40);
    }
    // Widened bands stay the exception.
    expect(banded.length).toBeLessThanOrEqual(2);
    expect(fit.count).toBe(SERVING_FIGURES.length);
    const doc = readFileSync('docs/simulator.md', 'utf8');
    expect(doc).toContain(bandLine(fitted));
  });

  it('cross-validates by source, states bands that match, and the document carries these numbers', () => {
    const cv = leaveOneSourceOut();
    expect(cv.all.count).toBe(SERVING_FIGURES.length);
    // Held-out prediction is worse than the fit, never better by construction of a fit.
    expect(cv.all.median).toBeGreaterThanOrEqual(fit.median * 0.9);
    expect(cv.all.median).toBeLessThan(1.45);
    // The sentences that state the held-out error (panel, README) read these constants.
    expect(HELD_OUT_ERROR.median).toBeCloseTo(cv.all.median, 2);
    expect(HELD_OUT_ERROR.worst).toBeCloseTo(cv.all.worst, 2);
    const bands = bandsFrom(cv.rows);
    for (const regime of ['low', 'high'] as const)
      for (const kind of ['ttft', 'itl', 'throughput'] as const) {
        const stated = ERROR_BANDS[regime][kind];
        // Stated = the held-out worst rounded up to two decimals.
        expect(stated, `${regime}/${kind}`).toBeGreaterThanOrEqual(bands[regime][kind] - 1e-9);
        expect(stated, `${regime}/${kind}`).toBeLessThanOrEqual(bands[regime][kind] + 0.011);
      }
    const doc = readFileSync('docs/simulator.md', 'utf8');
    expect(doc).toContain(summaryLine('Fitted on all sources', fit));
    expect(doc).toContain(
      summaryLine(
        'Leave-one-source-out (each source predicted by profiles fitted without it)',
        cv.all,
      ),
    );
  }, 300_000);
});
