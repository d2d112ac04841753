// Expert specialisation: which characters (and, after a run of the evaluation prompts, which
// skills) each expert serves, counted from the traces of the last run at one layer.
import { useMemo } from 'react';
import { MatrixChart } from '../../charts/MatrixChart';
import { runSkillExamples } from '../../engine/settingsBridge';
import { useRunStore } from '../../engine/runStore';
import {
  characterExpertCounts,
  rowShares,
  sequenceSkills,
  skillExpertCounts,
} from '../../viz/routingMatrix';
import { sequenceTokens } from '../../viz/tokens';

// Blank for zero: a matrix full of 0% hides the few cells that matter.
const pct = (v: number) => (v === 0 ? '' : `${Math.round(v * 100)}%`);

export function ExpertSpecialisation({ layer }: { layer: number }) {
  const steps = useRunStore((s) => s.steps);
  const prompts = useRunStore((s) => s.prompts);
  const outputTokens = useRunStore((s) => s.outputTokens);
  const examples = useRunStore((s) => s.examples);
  const status = useRunStore((s) => s.status);
  const E = steps[0]?.layers[0]?.experts ?? 0;
  const chars = useMemo(() => {
    const all = prompts.flatMap((_, seq) => sequenceTokens(steps, seq, prompts, outputTokens));
    return characterExpertCounts(steps, all, layer);
  }, [steps, prompts, outputTokens, layer]);
  const skills = useMemo(
    () => skillExpertCounts(steps, sequenceSkills(prompts, examples), layer),
    [steps, prompts, examples, layer],
  );
  const experts = Array.from({ length: E }, (_, e) => `e${e}`);
  const runSkills = () => void runSkillExamples();
  return (
    <section
      className="viz-panel"
      aria-label="Expert specialisation"
      data-testid="specialisation"
      data-run-status={status}
    >
      <h3>
        Expert specialisation
        {status === 'running' ? ' (run in progress: counts still growing)' : ''}
      </h3>
      <div className="viz-row">
        {skills.labels.length > 0 ? (
          <MatrixChart
            title={`Which skills each expert serves — layer ${layer} (share of the skill's pairs)`}
            testId="spec-skills"
            rowLabels={skills.labels}
            colLabels={experts}
            values={rowShares(skills.counts)}
            rowTitle="skill"
            colTitle="expert"
            valueName="share"
            format={pct}
            showValues
          />
        ) : (
          <div className="pending">
            <p>
              Per skill: run one held-out evaluation prompt per skill ({examples.length} prompts as
              one batch, traced). This replaces the current run in every view.
            </p>
            <button
              type="button"
              onClick={runSkills}
              disabled={status !== 'ready' || examples.length === 0}
              data-testid="spec-run-skills"
            >
              Run the evaluation prompts
            </button>
          </div>
        )}
        <MatrixChart
          title={`Which characters each expert serves — layer ${layer} (share of the character's pairs)`}
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
      </div>
    </section>
  );
}
