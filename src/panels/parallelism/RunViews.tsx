// The pieces of a virtual-GPU run's report: where the experts live, what each GPU holds, how many
// tokens each GPU's experts got, and the bytes each collective moved against DESIGN.md's formulas.
import { BarChart } from '../../charts/BarChart';
import { StackedBar } from '../../charts/StackedBar';
import { expertColor, seriesColor } from '../../charts/palette';
import { MEMORY_PARTS, totalBytes, type GpuMemory } from '../../parallel/memoryPlan';
import type { VirtualRunReport } from '../../parallel/virtualRun';
import {
  commLines,
  expertCopies,
  formatBinaryBytes as formatBytes,
  gpuLoad,
} from '../../viz/virtualRunView';

export function PlacementGrid({ report }: { report: VirtualRunReport }) {
  const copies = expertCopies(report.experts);
  const L = report.layout;
  return (
    <table className="numbers par-placement" data-testid="par-placement">
      <caption>
        Experts on each GPU
        {L && L.tp > 1
          ? ` (each cut ${L.tp} ways: GPUs of one group hold the same experts, different columns)`
          : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">GPU</th>
          <th scope="col">experts held</th>
          <th scope="col">FFN columns</th>
        </tr>
      </thead>
      <tbody>
        {report.experts.map((list, g) => (
          <tr key={g}>
            <th scope="row">GPU {g}</th>
            <td>
              {report.spec.strategy === 'pp' && report.stages ? (
                <span>
                  layers {report.stages[g]![0]}–{report.stages[g]![1] - 1}, all {list.length}{' '}
                  experts
                </span>
              ) : (
                list.map((e, i) => (
                  <span
                    key={i}
                    className="par-chip"
                    style={{ borderColor: expertColor(e) }}
                    title={copies.get(e)! > 1 ? 'a copy of a hot expert' : undefined}
                  >
                    E{e}
                    {(copies.get(e) ?? 1) > (L?.tp ?? 1) ? ' ×' : ''}
                  </span>
                ))
              )}
            </td>
            <td>
              {L
                ? `${L.iSlice[g % L.tp]![0]}–${L.iSlice[g % L.tp]![1] - 1} of ${report.dims.I}`
                : `all ${report.dims.I}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MemoryBars({ memory }: { memory: GpuMemory[] }) {
  const max = Math.max(...memory.map(totalBytes));
  return (
    <div className="par-memory" data-testid="par-memory">
      {memory.map((m, g) => (
        <StackedBar
          key={g}
          title={`GPU ${g}: ${formatBytes(totalBytes(m))}`}
          unit=""
          parts={MEMORY_PARTS.map((name) => ({ name, value: m[name] }))}
          limit={{ value: max, label: 'largest GPU' }}
          format={formatBytes}
          legend={false}
          testId="par-memory-bar"
        />
      ))}
      <ul className="par-legend" aria-label="Memory parts">
        {MEMORY_PARTS.map((name, i) => (
          <li key={name}>
            <span
              className="par-swatch"
              style={{ background: seriesColor(i) }}
              aria-hidden="true"
            />
            {name}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function LoadChart({ report }: { report: VirtualRunReport }) {
  const load = gpuLoad(report);
  return (
    <BarChart
      title={`(token, expert) pairs each GPU computed — mean ${load.mean.toFixed(1)}, busiest ${load.imbalance.toFixed(2)}× the mean`}
      yLabel="pairs"
      format={(v) => String(Math.round(v))}
      testId="par-load"
      bars={load.bars}
    />
  );
}

const KIND_TEXT: Record<string, string> = {
  dispatch: 'all-to-all dispatch (token rows)',
  'dispatch-meta': 'routing sent with the rows',
  combine: 'all-to-all combine (expert outputs)',
  'all-reduce': 'ring all-reduce (partial sums)',
  'all-gather': 'ring all-gather (tokens back to every GPU)',
  'pp-send': 'pipeline sends (hidden state)',
};

export function CommTable({ report }: { report: VirtualRunReport }) {
  const rows = commLines(report.comm);
  return (
    <table className="numbers" data-testid="par-comm">
      <caption>Bytes the collectives moved in this run (f32), against the formulas</caption>
      <thead>
        <tr>
          <th scope="col">collective</th>
          <th scope="col">measured, all links</th>
          <th scope="col">busiest GPU sent</th>
          <th scope="col">formula</th>
          <th scope="col">formula says</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={5}>No communication: one GPU holds everything.</td>
          </tr>
        )}
        {rows.map((c) => (
          <tr key={c.kind} data-kind={c.kind}>
            <th scope="row">{KIND_TEXT[c.kind] ?? c.kind}</th>
            <td>{formatBytes(c.bytes)}</td>
            <td>{formatBytes(Math.max(...c.sent))}</td>
            <td>{c.formulaText}</td>
            <td data-testid={`par-formula-${c.kind}`}>
              {c.formula === null ? '—' : `${formatBytes(c.formula)}${c.perGpu ? ' per GPU' : ''}`}
              {c.ofFormula !== null && (
                <span className="muted"> ({(c.ofFormula * 100).toFixed(0)}% of it)</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
