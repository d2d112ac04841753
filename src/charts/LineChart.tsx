// A multi-series line chart drawn with d3 scales and shapes inside React (no effects, so it
// redraws in the same frame as the slider that changed it). It is laid out in the pixels of its
// container (measured), not in a fixed viewBox, so its text keeps the CSS font size — the same
// as the legend's — on a phone, a laptop and a projector. Every point is focusable: Tab walks
// the points, and focus or hover shows its details.
import { extent, line as d3line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useId, useState } from 'react';
import { AxisTitles } from './AxisTitles';
import { allIntegers, formatNumber, integerTicks, tickLabels } from './format';
import { MarkerShape } from './MarkerShape';
import './charts.css';
import { seriesColor, seriesMarker, type Marker } from './palette';
import { useElementWidth } from './useElementWidth';
import { useRem } from './useRem';

export type ChartPoint = { x: number; y: number; label?: string };
/**
 * `color` and `marker`: the lab's colour and shape for what the series is (palette.ts
 * WORK_COLORS, or the series' place in a fixed list), so it keeps them in every chart even when
 * another series is left out; else by position in this chart.
 */
export type ChartSeries = { name: string; points: ChartPoint[]; color?: string; marker?: Marker };

type Props = {
  title: string;
  series: ChartSeries[];
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  /**
   * Integer axes (a step, a count of tokens or GPUs) tick only at integers. Default: whether
   * every point's value on that axis is an integer.
   */
  xInteger?: boolean;
  yInteger?: boolean;
  /** Connect the points of a series (false: a scatter, e.g. a Pareto cloud). */
  lines?: boolean;
  /** Values in the details and tick labels; default the lab's one number format (format.ts). */
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
  testId?: string;
};

/** Before the container is measured (the first frame), and never narrower than a phone. */
const FALLBACK_W = 640;
const MIN_W = 280;

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

function axisTicks(
  scale: ScaleContinuousNumeric<number, number>,
  log: boolean,
  count: number,
  integer: boolean,
): number[] {
  if (log) {
    const pow2 = scale.ticks().filter((t) => Number.isInteger(Math.log2(t)));
    // Thin a long run of powers of two so the labels never touch.
    const every = Math.max(1, Math.ceil(pow2.length / Math.max(2, count + 1)));
    const kept = pow2.filter((_, i) => i % every === 0);
    return integer ? kept.filter((t) => Number.isInteger(t)) : kept;
  }
  const t = scale.ticks(count);
  const d = scale.domain() as [number, number];
  return integer ? integerTicks(t, d) : t;
}

