// A heatmap of rows × columns, drawn in rem units, with a colour-blind-safe sequential scale
// (palette.ts heatColor: light to dark, no grey that reads as "no data") and the value written in
// the cell when it fits. Cells the caller marks (the router's chosen top-k) are outlined. Columns
// that do not fit the width wrap into bands stacked under each other, so a long token sequence
// stays on screen. The whole matrix is one tab stop; arrow keys move a cursor cell (roving
// focus), so large matrices stay keyboard reachable. Hover and the cursor report the cell to the
// parent, which links other views to it.
import { useState, type KeyboardEvent } from 'react';
import { ChartFrame } from './ChartFrame';
import { formatNumber } from './format';
import { bandOf, matrixBands } from './matrixLayout';
import { heatColor } from './palette';
import { useElementWidth } from './useElementWidth';
import { useRem } from './useRem';

export type Cell = { row: number; col: number };

type Props = {
  title: string;
  rowLabels: string[];
  colLabels: string[];
  values: number[][];
  rowTitle: string;
  colTitle: string;
  valueName: string;
  format?: (v: number) => string;
  /** Write values in the cells (small matrices). */
  showValues?: boolean;
  /** Linked highlight from another view. */
  highlightRow?: number | null;
  highlightCol?: number | null;
  onActive?: (cell: Cell | null) => void;
  /** Cell width in rem. */
  cellRem?: number;
  /** Cells to outline (the router's chosen experts), and what the outline means in the legend. */
  isMarked?: (row: number, col: number) => boolean;
  markedName?: string;
  /** Wrap columns that do not fit the width into bands (default); false: one line that scrolls. */
  wrap?: boolean;
  testId?: string;
};

/** Black or white text, whichever reads better on the cell colour. */
function textOn(color: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(color);
  if (!m) return '#000';
  const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#000' : '#fff';
}

