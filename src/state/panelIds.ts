// The lab's views, in navigation order. Pure data so the URL codec can validate a route
// without importing React.
export const PANEL_IDS = [
  'lesson',
  'model',
  'gating',
  'heatmap',
  'permutation',
  'parallelism',
  'latency',
  'performance',
  'simulator',
  'device',
] as const;

export type PanelId = (typeof PANEL_IDS)[number];
export const DEFAULT_PANEL: PanelId = 'model';

export function isPanelId(s: string): s is PanelId {
  return (PANEL_IDS as readonly string[]).includes(s);
}
