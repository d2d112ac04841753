// What an expert precision costs in accuracy, from measurements only: the golden-logit error of
// the pack's golden prompts run with the experts at that precision (the other knobs as trained,
// the same comparison as the fidelity check), and the per-skill scores of evaluations run at it.
// Pure: the Model view's precision line draws these sentences; src/panels/model/PrecisionCost.tsx
// runs the measurements.
import { sameKnobs } from '../../engine/knobs';
import type { GoldenReport } from '../../engine/protocol';
import type { Knobs, SkillScore } from '../../engine/types';
import type { WeightFormat } from '../../kernels/types';

/** The golden logits' error over a report's prompts: the largest of each measure. */
export type LogitsCost = { maxAbs: number; maxRel: number; prompts: number };

export function goldenLogitsCost(report: GoldenReport): LogitsCost | null {
  if (report.checks.length === 0) return null;
  return {
    maxAbs: Math.max(...report.checks.map((c) => c.logitsMaxAbs)),
    maxRel: Math.max(...report.checks.map((c) => c.logitsRelError)),
    prompts: report.checks.length,
  };
}

/** A golden report as measured on one loaded model (`load` tells loads apart). */
export type MeasuredGolden = { load: string; report: GoldenReport };

/** Which load of which model a measurement belongs to (a new load measures afresh). */
export function loadKey(run: {
  modelId: string | null;
  backend: string | null;
  densePath?: string | null;
  loadMs: number | null;
}): string {
  return [run.modelId, run.backend, run.densePath ?? '', run.loadMs].join('|');
}

/** The latest golden report measured on `load` with the experts at `precision`, or null. */
export function goldenAt(
  measured: MeasuredGolden[],
  load: string,
  precision: WeightFormat,
): GoldenReport | null {
  for (let i = measured.length - 1; i >= 0; i--) {
    const m = measured[i]!;
    if (m.load === load && (m.report.expertPrecision ?? 'f32') === precision) return m.report;
  }
  return null;
}

type Scored = { knobs: Knobs; scores: SkillScore[] };

/**
 * The latest evaluation run with exactly `knobs`, or with the same knobs but the experts at
 * `precision` when given (the f32 column to compare with). Only evaluations scoring as many
 * prompts as the latest one at `knobs` count, so the two are comparable.
 */
export function evaluationAt<E extends Scored>(
  evals: E[],
  knobs: Knobs,
  precision?: WeightFormat,
  prompts?: number,
): E | null {
  const want: Knobs = precision ? { ...knobs, expertPrecision: precision } : knobs;
  for (let i = evals.length - 1; i >= 0; i--) {
    const e = evals[i]!;
    if (!sameKnobs(e.knobs, want)) continue;
    if (prompts !== undefined && total(e).total !== prompts) continue;
    return e;
  }
  return null;
}

export function total(e: Scored): { correct: number; total: number } {
  return {
    correct: e.scores.reduce((a, s) => a + s.correct, 0),
    total: e.scores.reduce((a, s) => a + s.total, 0),
  };
}

const pctOf = (c: { correct: number; total: number }) =>
  c.total ? `${Math.round((100 * c.correct) / c.total)}%` : '—';

const num = (x: number) =>
  !Number.isFinite(x)
    ? '∞'
    : x === 0
      ? '0'
      : x >= 0.01 && x < 1000
        ? x.toPrecision(3)
        : x.toExponential(1);

/** The sentence on the golden logits at `precision` (and at f32 beside it when measured). */
export function goldenSentence(
  precision: WeightFormat,
  at: LogitsCost | null,
  f32: LogitsCost | null,
  tolerance: number,
): string {
  if (!at) return `Golden logits at ${precision}: not measured yet.`;
  const base =
    `Golden logits with the experts at ${precision} (the other knobs as trained, ` +
    `${at.prompts} prompt${at.prompts === 1 ? '' : 's'}): max |Δ| ${num(at.maxAbs)}, ` +
    `max relative error ${num(at.maxRel)}`;
  const vs =
    precision !== 'f32' && f32
      ? `; at f32 max |Δ| ${num(f32.maxAbs)}, relative ${num(f32.maxRel)}` +
        (f32.maxRel > 0 ? ` (${precision}: ${num(at.maxRel / f32.maxRel)}× that)` : '')
      : '';
  const within =
    at.maxRel < tolerance
      ? ` — within the fidelity check's ${tolerance} tolerance`
      : ` — above the fidelity check's ${tolerance} tolerance`;
  return `${base}${vs}${within}.`;
}

/** The sentence on the skills scored at `precision`, each beside its f32 score when there is one. */
export function skillsSentence(
  precision: WeightFormat,
  at: Scored | null,
  f32: Scored | null,
): string {
  if (!at) return `Skills at ${precision}: not scored yet.`;
  const t = total(at);
  const per = at.scores
    .map((s) => {
      const f = precision !== 'f32' ? f32?.scores.find((x) => x.skill === s.skill) : undefined;
      return `${s.skill} ${s.correct}/${s.total}${f ? ` (f32 ${f.correct}/${f.total})` : ''}`;
    })
    .join(', ');
  const vs =
    precision === 'f32'
      ? ''
      : f32
        ? `; at f32 ${total(f32).correct}/${total(f32).total} (${pctOf(total(f32))})`
        : '; not scored at f32 with these knobs yet';
  return `Skills at ${precision}: ${t.correct}/${t.total} (${pctOf(t)}) — ${per}${vs}.`;
}

/** What is still to measure for `precision` (golden logits, skills), for the button's label. */
export function missingMeasures(
  precision: WeightFormat,
  golden: { at: GoldenReport | null; f32: GoldenReport | null },
  skillsAt: Scored | null,
): string[] {
  const out: string[] = [];
  if (!golden.at || (precision !== 'f32' && !golden.f32)) out.push('golden logits');
  if (!skillsAt) out.push('skills');
  return out;
}
