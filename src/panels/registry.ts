// Every view of the lab, in navigation order: its URL id, its title, the question it answers,
// and its component, loaded on demand so the first paint stays small. The one module of
// src/panels the shell imports (`eslint.config.js` enforces it).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { PANEL_IDS, type PanelId } from '../state/panelIds';
import { PANEL_INFO } from './shared/panelInfo';

export { PanelViewContext, type PanelView } from './shared/panelView';

export type PanelEntry = {
  id: PanelId;
  title: string;
  question: string;
  Component: LazyExoticComponent<ComponentType>;
};

const COMPONENTS: Record<PanelId, LazyExoticComponent<ComponentType>> = {
  layer: lazy(() => import('./layer/LayerPanel')),
  lesson: lazy(() => import('./lesson/LessonPanel')),
  model: lazy(() => import('./model/ModelPanel')),
  gating: lazy(() => import('./gating/GatingPanel')),
  heatmap: lazy(() => import('./heatmap/HeatmapPanel')),
  permutation: lazy(() => import('./permutation/PermutationPanel')),
  parallelism: lazy(() => import('./parallelism/ParallelismPanel')),
  latency: lazy(() => import('./latency/LatencyPanel')),
  performance: lazy(() => import('./performance/PerformancePanel')),
  simulator: lazy(() => import('./simulator/SimulatorPanel')),
  device: lazy(() => import('./device/DevicePanel')),
};

export const PANELS: readonly PanelEntry[] = PANEL_IDS.map((id) => ({
  id,
  ...PANEL_INFO[id],
  Component: COMPONENTS[id],
}));

export function panelById(id: PanelId): PanelEntry {
  return PANELS.find((p) => p.id === id) ?? PANELS[0]!;
}

/** The header's scenario menu; not needed for the first paint. */
export const ScenarioMenu = lazy(() => import('./lesson/PresetMenu'));
