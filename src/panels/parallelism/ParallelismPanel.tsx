// Parallelism: the MoE layer cut over 1–8 virtual GPUs by TP, EP, DP-attention + EP, TP × EP or
// PP, executed for real on this device (each virtual GPU its own buffers and dispatches, every
// byte between them a counted copy), checked against the unsharded layer, and drawn: placement,
// memory, load, collectives against their formulas, and per-GPU timelines.
import { useMemo } from 'react';
import { NeedsRun } from '../shared/NeedsRun';
import { SettingControl } from '../shared/SettingControl';
import { hardwareNote, linkFor, linkNote } from '../../parallel/phaseCosts';
import { virtualTimelines } from '../../parallel/virtualTimeline';
import { useLabStore } from '../../state/labStore';
import { useEngineSetup } from '../shared/useEngineSetup';
import { SETTINGS_SCHEMA } from '../../state/settingsSchema';
import { optionText } from '../shared/settingControlSpec';
import { AMD_IMBALANCE, tpNoImbalance } from '../../viz/parallelismNotes';
import { ParallelismControls } from './ParallelismControls';
import { CommTable, LoadChart, MemoryBars, PlacementGrid, RunProgressNote } from './RunViews';
import { TimelineChart, TimelineLegend } from './TimelineChart';
import { useVirtualRun } from './useVirtualRun';
import './parallelism.css';

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

export default function ParallelismPanel() {
  useEngineSetup();
  const settings = useLabStore((s) => s.settings);
  const { hasWebGpu, gpu, prefill, run, source, layer } = useVirtualRun();
  // All modelled by default (one H100 for compute, attention and links, so the collectives
  // show); this device's measured kernel times are the explicit other choice.
  const computeFrom = settings.parCompute;
  const report = run.data;
  const link = useMemo(() => linkFor(settings.interconnect), [settings.interconnect]);
  const timelines = useMemo(
    () => (report ? virtualTimelines(report, computeFrom, link) : null),
    [report, computeFrom, link],
  );

  return (
    <div className="par-panel">
      <p>
        Each virtual GPU gets its own buffers and its own dispatches on this device; data moves
        between them only by buffer copies, each counted. The sharded layer&apos;s output is checked
        against the same layer run whole.
      </p>
      <ParallelismControls hasRun={!!prefill} layers={prefill?.layers.length ?? 0} />
      {gpu.isPending && (
        <p role="status" className="muted" data-testid="par-probing">
          Looking for a WebGPU device for the virtual GPUs…
        </p>
      )}
      {!hasWebGpu && !gpu.isPending && (
        <div className="pending" role="status" data-testid="par-no-webgpu">
          <strong>The virtual GPUs execute on WebGPU, which this browser does not offer.</strong>{' '}
          {gpu.data?.kind === 'unavailable' ? gpu.data.reason : ''} The cluster simulator shows the
          same strategies from the cost model alone.
        </div>
      )}
      {hasWebGpu && source === 'model' && !prefill && (
        <NeedsRun draws="the sharded layer on the run's own tokens" />
      )}
      {run.isError && (
        <p role="alert" className="error-box" data-testid="par-error">
          {run.error instanceof Error ? run.error.message : String(run.error)}
        </p>
      )}
      {run.isFetching && (
        <RunProgressNote
          gpus={Number(settings.gpus)}
          strategy={settings.strategy}
          source={source}
          layer={layer}
          showingPrevious={!!report}
        />
      )}
      {report && timelines && (
        <div
          className={run.isPlaceholderData ? 'par-stale' : ''}
          data-testid="par-report"
          data-strategy={report.spec.strategy}
          data-gpus={report.spec.gpus}
          aria-busy={run.isFetching}
        >
          <p className="par-summary" data-testid="par-summary">
            <strong>{optionText(SETTINGS_SCHEMA.strategy, report.spec.strategy)}</strong> on{' '}
            {report.spec.gpus} GPU
            {report.spec.gpus > 1 ? 's' : ''}
            {report.spec.strategy === 'tp-ep'
              ? ` (${report.layout!.ep} groups × ${report.layout!.tp})`
              : ''}
            ,{' '}
            {source === 'model'
              ? `layer ${layer} of the trained model on the last run's ${report.T} prompt tokens`
              : `a random layer, ${report.T} tokens`}
            , top-{report.k}. Output vs. the unsharded layer: max relative error{' '}
            <span data-testid="par-error-value" data-value={report.maxRelError}>
              {report.maxRelError.toExponential(1)}
            </span>{' '}
            {report.maxRelError < 1e-5 ? '✓ equal within f32 rounding' : '✗ differs'}.{' '}
            <span data-testid="par-loss">
              {pct(timelines.lossShare)} {timelines.lossLabel}
            </span>
            .
          </p>
          {report.spec.strategy === 'tp' ? (
            <p className="muted par-ref" data-testid="par-ref-imbalance">
              {tpNoImbalance(timelines.measured)}
            </p>
          ) : report.spec.strategy !== 'pp' ? (
            <p className="muted par-ref" data-testid="par-ref-imbalance">
              For comparison: <strong>{AMD_IMBALANCE.value}</strong> in {AMD_IMBALANCE.source} —{' '}
              {AMD_IMBALANCE.meaning}. {AMD_IMBALANCE.comparison}
            </p>
          ) : null}
          <div className="par-grid">
            <section aria-labelledby="par-place-h">
              <h3 id="par-place-h">Placement</h3>
              <PlacementGrid report={report} />
            </section>
            <section aria-labelledby="par-mem-h">
              <h3 id="par-mem-h">Memory per GPU (weights and KV cache, f32, whole model)</h3>
              <MemoryBars memory={report.memory} />
            </section>
          </div>
          <section aria-labelledby="par-comm-h">
            <h3 id="par-comm-h">Communication</h3>
            <CommTable report={report} />
          </section>
          <section aria-labelledby="par-time-h">
            <h3 id="par-time-h">Load and timeline per GPU</h3>
            <div className="par-controls">
              <SettingControl setting="parCompute" idPrefix="par" />
            </div>
            <p className="muted par-times-note" data-testid="par-compute-note">
              Times: {timelines.computeNote}. The H100: {hardwareNote()}. Links: {linkNote(link)}.
            </p>
            <LoadChart report={report} timeline={timelines.layer} />
            <TimelineLegend pipeline={report.spec.strategy === 'pp'} />
            <TimelineChart
              title={
                report.spec.strategy === 'pp'
                  ? 'One step through the pipeline (GPipe)'
                  : 'One layer'
              }
              timeline={timelines.layer}
              testId="par-timeline-layer"
            />
            {report.spec.strategy !== 'pp' && (
              <TimelineChart
                title={`One decode step (${report.dims.layers} layers like this one)`}
                timeline={timelines.step}
                testId="par-timeline-step"
              />
            )}
          </section>
        </div>
      )}
    </div>
  );
}
