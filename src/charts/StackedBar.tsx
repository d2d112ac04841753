// One horizontal bar cut into labelled parts, against an optional limit mark (memory per GPU
// against its capacity; the time split of a run). Laid out with a d3 linear scale in percent,
// drawn as HTML boxes so its height and labels follow the root font size (projector mode).
import { scaleLinear } from 'd3';
import { formatNumber } from './format';
import { seriesColor } from './palette';
import './charts.css';

export type BarPart = { name: string; value: number; color?: string };

type Props = {
  title: string;
  parts: BarPart[];
  unit: string;
  limit?: { value: number; label: string };
  format?: (v: number) => string;
  testId?: string;
  /** The list of parts with values under the bar; off where one shared legend serves many bars. */
  legend?: boolean;
};

export function StackedBar({
  title,
  parts,
  unit,
  limit,
  format = formatNumber,
  testId,
  legend = true,
}: Props) {
  const total = parts.reduce((a, p) => a + Math.max(0, p.value), 0);
  const max = Math.max(total, limit?.value ?? 0) || 1;
  const pct = scaleLinear().domain([0, max]).range([0, 100]).clamp(true);
  const summary = `${title}: ${parts.map((p) => `${p.name} ${format(p.value)} ${unit}`).join(', ')}${limit ? `; ${limit.label} ${format(limit.value)} ${unit}` : ''}`;
  return (
    <figure className="chart stacked" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="stacked-track" role="img" aria-label={summary}>
        {parts.map((p, i) => (
          <div
            key={p.name}
            className="stacked-part"
            style={{
              width: `${pct(Math.max(0, p.value))}%`,
              background: p.color ?? seriesColor(i),
            }}
          />
        ))}
        {limit && (
          <div className="stacked-limit" style={{ left: `${pct(limit.value)}%` }}>
            <span>
              {limit.label} {format(limit.value)} {unit}
            </span>
          </div>
        )}
      </div>
      {legend && (
        <ul className="chart-legend">
          {parts.map((p, i) => (
            <li key={p.name}>
              <span
                className="swatch"
                style={{ background: p.color ?? seriesColor(i) }}
                aria-hidden="true"
              />
              {p.name} {format(p.value)} {unit}
              {total > 0 ? ` (${Math.round((100 * Math.max(0, p.value)) / total)}%)` : ''}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
