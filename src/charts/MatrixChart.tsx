// A heatmap of rows × columns, drawn in rem units, with a colour-blind-safe sequential scale
// (cividis) and the value written in the cell when it fits. The whole matrix is one tab stop;
// arrow keys move a cursor cell (roving focus), so large matrices stay keyboard reachable.
// Hover and the cursor report the cell to the parent, which links other views to it.
import { interpolateCividis, scaleSequential } from 'd3';
import { useState, type KeyboardEvent } from 'react';
import { ChartFrame } from './ChartFrame';
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
  format = (v) => `${+v.toPrecision(3)}`,
  showValues = false,
  highlightRow = null,
  highlightCol = null,
  onActive,
  cellRem = 2.4,
  testId,
}: Props) {
  const rem = useRem();
  const [cursor, setCursor] = useState<Cell | null>(null);
  const cw = cellRem * rem;
  const ch = 1.7 * rem;
  const labelW = Math.max(3, ...rowLabels.map((l) => l.length * 0.62 + 1)) * rem;
  const top = 2.6 * rem;
  // Wide enough for the colour legend under a narrow matrix.
  const width = Math.max(labelW + colLabels.length * cw, labelW + 17 * rem) + 0.5 * rem;
  const legendY = top + rowLabels.length * ch + 0.8 * rem;
  const legendW = 10 * rem;
  const height = legendY + 2.6 * rem;
  const gradientId = `viz-grad-${(testId ?? title).replace(/[^a-zA-Z0-9-]/g, '')}`;
  const max = Math.max(1e-12, ...values.flat());
  const color = scaleSequential(interpolateCividis).domain([0, max]);
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
      <svg
        width={width}
        height={height}
        className="viz-svg viz-matrix"
        tabIndex={0}
        role="group"
        aria-roledescription="grid"
        aria-label={`${title}: ${rowLabels.length} ${rowTitle} by ${colLabels.length} ${colTitle}; arrow keys move between cells`}
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
          <text x={labelW + legendW} y={legendY + 1.9 * rem} textAnchor="end" className="viz-tick">
            {format(max)}
          </text>
          <text x={labelW + legendW + 0.6 * rem} y={legendY + 0.7 * rem} className="viz-tick">
            {valueName}
          </text>
        </g>
        {colLabels.map((l, c) => (
          <text
            key={c}
            x={labelW + c * cw + cw / 2}
            y={top - 0.6 * rem}
            textAnchor="middle"
            className={`viz-tick ${c === highlightCol ? 'viz-strong' : ''}`}
          >
            {l}
          </text>
        ))}
        {rowLabels.map((l, r) => (
          <text
            key={r}
            x={labelW - 0.4 * rem}
            y={top + r * ch + ch / 2}
            dy="0.35em"
            textAnchor="end"
            className={`viz-tick ${r === highlightRow ? 'viz-strong' : ''}`}
          >
            {l}
          </text>
        ))}
        {values.map((row, r) =>
          row.map((v, c) => {
            const fill = color(v);
            return (
              <g
                key={`${r}-${c}`}
                data-testid={testId ? `${testId}-cell` : undefined}
                data-row={r}
                data-col={c}
                data-value={v}
                onMouseEnter={() => move({ row: r, col: c })}
              >
                <rect
                  x={labelW + c * cw}
                  y={top + r * ch}
                  width={cw - 1}
                  height={ch - 1}
                  fill={fill}
                />
                {showValues && (
                  <text
                    x={labelW + c * cw + cw / 2}
                    y={top + r * ch + ch / 2}
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
        {highlightRow !== null && highlightRow < rowLabels.length && (
          <rect
            x={labelW}
            y={top + highlightRow * ch}
            width={colLabels.length * cw}
            height={ch}
            className="viz-highlight"
          />
        )}
        {highlightCol !== null && highlightCol < colLabels.length && (
          <rect
            x={labelW + highlightCol * cw}
            y={top}
            width={cw}
            height={rowLabels.length * ch}
            className="viz-highlight"
          />
        )}
        {a && (
          <rect
            x={labelW + a.col * cw}
            y={top + a.row * ch}
            width={cw - 1}
            height={ch - 1}
            className="viz-cursor"
          />
        )}
      </svg>
    </ChartFrame>
  );
}
