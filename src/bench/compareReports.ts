// Two runs of one benchmark side by side (this browser against a file from another laptop or the
// committed H100 run): every bar both charts share — same chart, case and series — with the
// ratio between them. Pure, so the Performance panel and tests share it.
import { plainUnit, type BenchReport } from './types';

export type ComparedValue = {
  chart: string;
  case: string;
  series: string;
  unit: string;
  here: number;
  there: number;
  /** there ÷ here: above 1 means this run is faster (all charted values are times). */
  ratio: number;
};

export type Comparison =
  | {
      ok: true;
      values: ComparedValue[];
      /** Quick and full share some cases, not all settings. */ sameSize: boolean;
    }
  | { ok: false; reason: string };

export function compareReports(here: BenchReport, there: BenchReport): Comparison {
  if (here.kind !== there.kind)
    return {
      ok: false,
      reason: `The file holds a "${there.kind}" benchmark and this run is "${here.kind}": run the same benchmark to compare.`,
    };
  const values: ComparedValue[] = [];
  for (const chart of here.charts) {
    const other = there.charts.find((c) => c.title === chart.title);
    if (!other) continue;
    for (const g of chart.groups) {
      const og = other.groups.find((x) => x.label === g.label);
      if (!og) continue;
      chart.series.forEach((s, i) => {
        const j = other.series.indexOf(s);
        const a = g.values[i];
        const b = j >= 0 ? og.values[j] : null;
        if (a == null || b == null || !(a > 0) || !(b > 0)) return;
        values.push({
          chart: chart.title,
          case: g.label,
          series: s,
          unit: plainUnit(chart),
          here: a,
          there: b,
          ratio: b / a,
        });
      });
    }
  }
  if (!values.length)
    return {
      ok: false,
      reason: `The two runs share no measured case (sizes ${here.size} and ${there.size}): run the same size to compare.`,
    };
  return { ok: true, values, sameSize: here.size === there.size };
}
