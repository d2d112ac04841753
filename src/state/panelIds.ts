// The lab's views, in navigation order. Pure data so the URL codec can validate a route
// without importing React.
export const PANEL_IDS = [
  'layer',
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
/** What the root URL opens: the picture of the MoE layer, drawn from a real run. */
export const DEFAULT_PANEL: PanelId = 'layer';

export function isPanelId(s: string): s is PanelId {
  return (PANEL_IDS as readonly string[]).includes(s);
}
