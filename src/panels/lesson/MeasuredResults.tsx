// Measured results of trained models the lab does not ship as packs (models/family.json, written
// by tools/train/family_card.py): chapter 1 shows the equal-compute family — validation loss
// against the number of experts (or total parameters) with the seeds' range, and under it the
// capacity run's fact recall against E, every seed and their range — and chapter 5 the
// layer-0 expert loads of three E = 8 runs that differ only in load balancing. Each with the
// sentence computed from the same numbers (src/lesson/familyResults.ts).
import { useQuery } from '@tanstack/react-query';
import { scaleLinear, scaleLog } from 'd3';
import { useState } from 'react';
import { AxisTitles } from '../../charts/AxisTitles';
import { BalancePacks } from './BalancePacks';
import { ChartFrame } from '../../charts/ChartFrame';
import { formatNumber } from '../../charts/format';
import { MarkerShape } from '../../charts/MarkerShape';
import { MatrixChart } from '../../charts/MatrixChart';
import { OKABE_ITO, seriesColor, seriesMarker } from '../../charts/palette';
import { useElementWidth } from '../../charts/useElementWidth';
import { useRem } from '../../charts/useRem';
import type { Chapter } from '../../lesson/chapters';
import {
  balanceRows,
  balanceSentence,
  capacityChartData,
  familyChartData,
  familyLossDomain,
  capacitySentence,
  familySentence,
  fetchFamilyResults,
  sizeName,
  type CapacityChart,
  type CapacityPoint,
  type FamilyAxis,
  type FamilyPoint,
  type FamilyResults,
} from '../../lesson/familyResults';

const FAMILY_URL = `${import.meta.env.BASE_URL}models/family.json`;

function useFamilyResults() {
  return useQuery({
    queryKey: ['family-results'],
    queryFn: () => fetchFamilyResults(FAMILY_URL),
    staleTime: Infinity,
    retry: 1,
  });
}

const loss3 = (v: number) => v.toFixed(3);
const count = (n: number) => n.toLocaleString('en-US');

function sourceLine(d: FamilyResults): string {
  const s = d.source;
  const steps = Array.isArray(s.steps) ? s.steps.join('/') : s.steps;
  return `Measured after training on ${s.device ?? 'a GPU'}${s.date ? ` (${s.date})` : ''}: ${steps} steps at batch ${s.batch} for every run. These models are not loadable in the lab; only their figures are.`;
}

function pointText(p: FamilyPoint): string {
  const seeds = p.seeds.map((s) => loss3(s.valLoss)).join(' and ');
  return `${sizeName(p.experts)} (top-${p.topK}; ${count(p.totalParams)} parameters, ${count(p.activeParams)} active): validation loss ${loss3(p.mean)} on average, seeds ${seeds}`;
}

