// A measured quantity against the number of experts (or another x), trained with several seeds:
// a line through the seeds' means, per point a bar from the lowest to the highest seed with caps,
// and either a dot at the mean or each seed's own mark (a shape per seed, side by side so equal
// values stay apart). Every point is focusable; the hovered or focused one is said in words under
// the chart. Chapter 1's validation-loss and fact-recall charts (MeasuredResults.tsx) are two of it.
import { scaleLinear, scaleLog } from 'd3';
import { useState, type ReactNode } from 'react';
import { AxisTitles } from '../../charts/AxisTitles';
import { ChartFrame, type ChartData } from '../../charts/ChartFrame';
import { MarkerShape } from '../../charts/MarkerShape';
import { seriesColor, seriesMarker } from '../../charts/palette';
import { useElementWidth } from '../../charts/useElementWidth';
import { useRem } from '../../charts/useRem';

export type SeedRangePoint = {
  /** The size's number of experts: the point's key and its data-experts. */
  experts: number;
  /** Where the point sits on the x axis. */
  x: number;
  /** The mean over seeds, and the seeds' lowest and highest value. */
  mean: number;
  min: number;
  max: number;
  /** Every seed's own value, drawn as its mark when the chart has `seedMarks`. */
  seedValues?: { seed: number; value: number }[];
};

/** How big the chart is: `width` px until measured, height `aspect` × width within [min, max] rem. */
export type SeedRangeSize = { width: number; aspect: number; minRem: number; maxRem: number };

/** Each seed's mark: one colour, the shape of its place in `ids`, its value as data-`valueName`. */
export type SeedMarks = { ids: readonly number[]; color: string; valueName: string };

type Props<P extends SeedRangePoint> = {
  title: string;
  /** The test ids' prefix: `<prefix>-chart`, `-point`, `-mean-line` and `-seed`. */
  testId: string;
  /** The chart's numbers, for the CSV export. */
  data: () => ChartData;
  points: readonly P[];
  /** What a point is, in words: its aria-label and the detail line when hovered or focused. */
  text: (p: P) => string;
  xScale: 'linear' | 'log';
  /** The x title; a function of the chart's width (px) and rem when it has a short form. */
  xLabel: string | ((width: number, rem: number) => string);
  xTickFormat?: (x: number) => ReactNode;
  yLabel: string;
  /** Rounded out to nice values. */
  yDomain: [number, number];
  yTickFormat: (y: number) => string;
  /** About how many y ticks; without it, one per 2.5 rem of plot height (labels never touch). */
  yTickCount?: number;
  /** The SVG's aria-label, given the x title drawn. */
  svgLabel: (xLabel: string) => string;
  /** The SVG's data-axis, when the x axis can change. */
  dataAxis?: string;
  size?: SeedRangeSize;
  /** Half the width of a point's hover target, and of the range bar's caps, in rem. */
  hitRem?: number;
  capRem?: number;
  /** The range bar's and caps' stroke width (the SVG default, 1, without it). */
  rangeStrokeWidth?: number;
  /** Each seed's own mark instead of a dot at the mean. */
  seedMarks?: SeedMarks;
  /** The legend under the chart. */
  children?: ReactNode;
};

const DEFAULT_SIZE: SeedRangeSize = { width: 560, aspect: 0.45, minRem: 12, maxRem: 18 };

