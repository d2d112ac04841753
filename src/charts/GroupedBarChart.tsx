// Horizontal bars in groups (one group per case, one bar per series), on a linear or log axis:
// the benchmark charts, where ratios of 2× and 200× must both stay readable. Each bar is
// labelled with its value and series name at its end, so nothing rests on colour alone; each is
// focusable and reports itself in the details line.
import { scaleLinear, scaleLog } from 'd3';
import { useState } from 'react';
import { ChartFrame } from './ChartFrame';
import { formatNumber, tickLabels } from './format';
import { seriesColor } from './palette';
import { useRem } from './useRem';

export type BarGroup = { label: string; values: (number | null)[] };

type Props = {
  title: string;
  series: string[];
  groups: BarGroup[];
  /** What a bar's length is, e.g. "ms". */
  unit: string;
  log?: boolean;
  format?: (v: number) => string;
  testId?: string;
};

/** The value axis: log needs positive values, so it spans the smallest and largest measured. */
function valueScale(values: number[], log: boolean, range: [number, number]) {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (log && pos.length) {
    const lo = Math.min(...pos);
    const hi = Math.max(...pos);
    return scaleLog()
      .domain([lo / 1.5, hi === lo ? hi * 10 : hi])
      .range(range)
      .nice();
  }
  return scaleLinear()
    .domain([0, Math.max(1e-9, ...values.filter(Number.isFinite))])
    .range(range)
    .nice();
}

export function GroupedBarChart({
  title,
  series,
  groups,
  unit,
  log = false,
  format = formatNumber,
  testId,
}: Props) {
  const rem = useRem();
  const [active, setActive] = useState<[number, number] | null>(null);
  const barH = 0.95 * rem;
  const groupGap = 0.7 * rem;
  const left = 11 * rem;
  const plotW = 26 * rem;
  const textRoom = 13 * rem;
  // The legend names only series with a bar (a run without WebGPU has no WebGPU bars); each
  // keeps its own colour.
  const shown = series.flatMap((s, i) =>
    groups.some((g) => g.values[i] != null) ? [{ s, i }] : [],
  );
  const top = 1.6 * rem + Math.ceil(shown.length / 3) * 1.3 * rem;
  const groupH = (g: BarGroup) => g.values.filter((v) => v !== null).length * barH;
  const height = top + groups.reduce((s, g) => s + groupH(g) + groupGap, 0) + 3.2 * rem;
  const width = left + plotW + textRoom;
  const measured = groups.flatMap((g) => g.values.filter((v): v is number => v !== null));
  const x = valueScale(measured, log, [left, left + plotW]);
  const x0 = log ? left : x(0);
  // A log axis is labelled at its powers of ten only; every label in the lab's one number format.
  const ticks = x.ticks(log ? 5 : 4);
  const labelled = log ? ticks.filter((t) => Number.isInteger(Math.log10(t))) : ticks;
  const labels = tickLabels(labelled);
  const tickText = (t: number) => {
    const i = labelled.indexOf(t);
    return i < 0 ? '' : labels[i]!;
  };
  // Each group's top edge; `y` ends at the bottom of the last (where the axis goes).
  const placed: number[] = [];
  const y = groups.reduce((edge, g) => {
    placed.push(edge);
    return edge + groupH(g) + groupGap;
  }, top);
  const a = active ? { g: groups[active[0]]!, s: active[1] } : null;
  return (
    <ChartFrame
      title={title}
      testId={testId}
      data={() => ({
        header: ['case', ...series.map((s) => `${s} (${unit})`)],
        rows: groups.map((g) => [g.label, ...g.values.map((v) => (v === null ? '' : v))]),
      })}
      detail={
        a ? (
          <strong>{`${a.g.label} — ${series[a.s]}: ${format(a.g.values[a.s]!)} ${unit}`}</strong>
        ) : (
          <span>Hover or focus a bar for its value.</span>
        )
      }
    >
      <svg width={width} height={height} role="group" aria-label={title} className="viz-svg">
        {shown.map(({ s, i }, n) => (
          <g
            key={s}
            transform={`translate(${left + (n % 3) * 12 * rem} ${0.4 * rem + Math.floor(n / 3) * 1.3 * rem})`}
          >
            <rect width={0.9 * rem} height={0.9 * rem} fill={seriesColor(i)} />
            <text x={1.2 * rem} y={0.75 * rem} className="viz-tick">
              {s}
            </text>
          </g>
        ))}
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top - 0.3 * rem} y2={y} className="viz-grid" />
            <text x={x(t)} y={y + 1.1 * rem} textAnchor="middle" className="viz-tick">
              {tickText(t)}
            </text>
          </g>
        ))}
        <text x={left + plotW / 2} y={y + 2.5 * rem} textAnchor="middle" className="viz-tick">
          {unit}
          {log ? ' (log scale)' : ''}
        </text>
        {groups.map((g, gi) => {
          let row = 0;
          return (
            <g key={g.label} data-testid={testId ? `${testId}-group` : undefined}>
              <text
                x={left - 0.5 * rem}
                y={placed[gi]! + groupH(g) / 2}
                dy="0.35em"
                textAnchor="end"
                className="viz-tick"
              >
                {g.label}
              </text>
              {g.values.map((v, si) => {
                if (v === null) return null;
                const by = placed[gi]! + row++ * barH;
                const end = Math.max(x0, x(Math.max(v, log ? x.domain()[0]! : 0)));
                return (
                  <g
                    key={si}
                    tabIndex={0}
                    role="img"
                    aria-label={`${g.label}, ${series[si]}: ${format(v)} ${unit}`}
                    className="viz-mark"
                    data-testid={testId ? `${testId}-bar` : undefined}
                    data-value={v}
                    onMouseEnter={() => setActive([gi, si])}
                    onMouseLeave={() => setActive(null)}
                    onFocus={() => setActive([gi, si])}
                    onBlur={() => setActive(null)}
                  >
                    <rect
                      x={x0}
                      y={by + 0.08 * rem}
                      width={Math.max(1, end - x0)}
                      height={barH - 0.16 * rem}
                      fill={seriesColor(si)}
                    />
                    <text x={end + 0.3 * rem} y={by + barH / 2} dy="0.35em" className="viz-value">
                      {format(v)} · {series[si]}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <line x1={x0} x2={x0} y1={top - 0.3 * rem} y2={y} className="viz-axis" />
      </svg>
    </ChartFrame>
  );
}
