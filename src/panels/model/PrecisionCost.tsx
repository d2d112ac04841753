// The accuracy side of the expert-precision knob: the golden-logit error and the per-skill scores
// measured with the experts at the chosen precision, beside f32's. The button measures what is
// missing through the engine's own jobs (the golden check at that precision, a scoring run).
import { useState } from 'react';
import { checkGoldenOutputs } from '../../engine/engineActions';
import { GOLDEN_LOGITS_TOLERANCE } from '../../engine/golden';
import { precisionOf } from '../../engine/knobs';
import { useRunStore } from '../../engine/runStore';
import { engineSettled, evaluateNow } from '../../engine/settingsBridge';
import type { Knobs } from '../../engine/types';
import type { WeightFormat } from '../../kernels/types';
import {
  evaluationAt,
  goldenAt,
  goldenLogitsCost,
  goldenSentence,
  loadKey,
  missingMeasures,
  skillsSentence,
} from './precisionCost';
import { recordGolden, usePrecisionGolden } from './precisionStore';

/** Prompts per skill the button scores (the Skills section's first button scores as many). */
const PER_SKILL = 4;

async function measure(precision: WeightFormat, knobs: Knobs): Promise<void> {
  // The knob's own re-run first: the engine then holds `knobs`, and the checks below queue after.
  await engineSettled();
  const load = loadKey(useRunStore.getState());
  const golden = (p: WeightFormat) => goldenAt(usePrecisionGolden.getState().measured, load, p);
  if (precision !== 'f32' && !golden('f32')) {
    const r = await checkGoldenOutputs();
    if (r) recordGolden(load, r);
  }
  const r = await checkGoldenOutputs({ expertPrecision: precision });
  if (r) recordGolden(load, r);
  if (!evaluationAt(useRunStore.getState().evals, knobs)) await evaluateNow(PER_SKILL);
}

export function PrecisionCost({ knobs }: { knobs: Knobs }) {
  const run = useRunStore();
  const measured = usePrecisionGolden((s) => s.measured);
  const [busy, setBusy] = useState(false);
  const p = precisionOf(knobs);
  const load = loadKey(run);
  const golden = { at: goldenAt(measured, load, p), f32: goldenAt(measured, load, 'f32') };
  const skillsAt = evaluationAt(run.evals, knobs);
  const skillsF32 =
    p === 'f32' || !skillsAt
      ? null
      : evaluationAt(
          run.evals,
          knobs,
          'f32',
          skillsAt.scores.reduce((a, s) => a + s.total, 0),
        );
  const missing = missingMeasures(p, golden, skillsAt);
  const cost = (g: typeof golden.at) => (g ? goldenLogitsCost(g) : null);
  const onClick = () => {
    setBusy(true);
    void measure(p, knobs).finally(() => setBusy(false));
  };
  return (
    <div className="precision-cost" data-testid="precision-cost" data-precision={p}>
      <p className="muted" data-testid="precision-golden">
        {goldenSentence(p, cost(golden.at), cost(golden.f32), GOLDEN_LOGITS_TOLERANCE)}
      </p>
      <p className="muted" data-testid="precision-skills">
        {skillsSentence(p, skillsAt, skillsF32)}
      </p>
      <button
        type="button"
        onClick={onClick}
        disabled={busy || !['ready', 'running'].includes(run.status)}
        data-testid="measure-precision"
      >
        {missing.length
          ? `Measure the ${missing.join(' and ')} at ${p}`
          : `Measure the golden logits at ${p} again`}
      </button>
    </div>
  );
}
