// The pieces of a virtual-GPU run's report: where the experts live, what each GPU holds, how long
// each GPU works in the timeline drawn (with the pairs its experts got), the bytes each collective
// moved against DESIGN.md's formulas, and what a run in flight is doing.
import { useEffect, useState } from 'react';
import { BarChart } from '../../charts/BarChart';
import { StackedBar } from '../../charts/StackedBar';
import { expertColor, seriesColor } from '../../charts/palette';
import { MEMORY_PARTS, totalBytes, type GpuMemory } from '../../parallel/memoryPlan';
import type { Timeline } from '../../parallel/timeline';
import type { VirtualRunReport } from '../../parallel/virtualRun';
import { runProgress } from '../../viz/parallelismNotes';
import { formatMs, shortDuration, timeUnit } from '../../viz/timelineLayout';
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

export function LoadChart({ report, timeline }: { report: VirtualRunReport; timeline: Timeline }) {
  const load = gpuLoad(report, timeline);
  const pp = report.spec.strategy === 'pp';
  // The timeline axis's unit, and values short enough to sit above a bar without touching.
  const { unit, perMs } = timeUnit(timeline.totalMs);
  return (
    <>
      <BarChart
        title={`Time each GPU works in ${pp ? 'the pipeline step' : 'one layer'} (the timeline below, waits left out) — mean ${formatMs(load.mean)}, busiest ${load.imbalance.toFixed(2)}× the mean`}
        yLabel={`busy ${unit}`}
        format={(v) => shortDuration(v, 1)}
        testId="par-load"
        bars={load.bars.map((b) => ({ ...b, value: b.value * perMs }))}
      />
      <p className="muted par-times-note" data-testid="par-pairs">
        The work behind it, from the real routing: (token, expert) pairs{' '}
        {pp ? 'each stage computed' : 'each GPU’s experts computed'} —{' '}
        {load.pairs.map((p, g) => `GPU ${g}: ${p}`).join(', ')}.
      </p>
    </>
  );
}

/** While the virtual GPUs run: what they are doing, an indeterminate bar and the seconds so far. */
export function RunProgressNote(props: Parameters<typeof runProgress>[0]) {
  const { label, steps } = runProgress(props);
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const start = performance.now();
    const id = setInterval(() => setSeconds(Math.floor((performance.now() - start) / 1000)), 1000);
    return () => clearInterval(id);
  }, []);
  return (
    <div className="pending par-progress" data-testid="par-progress">
      <p role="status">
        <strong>{label}…</strong>{' '}
        <span className="muted" aria-hidden="true">
          {seconds} s
        </span>
      </p>
      <progress aria-label={label} />
      <ol className="muted">
        {steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
    </div>
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
      <caption>
        Bytes the collectives moved in this run (f32), against the textbook formulas (DESIGN.md,
        “Communication per MoE layer”: ring all-reduce and all-to-all byte counts, uniform routing)
      </caption>
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
