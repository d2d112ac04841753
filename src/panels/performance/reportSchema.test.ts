// Benchmark result files are untrusted (issue 24, class 4): a file that passes a loose check but
// lacks fields must be refused with the file and field named, before the Performance view draws it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../loading/fileSchema';
import { hostileJsonTexts } from '../../model/testing/fuzzJson';
import { parseReportFile } from './reportSchema';

/** Fuzz target of the benchmark result files (issue 24): hostile variants of a committed run. */
export const REPORT_FUZZ_COUNT = 2000;

const RESULTS = 'bench/results/';
const committed = readdirSync(RESULTS).filter((f) => f.endsWith('.json'));

function good(): Record<string, unknown> {
  return {
    kind: 'align',
    size: 'quick',
    startedIso: '2026-11-22T00:00:00Z',
    finishedIso: '2026-11-22T00:00:01Z',
    device: 'test',
    runtime: 'test',
    sections: [{ id: 's', title: 'S', columns: ['a', 'b'], rows: [[1, 'x']], notes: [] }],
    charts: [
      {
        title: 'T',
        unit: 'µs',
        log: true,
        series: ['one', 'two'],
        groups: [{ label: 'g', values: [1, null] }],
      },
    ],
    targets: [{ target: 't', status: 'met', detail: 'd' }],
    raw: null,
  };
}

// Edits reach into nested fields of a plain JSON object; its shape is what is under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function refusal(edit: (r: Json) => void): FileFormatError {
  const r = good();
  edit(r);
  try {
    parseReportFile(JSON.stringify({ reports: [r] }), 'other.json');
  } catch (err) {
    expect(err).toBeInstanceOf(FileFormatError);
    return err as FileFormatError;
  }
  throw new Error('a hostile report was accepted');
}

describe('benchmark result files', () => {
  it('reads every committed result that holds reports', () => {
    let read = 0;
    for (const f of committed) {
      const text = readFileSync(RESULTS + f, 'utf8');
      const json = JSON.parse(text) as Record<string, unknown>;
      if (!('reports' in json) && !('parts' in json)) continue;
      const reports = parseReportFile(text, f);
      expect(reports.length, f).toBeGreaterThan(0);
      read++;
    }
    expect(read).toBeGreaterThanOrEqual(4);
  });

  it('refuses a report that lacks fields, naming the file and the field', () => {
    const cases: [(r: Json) => void, string][] = [
      [(r) => (r.sections[0].columns = []), 'reports[0].sections[0].columns must be'],
      [(r) => delete r.targets, 'reports[0].targets is missing'],
      [(r) => (r.targets = null), 'reports[0].targets must be a list of targets'],
      [(r) => (r.targets[0] = null), 'reports[0].targets[0] must be a target'],
      [
        (r) => (r.charts[0].groups[0].values[0] = 'fast'),
        'reports[0].charts[0].groups[0].values[0]',
      ],
      [(r) => (r.charts[0].groups[0].values = [1]), 'reports[0].charts[0].groups has a group'],
      [(r) => (r.charts[0].groups[0].values[0] = 0), 'has a value of 0 on a log scale'],
      [(r) => (r.charts[0].series = []), 'reports[0].charts[0].series must be'],
      [(r) => (r.sections[0].rows[0] = [1]), 'reports[0].sections[0].rows has a row'],
      [(r) => (r.sections[0].rows[0][0] = { a: 1 }), 'reports[0].sections[0].rows[0][0]'],
      [(r) => (r.startedIso = 5), 'reports[0].startedIso must be a string'],
      [(r) => (r.kind = 'mystery'), 'reports[0].kind must be "layer", "align" or "model"'],
      [(r) => (r.charts = [null]), 'reports[0].charts[0] must be a chart'],
    ];
    for (const [edit, field] of cases) {
      const err = refusal(edit);
      expect(err.message.startsWith('other.json: '), err.message).toBe(true);
      expect(err.message, field).toContain(field);
    }
  });

  it('refuses what is not a result at all', () => {
    expect(() => parseReportFile('{nope', 'a.json')).toThrow(/^a\.json: not valid JSON/);
    expect(() => parseReportFile('{"reports": 3}', 'a.json')).toThrow(/^a\.json: reports must be/);
    expect(() => parseReportFile('{"reports": []}', 'a.json')).toThrow(/empty list/);
    expect(() => parseReportFile('[]', 'a.json')).toThrow(/^a\.json: kind is missing/);
    expect(() => parseReportFile('null', 'a.json')).toThrow(FileFormatError);
  });

  it(`ends every one of ${REPORT_FUZZ_COUNT} hostile result files in success or an error naming the file`, () => {
    const base = JSON.parse(readFileSync(`${RESULTS}2026-11-22-h100-v5-model.json`, 'utf8')) as {
      reports: Record<string, unknown>[];
    };
    // `raw` is free-form by design; the drawn fields are what is under attack.
    for (const r of base.reports) r['raw'] = null;
    const problems: string[] = [];
    let refusedForField = 0;
    let n = 0;
    for (const text of hostileJsonTexts(base, REPORT_FUZZ_COUNT, 19)) {
      n++;
      try {
        parseReportFile(text, 'other.json');
      } catch (err) {
        if (!(err instanceof FileFormatError && err.message.startsWith('other.json: ')))
          problems.push(`${text.slice(0, 80)} → ${String(err)}`);
        else if (err.field !== null) refusedForField++;
      }
    }
    expect(n).toBe(REPORT_FUZZ_COUNT);
    expect(problems.slice(0, 5)).toEqual([]);
    expect(refusedForField).toBeGreaterThan(n / 5);
  });
});
