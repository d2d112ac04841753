// The engine's paths side by side on this device: the last run of each with the settings of the
// run on screen, and the sentence the numbers support (src/viz/pathComparison.ts).
import {
  PATH_NAMES,
  comparableRuns,
  comparisonSentence,
  pathOf,
  type PathRun,
} from '../../viz/pathComparison';
import type { Backend, DensePath } from '../../engine/types';

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

export function PathComparison(props: {
  runs: readonly PathRun[];
  comparisonKey: string;
  backend: Backend;
  densePath: DensePath | null;
}) {
  const rows = comparableRuns(props.runs, props.comparisonKey);
  if (rows.length === 0) return null;
  const current = pathOf(props.backend, props.densePath);
  return (
    <section className="path-comparison" data-testid="path-comparison">
      <table className="numbers">
        <caption>The engine's paths on this device, same model, prompt, batch and knobs</caption>
        <thead>
          <tr>
            <th scope="col">path</th>
            <th scope="col">TTFT ms</th>
            <th scope="col">ITL ms</th>
            <th scope="col">output tok/s</th>
            <th scope="col">our kernels' dispatches / token</th>
            <th scope="col">ORT calls / token</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} data-path={r.path} aria-current={r.path === current || undefined}>
              <th scope="row">
                {PATH_NAMES[r.path]}
                {r.path === current ? ' (loaded)' : ''}
              </th>
              <td>{fmt(r.ttftMs, 1)}</td>
              <td>{fmt(r.itlMs)}</td>
              <td>{fmt(r.outputTokensPerS, 1)}</td>
              <td>{r.path === 'cpu' ? '—' : fmt(r.dispatchesPerToken, 0)}</td>
              <td>{fmt(r.ortCallsPerToken, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="path-sentence">{comparisonSentence(rows, current)}</p>
    </section>
  );
}
