// Step and layer pickers shared by the trace views; choices live in the URL (vizStep, vizLayer).
import { RunFreshness } from './RunFreshness';
import { SettingControl } from './SettingControl';
import type { TraceSelection } from './useTraceSelection';

export function TracePickers({
  sel,
  showStep = true,
}: {
  sel: TraceSelection;
  showStep?: boolean;
}) {
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
          <SettingControl
            setting="vizStep"
            testId="pick-step"
            max={sel.steps.length - 1}
            choices={sel.steps.map(
              (s, i) => [i, `${i} · ${s.phase} (T = ${s.layers[0]?.T ?? 0})`] as const,
            )}
          />
        )}
        <SettingControl
          setting="vizLayer"
          testId="pick-layer"
          max={layers.length - 1}
          choices={layers.map((l, i) => [i, String(l.layer)] as const)}
        />
      </div>
    </>
  );
}
