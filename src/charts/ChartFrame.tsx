// A titled figure with PNG / SVG / CSV export buttons and a details line that says what the
// hovered or focused mark is (readable at any zoom, unlike a tooltip inside the SVG).
import { useRef, type ReactNode } from 'react';
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
  const svg = () => body.current?.querySelector('svg') ?? null;
  const stem = fileStem(title);
  return (
    <figure className={`viz-chart ${className ?? ''}`} data-testid={testId}>
      <figcaption>
        <span className="viz-title">{title}</span>
        <span className="viz-export" role="group" aria-label={`Export ${title}`}>
          <button
            type="button"
            onClick={() => {
              const s = svg();
              if (s) void downloadPng(s, stem);
            }}
          >
            PNG
          </button>
          <button
            type="button"
            onClick={() => {
              const s = svg();
              if (s) downloadSvg(s, stem);
            }}
          >
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
      <p className="viz-detail" aria-live="polite">
        {detail ?? <span className="muted">Hover, or Tab to a mark, for its numbers.</span>}
      </p>
    </figure>
  );
}
