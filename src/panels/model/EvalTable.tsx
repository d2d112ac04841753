// Per-skill accuracy of the last evaluations, side by side, so a knob's effect is visible.
import { useRunStore } from '../../engine/runStore';

function knobsLabel(k: {
  topK: number;
  disabledExperts: number[];
  ffnKeep: number;
  capacityFactor?: number | null;
  expertPrecision?: string;
}) {
  const parts = [`top-${k.topK}`];
  if (k.disabledExperts.length) parts.push(`off: ${k.disabledExperts.join(',')}`);
  if (k.ffnKeep < 1) parts.push(`FFN ${Math.round(k.ffnKeep * 100)}%`);
  if (k.capacityFactor != null) parts.push(`capacity ×${k.capacityFactor}`);
  if (k.expertPrecision && k.expertPrecision !== 'f32') parts.push(`experts ${k.expertPrecision}`);
  return parts.join(', ');
}

export function EvalTable() {
  const evals = useRunStore((s) => s.evals);
  if (evals.length === 0) return null;
  const skills = evals[evals.length - 1]!.scores.map((s) => s.skill);
  return (
    <table className="numbers eval-table" data-testid="eval-table">
      <thead>
        <tr>
          <th scope="col">skill</th>
          {evals.map((e) => (
            <th scope="col" key={e.id}>
              {knobsLabel(e.knobs)}
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