function FamilyLossChart({ points, axis }: { points: FamilyPoint[]; axis: FamilyAxis }) {
  const rem = useRem();
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const W = Math.max(280, measured || 560);
  const H = Math.round(Math.min(Math.max(W * 0.45, 12 * rem), 18 * rem));
  const M = { top: 1 * rem, right: 1.6 * rem, bottom: 3.2 * rem, left: 4.4 * rem };
  const xs = points.map((p) => p.x);
  const x = scaleLog()
    .base(2)
    .domain([Math.min(...xs) / 1.3, Math.max(...xs) * 1.3])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain(familyLossDomain(points))
    .range([H - M.bottom, M.top])
    .nice();
  const yTicks = y.ticks(4);
  const color = seriesColor(0);
  const xLabel = axis === 'experts' ? 'experts E (log scale)' : 'total parameters (log scale)';
  const title = 'Validation loss of the equal-compute family';
  const a = active === null ? null : points[active];
  return (
    <ChartFrame
      title={title}
      testId="family-chart"
      data={() => ({
        header: [
          'experts',
          'top_k',
          'total params',
          'active params',
          'val loss mean',
          'min',
          'max',
          ...points[0]!.seeds.map((s) => `seed ${s.seed}`),
        ],
        rows: points.map((p) => [
          p.experts,
          p.topK,
          p.totalParams,
          p.activeParams,
          p.mean,
          p.min,
          p.max,
          ...p.seeds.map((s) => s.valLoss),
        ]),
      })}
      detail={a ? <strong>{pointText(a)}</strong> : undefined}
    >
      <div ref={box} className="viz-measure">
        <svg
          width={W}
          height={H}
          role="group"
          aria-label={`${title}, against ${xLabel}`}
          className="viz-svg"
          data-axis={axis}
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
                {t.toFixed(3)}
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
              {axis === 'experts' ? p.x : formatNumber(p.x)}
            </text>
          ))}
          <AxisTitles
            plot={{ left: M.left, right: W - M.right, top: M.top, bottom: H - M.bottom }}
            height={H}
            rem={rem}
            xLabel={xLabel}
            yLabel="val loss"
          />
          <polyline
            points={points.map((p) => `${x(p.x)},${y(p.mean)}`).join(' ')}
            fill="none"
            stroke={color}
            strokeWidth={2.5}
          />
          {points.map((p, i) => (
            <g
              key={p.experts}
              tabIndex={0}
              role="img"
              aria-label={pointText(p)}
              className="viz-mark"
              data-testid="family-point"
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
                x={x(p.x) - 0.8 * rem}
                y={M.top}
                width={1.6 * rem}
                height={H - M.top - M.bottom}
                fill="transparent"
              />
              {/* The seeds' range: a bar from the lowest to the highest seed, with caps. */}
              <line x1={x(p.x)} x2={x(p.x)} y1={y(p.min)} y2={y(p.max)} stroke={color} />
              {[p.min, p.max].map((v, j) => (
                <line
                  key={j}
                  x1={x(p.x) - 0.35 * rem}
                  x2={x(p.x) + 0.35 * rem}
                  y1={y(v)}
                  y2={y(v)}
                  stroke={color}
                />
              ))}
              <circle cx={x(p.x)} cy={y(p.mean)} r={0.3 * rem} fill={color} />
            </g>
          ))}
        </svg>
      </div>
      <p className="muted lesson-measured-legend">
        Dot: mean of {points[0]!.seeds.length} seeds; bar: from the lowest to the highest seed. The
        loss axis does not start at 0.
      </p>
    </ChartFrame>
  );
}

const pct = (share: number) => `${(100 * share).toFixed(1)} %`;

function capacityText(p: CapacityPoint): string {
  const seeds = p.seeds.map((s) => pct(s.recall)).join(' and ');
  return `${sizeName(p.experts)} (${count(p.totalParams)} parameters, ${count(p.activeParams)} active): fact recall ${pct(p.mean)} on average, seeds ${seeds}`;
}

/** The seeds' marks: this colour, a shape per seed, side by side so equal values stay apart. */
const SEED_COLOR = OKABE_ITO[7];

/**
 * Fact recall against E (log scale, 0–100 %): a line through the seeds' means, a bar from the
 * lowest to the highest seed, and each seed's own mark, one shape per seed.
 */
