// A benchmark result file opened to compare with — from another laptop, or any file a user picks —
// is untrusted. Its schema is the shape the Performance view draws (src/bench/types.ts), checked
// field by field: every table row as wide as its columns, every chart value a finite number or
// null, one value per series, targets with a known status. A file that fails names the file and
// the field; nothing of the wrong shape reaches the view.
import * as v from 'valibot';
import { parseFile, parseJsonText, shown } from '../../loading/fileSchema';
import { list, nonEmptyList, text } from '../../loading/fieldSchemas';
import type { BenchReport } from '../../bench/types';

const MAX_ROWS = 10_000;

const cell = v.union(
  [v.string(), v.pipe(v.number(), v.finite()), v.null()],
  (i) => `must be text, a finite number or null (got ${shown(i.input)})`,
);

const SectionSchema = v.pipe(
  v.object(
    {
      id: text(200),
      title: text(1000),
      columns: nonEmptyList(text(200), 'a non-empty list of column names', 200),
      rows: list(list(cell, 'a list of cells', 200), 'a list of rows', MAX_ROWS),
      notes: v.optional(list(text(10_000), 'a list of notes', 1000), []),
    },
    (i) => `must be a table (got ${shown(i.input)})`,
  ),
  v.forward(
    v.check(
      (s) => s.rows.every((r) => r.length === s.columns.length),
      'has a row whose number of cells differs from its columns',
    ),
    ['rows'],
  ),
);

const chartValue = v.union(
  [v.pipe(v.number(), v.finite(), v.minValue(0)), v.null()],
  (i) => `must be a number ≥ 0 or null (got ${shown(i.input)})`,
);

const ChartSchema = v.pipe(
  v.object(
    {
      title: text(1000),
      unit: text(200),
      series: nonEmptyList(text(200), 'a non-empty list of series names', 100),
      groups: nonEmptyList(
        v.object(
          { label: text(1000), values: list(chartValue, 'a list of values', 100) },
          (i) => `must be a group of bars (got ${shown(i.input)})`,
        ),
        'a non-empty list of groups',
        1000,
      ),
      log: v.boolean((i) => `must be true or false (got ${shown(i.input)})`),
    },
    (i) => `must be a chart (got ${shown(i.input)})`,
  ),
  v.forward(
    v.check(
      (c) => c.groups.every((g) => g.values.length === c.series.length),
      'has a group whose number of values differs from its series',
    ),
    ['groups'],
  ),
  v.forward(
    v.check(
      (c) => !c.log || c.groups.every((g) => g.values.every((x) => x === null || x > 0)),
      'has a value of 0 on a log scale',
    ),
    ['groups'],
  ),
);

const TargetSchema = v.object(
  {
    target: text(1000),
    status: v.picklist(
      ['met', 'missed', 'not measured'],
      (i) => `must be "met", "missed" or "not measured" (got ${shown(i.input)})`,
    ),
    detail: text(10_000),
  },
  (i) => `must be a target (got ${shown(i.input)})`,
);

const isoTime = v.pipe(
  text(100),
  v.check((s) => Number.isFinite(Date.parse(s)), 'must be a date and time (ISO 8601)'),
);

export const BenchReportSchema = v.object(
  {
    kind: v.picklist(
      ['layer', 'align', 'model'],
      (i) => `must be "layer", "align" or "model" (got ${shown(i.input)})`,
    ),
    size: v.picklist(['quick', 'full'], (i) => `must be "quick" or "full" (got ${shown(i.input)})`),
    startedIso: isoTime,
    finishedIso: isoTime,
    device: text(1000),
    runtime: text(1000),
    sections: list(SectionSchema, 'a list of tables', 100),
    charts: list(ChartSchema, 'a list of charts', 100),
    targets: list(TargetSchema, 'a list of targets', 100),
    raw: v.optional(v.unknown(), null),
  },
  (i) => `must be a benchmark report (got ${shown(i.input)})`,
);

// The schema's output is the view's type: a change to one that the other lacks does not compile.
type SchemaReport = v.InferOutput<typeof BenchReportSchema>;
const sameShape: (r: SchemaReport) => BenchReport = (r) => r;

// The bench CLI writes { reports }; its first real-GPU runs wrote { gpu, parts }; the panel's
// own Download JSON writes { reports } too; a bare report is accepted as well.
const ReportsFileSchema = v.object({
  reports: nonEmptyList(BenchReportSchema, 'a non-empty list', 100),
});
const PartsFileSchema = v.object({
  parts: nonEmptyList(BenchReportSchema, 'a non-empty list', 100),
});

/** The reports in a result file's text, or a FileFormatError naming `file` and the field. */
export function parseReportFile(textContent: string, file: string): BenchReport[] {
  const json = parseJsonText(textContent, file);
  const wrapper = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : null;
  if (wrapper && 'reports' in wrapper)
    return parseFile(ReportsFileSchema, json, file).reports.map(sameShape);
  if (wrapper && 'parts' in wrapper)
    return parseFile(PartsFileSchema, json, file).parts.map(sameShape);
  return [sameShape(parseFile(BenchReportSchema, json, file))];
}
