import { describe, expect, it } from 'vitest';
import { ENGINES, ENGINE_RELEASES } from './engines';
import { simInputFromSettings } from './inputFromSettings';
import { releaseExplanation } from './release';
import { SERVING_FIGURES } from './servingCalibration';
import { simulate } from './simulate';
import { SETTINGS_SCHEMA, defaultSettings, type LabSettings } from '../state/settingsSchema';
import { decodeHash, encodeHash } from '../state/urlHash';

const settings = (over: Partial<LabSettings> = {}): LabSettings => ({
  ...defaultSettings(),
  ...over,
});

describe('simInputFromSettings', () => {
  it('offers exactly the simulator’s engine builds, current by default', () => {
    expect([...SETTINGS_SCHEMA.simRelease.values]).toEqual([...ENGINE_RELEASES]);
    expect(simInputFromSettings(settings()).engineRelease).toBe('current');
  });

  it('feeds the build to the simulator, next to the engine', () => {
    const input = simInputFromSettings(settings({ simEngine: 'sglang', simRelease: 'early-2025' }));
    expect(input.engine).toBe('sglang');
    expect(input.engineRelease).toBe('early-2025');
  });

  it('carries the build through a link', () => {
    const view = { panel: 'simulator' as const, settings: settings({ simRelease: 'early-2025' }) };
    const hash = encodeHash(view);
    expect(hash).toContain('simRelease=early-2025');
    const back = decodeHash(hash);
    expect(back.notices).toEqual([]);
    expect(simInputFromSettings(back.settings)).toEqual(simInputFromSettings(view.settings));
    // An unknown build in a link falls back to the default with a notice.
    const bad = decodeHash('#/simulator?simRelease=2019');
    expect(bad.settings.simRelease).toBe('current');
    expect(bad.notices.length).toBe(1);
  });

  it('an early build slows the prefill of an engine with a fitted factor, not the tuned one', () => {
    const base = {
      simModel: 'deepseek-v3',
      hardware: 'h200',
      simGpus: 8,
      strategy: 'tp',
      precision: 'fp8',
      inputLen: 3200,
      outputLen: 200,
      concurrency: 4,
      prompts: 8,
    } as const;
    const run = (over: Partial<LabSettings>) =>
      simulate(simInputFromSettings(settings({ ...base, ...over })));
    const vllmNow = run({ simEngine: 'vllm', simRelease: 'current' });
    const vllmEarly = run({ simEngine: 'vllm', simRelease: 'early-2025' });
    expect(vllmEarly.ttftMs).toBeGreaterThan(1.3 * vllmNow.ttftMs);
    const tunedNow = run({ simEngine: 'tuned', simRelease: 'current' });
    const tunedEarly = run({ simEngine: 'tuned', simRelease: 'early-2025' });
    expect(tunedEarly.ttftMs).toBe(tunedNow.ttftMs);
  });

  it('keeps the rest of the mapping: arrival rate, hybrid degrees, placement', () => {
    const a = simInputFromSettings(
      settings({ simRate: 5, strategy: 'tp-ep', simTp: 2, simEp: 4, placement: 'eplb' }),
    );
    expect(a.arrivalRate).toBe(5);
    expect([a.tp, a.ep]).toEqual([2, 4]);
    expect(a.balancedPlacement).toBe(true);
    const b = simInputFromSettings(settings({ simRate: 0, strategy: 'ep' }));
    expect(b.arrivalRate).toBeUndefined();
    expect(b.tp).toBeUndefined();
  });
});

describe('releaseExplanation', () => {
  it('states the fitted factor and the figures it rests on', () => {
    const text = releaseExplanation(ENGINES.vllm, 'early-2025');
    expect(text).toContain(`1/${ENGINES.vllm.earlyReleaseFactor} `);
    const n = SERVING_FIGURES.filter((f) => f.engine === 'vllm' && f.release === 'early-2025');
    expect(n.length).toBeGreaterThan(0);
    expect(text).toContain(`${n.length} dstack figures`);
  });

  it('says when the build changes nothing', () => {
    expect(releaseExplanation(ENGINES.tuned, 'early-2025')).toMatch(/changes nothing/);
    expect(releaseExplanation(ENGINES.vllm, 'current')).toMatch(/no release factor/);
  });
});