export function SeedRangeChart<P extends SeedRangePoint>({
  title,
  testId,
  data,
  points,
  text,
  xScale,
  xLabel: xLabelOf,
  xTickFormat = (v) => v,
  yLabel,
  yDomain,
  yTickFormat,
  yTickCount,
  svgLabel,
  dataAxis,
  size = DEFAULT_SIZE,
  hitRem = 0.8,
  capRem = 0.35,
  rangeStrokeWidth,
  seedMarks,
  children,
}: Props<P>) {
  const rem = useRem();
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const W = Math.max(280, measured || size.width);
  const H = Math.round(Math.min(Math.max(W * size.aspect, size.minRem * rem), size.maxRem * rem));
  const M = { top: 1 * rem, right: 1.6 * rem, bottom: 3.2 * rem, left: 4.4 * rem };
  const lo = Math.min(...points.map((p) => p.x));
  const hi = Math.max(...points.map((p) => p.x));
  const pad = (hi - lo) * 0.1 || 1;
  const x =
    xScale === 'log'
      ? scaleLog()
          .base(2)
          .domain([lo / 1.3, hi * 1.3])
          .range([M.left, W - M.right])
      : scaleLinear()
          .domain([lo - pad, hi + pad])
          .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain(yDomain)
    .range([H - M.bottom, M.top])
    .nice();
  const yTicks = y.ticks(
    yTickCount ?? Math.max(2, Math.floor((H - M.top - M.bottom) / (2.5 * rem))),
  );
  const color = seriesColor(0);
  const xLabel = typeof xLabelOf === 'string' ? xLabelOf : xLabelOf(W, rem);
  const step = 0.55 * rem;
  const seedOffset = (j: number, n: number) => (j - (n - 1) / 2) * step;
  const a = active === null ? null : points[active];
  return (
    <ChartFrame
      title={title}
      testId={`${testId}-chart`}
      data={data}
      detail={a ? <strong>{text(a)}</strong> : undefined}
    >
      <div ref={box} className="viz-measure">
        <svg
          width={W}
          height={H}
          role="group"
          aria-label={svgLabel(xLabel)}
          className="viz-svg"
          data-axis={dataAxis}
        >
          {yTicks.map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="viz-grid" />
              <text
                x={M.left - 0.4 * rem}
                y={y(t)}
                dy="0.35em"
                textAnchor="end"
                className="viz-tick"
              >
                {yTickFormat(t)}
              </text>
            </g>
          ))}
          <line
            x1={M.left}
            x2={W - M.right}
            y1={H - M.bottom}
            y2={H - M.bottom}
            className="viz-axis"
          />
          {points.map((p) => (
            <text
              key={p.x}
              x={x(p.x)}
              y={H - M.bottom + 1.2 * rem}
              textAnchor="middle"
              className="viz-tick"
            >
              {xTickFormat(p.x)}
            </text>
          ))}
          <AxisTitles
            plot={{ left: M.left, right: W - M.right, top: M.top, bottom: H - M.bottom }}
            height={H}
            rem={rem}
            xLabel={xLabel}
            yLabel={yLabel}
          />
          <polyline
            points={points.map((p) => `${x(p.x)},${y(p.mean)}`).join(' ')}
            fill="none"
            stroke={color}
            strokeWidth={2.5}
            data-testid={`${testId}-mean-line`}
          />
          {points.map((p, i) => (
            <g
              key={p.experts}
              tabIndex={0}
              role="img"
              aria-label={text(p)}
              className="viz-mark"
              data-testid={`${testId}-point`}
              data-experts={p.experts}
              data-mean={p.mean}
              data-min={p.min}
              data-max={p.max}
              onMouseEnter={() => setActive(i)}
              onMouseLeave={() => setActive(null)}
              onFocus={() => setActive(i)}
              onBlur={() => setActive(null)}
            >
              <rect
                x={x(p.x) - hitRem * rem}
                y={M.top}
                width={2 * hitRem * rem}
                height={H - M.top - M.bottom}
                fill="transparent"
              />
              {/* The seeds' range: a bar from the lowest to the highest seed, with caps. */}
              <line
                x1={x(p.x)}
                x2={x(p.x)}
                y1={y(p.min)}
                y2={y(p.max)}
                stroke={color}
                strokeWidth={rangeStrokeWidth}
              />
              {[p.min, p.max].map((v, j) => (
                <line
                  key={j}
                  x1={x(p.x) - capRem * rem}
                  x2={x(p.x) + capRem * rem}
                  y1={y(v)}
                  y2={y(v)}
                  stroke={color}
                  strokeWidth={rangeStrokeWidth}
                />
              ))}
              {!seedMarks ? (
                <circle cx={x(p.x)} cy={y(p.mean)} r={0.3 * rem} fill={color} />
              ) : (
                p.seedValues?.map((s) => {
                  const j = seedMarks.ids.indexOf(s.seed);
                  return (
                    <g
                      key={s.seed}
                      data-testid={`${testId}-seed`}
                      data-seed={s.seed}
                      {...{ [`data-${seedMarks.valueName}`]: s.value }}
                    >
                      <MarkerShape
                        marker={seriesMarker(j)}
                        x={x(p.x) + seedOffset(j, seedMarks.ids.length)}
                        y={y(s.value)}
                        size={0.55 * rem}
                        color={seedMarks.color}
                      />
                    </g>
                  );
                })
              )}
            </g>
          ))}
        </svg>
      </div>
      {children}
    </ChartFrame>
  );
}
