// Latency: the serving metrics of the last run in this browser, their definitions, the time of
// every step (prefill, then one decode step per token), where it went, and per-kernel GPU time.
import { useMemo } from 'react';
import { LineChart } from '../../charts/LineChart';
import { StackedBar } from '../../charts/StackedBar';
import { WORK_COLORS } from '../../charts/palette';
import { generateNow } from '../../engine/settingsBridge';
import { NeedsRun } from '../shared/NeedsRun';
import { RunFreshness } from '../shared/RunFreshness';
import { useRunStore } from '../../engine/runStore';
import { comparisonKey, usePathRunStore } from '../../engine/pathRunStore';
import { SettingControl } from '../shared/SettingControl';
import { PathComparison } from './PathComparison';
import { DispatchFloor } from './DispatchFloor';
import { BackendVerdict } from '../shared/BackendVerdict';
import { pathOf } from '../../viz/pathComparison';
import { kernelTotals, stepTimings } from '../../viz/stepTimeline';
import { MetricsCards } from '../shared/MetricsCards';
import { useEngineSetup } from '../shared/useEngineSetup';
import '../shared/panels.css';
import './latency.css';

export default function LatencyPanel() {
  useEngineSetup();
  const steps = useRunStore((s) => s.steps);
  const status = useRunStore((s) => s.status);
  const adapter = useRunStore((s) => s.adapter);
  const backend = useRunStore((s) => s.backend);
  // With graph capture the embedding is a copy on the GPU, not an onnxruntime-web call.
  const graphCapture = useRunStore((s) => s.graphCapture);
  const densePath = useRunStore((s) => s.densePath);
  const ranWith = useRunStore((s) => s.ranWith);
  const done = useRunStore((s) => s.done);
  const pathRuns = usePathRunStore((s) => s.runs);
  // Our WGSL path records a whole token in one submission: its time has no ORT / MoE split.
  const oneSubmit = backend !== null && pathOf(backend, densePath) === 'webgpu-wgsl';
  const timings = useMemo(() => stepTimings(steps), [steps]);
  const kernels = useMemo(() => kernelTotals(timings), [timings]);
  // Counted submissions of a decode step (the median), where the engine counted them.
  const decodeSubmits = useMemo(() => {
    const counts = steps
      .filter((st) => st.phase === 'decode' && typeof st.gpuSubmits === 'number')
      .map((st) => st.gpuSubmits!);
    return counts.length ? counts.sort((a, b) => a - b)[Math.floor(counts.length / 2)]! : null;
  }, [steps]);
  const sum = (f: (t: (typeof timings)[number]) => number) => timings.reduce((a, t) => a + f(t), 0);

  const run = () => void generateNow();
  return (
    <div className="model-panel">
      <dl className="definitions">
        <dt>TTFT</dt>
        <dd>
          time from the request to the first generated token (the prefill of the whole prompt, then
          one sampling)
        </dd>
        <dt>ITL</dt>
        <dd>inter-token latency = (E2E − TTFT) / (output tokens − 1): one decode step per token</dd>
        <dt>Throughput</dt>
        <dd>
          output tokens / s over all concurrent requests; total tokens / s also counts the prompt
        </dd>
      </dl>
      <div>
        <button
          type="button"
          className="primary"
          onClick={run}
          disabled={status !== 'ready'}
          data-testid="latency-run"
        >
          Run the prompt again
        </button>{' '}
        {backend === 'webgpu' && /swiftshader/i.test(adapter ?? '') && (
          <span className="muted">
            This GPU is SwiftShader (software): times show the structure of a run, not a real GPU's
            speed.
          </span>
        )}
      </div>
      <div className="path-controls">
        <SettingControl setting="engineBackend" testId="latency-backend-select" />
        <SettingControl setting="densePath" testId="latency-dense-path-select" />
        <BackendVerdict testId="latency-backend-verdict" />
      </div>
      <RunFreshness />
      <MetricsCards />
      {ranWith && backend && (
        <PathComparison
          runs={pathRuns}
          comparisonKey={comparisonKey(ranWith)}
          backend={backend}
          densePath={densePath}
        />
      )}
      {timings.length > 0 && (
        <DispatchFloor
          steps={steps}
          itlMs={done?.metrics?.meanItlMs ?? null}
          onGpu={backend === 'webgpu'}
          adapter={adapter}
          ready={status === 'ready' || status === 'running'}
        />
      )}
      {timings.length === 0 ? (
        <NeedsRun draws="the time of every step" />
      ) : (
        <>
          <LineChart
            title="Wall time of each step"
            testId="step-chart"
            xLabel="step (0 = prefill)"
            xInteger
            yLabel="ms"
            series={[
              {
                name: oneSubmit ? 'whole step (its work in one GPU submission)' : 'whole step',
                color: WORK_COLORS.step,
                points: timings.map((t) => ({
                  x: t.step,
                  y: t.stepMs,
                  label: `${t.phase}, ${t.tokens} tokens`,
                })),
              },
              ...(oneSubmit
                ? []
                : [
                    {
                      name: 'onnxruntime-web',
                      color: WORK_COLORS.dense,
                      points: timings.map((t) => ({ x: t.step, y: t.ortMs })),
                    },
                    {
                      name: 'MoE layers',
                      color: WORK_COLORS.moe,
                      points: timings.map((t) => ({ x: t.step, y: t.moeMs })),
                    },
                  ]),
            ]}
          />
          {oneSubmit ? (
            <p className="muted" data-testid="one-submit-note">
              Our WGSL path records each step's work — embedding, attention, the MoE layers, the LM
              head and sampling — into one GPU submission, so the step has no onnxruntime-web / MoE
              split to draw.
              {decodeSubmits !== null && decodeSubmits > 1
                ? ` Yet this run's decode steps made ${decodeSubmits} submissions each (counted on this device).`
                : ''}{' '}
              Each step's time runs from recording it to its token ids on the CPU:{' '}
              {sum((t) => t.stepMs).toFixed(1)} ms over {timings.length} steps.
            </p>
          ) : (
            <StackedBar
              title="Where the run's time went"
              testId="time-split"
              unit="ms"
              parts={[
                {
                  name: graphCapture
                    ? 'onnxruntime-web (attention, LM head; decode replays captured graphs)'
                    : 'onnxruntime-web (embedding, attention, LM head)',
                  value: sum((t) => t.ortMs),
                  color: WORK_COLORS.dense,
                },
                {
                  name: 'MoE layers (our kernels)',
                  value: sum((t) => t.moeMs),
                  color: WORK_COLORS.moe,
                },
                {
                  name: 'sampling, copies, messages',
                  value: sum((t) => t.otherMs),
                  color: WORK_COLORS.host,
                },
              ]}
            />
          )}
          {kernels.length > 0 && (
            <table className="numbers" data-testid="kernel-times">
              <caption>GPU time per MoE kernel over the run (timestamp-query)</caption>
              <thead>
                <tr>
                  <th scope="col">kernel</th>
                  <th scope="col">GPU ms</th>
                </tr>
              </thead>
              <tbody>
                {kernels.map(([name, ms]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{ms.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
