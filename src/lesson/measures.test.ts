import { describe, expect, it } from 'vitest';
import type { RunState } from '../engine/runStore';
import { defaultSettings } from '../state/settingsSchema';
import { fixtureSteps } from '../viz/traceFixture.testing';
import {
  MEASURE_IDS,
  compareMeasures,
  measure,
  measureAll,
  measureLabel,
  measureValue,
  measureValues,
  readsRun,
} from './measures';

type Run = Pick<RunState, 'done' | 'steps' | 'outputs' | 'evals' | 'config'>;

function fixtureRun(): Run {
  const steps = fixtureSteps().map((s, i) => ({ ...s, moeMs: i === 0 ? 5 : 1.5 }));
  return {
    steps,
    outputs: ['82'],
    config: null,
    done: {
      id: 1,
      texts: ['82'],
      reason: 'stop',
      metrics: {
        requests: 1,
        meanTtftMs: 12.5,
        meanItlMs: 3.25,
        meanE2eMs: 20,
        outputTokensPerS: 100,
        totalTokensPerS: 400,
        wallMs: 20,
      },
      perToken: { dispatches: 4, ortCalls: 3, gpuShare: null },
      notices: [],
      knobs: { topK: 2, disabledExperts: [], ffnKeep: 1, blockSize: 16 },
    },
    evals: [
      {
        id: 2,
        ms: 10,
        knobs: { topK: 2, disabledExperts: [], ffnKeep: 1, blockSize: 16 },
        scores: [
          { skill: 'add', correct: 3, total: 4, examples: [] },
          { skill: 'copy', correct: 4, total: 4, examples: [] },
        ],
      },
    ],
  } as Run;
}

const empty: Run = { done: null, steps: [], outputs: [], evals: [], config: null };

describe('measures of a run', () => {
  const settings = defaultSettings();
  const run = fixtureRun();

  it('read the answer, routing, timing and accuracy from the run', () => {
    expect(measure('answer', { settings, run })).toBe('"82"');
    expect(measure('expertsPerToken', { settings, run })).toBe('2 of 4');
    expect(measure('topWeight', { settings, run })).toBe('0.625');
    expect(measure('moeMsPerToken', { settings, run })).toBe('1.50 ms');
    expect(measure('ttft', { settings, run })).toBe('12.5 ms');
    expect(measure('itl', { settings, run })).toBe('3.25 ms');
    expect(measure('throughput', { settings, run })).toBe('100.0 tok/s');
    expect(measure('requests', { settings, run })).toBe('1');
    expect(measure('accuracy', { settings, run })).toBe('88% (7/8)');
  });

  it('recompute the padding of the traced layer for the view’s block size', () => {
    // counts [1, 3, 1, 1]: each padded to one block of BM rows.
    expect(measure('padding', { settings: { ...settings, vizBm: '16' }, run })).toBe(
      '58 of 64 rows',
    );
    expect(measure('padding', { settings: { ...settings, vizBm: '64' }, run })).toBe(
      '250 of 256 rows',
    );
  });

  it('say "—" when there is nothing to measure, never a made-up number', () => {
    for (const id of MEASURE_IDS.filter((m) => !m.startsWith('sim'))) {
      expect(measure(id, { settings, run: empty }), id).toBe('—');
    }
  });
});

describe('simulated measures follow the settings', () => {
  const s = defaultSettings();
  const ms = (text: string) => Number(text.replace(/[^\d.]/g, ''));

  it('an unfused MoE kernel is slower', () => {
    const fused = ms(measure('simItl', { settings: s, run: empty }));
    const unfused = ms(measure('simItl', { settings: { ...s, fusedMoe: false }, run: empty }));
    expect(unfused).toBeGreaterThan(fused);
  });

  it('skew raises the imbalance share under EP', () => {
    const even = parseFloat(measure('simImbalance', { settings: { ...s, skew: 0 }, run: empty }));
    const skewed = parseFloat(
      measure('simImbalance', { settings: { ...s, strategy: 'ep', skew: 0.8 }, run: empty }),
    );
    expect(skewed).toBeGreaterThan(even);
  });

  it('FP8 needs less memory per GPU than BF16', () => {
    const bf16 = parseFloat(measure('simMemory', { settings: s, run: empty }));
    const fp8 = parseFloat(
      measure('simMemory', { settings: { ...s, precision: 'fp8' }, run: empty }),
    );
    expect(fp8).toBeLessThan(bf16);
  });

  it('with overlap on, the communication it hides is shown beside the exposed share', () => {
    const ep = { ...s, simModel: 'deepseek-v3' as const, hardware: 'h800' as const };
    const base = { ...ep, strategy: 'dp-ep' as const, simGpus: 16, precision: 'fp8' as const };
    const off = { ...base, overlapComm: false };
    const on = { ...base, overlapComm: true };
    const exposedOff = measureValue('simComm', { settings: off, run: empty })!.value;
    const exposedOn = measureValue('simComm', { settings: on, run: empty })!.value;
    const hiddenOn = measureValue('simCommHidden', { settings: on, run: empty })!.value;
    expect(measure('simCommHidden', { settings: off, run: empty })).toBe('0.0% (overlap off)');
    expect(exposedOff).toBeGreaterThan(0);
    // Overlap moves communication from exposed to hidden; it does not make it vanish.
    expect(exposedOn).toBeLessThan(exposedOff);
    expect(hiddenOn).toBeGreaterThan(0);
    expect(measureLabel('simComm')).toContain('exposed');
  });

  it('an impossible layout gives "—"', () => {
    const bad = { ...s, strategy: 'tp-ep' as const, simTp: 3, simEp: 5 };
    expect(measure('simItl', { settings: bad, run: empty })).toBe('—');
  });
});

