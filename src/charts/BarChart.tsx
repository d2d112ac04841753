// Vertical bars over categories (experts), laid out in rem so presentation mode enlarges them.
// Highlighted bars differ by colour, a thick outline and a text tag, so the choice does not rest
// on colour alone. Each bar is focusable; focus or hover reports its value.
import { scaleLinear } from 'd3';
import { useState } from 'react';
import { ChartFrame } from './ChartFrame';
import { allIntegers, formatNumber, integerTicks, tickLabels } from './format';
import { OKABE_ITO } from './palette';
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
  return (
    <ChartFrame
      title={title}
      testId={testId}
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
      <svg width={width} height={height} role="group" aria-label={title} className="viz-svg">
        {ticks.map((t, i) => (
          <g key={t}>
            <line x1={left} x2={width} y1={y(t)} y2={y(t)} className="viz-grid" />
            <text x={left - 0.4 * rem} y={y(t)} dy="0.35em" textAnchor="end" className="viz-tick">
              {tickText[i]}
            </text>
          </g>
        ))}
        <text
          transform={`translate(${0.9 * rem} ${top + plotH / 2}) rotate(-90)`}
          textAnchor="middle"
          className="viz-tick"
        >
          {yLabel}
        </text>
        {bars.map((b, i) => {
          const x = left + gap + i * (barW + gap);
          const highlighted = b.tag !== undefined;
          return (
            <g
              key={i}
              tabIndex={0}
              role="img"
              aria-label={`${b.label}: ${format(b.value)}${b.tag ? `, ${b.tag}` : ''}`}
              className="viz-mark"
              data-testid={testId ? `${testId}-bar` : undefined}
              data-index={i}
              data-value={b.value}
              data-tag={b.tag ?? ''}
              onMouseEnter={() => setActive(i)}
              onMouseLeave={() => setActive(null)}
              onFocus={() => setActive(i)}
              onBlur={() => setActive(null)}
            >
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
    </ChartFrame>
  );
}
