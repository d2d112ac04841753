// What each view is called and the question it answers: plain data, so a panel can name another
// view (the lesson's live view does) without importing the registry, which imports every panel.
import type { PanelId } from '../../state/panelIds';

export type PanelInfo = { title: string; question: string };

export const PANEL_INFO: Record<PanelId, PanelInfo> = {
  layer: {
    title: 'The MoE layer',
    question: 'How does one token pass through a Mixture-of-Experts layer?',
  },
  lesson: {
    title: 'Lesson',
    question: 'A guided tour of MoE inference, one live step at a time.',
  },
  model: {
    title: 'Model & generation',
    question: 'What does a small trained MoE model write, and how fast?',
  },
  gating: {
    title: 'Gating',
    question: 'How does the router pick k experts for a token?',
  },
  heatmap: {
    title: 'Routing heatmap',
    question: 'Which tokens go to which experts, and is the load balanced?',
  },
  permutation: {
    title: 'Permutation',
    question: 'How are tokens grouped by expert: count, prefix sum, padding, scatter?',
  },
  parallelism: {
    title: 'Parallelism',
    question: 'How do TP, EP, DP and PP cut the same layer across GPUs?',
  },
  latency: {
    title: 'Latency',
    question: 'What are TTFT, inter-token latency and throughput on this run?',
  },
  performance: {
    title: 'Performance',
    question: 'How fast are the MoE kernels on this GPU, against its own limits?',
  },
  simulator: {
    title: 'Cluster simulator',
    question: 'How would a real MoE model serve on a real GPU cluster?',
  },
  device: {
    title: 'Device',
    question: 'Which GPU and backend is the lab running on, and does it compute correctly?',
  },
};
