import { describe, expect, it } from 'vitest';
import { defaultKnobs } from '../../engine/knobs';
import type { GoldenReport } from '../../engine/protocol';
import type { Knobs, SkillScore } from '../../engine/types';
import { evalColumnLabels, knobsLabel } from './evalLabels';
import {
  evaluationAt,
  goldenAt,
  goldenLogitsCost,
  goldenSentence,
  loadKey,
  missingMeasures,
  skillsSentence,
  type MeasuredGolden,
} from './precisionCost';

const check = (logitsMaxAbs: number, logitsRelError: number) => ({
  prompt: 'p',
  logitsRelError,
  logitsMaxAbs,
  routingTokensMatched: 1,
  routingTokens: 1,
  expectedCompletion: 'x',
  completion: 'x',
  pass: logitsRelError < 1e-3,
});
const report = (
  expertPrecision: GoldenReport['expertPrecision'],
  checks = [check(0.5, 0.01), check(0.2, 0.03)],
): GoldenReport => ({ checks, backend: 'cpu', densePath: null, expertPrecision });
const knobs = (p: Knobs['expertPrecision'], topK = 2): Knobs => ({
  ...defaultKnobs({ topK }),
  expertPrecision: p,
});
const scores = (...xs: [string, number, number][]): SkillScore[] =>
  xs.map(([skill, correct, total]) => ({ skill, correct, total, examples: [] }));

describe('what an expert precision costs', () => {
  it('takes the largest error of each kind over the golden prompts', () => {
    expect(goldenLogitsCost(report('int4'))).toEqual({ maxAbs: 0.5, maxRel: 0.03, prompts: 2 });
    expect(goldenLogitsCost(report('int4', []))).toBeNull();
  });

  it('finds the latest report of this load at a precision (absent precision: f32)', () => {
    const a = report('int4', [check(1, 1)]);
    const b = report('int4', [check(2, 2)]);
    const f = report(undefined);
    const measured: MeasuredGolden[] = [
      { load: 'L1', report: a },
      { load: 'L2', report: f },
      { load: 'L2', report: b },
    ];
    expect(goldenAt(measured, 'L2', 'int4')).toBe(b);
    expect(goldenAt(measured, 'L1', 'int4')).toBe(a);
    expect(goldenAt(measured, 'L2', 'f32')).toBe(f);
    expect(goldenAt(measured, 'L1', 'f32')).toBeNull();
    expect(loadKey({ modelId: 'm', backend: 'cpu', loadMs: 12 })).not.toBe(
      loadKey({ modelId: 'm', backend: 'cpu', loadMs: 13 }),
    );
  });

  it('pairs an evaluation with the one at f32 and otherwise the same knobs and size', () => {
    const e = (id: number, k: Knobs, s: SkillScore[]) => ({ id, knobs: k, scores: s });
    const evals = [
      e(1, knobs('f32'), scores(['add', 4, 4], ['copy', 3, 4])),
      e(2, knobs('f32', 1), scores(['add', 1, 4], ['copy', 1, 4])),
      e(3, knobs('f32'), scores(['add', 20, 20], ['copy', 19, 20])),
      e(4, knobs('int4'), scores(['add', 2, 4], ['copy', 3, 4])),
    ];
    expect(evaluationAt(evals, knobs('int4'))!.id).toBe(4);
    // the latest f32 run of the same knobs that scored as many prompts (8), not the 40-prompt one
    expect(evaluationAt(evals, knobs('int4'), 'f32', 8)!.id).toBe(1);
    expect(evaluationAt(evals, knobs('int4'), 'f32')!.id).toBe(3);
    expect(evaluationAt(evals, knobs('int8'))).toBeNull();
  });

  it('says the golden error from the numbers, against f32 and the tolerance', () => {
    const s = goldenSentence(
      'int4',
      { maxAbs: 0.5, maxRel: 0.03, prompts: 2 },
      { maxAbs: 3e-6, maxRel: 2e-7, prompts: 2 },
      1e-3,
    );
    expect(s).toBe(
      'Golden logits with the experts at int4 (the other knobs as trained, 2 prompts): max |Δ| 0.500, max relative error 0.0300; at f32 max |Δ| 3.0e-6, relative 2.0e-7 (int4: 1.5e+5× that) — above the fidelity check’s 0.001 tolerance.'.replace(
        '’',
        "'",
      ),
    );
    expect(goldenSentence('int8', { maxAbs: 1e-4, maxRel: 5e-4, prompts: 1 }, null, 1e-3)).toMatch(
      /1 prompt\): max \|Δ\| 1\.0e-4, max relative error 5\.0e-4 — within/,
    );
    expect(goldenSentence('f16', null, null, 1e-3)).toBe('Golden logits at f16: not measured yet.');
  });

  it('says the skills at the precision, each beside f32', () => {
    const at = { knobs: knobs('int4'), scores: scores(['add', 2, 4], ['copy', 3, 4]) };
    const f32 = { knobs: knobs('f32'), scores: scores(['add', 4, 4], ['copy', 3, 4]) };
    expect(skillsSentence('int4', at, f32)).toBe(
      'Skills at int4: 5/8 (63%) — add 2/4 (f32 4/4), copy 3/4 (f32 3/4); at f32 7/8 (88%).',
    );
    expect(skillsSentence('int4', at, null)).toMatch(/not scored at f32 with these knobs yet\.$/);
    expect(skillsSentence('int8', null, f32)).toBe('Skills at int8: not scored yet.');
  });

  it('names what is left to measure', () => {
    const r = report('int4');
    const scored = { knobs: knobs('int4'), scores: scores(['add', 1, 1]) };
    expect(missingMeasures('int4', { at: null, f32: null }, null)).toEqual([
      'golden logits',
      'skills',
    ]);
    expect(missingMeasures('int4', { at: r, f32: null }, scored)).toEqual(['golden logits']);
    expect(missingMeasures('int4', { at: r, f32: report('f32') }, scored)).toEqual([]);
    expect(missingMeasures('f32', { at: report('f32'), f32: null }, scored)).toEqual([]);
  });
});

describe('evaluation column labels', () => {
  it('name the precision of every column once any is not f32', () => {
    expect(knobsLabel(knobs('f32'))).toBe('top-2');
    expect(knobsLabel(knobs('int4'))).toBe('top-2, experts int4');
    expect(evalColumnLabels([knobs('f32'), knobs('f32', 1)])).toEqual(['top-2', 'top-1']);
    expect(evalColumnLabels([knobs('f32'), knobs('int4')])).toEqual([
      'top-2, experts f32',
      'top-2, experts int4',
    ]);
    expect(knobsLabel({ ...knobs(undefined), ffnKeep: 0.5, disabledExperts: [1, 3] })).toBe(
      'top-2, off: 1,3, FFN 50%',
    );
  });
});
