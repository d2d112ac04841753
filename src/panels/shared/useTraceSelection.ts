// The step and layer a trace view looks at: the URL's choice, clamped to what the last run has.
import { useRunStore } from '../../engine/runStore';
import type { MoeLayerTrace, StepTrace } from '../../engine/trace';
import { useLabStore } from '../../state/labStore';

export type TraceSelection = {
  steps: StepTrace[];
  stepIndex: number;
  layerIndex: number;
  layer: MoeLayerTrace | null;
};

export function useTraceSelection(): TraceSelection {
  const steps = useRunStore((s) => s.steps);
  const wantStep = useLabStore((s) => s.settings.vizStep);
  const wantLayer = useLabStore((s) => s.settings.vizLayer);
  const stepIndex = Math.min(wantStep, Math.max(0, steps.length - 1));
  const layers = steps[stepIndex]?.layers ?? [];
  const layerIndex = Math.min(wantLayer, Math.max(0, layers.length - 1));
  return { steps, stepIndex, layerIndex, layer: layers[layerIndex] ?? null };
}
