// Cluster simulator: a real MoE model on a real GPU cluster — TTFT, ITL, throughput, memory,
// the time split and the bottleneck for the chosen layout, sweeps over concurrency for every
// strategy, and the advisor's pick. Everything recomputes on each control change (the whole
// panel costs a few milliseconds of pure TypeScript).
import { useMemo, useState } from 'react';
import { advise } from '../../sim/advisor';
import { benchSweep } from '../../sim/benchSweep';
import { HELD_OUT_ERROR } from '../../sim/errorBands';
import { SERVING_FIGURES } from '../../sim/servingCalibration';
import { sweep, trySimulate } from '../../sim/sweep';
import type { Strategy } from '../../sim/types';
import { useLabStore } from '../../state/labStore';
import { AdvisorVerdict } from './AdvisorVerdict';
import { measure } from './measure';
import { simInputFromSettings } from '../../sim/inputFromSettings';
import { SimulatorCharts } from './SimulatorCharts';
import { SimulatorControls } from './SimulatorControls';
import { SimulatorOutputs } from './SimulatorOutputs';
import './simulator.css';

const SWEEP_CONCURRENCY = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const SWEEP_STRATEGIES: readonly Strategy[] = ['tp', 'ep', 'dp-ep', 'tp-ep', 'pp'];
/** Sweeps use at least this many prompts so high concurrency is not capped by the prompt count. */
const SWEEP_MIN_PROMPTS = 512;

export default function SimulatorPanel() {
  const settings = useLabStore((s) => s.settings);
  const input = useMemo(() => simInputFromSettings(settings), [settings]);
  const single = useMemo(() => trySimulate(input), [input]);
  const { value: points, ms: sweepMs } = useMemo(
    () =>
      measure(() =>
        sweep(
          { ...input, prompts: Math.max(input.prompts, SWEEP_MIN_PROMPTS) },
          'concurrency',
          SWEEP_CONCURRENCY,
          SWEEP_STRATEGIES,
        ),
      ),
    [input],
  );
  const advice = useMemo(() => advise(input, settings.goal), [input, settings.goal]);
  // The 189-point benchmark sweep, timed once in this browser.
  const [benchMs] = useState(() => measure(benchSweep).ms);

  return (
    <div className="sim-panel" data-testid="simulator">
      <p className="sim-intro">
        A roofline cost model of serving: every operator priced by FLOPs and bytes on the chosen
        GPU, collectives by latency and bandwidth, a serving engine&apos;s fixed costs and limits,
        and a scheduler that admits requests while the KV cache allows and queues the rest. Fitted
        to {SERVING_FIGURES.length} published vLLM, SGLang and TensorRT-LLM runs; on runs it was not
        fitted to it misses by ×{HELD_OUT_ERROR.median} at the median and up to ×
        {HELD_OUT_ERROR.worst} (docs/simulator.md). Every figure shows its stated range: treat the
        numbers as estimates, not measurements.
      </p>
      <div className="sim-layout-grid">
        <SimulatorControls />
        <div className="sim-main">
          {single.result ? (
            <SimulatorOutputs result={single.result} />
          ) : (
            <div role="alert" className="error-box" data-testid="sim-error">
              <strong>This layout cannot exist.</strong> {single.error}
            </div>
          )}
          <AdvisorVerdict advice={advice} />
        </div>
      </div>
      <SimulatorCharts
        points={points}
        strategies={SWEEP_STRATEGIES}
        sweepMs={sweepMs}
        benchMs={benchMs}
      />
    </div>
  );
}
