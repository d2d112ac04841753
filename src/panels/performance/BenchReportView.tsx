// One benchmark report as the CLI prints it, drawn: where it ran, the issue-9 targets, the
// charts and every section's table with its notes.
import { useState } from 'react';
import { GroupedBarChart } from '../../charts/GroupedBarChart';
import { plainUnit, type BenchReport, type BenchSection, type Cell } from '../../bench/types';
import { copyReportMarkdown, downloadReportJson } from './reportFiles';

const KIND_LABEL: Record<BenchReport['kind'], string> = {
  layer: 'MoE layer',
  align: 'Align & sort',
  model: 'Whole model',
};

const cellText = (c: Cell) =>
  c === null || (typeof c === 'number' && !Number.isFinite(c)) ? '—' : String(c);

function SectionTable({ section }: { section: BenchSection }) {
  return (
    <section className="bench-section" data-testid={`bench-section-${section.id}`}>
      <h4>{section.title}</h4>
      <div className="bench-table-scroll">
        <table className="numbers">
          <thead>
            <tr>
              {section.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {section.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{cellText(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {section.notes.length > 0 && (
        <ul className="bench-notes">
          {section.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function reportHeading(r: BenchReport): string {
  return `${KIND_LABEL[r.kind]} (${r.size}) on ${r.device}`;
}

export function BenchReportView({
  report,
  actions = true,
}: {
  report: BenchReport;
  actions?: boolean;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const seconds = (Date.parse(report.finishedIso) - Date.parse(report.startedIso)) / 1000;
  return (
    <div
      className="bench-report"
      data-testid={actions ? 'bench-report' : 'bench-other-report'}
      data-kind={report.kind}
    >
      <p className="bench-where">
        <strong>{reportHeading(report)}</strong>
        <br />
        {report.runtime} · {new Date(report.startedIso).toLocaleString()} ·{' '}
        {Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : ''}
      </p>
      {actions && (
        <div className="bench-actions">
          <button
            type="button"
            data-testid="bench-download-json"
            onClick={() => downloadReportJson(report)}
          >
            Download JSON
          </button>
          <button
            type="button"
            data-testid="bench-copy-md"
            onClick={() =>
              void copyReportMarkdown(report).then((ok) => setCopied(ok ? 'yes' : 'no'))
            }
          >
            Copy as Markdown
          </button>
          <span role="status">
            {copied === 'yes'
              ? 'Copied.'
              : copied === 'no'
                ? 'The browser refused the clipboard; use Download JSON.'
                : ''}
          </span>
        </div>
      )}
      {report.targets.length > 0 && (
        <section className="bench-targets" aria-label="Targets">
          <h4>Targets ({report.targetsFrom ?? 'issue 9'}, stated for a real GPU)</h4>
          <ul>
            {report.targets.map((t) => (
              <li key={t.target} data-status={t.status}>
                <span className={t.status === 'met' ? 'ok' : t.status === 'missed' ? 'bad' : ''}>
                  {t.status === 'met'
                    ? '✔ met'
                    : t.status === 'missed'
                      ? '✘ missed'
                      : '– not measured'}
                </span>{' '}
                — {t.target}: {t.detail}
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.charts.map((c) => (
        <GroupedBarChart
          key={c.title}
          title={c.title}
          series={c.series}
          groups={c.groups}
          unit={plainUnit(c)}
          log={c.log}
          testId={actions ? 'bench-chart' : undefined}
        />
      ))}
      {report.sections.map((s) => (
        <SectionTable key={s.id} section={s} />
      ))}
    </div>
  );
}
