import { describe, expect, it } from 'vitest';
import { simInputFromSettings } from '../sim/inputFromSettings';
import { trySimulate } from '../sim/sweep';
import { PANEL_IDS } from '../state/panelIds';
import { defaultSettings } from '../state/settingsSchema';
import { measure } from './measures';
import { PRESETS, applyPreset, presetById } from './presets';

const emptyRun = { done: null, steps: [], outputs: [], evals: [], config: null };

describe('presets', () => {
  it('include the issue’s three scenarios', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(3);
    const titles = PRESETS.map((p) => p.title);
    expect(titles).toContain('Mixtral on 2×A100, TP vs EP');
    expect(titles).toContain('DeepSeek-V3 decode with EP');
    expect(titles).toContain('What top-1 does to accuracy');
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s applies cleanly and opens a view', (_, p) => {
    const { settings, panel, diff } = applyPreset(defaultSettings(), p);
    expect(PANEL_IDS).toContain(panel);
    expect(diff.length).toBeGreaterThan(0);
    for (const d of diff) expect(settings[d.key]).toBe(d.to);
    expect(presetById(p.id)).toBe(p);
  });

  it('simulator presets describe layouts that exist and fit in memory', () => {
    for (const p of PRESETS.filter((x) => x.panel === 'simulator')) {
      const { settings } = applyPreset(defaultSettings(), p);
      const sim = trySimulate(simInputFromSettings(settings));
      expect(sim.error, p.id).toBeUndefined();
      expect(sim.result!.fits, p.id).toBe(true);
    }
  });

  it('Mixtral on 2×A100 compares TP and EP with two different numbers', () => {
    const { settings } = applyPreset(defaultSettings(), presetById('mixtral-2xa100')!);
    const text = measure('simTpVsEp', { settings, run: emptyRun });
    const [tp, ep] = [...text.matchAll(/(\d+\.\d+) ms/g)].map((m) => Number(m[1]));
    expect(tp).toBeGreaterThan(0);
    expect(ep).toBeGreaterThan(0);
    expect(tp).not.toBe(ep);
  });

  it('DeepSeek-V3 decode serves each user at a speed near DeepSeek’s published ~20 tok/s', () => {
    const { settings } = applyPreset(defaultSettings(), presetById('deepseek-v3-decode')!);
    const r = trySimulate(simInputFromSettings(settings)).result!;
    expect(r.tokensPerSPerUser).toBeGreaterThan(8);
    expect(r.tokensPerSPerUser).toBeLessThan(80);
  });

  it('top-1 re-scores the trained model', () => {
    const p = presetById('top1-accuracy')!;
    expect(p.rerun).toBe('evaluate');
    expect(p.measures).toContain('accuracy');
    expect(applyPreset(defaultSettings(), p).settings.topK).toBe(1);
  });
});
