// A titled figure with PNG / SVG / CSV export buttons and a details line that says what the
// hovered or focused mark is (readable at any zoom, unlike a tooltip inside the SVG).
import { useRef, useState, type ReactNode } from 'react';
import { downloadCsv, downloadPng, downloadSvg, fileStem, toCsv } from './exportChart';
import './charts.css';

export type ChartData = { header: string[]; rows: (string | number)[][] };

type Props = {
  title: string;
  testId?: string;
  /** The chart's numbers, for the CSV export. */
  data: () => ChartData;
  /** What the hovered / focused mark is; a hint when nothing is. */
  detail?: ReactNode;
  children: ReactNode;
  className?: string;
};

export function ChartFrame({ title, testId, data, detail, children, className }: Props) {
  const body = useRef<HTMLDivElement>(null);
  // An export that cannot happen says why, next to the buttons, instead of doing nothing.
  const [exportError, setExportError] = useState<string | null>(null);
  const svg = () => body.current?.querySelector('svg') ?? null;
  const stem = fileStem(title);
  const exportSvg = async (format: 'PNG' | 'SVG') => {
    const s = svg();
    if (!s) {
      setExportError(`Nothing to export as ${format} yet: the chart is not drawn.`);
      return;
    }
    try {
      if (format === 'PNG') await downloadPng(s, stem);
      else downloadSvg(s, stem);
      setExportError(null);
    } catch (err) {
      setExportError(
        `The ${format} export failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  return (
    <figure className={`viz-chart ${className ?? ''}`} data-testid={testId}>
      <figcaption>
        <span className="viz-title">{title}</span>
        <span className="viz-export" role="group" aria-label={`Export ${title}`}>
          <button type="button" onClick={() => void exportSvg('PNG')}>
            PNG
          </button>
          <button type="button" onClick={() => void exportSvg('SVG')}>
            SVG
          </button>
          <button
            type="button"
            data-testid={testId ? `${testId}-csv` : undefined}
            onClick={() => {
              const d = data();
              downloadCsv(toCsv(d.header, d.rows), stem);
            }}
          >
            CSV
          </button>
        </span>
      </figcaption>
      <div className="viz-body" ref={body}>
        {children}
      </div>
      {exportError && (
        <p className="viz-export-error" role="alert">
          {exportError}
        </p>
      )}
      <p className="viz-detail" aria-live="polite">
        {detail ?? <span className="muted">Hover, or Tab to a mark, for its numbers.</span>}
      </p>
    </figure>
  );
}