export function MatrixChart({
  title,
  rowLabels,
  colLabels,
  values,
  rowTitle,
  colTitle,
  valueName,
  format = formatNumber,
  showValues = false,
  highlightRow = null,
  highlightCol = null,
  onActive,
  cellRem = 2.4,
  isMarked,
  markedName = 'chosen',
  wrap = true,
  testId,
}: Props) {
  const rem = useRem();
  const [box, boxWidth] = useElementWidth<HTMLDivElement>();
  const [cursor, setCursor] = useState<Cell | null>(null);
  const cw = cellRem * rem;
  const ch = 1.7 * rem;
  const labelW = Math.max(3, ...rowLabels.map((l) => l.length * 0.62 + 1)) * rem;
  const top = 2.6 * rem;
  const R = rowLabels.length;
  const { perBand, bands } = wrap
    ? matrixBands(colLabels.length, cw, labelW + 0.5 * rem, boxWidth)
    : { perBand: colLabels.length, bands: 1 };
  const bandH = top + R * ch + 0.6 * rem;
  const place = (c: number) => bandOf(c, perBand);
  const cellX = (c: number) => labelW + place(c).at * cw;
  const cellY = (r: number, c: number) => place(c).band * bandH + top + r * ch;
  // Wide enough for the colour legend under a narrow matrix.
  const legendText = isMarked ? 12.6 + markedName.length * 0.55 : 17;
  const width = Math.max(labelW + perBand * cw, labelW + legendText * rem) + 0.5 * rem;
  const legendY = bands * bandH + 0.2 * rem;
  const legendW = 10 * rem;
  const height = legendY + 2.6 * rem;
  const gradientId = `viz-grad-${(testId ?? title).replace(/[^a-zA-Z0-9-]/g, '')}`;
  const max = Math.max(1e-12, ...values.flat());
  const color = (v: number) => heatColor(v / max);
  const bandList = Array.from({ length: bands }, (_, b) => b);
  const colsIn = (b: number) => Math.min(perBand, colLabels.length - b * perBand);
  const move = (cell: Cell | null) => {
    setCursor(cell);
    onActive?.(cell);
  };
  const onKey = (ev: KeyboardEvent) => {
    const c = cursor ?? { row: 0, col: 0 };
    const d: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const step = d[ev.key];
    if (!step) return;
    ev.preventDefault();
    move({
      row: Math.min(rowLabels.length - 1, Math.max(0, c.row + step[0])),
      col: Math.min(colLabels.length - 1, Math.max(0, c.col + step[1])),
    });
  };
  const a = cursor && values[cursor.row]?.[cursor.col] !== undefined ? cursor : null;
  return (
    <ChartFrame
      title={title}
      testId={testId}
      data={() => ({
        header: [`${rowTitle} \\ ${colTitle}`, ...colLabels],
        rows: values.map((r, i) => [rowLabels[i]!, ...r]),
      })}
      detail={
        a ? (
          <strong>{`${rowTitle} ${rowLabels[a.row]}, ${colTitle} ${colLabels[a.col]}: ${valueName} ${format(values[a.row]![a.col]!)}`}</strong>
        ) : undefined
      }
    >
      <div ref={box} className="viz-measure">
        <svg
          width={width}
          height={height}
          className="viz-svg viz-matrix"
          data-bands={bands}
          tabIndex={0}
          role="group"
          aria-roledescription="grid"
          aria-label={`${title}: ${rowLabels.length} ${rowTitle} by ${colLabels.length} ${colTitle}${isMarked ? `; outlined cells: ${markedName}` : ''}; arrow keys move between cells`}
          onKeyDown={onKey}
          onFocus={() => cursor === null && move({ row: 0, col: 0 })}
          onMouseLeave={() => move(null)}
        >
          <defs>
            <linearGradient id={gradientId}>
              {[0, 0.25, 0.5, 0.75, 1].map((f) => (
                <stop key={f} offset={f} stopColor={color(f * max)} />
              ))}
            </linearGradient>
          </defs>
          <g aria-hidden="true">
            <rect
              x={labelW}
              y={legendY}
              width={legendW}
              height={0.8 * rem}
              fill={`url(#${gradientId})`}
            />
            <text x={labelW} y={legendY + 1.9 * rem} className="viz-tick">
              0
            </text>
            <text
              x={labelW + legendW}
              y={legendY + 1.9 * rem}
              textAnchor="end"
              className="viz-tick"
            >
              {format(max)}
            </text>
            <text x={labelW + legendW + 0.6 * rem} y={legendY + 0.7 * rem} className="viz-tick">
              {valueName}
            </text>
            {isMarked && (
              <g>
                <rect
                  x={labelW + legendW + 0.6 * rem}
                  y={legendY + 1.15 * rem}
                  width={1.1 * rem}
                  height={0.9 * rem}
                  fill={color(0)}
                  className="viz-marked"
                />
                <text x={labelW + legendW + 2 * rem} y={legendY + 1.9 * rem} className="viz-tick">
                  {markedName}
                </text>
              </g>
            )}
          </g>
          {colLabels.map((l, c) => (
            <text
              key={c}
              x={cellX(c) + cw / 2}
              y={place(c).band * bandH + top - 0.6 * rem}
              textAnchor="middle"
              className={`viz-tick ${c === highlightCol ? 'viz-strong' : ''}`}
            >
              {l}
            </text>
          ))}
          {bandList.map((b) =>
            rowLabels.map((l, r) => (
              <text
                key={`${b}-${r}`}
                x={labelW - 0.4 * rem}
                y={b * bandH + top + r * ch + ch / 2}
                dy="0.35em"
                textAnchor="end"
                className={`viz-tick ${r === highlightRow ? 'viz-strong' : ''}`}
              >
                {l}
              </text>
            )),
          )}
          {values.map((row, r) =>
            row.map((v, c) => {
              const fill = color(v);
              const marked = isMarked?.(r, c) ?? false;
              const cx = cellX(c);
              const cy = cellY(r, c);
              return (
                <g
                  key={`${r}-${c}`}
                  data-testid={testId ? `${testId}-cell` : undefined}
                  data-row={r}
                  data-col={c}
                  data-value={v}
                  data-marked={isMarked ? marked : undefined}
                  onMouseEnter={() => move({ row: r, col: c })}
                >
                  <rect x={cx} y={cy} width={cw - 1} height={ch - 1} fill={fill} />
                  {marked && (
                    <>
                      <rect
                        x={cx + 1.5}
                        y={cy + 1.5}
                        width={cw - 4}
                        height={ch - 4}
                        className="viz-marked"
                      />
                      <rect
                        x={cx + 3.5}
                        y={cy + 3.5}
                        width={cw - 8}
                        height={ch - 8}
                        className="viz-marked-inner"
                      />
                    </>
                  )}
                  {showValues && (
                    <text
                      x={cx + cw / 2}
                      y={cy + ch / 2}
                      dy="0.35em"
                      textAnchor="middle"
                      className="viz-cell-text"
                      style={{ fill: textOn(fill) }}
                    >
                      {format(v)}
                    </text>
                  )}
                </g>
              );
            }),
          )}
          {highlightRow !== null &&
            highlightRow < rowLabels.length &&
            bandList.map((b) => (
              <rect
                key={b}
                x={labelW}
                y={b * bandH + top + highlightRow * ch}
                width={colsIn(b) * cw}
                height={ch}
                className="viz-highlight"
              />
            ))}
          {highlightCol !== null && highlightCol < colLabels.length && (
            <rect
              x={cellX(highlightCol)}
              y={cellY(0, highlightCol)}
              width={cw}
              height={rowLabels.length * ch}
              className="viz-highlight"
            />
          )}
          {a && (
            <rect
              x={cellX(a.col)}
              y={cellY(a.row, a.col)}
              width={cw - 1}
              height={ch - 1}
              className="viz-cursor"
            />
          )}
        </svg>
      </div>
    </ChartFrame>
  );
}
