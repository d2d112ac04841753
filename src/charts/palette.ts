import { interpolateYlGnBu } from 'd3';

// Okabe–Ito: eight colours that stay distinct for the common forms of colour blindness.
// Series also differ by marker shape, so nothing depends on colour alone.
export const OKABE_ITO = [
  '#0072B2', // blue
  '#D55E00', // vermillion
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#E69F00', // orange
  '#56B4E9', // sky blue
  '#F0E442', // yellow (poor on white: used last)
  '#000000',
] as const;

/**
 * One colour per kind of work, the same in every chart of the lab (the Latency view's step chart
 * and time split, the virtual GPUs' timelines): a series keeps its colour from chart to chart.
 */
export const WORK_COLORS = {
  /** A whole step or request. */
  step: OKABE_ITO[7],
  /** The MoE layers: experts, grouped GEMM. */
  moe: OKABE_ITO[0],
  /** The dense parts on onnxruntime-web: embeddings, attention, LM head (dark enough for a line). */
  dense: '#80868b',
  /** Router, pack and sum around the experts. */
  router: OKABE_ITO[3],
  /** All-to-all dispatch and combine. */
  allToAll: OKABE_ITO[1],
  shared: OKABE_ITO[2],
  /** All-reduce, all-gather, pipeline sends. */
  collective: OKABE_ITO[4],
  attentionCollective: OKABE_ITO[5],
  /** Sampling, copies and messages on the host. */
  host: OKABE_ITO[6],
} as const;

export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;
export type Marker = (typeof MARKERS)[number];

export function seriesColor(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

export function seriesMarker(i: number): Marker {
  return MARKERS[i % MARKERS.length]!;
}

/**
 * Experts: Paul Tol's "muted" scheme, nine colours that stay apart for protan, deutan and tritan
 * vision (palette.test.ts simulates each), so the default eight experts never share one; past
 * nine the colours repeat and the label says which expert it is.
 */
export const EXPERT_COLORS = [
  '#CC6677', // rose
  '#332288', // indigo
  '#DDCC77', // sand
  '#117733', // green
  '#88CCEE', // cyan
  '#882255', // wine
  '#44AA99', // teal
  '#999933', // olive
  '#AA4499', // purple
] as const;

export function expertColor(e: number): string {
  const n = EXPERT_COLORS.length;
  return EXPERT_COLORS[((Math.floor(e) % n) + n) % n]!;
}

/**
 * Heatmaps: ColorBrewer's yellow-green-blue, light (low) to dark (high). Its lightness falls
 * steadily and it keeps a hue all the way, so no middle grey reads as "no data", and it stays
 * ordered for colour-blind eyes (palette.test.ts checks both). The pale end is lifted a little
 * off the page's white, so a zero is still a drawn cell.
 */
export const HEAT_FLOOR = 0.08;

/** The heatmap colour of `t` in [0, 1] (0 = lowest, 1 = highest); out-of-range values clamp. */
export function heatColor(t: number): string {
  const c = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  return interpolateYlGnBu(HEAT_FLOOR + (1 - HEAT_FLOOR) * c);
}
