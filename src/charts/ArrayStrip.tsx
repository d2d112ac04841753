// One buffer drawn as a row of cells, index above and value inside, as a lecture draws arrays
// (counts, offsets, indptr). Cells can be tinted (by expert) and highlighted; each carries its
// value in data-value so tests can read what is drawn. Long arrays wrap onto more lines.
import { useState, type KeyboardEvent } from 'react';
import { ChartFrame } from './ChartFrame';
import { useRem } from './useRem';

export type StripCell = {
  text: string;
  value: number;
  tint?: string;
  /** Empty cell (padding): dashed, no tint. */
  empty?: boolean;
  detail?: string;
};

type Props = {
  title: string;
  cells: StripCell[];
  /** Label of the index row, e.g. "expert" or "slot". */
  indexName: string;
  highlight?: ReadonlySet<number>;
  /** Cells per line before wrapping. */
  perLine?: number;
  /** Width of a cell in rem. */
  cellRem?: number;
  testId?: string;
  /** Draw a thicker gap every `groupEvery` cells (block boundaries). */
  groupEvery?: number;
};

export function ArrayStrip({
  title,
  cells,
  indexName,
  highlight,
  perLine = 32,
  cellRem = 2.4,
  testId,
  groupEvery,
}: Props) {
  const rem = useRem();
  const [active, setActive] = useState<number | null>(null);
  const cw = cellRem * rem;
  const ch = 1.8 * rem;
  const idxH = 1.1 * rem;
  const lineH = idxH + ch + 0.4 * rem;
  const cols = Math.max(1, Math.min(perLine, cells.length));
  const lines = Math.max(1, Math.ceil(cells.length / cols));
  const width = cols * cw + 2;
  const height = lines * lineH;
  const a = active === null ? null : cells[active];
  const smallIndex = cellRem < 2;
  // One tab stop per strip (a sorted_ids buffer has hundreds of cells): arrows move a cursor.
  const onKey = (ev: KeyboardEvent) => {
    const d: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -cols,
      ArrowDown: cols,
    };
    const step = d[ev.key];
    if (step === undefined) return;
    ev.preventDefault();
    setActive(Math.min(cells.length - 1, Math.max(0, (active ?? 0) + step)));
  };
  return (
    <ChartFrame
      title={title}
      testId={testId}
      data={() => ({
        header: [indexName, 'value'],
        rows: cells.map((c, i) => [i, c.empty ? '' : c.value]),
      })}
      detail={
        a && active !== null ? (
          <strong>{`${indexName} ${active}: ${a.detail ?? a.text}`}</strong>
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
        aria-label={`${title}: ${cells.length} cells; arrow keys move between them`}
        onKeyDown={onKey}
        onFocus={() => active === null && setActive(0)}
        onBlur={() => setActive(null)}
        onMouseLeave={() => setActive(null)}
      >
        {cells.map((c, i) => {
          const col = i % cols;
          const line = Math.floor(i / cols);
          const x = col * cw + 1;
          const y = line * lineH + idxH;
          const lit = highlight?.has(i) ?? false;
          // A new group (block) starting mid-line gets a thick vertical bar; one starting a
          // line gets a thick rule above that line.
          const starts = groupEvery !== undefined && i % groupEvery === 0 && i > 0;
          const boundary = starts && col !== 0;
          const rule = starts && col === 0;
          return (
            <g
              key={i}
              className="viz-mark"
              data-testid={testId ? `${testId}-cell` : undefined}
              data-index={i}
              data-value={c.empty ? '' : c.value}
              data-empty={c.empty ? 'true' : 'false'}
              onMouseEnter={() => setActive(i)}
            >
              {(!smallIndex || col % 4 === 0) && (
                <text x={x + cw / 2} y={y - 0.25 * rem} textAnchor="middle" className="viz-index">
                  {i}
                </text>
              )}
              <rect
                x={x + 1}
                y={y}
                width={cw - 2}
                height={ch}
                className={c.empty ? 'viz-empty' : 'viz-cell'}
                style={c.tint && !c.empty ? { fill: c.tint, fillOpacity: 0.45 } : undefined}
              />
              {boundary && (
                <line
                  x1={x}
                  x2={x}
                  y1={y - 0.2 * rem}
                  y2={y + ch + 0.2 * rem}
                  className="viz-boundary"
                />
              )}
              {rule && (
                <line
                  x1={1}
                  x2={width - 1}
                  y1={y - idxH + 0.1 * rem}
                  y2={y - idxH + 0.1 * rem}
                  className="viz-boundary"
                />
              )}
              {active === i && (
                <rect x={x + 1} y={y} width={cw - 2} height={ch} className="viz-cursor" />
              )}
              {lit && (
                <rect x={x + 2} y={y + 1} width={cw - 4} height={ch - 2} className="viz-lit" />
              )}
              <text
                x={x + cw / 2}
                y={y + ch / 2}
                dy="0.35em"
                textAnchor="middle"
                className="viz-cell-label"
              >
                {c.text}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}
