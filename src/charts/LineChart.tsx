// A multi-series line chart drawn with d3 scales and shapes inside React (no effects, so it
// redraws in the same frame as the slider that changed it). Every point is focusable: Tab
// walks the points, and focus or hover shows its details.
import { extent, line as d3line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useId, useState } from 'react';
import { MarkerShape } from './MarkerShape';
import './charts.css';
import { seriesColor, seriesMarker } from './palette';

export type ChartPoint = { x: number; y: number; label?: string };
/** `color`: the lab's colour for what the series is (palette.ts WORK_COLORS); else by position. */
export type ChartSeries = { name: string; points: ChartPoint[]; color?: string };

type Props = {
  title: string;
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  /** Connect the points of a series (false: a scatter, e.g. a Pareto cloud). */
  lines?: boolean;
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
  testId?: string;
};

const W = 640;
const H = 360;
const M = { top: 16, right: 20, bottom: 58, left: 84 };

const defaultFormat = (v: number) =>
  Math.abs(v) >= 1e4
    ? `${(v / 1000).toFixed(0)}k`
    : Math.abs(v) >= 1000
      ? `${(v / 1000).toFixed(1)}k`
      : `${+v.toPrecision(3)}`;

function makeScale(
  log: boolean,
  domain: [number, number],
  range: [number, number],
): ScaleContinuousNumeric<number, number> {
  if (log) {
    // Base 2: the sweeps double the concurrency, so powers of two are the natural ticks.
    const lo = Math.max(domain[0], 1e-9);
    const hi = Math.max(domain[1], lo * 2);
    return scaleLog().base(2).domain([lo, hi]).range(range).nice();
  }
  return scaleLinear()
    .domain([Math.min(0, domain[0]), domain[1] > domain[0] ? domain[1] : domain[0] + 1])
    .range(range)
    .nice();
}

export function LineChart({
  title,
  series,
  xLabel,
  yLabel,
  xLog = false,
  yLog = false,
  lines = true,
  formatX = defaultFormat,
  formatY = defaultFormat,
  testId,
}: Props) {
  const [active, setActive] = useState<{ s: number; p: number } | null>(null);
  const titleId = useId();
  const all = series
    .flatMap((s) => s.points)
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xExt = extent(all, (p) => p.x);
  const yExt = extent(all, (p) => p.y);
  const xDomain: [number, number] = xExt[0] === undefined ? [1, 2] : [xExt[0], xExt[1]!];
  const yDomain: [number, number] = yExt[0] === undefined ? [0, 1] : [yExt[0], yExt[1]!];
  const x = makeScale(xLog, xDomain, [M.left, W - M.right]);
  const y = makeScale(yLog, yDomain, [H - M.bottom, M.top]);
  const xTicks = xLog ? x.ticks().filter((t) => Number.isInteger(Math.log2(t))) : x.ticks(6);
  const yTicks = yLog ? y.ticks().filter((t) => Number.isInteger(Math.log2(t))) : y.ticks(5);
  const path = d3line<ChartPoint>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const activePoint = active ? series[active.s]?.points[active.p] : undefined;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={titleId}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-labelledby={titleId} className="chart-svg">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={M.left - 8} y={y(t)} dy="0.35em" textAnchor="end" className="chart-tick">
              {formatY(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text
            key={`x${t}`}
            x={x(t)}
            y={H - M.bottom + 22}
            textAnchor="middle"
            className="chart-tick"
          >
            {formatX(t)}
          </text>
        ))}
        <line
          x1={M.left}
          x2={W - M.right}
          y1={H - M.bottom}
          y2={H - M.bottom}
          className="chart-axis"
        />
        <line x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} className="chart-axis" />
        <text x={(M.left + W - M.right) / 2} y={H - 10} textAnchor="middle" className="chart-label">
          {xLabel}
        </text>
        <text
          transform={`translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="chart-label"
        >
          {yLabel}
        </text>
        {series.map((s, si) => {
          const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
          return (
            <g key={s.name} data-series={s.name}>
              {lines && pts.length > 1 && (
                <path
                  d={path(pts) ?? ''}
                  fill="none"
                  stroke={s.color ?? seriesColor(si)}
                  strokeWidth={3}
                />
              )}
              {pts.map((p, pi) => (
                <g
                  key={pi}
                  tabIndex={0}
                  role="img"
                  aria-label={`${s.name}: ${xLabel} ${formatX(p.x)}, ${yLabel} ${formatY(p.y)}${p.label ? `, ${p.label}` : ''}`}
                  className="chart-point"
                  onMouseEnter={() => setActive({ s: si, p: pi })}
                  onMouseLeave={() => setActive(null)}
                  onFocus={() => setActive({ s: si, p: pi })}
                  onBlur={() => setActive(null)}
                >
                  <circle cx={x(p.x)} cy={y(p.y)} r={14} fill="transparent" />
                  <MarkerShape
                    marker={seriesMarker(si)}
                    x={x(p.x)}
                    y={y(p.y)}
                    size={11}
                    color={s.color ?? seriesColor(si)}
                  />
                </g>
              ))}
            </g>
          );
        })}
        {activePoint && active && (
          <Tooltip
            x={x(activePoint.x)}
            y={y(activePoint.y)}
            lines={[
              series[active.s]!.name,
              `${xLabel}: ${formatX(activePoint.x)}`,
              `${yLabel}: ${formatY(activePoint.y)}`,
              ...(activePoint.label ? [activePoint.label] : []),
            ]}
          />
        )}
      </svg>
      <ul className="chart-legend">
        {series.map((s, si) => (
          <li key={s.name}>
            <svg width="18" height="18" aria-hidden="true">
              <MarkerShape
                marker={seriesMarker(si)}
                x={9}
                y={9}
                size={12}
                color={s.color ?? seriesColor(si)}
              />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

function Tooltip({ x, y, lines }: { x: number; y: number; lines: string[] }) {
  const width = Math.max(...lines.map((l) => l.length)) * 9 + 16;
  const height = lines.length * 20 + 10;
  const left = x + width + 12 > W ? x - width - 12 : x + 12;
  const top = Math.min(Math.max(y - height / 2, 0), H - height);
  return (
    <g className="chart-tooltip" pointerEvents="none">
      <rect x={left} y={top} width={width} height={height} rx={4} />
      {lines.map((l, i) => (
        <text key={i} x={left + 8} y={top + 20 + i * 20} fontWeight={i === 0 ? 700 : 400}>
          {l}
        </text>
      ))}
    </g>
  );
}
