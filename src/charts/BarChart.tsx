// Vertical bars over categories (experts), laid out in rem so presentation mode enlarges them.
// Highlighted bars differ by colour, a thick outline and a text tag, so the choice does not rest
// on colour alone. Each bar is focusable; focus or hover reports its value. In a card too narrow
// for the columns (a phone) the bars lie across, one row per category, in the card's width — the
// text keeps its size and nothing scrolls sideways.
import { scaleLinear } from 'd3';
import { useState, type SVGProps } from 'react';
import { AxisTitles } from './AxisTitles';
import { ChartFrame } from './ChartFrame';
import { allIntegers, formatNumber, integerTicks, tickLabels } from './format';
import { OKABE_ITO } from './palette';
import { useElementWidth } from './useElementWidth';
import { useRem } from './useRem';

export type Bar = { label: string; value: number; tag?: string; detail?: string };

type Props = {
  title: string;
  bars: Bar[];
  yLabel: string;
  format?: (v: number) => string;
  /** Top of the value axis; default the largest value. */
  max?: number;
  /** An axis of counts (pairs, tokens) ticks only at integers; default: every value an integer. */
  integer?: boolean;
  testId?: string;
};

/** Below this card width (in rem) a chart whose columns do not fit lays its bars across. */
const ACROSS_BELOW_REM = 36;

export function BarChart({
  title,
  bars,
  yLabel,
  format = formatNumber,
  max,
  integer,
  testId,
}: Props) {
  const rem = useRem();
  const [box, boxWidth] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const barW = 2.6 * rem;
  const gap = 0.5 * rem;
  const left = 5 * rem;
  const top = 3.6 * rem;
  const plotH = 11 * rem;
  const bottom = 2.2 * rem;
  const width = left + bars.length * (barW + gap) + gap;
  const height = top + plotH + bottom;
  const yMax = max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  const y = scaleLinear()
    .domain([0, yMax])
    .range([top + plotH, top])
    .nice();
  const raw = y.ticks(4);
  const ticks =
    (integer ?? allIntegers(bars.map((b) => b.value)))
      ? integerTicks(raw, y.domain() as [number, number])
      : raw;
  const tickText = tickLabels(ticks);
  const a = active === null ? null : bars[active];
  const across = boxWidth > 0 && width > boxWidth && boxWidth < ACROSS_BELOW_REM * rem;
  const markProps = (b: Bar, i: number): SVGProps<SVGGElement> =>
    ({
      tabIndex: 0,
      role: 'img',
      'aria-label': `${b.label}: ${format(b.value)}${b.tag ? `, ${b.tag}` : ''}`,
      className: 'viz-mark',
      'data-testid': testId ? `${testId}-bar` : undefined,
      'data-index': i,
      'data-value': b.value,
      'data-tag': b.tag ?? '',
      onMouseEnter: () => setActive(i),
      onMouseLeave: () => setActive(null),
      onFocus: () => setActive(i),
      onBlur: () => setActive(null),
    }) as SVGProps<SVGGElement>;
  return (
    <ChartFrame
      title={title}
      testId={testId}
      className={across ? 'viz-fill' : undefined}
      data={() => ({
        header: ['label', yLabel, 'tag'],
        rows: bars.map((b) => [b.label, b.value, b.tag ?? '']),
      })}
      detail={
        a ? (
          <strong>{`${a.label}: ${yLabel} ${format(a.value)}${a.tag ? ` (${a.tag})` : ''}${a.detail ? ` — ${a.detail}` : ''}`}</strong>
        ) : undefined
      }
    >
      <div ref={box} className="viz-measure">
        {across ? (
          <BarsAcross
            title={title}
            bars={bars}
            yLabel={yLabel}
            format={format}
            width={boxWidth}
            ticks={ticks}
            tickText={tickText}
            domain={y.domain() as [number, number]}
            rem={rem}
            markProps={markProps}
          />
        ) : (
          <svg width={width} height={height} role="group" aria-label={title} className="viz-svg">
            {ticks.map((t, i) => (
              <g key={t}>
                <line x1={left} x2={width} y1={y(t)} y2={y(t)} className="viz-grid" />
                <text
                  x={left - 0.4 * rem}
                  y={y(t)}
                  dy="0.35em"
                  textAnchor="end"
                  className="viz-tick"
                >
                  {tickText[i]}
                </text>
              </g>
            ))}
            <AxisTitles
              plot={{ left, right: width, top, bottom: top + plotH }}
              height={height}
              rem={rem}
              yLabel={yLabel}
            />
            {bars.map((b, i) => {
              const x = left + gap + i * (barW + gap);
              const highlighted = b.tag !== undefined;
              return (
                <g key={i} {...markProps(b, i)}>
                  <rect x={x} y={top} width={barW} height={plotH} fill="transparent" />
                  <rect
                    x={x}
                    y={y(Math.max(0, b.value))}
                    width={barW}
                    height={Math.max(0, y(0) - y(Math.max(0, b.value)))}
                    fill={highlighted ? OKABE_ITO[0] : '#b8bcc2'}
                    stroke={highlighted ? '#000' : 'none'}
                    strokeWidth={highlighted ? 3 : 0}
                  />
                  <text
                    x={x + barW / 2}
                    y={y(Math.max(0, b.value)) - 0.35 * rem}
                    textAnchor="middle"
                    className="viz-value"
                  >
                    {format(b.value)}
                  </text>
                  {b.tag && (
                    <text
                      x={x + barW / 2}
                      y={y(Math.max(0, b.value)) - 1.45 * rem}
                      textAnchor="middle"
                      className="viz-tag"
                    >
                      {b.tag}
                    </text>
                  )}
                  <text
                    x={x + barW / 2}
                    y={top + plotH + 1.3 * rem}
                    textAnchor="middle"
                    className="viz-tick"
                  >
                    {b.label}
                  </text>
                </g>
              );
            })}
            <line x1={left} x2={width} y1={y(0)} y2={y(0)} className="viz-axis" />
          </svg>
        )}
      </div>
    </ChartFrame>
  );
}

