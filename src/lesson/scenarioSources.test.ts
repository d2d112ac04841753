import { describe, expect, it } from 'vitest';
import { CALIBRATION } from '../sim/calibration';
import { simInputFromSettings } from '../sim/inputFromSettings';
import { simulate } from '../sim/simulate';
import { SETTINGS_SCHEMA } from '../state/settingsSchema';
import { PRESETS } from './presets';
import {
  AGREES_WITHIN,
  cardSource,
  DAY6_DECODE_GPUS,
  DAY6_SEQS_PER_GPU,
  DAY6_USER_TOKS,
  SCENARIO_SOURCES,
  compareAllScenarios,
  compareScenario,
  figureSentence,
  scenarioRatioLabel,
  scenarioSettings,
  scenarioSource,
  type FigureComparison,
} from './scenarioSources';

describe('scenario sources', () => {
  it('every simulator scenario has a source, and every source a scenario', () => {
    const simPresets = PRESETS.filter((p) => p.panel === 'simulator').map((p) => p.id);
    expect(SCENARIO_SOURCES.map((s) => s.presetId).sort()).toEqual([...simPresets].sort());
    for (const s of SCENARIO_SOURCES) {
      expect(s.url).toMatch(/^https:\/\//);
      expect(s.figures.length).toBeGreaterThan(0);
      for (const f of s.figures) expect(f.band.low).toBeLessThan(f.band.high);
    }
  });

  it('every one-click scenario states a source: published figures or the pack’s model card', () => {
    for (const p of PRESETS) expect(scenarioSource(p.id) ?? cardSource(p.id), p.id).toBeDefined();
    expect(cardSource('top1-accuracy')).toBeDefined();
  });

  it('reuse the calibration’s DeepSeek figure and citation', () => {
    const day6 = CALIBRATION.find((c) => c.id === 'deepseek-day6-decode')!;
    const src = scenarioSource('deepseek-v3-decode')!;
    expect(src.url).toBe(day6.source);
    // 14.8k per 8-GPU node = 1.85k per GPU.
    expect(src.figures[0]!.published).toBeCloseTo(1850, 6);
    expect(DAY6_SEQS_PER_GPU).toBeCloseTo(1850 / DAY6_USER_TOKS, 6);
  });

  it('DeepSeek-V3 decode runs at DeepSeek’s per-GPU load, not far below it', () => {
    const s = scenarioSettings(PRESETS.find((p) => p.id === 'deepseek-v3-decode')!);
    const perGpu = s.concurrency / s.simGpus;
    expect(perGpu / DAY6_SEQS_PER_GPU).toBeGreaterThan(0.85);
    expect(perGpu / DAY6_SEQS_PER_GPU).toBeLessThan(1.15);
    // On DeepSeek's published decode cluster, EP144, within what the concurrency setting allows.
    expect(s.simGpus).toBe(DAY6_DECODE_GPUS);
    expect(s.strategy).toBe('dp-ep');
    expect(s.concurrency).toBeLessThanOrEqual(SETTINGS_SCHEMA.concurrency.max);
    expect(s.prompts).toBeGreaterThanOrEqual(s.concurrency);
    expect(s.overlapComm).toBe(true);
    const said = scenarioSource('deepseek-v3-decode')!.operatingPoint(s);
    expect(said).toContain(`EP${DAY6_DECODE_GPUS}`);
    expect(said).toContain(s.concurrency.toLocaleString('en-US'));
    expect(said).not.toContain('concurrency stops');
  });

  it('the concurrency setting reaches DeepSeek’s requests in flight on 144 GPUs', () => {
    expect(SETTINGS_SCHEMA.concurrency.max).toBeGreaterThanOrEqual(
      DAY6_SEQS_PER_GPU * DAY6_DECODE_GPUS,
    );
  });

  it('says so when a run keeps the per-GPU load on fewer GPUs than DeepSeek', () => {
    const s = scenarioSettings(PRESETS.find((p) => p.id === 'deepseek-v3-decode')!);
    const said = scenarioSource('deepseek-v3-decode')!.operatingPoint({
      ...s,
      simGpus: 48,
      concurrency: 4229,
    });
    expect(said).toContain('48 GPUs where DeepSeek used 144');
  });

  it('Mixtral on 2×A100 runs at Baseten’s setting: one request, 512 in / 128 out', () => {
    const s = scenarioSettings(PRESETS.find((p) => p.id === 'mixtral-2xa100')!);
    expect([s.concurrency, s.inputLen, s.outputLen, s.simEngine]).toEqual([1, 512, 128, 'tuned']);
  });

  it('the Baseten figures are compared at Baseten’s own setup, the lesson asks TP vs EP on two', () => {
    const preset = scenarioSettings(PRESETS.find((p) => p.id === 'mixtral-2xa100')!);
    expect([preset.simGpus, preset.precision]).toEqual([2, 'bf16']);
    const c = compareScenario(scenarioSource('mixtral-2xa100')!);
    expect([c.settings.simGpus, c.settings.precision, c.settings.concurrency]).toEqual([
      1,
      'fp8',
      1,
    ]);
    expect(scenarioSource('mixtral-2xa100')!.operatingPoint(c.settings)).toContain(
      'one A100 with 8-bit weights',
    );
  });

  // Fails when the simulator drifts: each figure's ratio must stay in its stated band.
  it.each(compareAllScenarios().map((c) => [c.source.presetId, c] as const))(
    '%s: the simulator lies within the stated band of its source',
    (_, c) => {
      expect(c.error).toBeUndefined();
      for (const f of c.figures!) {
        expect(f.ratio, `${f.figure.id}: ${figureSentence(f)}`).toBeGreaterThanOrEqual(
          f.figure.band.low,
        );
        expect(f.ratio, `${f.figure.id}: ${figureSentence(f)}`).toBeLessThanOrEqual(
          f.figure.band.high,
        );
        expect(f.inBand).toBe(true);
      }
    },
  );

  it('computes the simulator’s number by running it at the scenario’s settings', () => {
    const src = scenarioSource('deepseek-v3-decode')!;
    const c = compareScenario(src);
    const r = simulate(simInputFromSettings(c.settings));
    expect(c.figures![0]!.simulated).toBe(r.tokensPerSPerGpu);
    expect(c.figures![0]!.ratio).toBeCloseTo(r.tokensPerSPerGpu / 1850, 9);
  });

  // The per-user band's reason: at DeepSeek's requests per GPU, Little's law ties the per-user
  // ratio to the per-GPU ratio, stretched only by the share of a request's time before its first
  // token (prefill on the decode GPUs lands in TTFT or between tokens, never outside both).
  it('DeepSeek-V3 decode: per-user ratio = per-GPU ratio × E2E/(E2E − TTFT), its band from the per-GPU one', () => {
    const src = scenarioSource('deepseek-v3-decode')!;
    const c = compareScenario(src);
    const r = simulate(simInputFromSettings(c.settings));
    const [gpu, user] = c.figures!;
    expect(user!.figure.id).toBe('tokens-per-user');
    const stretch = r.e2eMs / (r.e2eMs - r.ttftMs);
    expect(stretch).toBeGreaterThanOrEqual(1);
    expect(user!.ratio / (gpu!.ratio * stretch)).toBeGreaterThan(0.99);
    expect(user!.ratio / (gpu!.ratio * stretch)).toBeLessThan(1.01);
    expect(user!.figure.band.low).toBe(gpu!.figure.band.low);
  });
});

describe('figureSentence', () => {
  const figure = {
    id: 'x',
    what: 'output tok/s per GPU',
    unit: 'tok/s',
    published: 1000,
    simulated: () => 0,
    band: { low: 0.5, high: 2, why: 'because' },
  };
  const cmp = (simulated: number): FigureComparison => {
    const ratio = simulated / 1000;
    return { figure, simulated, ratio, inBand: ratio >= 0.5 && ratio <= 2 };
  };

  it('says "agrees" only within the agreement factor', () => {
    expect(figureSentence(cmp(1000 * AGREES_WITHIN * 0.99))).toContain('agrees');
    expect(figureSentence(cmp(1000 / (AGREES_WITHIN * 0.99)))).toContain('agrees');
    expect(figureSentence(cmp(1500))).not.toContain('agrees');
  });

  it('states the numbers and the ratio it computed', () => {
    const t = figureSentence(cmp(1500));
    expect(t).toContain('source 1,000 tok/s');
    expect(t).toContain('simulator 1,500 tok/s');
    expect(t).toContain('1.50×');
    expect(t).toContain('within the expected 0.50–2.00×');
  });

  it('says plainly when the simulator is far off', () => {
    const t = figureSentence(cmp(166));
    expect(t).toContain('far off');
    expect(t).toContain('0.17× (1/6.0)');
  });
});

describe('scenarioRatioLabel', () => {
  it('gives the computed ratio, short for the menu and in full', () => {
    const c = compareScenario(scenarioSource('deepseek-v3-decode')!);
    const label = scenarioRatioLabel(c);
    const ratio = c.figures![0]!.ratio.toFixed(2);
    expect(label.short).toBe(`sim ${ratio}× source`);
    expect(label.full).toContain(`${ratio}×`);
    expect(label.full).toContain('DeepSeek');
  });

  it('says when there is no simulation instead of a number', () => {
    const c = { ...compareScenario(scenarioSource('mixtral-2xa100')!), figures: null, error: 'x' };
    expect(scenarioRatioLabel(c)).toEqual({
      short: 'no simulation',
      full: 'the simulator cannot run this layout (x)',
    });
  });
});