function CapacityRecallChart({ chart }: { chart: Extract<CapacityChart, { status: 'ready' }> }) {
  const rem = useRem();
  const [box, measured] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const { points } = chart;
  // Smaller than the loss chart above it: a second, supporting figure.
  const W = Math.max(280, measured || 480);
  const H = Math.round(Math.min(Math.max(W * 0.38, 11 * rem), 15 * rem));
  const M = { top: 1 * rem, right: 1.6 * rem, bottom: 3.2 * rem, left: 4.4 * rem };
  const xs = points.map((p) => p.experts);
  const x = scaleLog()
    .base(2)
    .domain([Math.min(...xs) / 1.3, Math.max(...xs) * 1.3])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  // About one tick per 2.5 rem of height: labels never touch.
  const yTicks = y.ticks(Math.max(2, Math.floor((H - M.top - M.bottom) / (2.5 * rem))));
  const color = seriesColor(0);
  const seedNames = chart.seedIds;
  const seedIndex = (seed: number) => seedNames.indexOf(seed);
  const step = 0.55 * rem;
  const offset = (j: number, n: number) => (j - (n - 1) / 2) * step;
  const title = 'Fact recall against the number of experts';
  // The long title needs about 19 rem (0.6 em a character at the tick size); a card narrower
  // than that (a phone in presentation mode) gets the short one.
  const xLabel = W >= 19 * rem ? 'experts E (1 = dense, log scale)' : 'experts E (1 = dense)';
  const a = active === null ? null : points[active];
  return (
    <ChartFrame
      title={title}
      testId="capacity-chart"
      data={() => ({
        header: [
          'experts',
          'total params',
          'active params',
          'fact recall mean',
          'min',
          'max',
          ...seedNames.map((s) => `seed ${s}`),
        ],
        rows: points.map((p) => [
          p.experts,
          p.totalParams,
          p.activeParams,
          p.mean,
          p.min,
          p.max,
          ...seedNames.map((s) => p.seeds.find((q) => q.seed === s)?.recall ?? ''),
        ]),
      })}
      detail={a ? <strong>{capacityText(a)}</strong> : undefined}
    >
      <div ref={box} className="viz-measure">
        <svg
          width={W}
          height={H}
          role="group"
          aria-label={`${title}: fact recall in % against ${xLabel}`}
          className="viz-svg"
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
                {Math.round(100 * t)}
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
              key={p.experts}
              x={x(p.experts)}
              y={H - M.bottom + 1.2 * rem}
              textAnchor="middle"
              className="viz-tick"
            >
              {p.experts}
            </text>
          ))}
          <AxisTitles
            plot={{ left: M.left, right: W - M.right, top: M.top, bottom: H - M.bottom }}
            height={H}
            rem={rem}
            xLabel={xLabel}
            yLabel="fact recall (%)"
          />
          <polyline
            points={points.map((p) => `${x(p.experts)},${y(p.mean)}`).join(' ')}
            fill="none"
            stroke={color}
            strokeWidth={2.5}
            data-testid="capacity-mean-line"
          />
          {points.map((p, i) => (
            <g
              key={p.experts}
              tabIndex={0}
              role="img"
              aria-label={capacityText(p)}
              className="viz-mark"
              data-testid="capacity-point"
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
                x={x(p.experts) - 0.9 * rem}
                y={M.top}
                width={1.8 * rem}
                height={H - M.top - M.bottom}
                fill="transparent"
              />
              {/* The seeds' range: a bar from the lowest to the highest seed, with caps. */}
              <line
                x1={x(p.experts)}
                x2={x(p.experts)}
                y1={y(p.min)}
                y2={y(p.max)}
                stroke={color}
                strokeWidth={2}
              />
              {[p.min, p.max].map((v, j) => (
                <line
                  key={j}
                  x1={x(p.experts) - 0.45 * rem}
                  x2={x(p.experts) + 0.45 * rem}
                  y1={y(v)}
                  y2={y(v)}
                  stroke={color}
                  strokeWidth={2}
                />
              ))}
              {p.seeds.map((s) => (
                <g
                  key={s.seed}
                  data-testid="capacity-seed"
                  data-seed={s.seed}
                  data-recall={s.recall}
                >
                  <MarkerShape
                    marker={seriesMarker(seedIndex(s.seed))}
                    x={x(p.experts) + offset(seedIndex(s.seed), seedNames.length)}
                    y={y(s.recall)}
                    size={0.55 * rem}
                    color={SEED_COLOR}
                  />
                </g>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <p className="muted lesson-measured-legend">
        Line: mean of {chart.seedCount} seeds; bar: from the lowest to the highest seed;{' '}
        {seedNames.map((s, j) => (
          <span key={s}>
            <svg width="14" height="14" aria-hidden="true" style={{ verticalAlign: 'middle' }}>
              <MarkerShape marker={seriesMarker(j)} x={7} y={7} size={9} color={SEED_COLOR} />
            </svg>{' '}
            seed {s}
            {j < seedNames.length - 1 ? ', ' : ''}
          </span>
        ))}{' '}
        (set side by side).
        {chart.factEval ? ` Recall of ${count(chart.factEval)} sampled trained facts.` : ''}
      </p>
    </ChartFrame>
  );
}

/** The capacity run's chart and sentence; without the run, a plain line saying so. */
export function CapacityFigure({ data }: { data: FamilyResults }) {
  const chart = capacityChartData(data);
  const sentence = capacitySentence(data);
  return (
    <>
      {chart.status === 'ready' ? (
        <CapacityRecallChart chart={chart} />
      ) : (
        <p className="muted lesson-measured-legend" data-testid="capacity-missing">
          {chart.message}
        </p>
      )}
      {sentence && (
        <p className="lesson-fact" data-testid="capacity-sentence">
          {sentence}
        </p>
      )}
    </>
  );
}

function FamilyFigure({ data }: { data: FamilyResults }) {
  const [axis, setAxis] = useState<FamilyAxis>('experts');
  const points = familyChartData(data, axis);
  return (
    <>
      <fieldset className="lesson-measured-axis">
        <legend>x axis</legend>
        {(
          [
            ['experts', 'number of experts E'],
            ['params', 'total parameters'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="family-axis"
              value={value}
              checked={axis === value}
              onChange={() => setAxis(value)}
              data-testid={`family-axis-${value}`}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <FamilyLossChart points={points} axis={axis} />
      <p className="lesson-fact" data-testid="family-sentence">
        {familySentence(data)}
      </p>
      <CapacityFigure data={data} />
    </>
  );
}

function BalanceFigure({ data }: { data: FamilyResults }) {
  const rows = balanceRows(data, 0);
  if (rows.length === 0) return null;
  const E = rows[0]!.shares.length;
  const short = { none: 'none', aux_loss: 'aux loss', bias: 'bias' } as const;
  return (
    <>
      <MatrixChart
        title={`Layer-0 load per expert, three E = ${E} runs`}
        rowLabels={rows.map((r) => short[r.balancing])}
        colLabels={rows[0]!.shares.map((_, e) => String(e))}
        values={rows.map((r) => r.shares.map((s) => 100 * s))}
        rowTitle="balancing"
        colTitle="expert"
        valueName="% of the choices"
        format={(v) => v.toFixed(1)}
        showValues
        cellRem={2.6}
        isMarked={(r, c) => rows[r]!.dead.includes(c)}
        markedName="dead"
        testId="balance-chart"
      />
      <p className="lesson-fact" data-testid="balance-sentence">
        {balanceSentence(data, 0)}
      </p>
      <BalancePacks />
    </>
  );
}

function Measured({ chapterId }: { chapterId: 'dense-vs-moe' | 'load-balance' }) {
  const q = useFamilyResults();
  const heading =
    chapterId === 'dense-vs-moe'
      ? 'Measured: more experts at the same compute'
      : 'Measured: three trainings, three loads';
  return (
    <section
      className="lesson-measured"
      aria-labelledby="lesson-measured-title"
      data-testid="lesson-measured"
      data-state={q.isError ? 'error' : q.data ? 'ready' : 'loading'}
    >
      <h4 id="lesson-measured-title">{heading}</h4>
      {q.isError ? (
        <p className="lesson-fact" role="alert" data-testid="family-error">
          The measured results could not be shown: {q.error.message}
        </p>
      ) : !q.data ? (
        <p className="lesson-fact muted" data-testid="family-loading">
          Loading the measured results (models/family.json)…
        </p>
      ) : (
        <>
          <p className="muted lesson-measured-source">{sourceLine(q.data)}</p>
          {chapterId === 'dense-vs-moe' ? (
            <FamilyFigure data={q.data} />
          ) : (
            <BalanceFigure data={q.data} />
          )}
        </>
      )}
    </section>
  );
}

/** The measured figure a chapter refers to, or nothing for the other chapters. */
export function ChapterMeasured({ chapter }: { chapter: Chapter }) {
  if (chapter.id === 'dense-vs-moe' || chapter.id === 'load-balance')
    return <Measured chapterId={chapter.id} />;
  return null;
}
