// The serving metrics of the last run, measured live in this browser.
import { useRunStore } from '../../engine/runStore';
import { pathOf } from '../../viz/pathComparison';

const fmt = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);

export function MetricsCards() {
  const done = useRunStore((s) => s.done);
  const steps = useRunStore((s) => s.steps);
  // Our WGSL path runs every layer in one submission: its dispatches are the whole model's and
  // its time has no ORT / MoE split.
  const oneSubmit = useRunStore(
    (s) => s.backend !== null && pathOf(s.backend, s.densePath) === 'webgpu-wgsl',
  );
  const m = done?.metrics ?? null;
  const ort = steps.reduce((a, s) => a + s.ortMs, 0);
  const moe = steps.reduce((a, s) => a + s.moeMs, 0);
  const cards: [string, string, string, string][] = [
    ['ttft', 'Time to first token', fmt(m?.meanTtftMs), 'ms'],
    ['itl', 'Inter-token latency', fmt(m?.meanItlMs, 2), 'ms'],
    ['e2e', 'End-to-end', fmt(m?.meanE2eMs, 0), 'ms'],
    ['tps', 'Output tokens/s', fmt(m?.outputTokensPerS), 'tok/s'],
    ['total-tps', 'Total tokens/s', fmt(m?.totalTokensPerS), 'tok/s'],
    [
      'dispatches',
      oneSubmit ? 'GPU dispatches per token (whole model)' : 'MoE dispatches per token',
      done && done.perToken.dispatches === 0 ? 'CPU path' : fmt(done?.perToken.dispatches),
      '',
    ],
    ['ort-calls', 'ORT calls per token', fmt(done?.perToken.ortCalls), ''],
    [
      'share',
      'Time in ORT / MoE',
      oneSubmit
        ? 'one submission'
        : ort + moe > 0
          ? `${fmt((100 * ort) / (ort + moe), 0)} / ${fmt((100 * moe) / (ort + moe), 0)}`
          : '—',
      oneSubmit ? '' : '%',
    ],
  ];
  return (
    <div className="metric-grid" data-testid="metrics">
      {cards.map(([id, label, value, unit]) => (
        <div className="metric" key={id} data-metric={id}>
          <div className="metric-label">{label}</div>
          <div className="metric-value">
            <span data-testid={`metric-${id}`}>{value}</span> <small>{unit}</small>
          </div>
        </div>
      ))}
    </div>
  );
}
