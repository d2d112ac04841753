// Step and layer pickers shared by the trace views; choices live in the URL (vizStep, vizLayer).
import { useLabStore } from '../../state/labStore';
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
    <div className="viz-pickers">
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
  );
}
