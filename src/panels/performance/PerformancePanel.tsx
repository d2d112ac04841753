// The benchmarks of `npm run bench`, run in this browser on this GPU by the engine (in its
// worker, on the lab's one device), with the same tables and charts, so a class can compare laptops.
import { useEngineGpu } from '../../engine/useEngineGpu';
import { siteUrl } from '../../loading/siteUrl';
import { runtimeLabel } from '../../bench/runtimeLabel';
import { useLabStore } from '../../state/labStore';
import { BenchCompare } from './BenchCompare';
import { BenchControls } from './BenchControls';
import { BenchReportView } from './BenchReportView';
import { cancelBench, startBench, useBenchStore } from './benchStore';
import './performance.css';

export default function PerformancePanel() {
  const gpu = useEngineGpu();
  const { status, progress, report, error } = useBenchStore();
  const running = status === 'running';
  const gpuKnown = !gpu.isPending;
  const noGpuReason =
    gpu.data?.kind === 'unavailable' ? gpu.data.reason : gpu.isError ? String(gpu.error) : null;
  const run = () => {
    const { benchKind, benchSize, benchShape, model } = useLabStore.getState().settings;
    void startBench({
      kind: benchKind,
      size: benchSize,
      packUrl: siteUrl(`models/${model}/`),
      ortWasmBase: siteUrl('ort/'),
      runtime: runtimeLabel(navigator.userAgent),
      ...(benchKind === 'layer' && benchShape !== 'all' ? { shapes: [benchShape] } : {}),
    });
  };
  return (
    <div className="performance-panel">
      <p>
        The benchmarks of <code>npm run bench</code>, run here in your browser on your own GPU — by
        the lab&apos;s engine in its background worker, so the page stays usable (a run you start
        meanwhile waits for the benchmark to end). Times are GPU timestamps where the browser offers
        them, wall-clock otherwise.
      </p>
      {noGpuReason && (
        <p className="bench-nogpu" data-testid="bench-no-webgpu">
          No WebGPU here: {noGpuReason} The MoE layer and align & sort benchmarks need it; the
          whole-model benchmark still runs, on the CPU (wasm), and says which paths it left out.
        </p>
      )}
      <BenchControls
        running={running}
        hasGpu={gpuKnown && !noGpuReason}
        onRun={run}
        onCancel={cancelBench}
      />
      {running && progress && (
        <div
          className="bench-progress"
          role="status"
          aria-live="polite"
          data-testid="bench-progress"
        >
          <progress max={1} value={progress.fraction} /> {progress.message}
        </div>
      )}
      {status === 'cancelled' && (
        <p role="status" data-testid="bench-cancelled">
          Cancelled.{report ? ' The last finished result is still below.' : ''}
        </p>
      )}
      {status === 'error' && error && (
        <p role="alert" className="bad" data-testid="bench-error">
          The benchmark stopped: {error}
          {report ? ' The last finished result is still below.' : ''}
        </p>
      )}
      {report ? (
        <BenchReportView report={report} />
      ) : (
        !running && <p className="bench-empty">No result yet: choose a benchmark and run it.</p>
      )}
      <BenchCompare here={report} />
    </div>
  );
}