export function LineChart({
  title,
  series,
  xLabel,
  yLabel,
  xLog = false,
  yLog = false,
  xInteger,
  yInteger,
  lines = true,
  formatX,
  formatY,
  testId,
}: Props) {
  const [active, setActive] = useState<{ s: number; p: number } | null>(null);
  const titleId = useId();
  const rem = useRem();
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const W = Math.max(MIN_W, measured || FALLBACK_W);
  // Height follows the width, within what a slide shows beside its text.
  const H = Math.round(Math.min(Math.max(W * 0.55, 14 * rem), 22 * rem));
  const M = { top: 1 * rem, right: 1.2 * rem, bottom: 3.4 * rem, left: 4.6 * rem };
  const fx = formatX ?? formatNumber;
  const fy = formatY ?? formatNumber;
  const all = series
    .flatMap((s) => s.points)
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xExt = extent(all, (p) => p.x);
  const yExt = extent(all, (p) => p.y);
  const xDomain: [number, number] = xExt[0] === undefined ? [1, 2] : [xExt[0], xExt[1]!];
  const yDomain: [number, number] = yExt[0] === undefined ? [0, 1] : [yExt[0], yExt[1]!];
  const x = makeScale(xLog, xDomain, [M.left, W - M.right]);
  const y = makeScale(yLog, yDomain, [H - M.bottom, M.top]);
  // About one tick per 7 rem of width (x) and per 3 rem of height (y): labels never touch.
  const xInt = xInteger ?? allIntegers(all.map((p) => p.x));
  const yInt = yInteger ?? allIntegers(all.map((p) => p.y));
  const xCount = Math.max(2, Math.min(8, Math.floor((W - M.left - M.right) / (7 * rem))));
  const yCount = Math.max(2, Math.min(6, Math.floor((H - M.top - M.bottom) / (3 * rem))));
  const xTicks = axisTicks(x, xLog, xCount, xInt);
  const yTicks = axisTicks(y, yLog, yCount, yInt);
  const xText = formatX ? xTicks.map(formatX) : tickLabels(xTicks);
  const yText = formatY ? yTicks.map(formatY) : tickLabels(yTicks);
  const path = d3line<ChartPoint>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const activePoint = active ? series[active.s]?.points[active.p] : undefined;

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={titleId}>{title}</figcaption>
      <div ref={box} className="chart-box">
        <svg width={W} height={H} role="group" aria-labelledby={titleId} className="chart-svg">
          {yTicks.map((t, i) => (
            <g key={`y${t}`}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="chart-grid" />
              <text
                x={M.left - 0.5 * rem}
                y={y(t)}
                dy="0.35em"
                textAnchor="end"
                className="chart-tick"
              >
                {yText[i]}
              </text>
            </g>
          ))}
          {xTicks.map((t, i) => (
            <text
              key={`x${t}`}
              x={x(t)}
              y={H - M.bottom + 1.4 * rem}
              textAnchor="middle"
              className="chart-tick"
            >
              {xText[i]}
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
          <AxisTitles
            plot={{ left: M.left, right: W - M.right, top: M.top, bottom: H - M.bottom }}
            height={H}
            rem={rem}
            xLabel={xLabel}
            yLabel={yLabel}
            className="chart-label"
            yFromLeft={1.1}
          />
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
                    aria-label={`${s.name}: ${xLabel} ${fx(p.x)}, ${yLabel} ${fy(p.y)}${p.label ? `, ${p.label}` : ''}`}
                    className="chart-point"
                    onMouseEnter={() => setActive({ s: si, p: pi })}
                    onMouseLeave={() => setActive(null)}
                    onFocus={() => setActive({ s: si, p: pi })}
                    onBlur={() => setActive(null)}
                  >
                    <circle cx={x(p.x)} cy={y(p.y)} r={14} fill="transparent" />
                    <MarkerShape
                      marker={s.marker ?? seriesMarker(si)}
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
                `${xLabel}: ${fx(activePoint.x)}`,
                `${yLabel}: ${fy(activePoint.y)}`,
                ...(activePoint.label ? [activePoint.label] : []),
              ]}
              w={W}
              h={H}
              rem={rem}
            />
          )}
        </svg>
      </div>
      <ul className="chart-legend">
        {series.map((s, si) => (
          <li key={s.name}>
            <svg width="18" height="18" aria-hidden="true">
              <MarkerShape
                marker={s.marker ?? seriesMarker(si)}
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

type TooltipProps = { x: number; y: number; lines: string[]; w: number; h: number; rem: number };

function Tooltip({ x, y, lines, w, h, rem }: TooltipProps) {
  const line = 1.25 * rem;
  const width = Math.max(...lines.map((l) => l.length)) * 0.55 * rem + rem;
  const height = lines.length * line + 0.6 * rem;
  const left = x + width + 12 > w ? Math.max(0, x - width - 12) : x + 12;
  const top = Math.min(Math.max(y - height / 2, 0), Math.max(0, h - height));
  return (
    <g className="chart-tooltip" pointerEvents="none">
      <rect x={left} y={top} width={width} height={height} rx={4} />
      {lines.map((l, i) => (
        <text
          key={i}
          x={left + 0.5 * rem}
          y={top + line + i * line}
          fontWeight={i === 0 ? 700 : 400}
        >
          {l}
        </text>
      ))}
    </g>
  );
}