type AcrossProps = {
  title: string;
  bars: Bar[];
  yLabel: string;
  format: (v: number) => string;
  width: number;
  ticks: number[];
  tickText: string[];
  domain: [number, number];
  rem: number;
  markProps: (b: Bar, i: number) => SVGProps<SVGGElement>;
};

/** The bars lying across a narrow card: label, bar, value and tag on one row per category; the
 *  value axis on top, under its name. */
function BarsAcross({
  title,
  bars,
  yLabel,
  format,
  width,
  ticks,
  tickText,
  domain,
  rem,
  markProps,
}: AcrossProps) {
  const longest = Math.max(1, ...bars.map((b) => b.label.length));
  const labelW = Math.max(2.4, longest * 0.62 + 0.8) * rem;
  // Room after the longest bar for its value and tag (about 0.6 rem a character).
  const valueChars = Math.max(
    ...bars.map((b) => format(b.value).length + (b.tag ? b.tag.length + 1 : 0)),
  );
  const valueW = (valueChars * 0.6 + 1) * rem;
  const top = 3 * rem;
  const rowH = 1.8 * rem;
  const barH = 1.2 * rem;
  const height = top + bars.length * rowH + 0.4 * rem;
  const x = scaleLinear()
    .domain(domain)
    .range([labelW, Math.max(labelW + 4 * rem, width - valueW)]);
  return (
    <svg
      width={width}
      height={height}
      role="group"
      aria-label={title}
      className="viz-svg"
      data-layout="across"
    >
      <text x={labelW} y={1 * rem} className="viz-tick">
        {yLabel}
      </text>
      {ticks.map((t, i) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top - 0.3 * rem} y2={height} className="viz-grid" />
          <text x={x(t)} y={top - 0.6 * rem} textAnchor="middle" className="viz-tick">
            {tickText[i]}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const y0 = top + i * rowH;
        const highlighted = b.tag !== undefined;
        const end = x(Math.max(0, b.value));
        return (
          <g key={i} {...markProps(b, i)}>
            <rect x={0} y={y0} width={width} height={rowH} fill="transparent" />
            <text
              x={labelW - 0.5 * rem}
              y={y0 + rowH / 2}
              dy="0.35em"
              textAnchor="end"
              className="viz-tick"
            >
              {b.label}
            </text>
            <rect
              x={x(0)}
              y={y0 + (rowH - barH) / 2}
              width={Math.max(0, end - x(0))}
              height={barH}
              fill={highlighted ? OKABE_ITO[0] : '#b8bcc2'}
              stroke={highlighted ? '#000' : 'none'}
              strokeWidth={highlighted ? 3 : 0}
            />
            <text
              x={end + 0.4 * rem}
              y={y0 + rowH / 2}
              dy="0.35em"
              className="viz-value viz-value-across"
            >
              {format(b.value)}
              {b.tag && (
                <tspan className="viz-tag" dx="0.4em">
                  {b.tag}
                </tspan>
              )}
            </text>
          </g>
        );
      })}
      <line x1={x(0)} x2={x(0)} y1={top - 0.3 * rem} y2={height} className="viz-axis" />
    </svg>
  );
}
