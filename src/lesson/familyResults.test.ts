// family.json (tools/train/family_card.py): the committed file parses; the chart data and the
// sentences carry its numbers; reversed or noisy data makes the sentence say so; a malformed
// file is an error naming the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../loading/fileSchema';
import { MODELS_DIR } from '../model/testing/diskPack';
import {
  balanceRows,
  balanceSentence,
  capacityChartData,
  capacitySentence,
  familyChartData,
  familyLossDomain,
  familySentence,
  fetchFamilyResults,
  parseFamilyResults,
  type FamilyResults,
} from './familyResults';

const text = readFileSync(`${MODELS_DIR}family.json`, 'utf8');
const committed = () => JSON.parse(text) as Record<string, unknown> & FamilyResults;

function withLosses(losses: Record<number, [number, number]>, facts?: Record<number, number>) {
  const d = committed();
  for (const m of d.family) {
    const l = losses[m.experts];
    if (l) m.seeds.forEach((s, i) => (s.val_loss = l[i]!));
    if (facts?.[m.experts] !== undefined)
      m.seeds.forEach((s) => (s.fact_accuracy = facts[m.experts]!));
  }
  return parseFamilyResults(d);
}

describe('parseFamilyResults', () => {
  it('reads the committed file: five sizes, two seeds each, three balance runs', () => {
    const d = parseFamilyResults(text);
    expect(d.family.map((m) => m.experts)).toEqual([1, 4, 8, 16, 32]);
    expect(d.family.every((m) => m.seeds.length === 2)).toBe(true);
    expect(d.balance.map((b) => b.balancing)).toEqual(['none', 'aux_loss', 'bias']);
    expect(d.source.steps).toBe(2400);
  });

  it.each([
    ['not JSON', '{"family": [', /family\.json: not valid JSON/],
    ['not an object', '42', /family\.json: must be a JSON object/],
  ])('refuses %s', (_, input, msg) => {
    expect(() => parseFamilyResults(input)).toThrow(msg);
  });

  it('names the field that is wrong', () => {
    const cases: [(d: ReturnType<typeof committed>) => void, RegExp][] = [
      [(d) => delete (d as Record<string, unknown>).family, /family is missing/],
      [(d) => (d.family = []), /family must be a list of family members \(got an empty list\)/],
      [
        (d) => ((d.family[2]!.seeds[0] as Record<string, unknown>).val_loss = 'low'),
        /family\[2\]\.seeds\[0\]\.val_loss must be a finite number/,
      ],
      [(d) => (d.family[1]!.experts = 1), /family\[1\]\.experts 1 must be larger/],
      [(d) => (d.balance[0]!.load[0]![3] = 1.5), /balance\[0\]\.load\[0\]\[3\] must be a share/],
      [(d) => d.balance[1]!.load[0]!.pop(), /balance\[1\]\.load\[0\] has 7 shares for 8 experts/],
      [
        (d) => ((d.balance[2] as Record<string, unknown>).balancing = 'magic'),
        /balance\[2\]\.balancing must be "none", "aux_loss" or "bias"/,
      ],
      [(d) => (d.format_version = 2), /format_version 2 is not one this lab reads/],
    ];
    for (const [spoil, msg] of cases) {
      const d = committed();
      spoil(d);
      let err: unknown;
      try {
        parseFamilyResults(d);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FileFormatError);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('fetches, and says what went wrong when the request fails', async () => {
    const ok = await fetchFamilyResults('x/family.json', {
      fetch: () => Promise.resolve(new Response(text)),
    });
    expect(ok.family).toHaveLength(5);
    await expect(
      fetchFamilyResults('x/family.json', {
        fetch: () => Promise.resolve(new Response('', { status: 404 })),
      }),
    ).rejects.toThrow('family.json: could not be fetched from x/family.json (HTTP 404)');
    await expect(
      fetchFamilyResults('x/family.json', { fetch: () => Promise.reject(new Error('offline')) }),
    ).rejects.toThrow(/\(offline\)/);
  });
});

describe('familyChartData', () => {
  const d = parseFamilyResults(text);
  it('gives the mean of the seeds and their min–max per size, at x = E or total parameters', () => {
    const byE = familyChartData(d, 'experts');
    expect(byE.map((p) => p.x)).toEqual([1, 4, 8, 16, 32]);
    const dense = byE[0]!;
    expect(dense.min).toBeCloseTo(0.529039, 6);
    expect(dense.max).toBeCloseTo(0.537166, 6);
    expect(dense.mean).toBeCloseTo((0.529039 + 0.537166) / 2, 6);
    expect(byE.every((p) => p.min <= p.mean && p.mean <= p.max)).toBe(true);
    const byParams = familyChartData(d, 'params');
    expect(byParams.map((p) => p.x)).toEqual([376192, 543616, 876928, 1543552, 2876800]);
    // Same compute: the active parameters stay within 4 % of the dense model's.
    for (const p of byParams) expect(p.activeParams / byParams[0]!.activeParams).toBeLessThan(1.04);
  });

  it('draws every seed inside the y range', () => {
    const pts = familyChartData(d, 'experts');
    const [lo, hi] = familyLossDomain(pts);
    expect(lo).toBeLessThan(Math.min(...pts.map((p) => p.min)));
    expect(hi).toBeGreaterThan(Math.max(...pts.map((p) => p.max)));
    expect(lo).toBeGreaterThan(0.4);
  });
});

describe('familySentence', () => {
  it('states the measured effect with the numbers of the file', () => {
    const s = familySentence(parseFamilyResults(text));
    expect(s).toContain(
      'At nearly the same active parameters (376k to 388k a token: only the router grows with E) and the same training steps, validation loss falls from 0.533 (dense) to 0.499 with 32 experts; the two seeds of one size differ by at most 0.008, so the gap (0.034) is larger than the seed noise.',
    );
    // 8 and 16 experts tie at three decimals: said, not hidden.
    expect(s).toContain('It does not fall at every step (0.503 with 8 experts, 0.503 with 16).');
    expect(s).toContain('The fact skill does not separate here: dense recalls 96.8 %');
    expect(s).toContain('32 experts 100.0 % (every seed), a gap of 3.2 points');
    expect(s).toContain('no more than the 4.5 points between two seeds of one size');
  });

  it('says so when the data reverses the expected effect', () => {
    const d = withLosses({ 1: [0.5, 0.502], 32: [0.532, 0.534] }, { 1: 1, 32: 0.9 });
    const s = familySentence(d);
    expect(s).toContain(
      'does not fall with more experts here: 0.501 (dense) against 0.533 with 32 experts',
    );
    expect(s).toContain('the opposite of the expected effect');
    expect(s).not.toContain('falls from');
    expect(s).toContain('The fact skill goes the other way here');
  });

  it('says when the gap is within the seed noise', () => {
    const d = withLosses({ 1: [0.52, 0.54], 32: [0.5, 0.54] });
    expect(familySentence(d)).toContain(
      'but the two seeds of one size differ by at most 0.040, so this gap (0.010) is within the seed noise',
    );
  });

  it('does not call it equal compute when the active parameters differ', () => {
    const d = committed();
    d.family[4]!.params.active = 800_000;
    expect(familySentence(parseFamilyResults(d))).toContain(
      'With active parameters from 376k to 800k a token (not equal compute)',
    );
  });

  it('says when the fact skill separates the sizes', () => {
    const d = withLosses({}, { 1: 0.6, 4: 0.7, 8: 0.8, 16: 0.85, 32: 0.95 });
    expect(familySentence(d)).toContain('The fact skill separates the sizes: dense recalls 60.0 %');
  });
});

describe('balance', () => {
  const d = parseFamilyResults(text);
  it('gives layer 0 of the three runs, shares summing to 1, with the dead experts', () => {
    const rows = balanceRows(d, 0);
    expect(rows.map((r) => r.run)).toEqual(['collapse', 'family-e8-s1', 'bias-balance']);
    for (const r of rows) expect(r.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(rows[0]!.dead).toEqual([0, 2]);
    expect(rows[0]!.maxOverMean).toBeCloseTo(2.615, 2);
    expect(rows[2]!.dead).toEqual([]);
    expect(balanceRows(d, 2)).toHaveLength(3);
    expect(balanceRows(d, 3)).toHaveLength(0);
  });

  it('says how many experts starve without a balancing loss, from the numbers', () => {
    const s = balanceSentence(d);
    expect(s).toContain(
      'Without a balancing loss two of eight experts of layer 0 get almost no tokens (expert 0: 0.0 %, expert 2: 0.4 % of the choices, against 12.5 % each if even), and the busiest gets 32.7 %, 2.62× its even share.',
    );
    expect(s).toContain('With the auxiliary loss (coefficient 0.01) the loads are 7.8 %–14.6 %');
    expect(s).toContain('the loads are 12.4 %–12.7 % (busiest 1.02× even)');
    expect(s).toContain('Validation loss: 0.515 without balancing, 0.502 with the auxiliary loss');
    expect(s).not.toContain('against the expected effect');
  });

  it('says so when the run without balancing is the flattest', () => {
    const raw = committed();
    const flat = raw.balance[2]!.load[0]!;
    raw.balance[2]!.load[0] = raw.balance[0]!.load[0]!;
    raw.balance[0]!.load[0] = flat;
    const s = balanceSentence(parseFamilyResults(raw));
    expect(s).toContain('Without a balancing loss no expert of layer 0 is left idle here');
    expect(s).toContain('against the expected effect');
  });
});

describe('capacityChartData', () => {
  const ready = (d: FamilyResults) => {
    const c = capacityChartData(d);
    if (c.status !== 'ready') throw new Error(`no chart: ${c.message}`);
    return c;
  };

  it('gives fact recall per size of the committed capacity run: every seed, mean and range', () => {
    const data = parseFamilyResults(text);
    const c = ready(data);
    expect(c.points.map((p) => p.experts)).toEqual([1, 4, 8, 16, 32]);
    expect(c.seedCount).toBe(2);
    expect(c.seedIds).toEqual([1, 2]);
    expect(c.factEval).toBe(data.capacity!.fact_eval);
    // Every number is the file's: each seed's recall as written, the mean and min–max of them.
    for (const p of c.points) {
      const size = data.capacity!.sizes.find((m) => m.experts === p.experts)!;
      expect(p.seeds).toEqual(size.seeds.map((s) => ({ seed: s.seed, recall: s.fact_accuracy })));
      const f = size.seeds.map((s) => s.fact_accuracy);
      expect(p.mean).toBeCloseTo(f.reduce((a, b) => a + b, 0) / f.length, 12);
      expect(p.min).toBe(Math.min(...f));
      expect(p.max).toBe(Math.max(...f));
      expect(p.spread).toBeCloseTo(p.max - p.min, 12);
      expect(p.totalParams).toBe(size.params.total);
      expect(p.activeParams).toBe(size.params.active);
    }
    const dense = c.points[0]!;
    expect(dense).toMatchObject({ min: 0.27, max: 0.295 });
    expect(dense.mean).toBeCloseTo(0.2825, 12);
    expect(c.points[4]).toMatchObject({ mean: 1, min: 1, max: 1, spread: 0 });
    // The widest seed spread: 4 and 8 experts are 12 and 11.5 points apart.
    expect(c.maxSpread.experts).toBe(4);
    expect(c.maxSpread.spread).toBeCloseTo(0.12, 12);
  });

  it('orders the sizes by E and keeps each seed, whatever the file order', () => {
    const d = committed();
    d.capacity!.sizes.reverse();
    d.capacity!.sizes[0]!.seeds.push({ seed: 3, fact_accuracy: 0.9 } as never);
    const c = ready(parseFamilyResults(d));
    expect(c.points.map((p) => p.experts)).toEqual([1, 4, 8, 16, 32]);
    const last = c.points[4]!;
    expect(last.seeds.map((s) => s.seed)).toEqual([1, 2, 3]);
    expect(last).toMatchObject({ min: 0.9, max: 1 });
    expect(last.mean).toBeCloseTo(2.9 / 3, 12);
    expect(c.seedCount).toBe(3);
    expect(c.seedIds).toEqual([1, 2, 3]);
  });

  it("is the sentence's numbers: the same means and ranges", () => {
    const c = ready(parseFamilyResults(text));
    const s = capacitySentence(parseFamilyResults(text))!;
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    expect(s).toContain(`dense recalls ${pct(c.points[0]!.mean)}`);
    expect(s).toContain(`(seeds ${pct(c.points[0]!.min)}–${pct(c.points[0]!.max)})`);
    for (const p of c.points.slice(1, -1))
      expect(s).toContain(`${p.experts} experts ${pct(p.mean)}`);
  });

  it('draws nothing without a capacity run, or with one size: a plain reason instead', () => {
    const d = committed();
    delete (d as { capacity?: unknown }).capacity;
    const none = capacityChartData(parseFamilyResults(d));
    expect(none.status).toBe('missing');
    expect(none).toMatchObject({ message: expect.stringContaining('not in models/family.json') });
    const nulled = committed();
    (nulled as { capacity: unknown }).capacity = null;
    expect(capacityChartData(parseFamilyResults(nulled)).status).toBe('missing');
    const one = committed();
    one.capacity!.sizes = one.capacity!.sizes.slice(0, 1);
    const single = capacityChartData(parseFamilyResults(one));
    expect(single).toEqual({
      status: 'missing',
      message:
        'The capacity run measured one size only (dense), so there is no chart of fact recall against the number of experts.',
    });
    // The sentence is absent in the same cases.
    expect(capacitySentence(parseFamilyResults(one))).toBeNull();
  });
});

describe('capacitySentence', () => {
  const withFacts = (f: Record<number, [number, number]>) => {
    const d = committed();
    for (const m of d.capacity!.sizes)
      m.seeds.forEach((s, i) => (s.fact_accuracy = f[m.experts]![i]!));
    return parseFamilyResults(d);
  };

  it('states the committed capacity run: the fact skill separates dense from 32 experts', () => {
    const data = parseFamilyResults(text);
    expect(data.capacity!.facts).toBe(15000);
    const s = capacitySentence(data)!;
    expect(s).toContain('15,000 six-digit facts, 5000 steps');
    expect(s).toContain('dense recalls 28.2 % (seeds 27.0 %–29.5 %)');
    expect(s).toContain('32 experts 100.0 % (every seed)');
    expect(s).toContain('a gap of 71.8 points against 2.5 between seeds');
    expect(s).toContain(
      'In between: 4 experts 64.0 %, 8 experts 71.3 %, 16 experts 99.3 % (their seeds differ by up to 12.0 points) — recall rose at every step up in experts.',
    );
  });

  it('says when recall did not rise at every step up in experts', () => {
    const s = capacitySentence(
      withFacts({ 1: [0.3, 0.3], 4: [0.7, 0.7], 8: [0.6, 0.6], 16: [0.9, 0.9], 32: [1, 1] }),
    )!;
    expect(s).toContain('8 experts 60.0 %');
    expect(s).toContain('did not rise at every step up in experts');
  });

  it('says when the gap is within the seeds, and when it goes the other way', () => {
    const mid = { 4: [0.5, 0.5], 8: [0.5, 0.5], 16: [0.5, 0.5] } as Record<
      number,
      [number, number]
    >;
    expect(capacitySentence(withFacts({ ...mid, 1: [0.5, 0.6], 32: [0.55, 0.56] }))).toContain(
      'still does not separate',
    );
    expect(capacitySentence(withFacts({ ...mid, 1: [0.9, 0.91], 32: [0.3, 0.31] }))).toContain(
      'goes the other way',
    );
  });

  it('is absent without a capacity run, and a malformed one is refused', () => {
    const d = committed();
    delete (d as { capacity?: unknown }).capacity;
    expect(capacitySentence(parseFamilyResults(d))).toBeNull();
    const bad = committed();
    bad.capacity!.sizes[0]!.seeds[0]!.fact_accuracy = 1.5;
    expect(() => parseFamilyResults(bad)).toThrow(/fact_accuracy/);
  });
});
