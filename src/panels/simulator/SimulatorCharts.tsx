// Sweeps over concurrency for every strategy: throughput, inter-token latency, and the
// per-user vs per-GPU trade-off (a Pareto chart).
import { LineChart, type ChartSeries } from '../../charts/LineChart';
import { seriesColor, seriesMarker } from '../../charts/palette';
import { ERROR_BANDS, LOW_CONCURRENCY, type FigureKind } from '../../sim/errorBands';
import type { SweepPoint } from '../../sim/sweep';
import type { Strategy } from '../../sim/types';

type Props = {
  points: SweepPoint[];
  strategies: readonly Strategy[];
  sweepMs: number;
  benchMs: number;
};

/** Each point's label carries the stated error band of the figure the chart plots. */
function series(
  points: SweepPoint[],
  strategies: readonly Strategy[],
  y: (p: SweepPoint) => number,
  kind: FigureKind,
  x: (p: SweepPoint) => number = (p) => p.value,
): ChartSeries[] {
  return strategies
    .map((s, i) => ({
      name: s,
      // Each strategy keeps its colour and shape in every chart, even where another has no point.
      color: seriesColor(i),
      marker: seriesMarker(i),
      points: points
        .filter((p) => p.strategy === s && p.result && p.result.fits)
        .map((p) => ({
          x: x(p),
          y: y(p),
          label: `concurrency ${p.value}, stated error ×/÷${p.result!.bands[kind]}`,
        })),
    }))
    .filter((s) => s.points.length > 0);
}

export function SimulatorCharts({ points, strategies, sweepMs, benchMs }: Props) {
  const missing = strategies.filter((s) => !points.some((p) => p.strategy === s && p.result?.fits));
  const reasons = missing.map((s) => {
    const p = points.find((q) => q.strategy === s);
    return `${s}: ${p?.error ?? p?.result?.reason ?? 'no point fits'}`;
  });
  return (
    <section aria-labelledby="sim-sweep-h" className="sim-charts">
      <h3 id="sim-sweep-h">Sweep over concurrency, every strategy</h3>
      <div className="sim-chart-grid">
        <LineChart
          testId="sim-chart-throughput"
          title="Output throughput vs concurrency"
          xLabel="concurrency"
          yLabel="output tok/s"
          xLog
          series={series(points, strategies, (p) => p.result!.outputTokensPerS, 'throughput')}
        />
        <LineChart
          testId="sim-chart-itl"
          title="Inter-token latency vs concurrency"
          xLabel="concurrency"
          yLabel="ITL (ms)"
          xLog
          series={series(points, strategies, (p) => p.result!.itlMs, 'itl')}
        />
        <LineChart
          testId="sim-chart-pareto"
          title="Per-user speed vs per-GPU throughput (up and right is better)"
          xLabel="tok/s per user"
          yLabel="tok/s per GPU"
          lines
          series={series(
            points,
            strategies,
            (p) => p.result!.tokensPerSPerGpu,
            'throughput',
            (p) => p.result!.tokensPerSPerUser,
          )}
        />
      </div>
      <p className="sim-hint" data-testid="sim-chart-bands">
        Stated error of every point: throughput ×/÷{ERROR_BANDS.low.throughput}, ITL ×/÷
        {ERROR_BANDS.low.itl} at concurrency ≤ {LOW_CONCURRENCY}; throughput ×/÷
        {ERROR_BANDS.high.throughput}, ITL ×/÷{ERROR_BANDS.high.itl} above. Past the KV cache the
        curves flatten: the extra requests queue.
      </p>
      {reasons.length > 0 && <p className="sim-hint">Not drawn — {reasons.join('; ')}</p>}
      <p className="sim-hint" data-testid="sim-sweep-time">
        These {points.length} simulations took {sweepMs.toFixed(1)} ms in this page; the benchmark
        sweep (189 points) took {benchMs.toFixed(1)} ms.
      </p>
    </section>
  );
}
