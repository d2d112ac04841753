// A titled figure with PNG / SVG / CSV export buttons and a details line that says what the
// hovered or focused mark is (readable at any zoom, unlike a tooltip inside the SVG). A chart
// wider than its card scrolls sideways with a visible cue: the cut edge fades and a "scroll →"
// button says there is more (and moves there).
import { useEffect, useRef, useState, type ReactNode } from 'react';
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
  const [moreRight, setMoreRight] = useState(false);
  const [moreLeft, setMoreLeft] = useState(false);
  // Whether the body is cut on either side; read after every render (the chart may have grown)
  // and whenever the body resizes or scrolls. Booleans, so an unchanged answer re-renders nothing.
  const checkScroll = () => {
    const el = body.current;
    if (!el) return;
    const over = el.scrollWidth - el.clientWidth > 2;
    setMoreRight(over && el.scrollLeft + el.clientWidth < el.scrollWidth - 2);
    setMoreLeft(over && el.scrollLeft > 2);
  };
  useEffect(checkScroll);
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    el.addEventListener('scroll', checkScroll, { passive: true });
    const obs = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(checkScroll);
    obs?.observe(el);
    return () => {
      el.removeEventListener('scroll', checkScroll);
      obs?.disconnect();
    };
  }, []);
  const scrollSideways = (dir: 1 | -1) => {
    const el = body.current;
    el?.scrollBy({ left: dir * el.clientWidth * 0.8, behavior: 'smooth' });
  };
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
      <div
        className={`viz-scroll${moreRight ? ' viz-more-right' : ''}${moreLeft ? ' viz-more-left' : ''}`}
      >
        <div className="viz-body" ref={body}>
          {children}
        </div>
      </div>
      {(moreRight || moreLeft) && (
        <p className="viz-scroll-hint" data-testid={testId ? `${testId}-scroll` : undefined}>
          {moreLeft && (
            <button type="button" onClick={() => scrollSideways(-1)}>
              ← scroll
            </button>
          )}
          <span className="muted">wider than the card</span>
          {moreRight && (
            <button type="button" onClick={() => scrollSideways(1)}>
              scroll →
            </button>
          )}
        </p>
      )}
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
