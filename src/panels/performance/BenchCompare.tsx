// This run beside another: a classmate's laptop (their Download JSON), or a committed H100 run.
// Every case both measured, with how many times faster this run is.
import { compareReports } from '../../bench/compareReports';
import { REFERENCE_RUNS } from '../../bench/referenceRuns';
import type { BenchReport } from '../../bench/types';
import { useBenchStore } from './benchStore';
import { BenchReportView, reportHeading } from './BenchReportView';
import { openReferenceRun, openResultFile } from './loadOthers';

const num = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

function geoMean(xs: number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

function CompareTable({ here, there }: { here: BenchReport; there: BenchReport }) {
  const c = compareReports(here, there);
  if (!c.ok) return <p data-testid="bench-compare-none">{c.reason}</p>;
  const g = geoMean(c.values.map((v) => v.ratio));
  return (
    <>
      <p data-testid="bench-compare-summary">
        Over the {c.values.length} measurements both runs made, this run is{' '}
        <strong>{g >= 1 ? `${num(g)}× faster` : `${num(1 / g)}× slower`}</strong> (geometric mean).
        {!c.sameSize &&
          ' The two runs used different sizes: only the cases they share are compared.'}
      </p>
      <div className="bench-table-scroll">
        <table className="numbers" data-testid="bench-compare-table">
          <thead>
            <tr>
              <th scope="col">case</th>
              <th scope="col">series</th>
              <th scope="col">this run</th>
              <th scope="col">other</th>
              <th scope="col">this run is … × faster</th>
            </tr>
          </thead>
          <tbody>
            {c.values.map((v) => (
              <tr key={`${v.chart}/${v.case}/${v.series}`}>
                <td>{v.case}</td>
                <td>{v.series}</td>
                <td>
                  {num(v.here)} {v.unit}
                </td>
                <td>{num(v.there)}</td>
                <td className={v.ratio >= 1 ? 'ok' : ''}>{num(v.ratio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function BenchCompare({ here }: { here: BenchReport | null }) {
  const others = useBenchStore((s) => s.others);
  const error = useBenchStore((s) => s.othersError);
  const match = others?.reports.find((r) => r.kind === here?.kind) ?? null;
  return (
    <section className="bench-compare" aria-labelledby="bench-compare-h">
      <h3 id="bench-compare-h">Compare with another machine</h3>
      <p>
        Open a result saved with <em>Download JSON</em> on another laptop (or written by{' '}
        <code>npm run bench -- --json</code>), or a run on a data-centre GPU committed with the lab.
      </p>
      <div className="bench-actions">
        <label className="bench-file">
          Open a result file…{' '}
          <input
            type="file"
            accept=".json,application/json"
            data-testid="bench-open-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void openResultFile(f);
              e.target.value = '';
            }}
          />
        </label>
        {REFERENCE_RUNS.map((r) => (
          <button key={r.url} type="button" onClick={() => void openReferenceRun(r)}>
            {r.label}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="bad" data-testid="bench-compare-error">
          {error}
        </p>
      )}
      {others && (
        <div data-testid="bench-other" data-source={others.source}>
          <p>
            Opened <strong>{others.source}</strong>:{' '}
            {others.reports.map((r) => reportHeading(r)).join('; ')}.
          </p>
          {here && match && <CompareTable here={here} there={match} />}
          {here && !match && (
            <p>
              It holds no {here.kind} benchmark; run the benchmark it holds (
              {others.reports.map((r) => r.kind).join(', ')}) to compare.
            </p>
          )}
          <details>
            <summary>Its full tables</summary>
            {others.reports.map((r) => (
              <BenchReportView key={`${r.kind}-${r.startedIso}`} report={r} actions={false} />
            ))}
          </details>
        </div>
      )}
    </section>
  );
}
