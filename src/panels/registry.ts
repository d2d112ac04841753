// Every view of the lab: its URL id, its title, the question it answers, and its component,
// loaded on demand so the first paint stays small.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PanelId } from '../state/panelIds';

export type PanelEntry = {
  id: PanelId;
  title: string;
  question: string;
  Component: LazyExoticComponent<ComponentType>;
};

export const PANELS: readonly PanelEntry[] = [
  {
    id: 'lesson',
    title: 'Lesson',
    question: 'A guided tour of MoE inference, one live step at a time.',
    Component: lazy(() => import('./lesson/LessonPanel')),
  },
  {
    id: 'model',
    title: 'Model & generation',
    question: 'What does a small trained MoE model write, and how fast?',
    Component: lazy(() => import('./model/ModelPanel')),
  },
  {
    id: 'gating',
    title: 'Gating',
    question: 'How does the router pick k experts for a token?',
    Component: lazy(() => import('./gating/GatingPanel')),
  },
  {
    id: 'heatmap',
    title: 'Routing heatmap',
    question: 'Which tokens go to which experts, and is the load balanced?',
    Component: lazy(() => import('./heatmap/HeatmapPanel')),
  },
  {
    id: 'permutation',
    title: 'Permutation',
    question: 'How are tokens grouped by expert: count, prefix sum, padding, scatter?',
    Component: lazy(() => import('./permutation/PermutationPanel')),
  },
  {
    id: 'parallelism',
    title: 'Parallelism',
    question: 'How do TP, EP, DP and PP cut the same layer across GPUs?',
    Component: lazy(() => import('./parallelism/ParallelismPanel')),
  },
  {
    id: 'latency',
    title: 'Latency',
    question: 'What are TTFT, inter-token latency and throughput on this run?',
    Component: lazy(() => import('./latency/LatencyPanel')),
  },
  {
    id: 'performance',
    title: 'Performance',
    question: 'How fast are the MoE kernels on this GPU, against its own limits?',
    Component: lazy(() => import('./performance/PerformancePanel')),
  },
  {
    id: 'simulator',
    title: 'Cluster simulator',
    question: 'How would a real MoE model serve on a real GPU cluster?',
    Component: lazy(() => import('./simulator/SimulatorPanel')),
  },
  {
    id: 'device',
    title: 'Device',
    question: 'Which GPU and backend is the lab running on, and does it compute correctly?',
    Component: lazy(() => import('./device/DevicePanel')),
  },
];

export function panelById(id: PanelId): PanelEntry {
  return PANELS.find((p) => p.id === id) ?? PANELS[0]!;
}
