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

export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;
export type Marker = (typeof MARKERS)[number];

export function seriesColor(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length]!;
}

export function seriesMarker(i: number): Marker {
  return MARKERS[i % MARKERS.length]!;
}

/** Colour of an expert: Okabe–Ito without black (text sits on it); the label says which. */
export function expertColor(e: number): string {
  return OKABE_ITO[e % 7]!;
}
