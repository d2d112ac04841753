// One lane per virtual GPU: compute, communication and waiting on a shared time axis, as wide as
// its card. Waiting is hatched grey (a GPU idle until the slowest one reaches the collective);
// communication is drawn with a dark outline so it is told apart without colour. Axis ticks and
// the names inside blocks come from src/viz/timelineLayout.ts: one unit, never overlapping,
// shortened or left out where they do not fit.
import { scaleLinear } from 'd3';
import { useState } from 'react';
import { ChartFrame } from '../../charts/ChartFrame';
import { WORK_COLORS } from '../../charts/palette';
import { useElementWidth } from '../../charts/useElementWidth';
import { useRem } from '../../charts/useRem';
import type { Segment, Timeline } from '../../parallel/timeline';
import { blockLabel, formatMs as fmt, timeAxisTicks } from '../../viz/timelineLayout';

const PHASE_COLOR: [RegExp, string][] = [
  [/^attention all-reduce/, WORK_COLORS.attentionCollective],
  [/^attention/, WORK_COLORS.dense],
  [/^router|^pack|^sum/, WORK_COLORS.router],
  [/^dispatch|^combine/, WORK_COLORS.allToAll],
  [/^experts|^micro-batch/, WORK_COLORS.moe],
  [/^shared/, WORK_COLORS.shared],
  [/^all-reduce|^all-gather|^send/, WORK_COLORS.collective],
];

export function phaseColor(s: Segment): string {
  if (s.kind === 'wait') return 'url(#par-wait)';
  return PHASE_COLOR.find(([re]) => re.test(s.phase))?.[1] ?? '#666';
}

/** px per character, an upper bound for the UI font (DejaVu Sans digits are 0.64 em wide). */
const CHAR_EM = 0.66;

export function TimelineChart({
  title,
  timeline,
  testId,
}: {
  title: string;
  timeline: Timeline;
  testId: string;
}) {
  const rem = useRem();
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<{ gpu: number; s: Segment } | null>(null);
  const left = 4.5 * rem;
  const laneH = 1.8 * rem;
  const top = 0.6 * rem;
  const width = Math.max(16 * rem, measured || 40 * rem);
  const height = top + timeline.lanes.length * (laneH + 0.4 * rem) + 2.4 * rem;
  const x = scaleLinear()
    .domain([0, Math.max(1e-9, timeline.totalMs)])
    .range([left, width - rem]);
  // The tick text is 0.9 rem (.viz-tick), the block names 0.75 rem (.par-block-label).
  const ticks = timeAxisTicks(timeline.totalMs, [left, width - rem], [0, width], {
    charPx: CHAR_EM * 0.9 * rem,
    gapPx: 0.8 * rem,
  });
  const blockFit = { charPx: CHAR_EM * 0.75 * rem, padPx: 0.2 * rem };
  return (
    <ChartFrame
      title={title}
      testId={testId}
      data={() => ({
        header: ['gpu', 'phase', 'kind', 'start ms', 'end ms'],
        rows: timeline.lanes.flatMap((lane, g) =>
          lane.map((s) => [g, s.phase, s.kind, s.start, s.end]),
        ),
      })}
      detail={
        active ? (
          <strong>{`GPU ${active.gpu}: ${active.s.phase} (${active.s.kind}), ${fmt(active.s.end - active.s.start)} from ${fmt(active.s.start)}`}</strong>
        ) : (
          `Total ${fmt(timeline.totalMs)}. Hover or focus a block for its phase and time.`
        )
      }
    >
      <div ref={box} className="chart-box">
        <svg width={width} height={height} role="group" aria-label={title} className="viz-svg">
          <defs>
            <pattern
              id="par-wait"
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="8" height="8" fill="#e4e6e9" />
              <line x1="0" y1="0" x2="0" y2="8" stroke="#8a8f96" strokeWidth="3" />
            </pattern>
          </defs>
          {ticks.map((t) => (
            <g key={t.ms}>
              <line x1={x(t.ms)} x2={x(t.ms)} y1={top} y2={height - 2 * rem} className="viz-grid" />
              <text
                x={t.x}
                y={height - 1.2 * rem}
                textAnchor={t.anchor}
                className="viz-tick"
                data-testid={`${testId}-tick`}
              >
                {t.text}
              </text>
            </g>
          ))}
          {timeline.lanes.map((lane, g) => {
            const y = top + g * (laneH + 0.4 * rem);
            return (
              <g key={g} data-testid={`${testId}-lane`}>
                <text
                  x={left - 0.5 * rem}
                  y={y + laneH / 2}
                  dy="0.35em"
                  textAnchor="end"
                  className="viz-tick"
                >
                  GPU {g}
                </text>
                {lane.map((s, i) => (
                  <rect
                    key={i}
                    x={x(s.start)}
                    y={y}
                    width={Math.max(1, x(s.end) - x(s.start))}
                    height={laneH}
                    fill={phaseColor(s)}
                    stroke={s.kind === 'comm' ? '#000' : 'none'}
                    strokeWidth={s.kind === 'comm' ? 1.5 : 0}
                    tabIndex={0}
                    role="img"
                    aria-label={`GPU ${g}: ${s.phase}, ${fmt(s.end - s.start)}`}
                    className="viz-mark"
                    data-kind={s.kind}
                    onMouseEnter={() => setActive({ gpu: g, s })}
                    onMouseLeave={() => setActive(null)}
                    onFocus={() => setActive({ gpu: g, s })}
                    onBlur={() => setActive(null)}
                  />
                ))}
                {lane.map((s, i) => {
                  const w = x(s.end) - x(s.start);
                  const text = s.kind === 'wait' ? null : blockLabel(s.phase, w, blockFit);
                  return (
                    text && (
                      <text
                        key={`l${i}`}
                        x={x(s.start) + w / 2}
                        y={y + laneH / 2}
                        dy="0.35em"
                        textAnchor="middle"
                        className="par-block-label"
                        aria-hidden="true"
                      >
                        {text}
                      </text>
                    )
                  );
                })}
              </g>
            );
          })}
        </svg>
      </div>
    </ChartFrame>
  );
}

export function TimelineLegend({ pipeline = false }: { pipeline?: boolean }) {
  const items: [string, string][] = pipeline
    ? [
        ['micro-batch through the stage’s MoE layers', WORK_COLORS.moe],
        ['send of the hidden state to the next stage', WORK_COLORS.collective],
      ]
    : [
        ['attention (always modelled)', WORK_COLORS.dense],
        ['attention all-reduce (always modelled)', WORK_COLORS.attentionCollective],
        ['router, pack, sum', WORK_COLORS.router],
        ['dispatch / combine (all-to-all)', WORK_COLORS.allToAll],
        ['experts (grouped GEMM)', WORK_COLORS.moe],
        ['shared expert', WORK_COLORS.shared],
        ['all-reduce / all-gather', WORK_COLORS.collective],
      ];
  return (
    <ul className="par-legend" aria-label="Timeline colours">
      {items.map(([name, color]) => (
        <li key={name}>
          <span className="par-swatch" style={{ background: color }} aria-hidden="true" />
          {name}
        </li>
      ))}
      <li>
        <span className="par-swatch par-swatch-wait" aria-hidden="true" />
        {pipeline
          ? 'pipeline bubble (waiting for the previous stage)'
          : 'waiting for the slowest GPU'}
      </li>
    </ul>
  );
}
