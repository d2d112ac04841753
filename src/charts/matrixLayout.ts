// Where a heatmap's columns go when they do not fit the width on one line: the matrix is cut into
// bands of columns stacked under each other (like wrapped text), so a long token sequence — and
// the generated answer at its end — is always on screen, never behind a sideways scroll.

export type Bands = {
  /** Columns per band (the last band may have fewer). */
  perBand: number;
  bands: number;
};

/**
 * Bands for `cols` columns of `cellPx` each, beside `labelPx` of row labels, in `widthPx`.
 * An unmeasured width (0) or a matrix that fits gives one band; bands are balanced (58 columns
 * where 40 fit give 29 + 29, not 40 + 18), and a band holds at least `minPerBand` columns.
 */
export function matrixBands(
  cols: number,
  cellPx: number,
  labelPx: number,
  widthPx: number,
  minPerBand = 8,
): Bands {
  if (cols <= 0) return { perBand: 0, bands: 1 };
  const fit = Math.floor((widthPx - labelPx) / Math.max(1, cellPx));
  if (!(widthPx > 0) || fit >= cols) return { perBand: cols, bands: 1 };
  const most = Math.max(minPerBand, fit);
  const bands = Math.ceil(cols / most);
  return { perBand: Math.ceil(cols / bands), bands };
}

/** The band and the position in it of column `c`. */
export function bandOf(c: number, perBand: number): { band: number; at: number } {
  const p = Math.max(1, perBand);
  return { band: Math.floor(c / p), at: c % p };
}
