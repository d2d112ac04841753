// Opening a hostile result file in the Performance view (issue 24, class 4): the view's store never
// receives it — it keeps what it showed — and the message names the file and the field.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useBenchStore } from './benchStore';
import { openResultFile } from './loadOthers';

const committed = readFileSync('bench/results/2026-11-22-h100-v5-model.json', 'utf8');

function file(name: string, edit: (r: Record<string, unknown>) => void): File {
  const json = JSON.parse(committed) as { reports: Record<string, unknown>[] };
  edit(json.reports[0]!);
  return new File([JSON.stringify(json)], name, { type: 'application/json' });
}

describe('opening a result file to compare with', () => {
  beforeEach(() => useBenchStore.setState({ others: null, othersError: null }));

  it('shows a valid file', async () => {
    await openResultFile(new File([committed], 'h100.json'));
    expect(useBenchStore.getState().others?.reports[0]?.kind).toBe('model');
    expect(useBenchStore.getState().othersError).toBeNull();
  });

  it('refuses a file lacking fields, keeps what was shown, and names file and field', async () => {
    await openResultFile(new File([committed], 'h100.json'));
    const shown = useBenchStore.getState().others;
    const hostile: [string, (r: Record<string, unknown>) => void, RegExp][] = [
      [
        'no-targets.json',
        (r) => delete r['targets'],
        /^no-targets\.json: reports\[0\]\.targets is missing/,
      ],
      [
        'null-targets.json',
        (r) => (r['targets'] = null),
        /^null-targets\.json: reports\[0\]\.targets must be/,
      ],
      [
        'text-values.json',
        (r) =>
          ((r['charts'] as { groups: { values: unknown[] }[] }[])[0]!.groups[0]!.values[0] =
            'fast'),
        /^text-values\.json: reports\[0\]\.charts\[0\]\.groups\[0\]\.values\[0\] must be a number/,
      ],
      [
        'empty-columns.json',
        (r) => ((r['sections'] as { columns: unknown[] }[])[0]!.columns = []),
        /^empty-columns\.json: reports\[0\]\.sections\[0\]\.columns must be/,
      ],
    ];
    for (const [name, edit, message] of hostile) {
      await openResultFile(file(name, edit));
      const s = useBenchStore.getState();
      expect(s.others, name).toBe(shown);
      expect(s.othersError, name).toMatch(message);
      expect(s.othersError, name).toMatch(/Open a result file/);
    }
  });
});