describe('compareMeasures', () => {
  it('pairs before and after in the order asked', () => {
    const settings = defaultSettings();
    const before = measureAll(['simMemory', 'answer'], { settings, run: empty });
    const after = measureAll(['simMemory', 'answer'], {
      settings: { ...settings, precision: 'fp8' },
      run: fixtureRun(),
    });
    const lines = compareMeasures(['simMemory', 'answer'], before, after);
    expect(lines.map((l) => l.id)).toEqual(['simMemory', 'answer']);
    expect(lines[1]).toMatchObject({ before: '—', after: '"82"' });
    expect(lines[0]!.before).not.toBe(lines[0]!.after);
  });
});

describe('readsRun', () => {
  it('is true exactly for the measures a run is needed for', () => {
    const noRun: Run = { done: null, steps: [], outputs: [], evals: [], config: null };
    for (const id of MEASURE_IDS) {
      const fromSettingsAlone = measure(id, { settings: defaultSettings(), run: noRun }) !== '—';
      expect(readsRun(id), id).toBe(!fromSettingsAlone);
    }
  });
});

describe('measureValue', () => {
  const settings = defaultSettings();
  const run = fixtureRun();

  it('gives the raw numbers behind the text, with the whole for "x of y"', () => {
    expect(measureValue('expertsPerToken', { settings, run })).toEqual({ value: 2, of: 4 });
    expect(measureValue('topWeight', { settings, run })?.value).toBeCloseTo(0.625, 3);
    expect(measureValue('moeMsPerToken', { settings, run })).toEqual({ value: 1.5, of: null });
    expect(measureValue('itl', { settings, run })).toEqual({ value: 3.25, of: null });
    expect(measureValue('requests', { settings, run })).toEqual({ value: 1, of: null });
    expect(measureValue('accuracy', { settings, run })).toEqual({ value: 7, of: 8 });
    expect(measureValue('answer', { settings, run })).toBeNull();
  });

  it('agrees with the text of every measure, and is null exactly when the text is "—"', () => {
    for (const r of [run, empty]) {
      for (const id of MEASURE_IDS) {
        const text = measure(id, { settings, run: r });
        const v = measureValue(id, { settings, run: r });
        if (text === '—') expect(v, id).toBeNull();
        // Accuracy's text leads with the percentage; its value is the count correct (of the total).
        if (v === null || id === 'simTpVsEp' || id === 'accuracy') continue;
        const lead = Number(/-?\d+(\.\d+)?/.exec(text)![0]);
        const digits = (text.split(' ')[0]!.split('.')[1] ?? '').replace(/\D.*$/, '').length;
        expect(Math.abs(lead - v.value), id).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
      }
    }
  });

  it('travels with compareMeasures', () => {
    const ids = ['simMemory'] as const;
    const before = { settings, run: empty };
    const after = { settings: { ...settings, precision: 'fp8' as const }, run: empty };
    const [line] = compareMeasures(ids, measureAll(ids, before), measureAll(ids, after), {
      before: measureValues(ids, before),
      after: measureValues(ids, after),
    });
    expect(line!.afterValue!.value).toBeLessThan(line!.beforeValue!.value);
    expect(compareMeasures(ids, {}, {})[0]).toMatchObject({ beforeValue: null, afterValue: null });
  });
});
