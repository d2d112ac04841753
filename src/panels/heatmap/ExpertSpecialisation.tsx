// Expert specialisation: which skills and which characters each expert serves, measured over the
// pack's whole evaluation set (every prompt of every skill, scored and traced in one pass), with
// the number of tokens behind every cell. Until that has run, the characters of the current run.
import { useMemo } from 'react';
import { MatrixChart } from '../../charts/MatrixChart';
import { evaluateNow } from '../../engine/settingsBridge';
import { useRunStore } from '../../engine/runStore';
import { characterExpertCounts, rowShares } from '../../viz/routingMatrix';
import { sequenceTokens } from '../../viz/tokens';
import { SpecialisationTable } from './SpecialisationTable';

// Blank for zero: a matrix full of 0% hides the few cells that matter.
const pct = (v: number) => (v === 0 ? '' : `${Math.round(v * 100)}%`);

/** Every prompt of every skill: the evaluation's per-skill limit, set past any pack's size. */
const WHOLE_SET = Number.MAX_SAFE_INTEGER;

function knobsText(k: {
  topK: number;
  disabledExperts: number[];
  ffnKeep: number;
  capacityFactor?: number | null;
}) {
  const parts = [`top-${k.topK}`];
  if (k.disabledExperts.length) parts.push(`experts off: ${k.disabledExperts.join(',')}`);
  if (k.ffnKeep < 1) parts.push(`FFN ${Math.round(k.ffnKeep * 100)}%`);
  if (k.capacityFactor != null) parts.push(`capacity factor ${k.capacityFactor}`);
  return parts.join(', ');
}

export function ExpertSpecialisation({ layer }: { layer: number }) {
  const steps = useRunStore((s) => s.steps);
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const evals = useRunStore((s) => s.evals);
  const status = useRunStore((s) => s.status);
  const measured = [...evals].reverse().find((e) => e.specialisation);
  const spec = measured?.specialisation;
  const E = spec?.experts ?? steps[0]?.layers[0]?.experts ?? 0;
  const chars = useMemo(() => {
    const all = prompts.flatMap((_, seq) => sequenceTokens(steps, seq, prompts, outputTokens));
    return characterExpertCounts(steps, all, layer);
  }, [steps, prompts, outputTokens, layer]);
  const experts = Array.from({ length: E }, (_, e) => `e${e}`);
  const measure = () => void evaluateNow(WHOLE_SET, { specialisation: true });
  const at = spec?.layers[Math.min(layer, spec.layers.length - 1)];
  const total = measured ? measured.scores.reduce((n, s) => n + s.total, 0) : 0;
  const correct = measured ? measured.scores.reduce((n, s) => n + s.correct, 0) : 0;
  return (
    <section
      className="viz-panel"
      aria-label="Expert specialisation"
      data-testid="specialisation"
      data-run-status={status}
      data-measured={spec ? 'eval-set' : 'run'}
    >
      <h3>Expert specialisation</h3>
      {spec && at && measured ? (
        <>
          <p data-testid="spec-source" data-sequences={spec.sequences} data-tokens={spec.tokens}>
            Measured over the pack&apos;s whole evaluation set: {spec.sequences} prompts,{' '}
            {spec.tokens} tokens (prompt and generated) at every layer, with{' '}
            {knobsText(measured.knobs)}; the same pass scored {correct} of {total} exactly. Each
            cell: the share of the row&apos;s (token, expert) pairs at layer {layer}, and under it
            the number of tokens routed to that expert.{' '}
            <button
              type="button"
              onClick={measure}
              disabled={status !== 'ready'}
              data-testid="spec-run-skills"
            >
              Measure again
            </button>
          </p>
          <div className="viz-row">
            <SpecialisationTable
              title={`Which skills each expert serves — layer ${layer}`}
              rowTitle="skill"
              table={at.skills}
              experts={E}
              testId="spec-skills"
            />
            <SpecialisationTable
              title={`Which characters each expert serves — layer ${layer}`}
              rowTitle="character"
              table={at.chars}
              experts={E}
              testId="spec-chars"
            />
          </div>
        </>
      ) : (
        <>
          <div className="pending">
            <p>
              Specialisation is measured on the pack&apos;s whole evaluation set: every held-out
              prompt of every skill, scored and traced in one batch with the current knobs (this
              takes a while on a slow device).
            </p>
            <button
              type="button"
              onClick={measure}
              disabled={status !== 'ready'}
              data-testid="spec-run-skills"
            >
              Measure on the whole evaluation set
            </button>
          </div>
          <MatrixChart
            title={`Until then: which characters each expert serves in the current run only — layer ${layer} (share of the character's pairs)`}
            testId="spec-chars"
            rowLabels={chars.labels}
            colLabels={experts}
            values={rowShares(chars.counts)}
            rowTitle="character"
            colTitle="expert"
            valueName="share"
            format={pct}
            showValues
          />
        </>
      )}
    </section>
  );
}
