// Measured results of trained models the lab does not ship as packs (models/family.json, written
// by tools/train/family_card.py): chapter 1 shows the equal-compute family — validation loss
// against the number of experts (or total parameters) with the seeds' range, and under it the
// capacity run's fact recall against E, every seed and their range — and chapter 5 the
// layer-0 expert loads of three E = 8 runs that differ only in load balancing. Each with the
// sentence computed from the same numbers (src/lesson/familyResults.ts).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BalancePacks } from './BalancePacks';
import { formatNumber } from '../../charts/format';
import { MarkerShape } from '../../charts/MarkerShape';
import { MatrixChart } from '../../charts/MatrixChart';
import { OKABE_ITO, seriesMarker } from '../../charts/palette';
import { SeedRangeChart } from './SeedRangeChart';
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
  const title = 'Validation loss of the equal-compute family';
  return (
    <SeedRangeChart
      title={title}
      testId="family"
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
      points={points}
      text={pointText}
      xScale="log"
      xLabel={axis === 'experts' ? 'experts E (log scale)' : 'total parameters (log scale)'}
      xTickFormat={axis === 'experts' ? undefined : formatNumber}
      yLabel="val loss"
      yDomain={familyLossDomain(points)}
      yTickFormat={(t) => t.toFixed(3)}
      yTickCount={4}
      svgLabel={(xLabel) => `${title}, against ${xLabel}`}
      dataAxis={axis}
    >
      <p className="muted lesson-measured-legend">
        Dot: mean of {points[0]!.seeds.length} seeds; bar: from the lowest to the highest seed. The
        loss axis does not start at 0.
      </p>
    </SeedRangeChart>
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
  const seedNames = chart.seedIds;
  const points = chart.points.map((p) => ({
    ...p,
    x: p.experts,
    seedValues: p.seeds.map((s) => ({ seed: s.seed, value: s.recall })),
  }));
  const title = 'Fact recall against the number of experts';
  return (
    <SeedRangeChart
      title={title}
      testId="capacity"
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
      points={points}
      text={capacityText}
      xScale="log"
      // The long title needs about 19 rem (0.6 em a character at the tick size); a card narrower
      // than that (a phone in presentation mode) gets the short one.
      xLabel={(W, rem) =>
        W >= 19 * rem ? 'experts E (1 = dense, log scale)' : 'experts E (1 = dense)'
      }
      yLabel="fact recall (%)"
      yDomain={[0, 1]}
      yTickFormat={(t) => String(Math.round(100 * t))}
      svgLabel={(xLabel) => `${title}: fact recall in % against ${xLabel}`}
      // Smaller than the loss chart above it: a second, supporting figure.
      size={{ width: 480, aspect: 0.38, minRem: 11, maxRem: 15 }}
      hitRem={0.9}
      capRem={0.45}
      rangeStrokeWidth={2}
      seedMarks={{ ids: seedNames, color: SEED_COLOR, valueName: 'recall' }}
    >
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
    </SeedRangeChart>
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
