// Step and layer pickers shared by the trace views; choices live in the URL (vizStep, vizLayer).
import { useLabStore } from '../../state/labStore';
import { RunFreshness } from './RunFreshness';
import type { TraceSelection } from './useTraceSelection';

export function TracePickers({
  sel,
  showStep = true,
}: {
  sel: TraceSelection;
  showStep?: boolean;
}) {
  const setSetting = useLabStore((s) => s.setSetting);
  const layers = sel.steps[sel.stepIndex]?.layers ?? [];
  return (
    <>
      <RunFreshness />
      <div
        className="viz-pickers"
        data-testid="trace-pickers"
        data-trace-k={layers[0]?.k ?? ''}
        data-trace-rows={sel.steps[0]?.layers[0]?.T ?? ''}
      >
        {showStep && (
          <label>
            Step{' '}
            <select
              value={sel.stepIndex}
              onChange={(e) => setSetting('vizStep', Number(e.target.value))}
              data-testid="pick-step"
            >
              {sel.steps.map((s, i) => (
                <option key={i} value={i}>
                  {i} · {s.phase} (T = {s.layers[0]?.T ?? 0})
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          MoE layer{' '}
          <select
            value={sel.layerIndex}
            onChange={(e) => setSetting('vizLayer', Number(e.target.value))}
            data-testid="pick-layer"
          >
            {layers.map((l, i) => (
              <option key={i} value={i}>
                {l.layer}
              </option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}
