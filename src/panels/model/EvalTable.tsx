// Per-skill accuracy of the last evaluations, side by side, so a knob's effect is visible.
import { useRunStore } from '../../engine/runStore';
import { evalColumnLabels } from './evalLabels';

export function EvalTable() {
  const evals = useRunStore((s) => s.evals);
  if (evals.length === 0) return null;
  const skills = evals[evals.length - 1]!.scores.map((s) => s.skill);
  const labels = evalColumnLabels(evals.map((e) => e.knobs));
  return (
    <table className="numbers eval-table" data-testid="eval-table">
      <thead>
        <tr>
          <th scope="col">skill</th>
          {evals.map((e, i) => (
            <th scope="col" key={e.id}>
              {labels[i]}
              <br />
              <small>{(e.ms / 1000).toFixed(1)} s</small>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {skills.map((skill) => (
          <tr key={skill}>
            <th scope="row">{skill}</th>
            {evals.map((e) => {
              const s = e.scores.find((x) => x.skill === skill);
              return (
                <td
                  key={e.id}
                  title={s?.examples
                    .map((x) => `${x.prompt}${x.got}  (expected ${x.expected})`)
                    .join('\n')}
                >
                  {s ? `${s.correct}/${s.total}` : '—'}
                </td>
              );
            })}
          </tr>
        ))}
        <tr>
          <th scope="row">all</th>
          {evals.map((e) => {
            const c = e.scores.reduce((a, s) => a + s.correct, 0);
            const t = e.scores.reduce((a, s) => a + s.total, 0);
            return (
              <td key={e.id} data-testid="eval-total">
                {t ? `${Math.round((100 * c) / t)}%` : '—'}
              </td>
            );
          })}
        </tr>
      </tbody>
    </table>
  );
}
