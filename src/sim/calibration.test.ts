import { describe, expect, it } from 'vitest';
import { calibrationTable } from './calibration';

describe('calibration against published measurements', () => {
  const rows = calibrationTable();

  it.each(rows.map((r) => [r.id, r] as const))('%s lands within its stated tolerance', (_id, r) => {
    expect(Number.isFinite(r.simulated)).toBe(true);
    if (r.bound === 'capacity') {
      // A production 24-hour average must not exceed the simulated capacity, nor be far below.
      expect(r.simulated).toBeGreaterThanOrEqual(r.published);
      expect(r.simulated).toBeLessThanOrEqual(r.published * (1 + r.tolerance));
    } else {
      expect(
        Math.abs(r.error),
        `${r.what}: simulated ${r.simulated} vs ${r.published}`,
      ).toBeLessThanOrEqual(r.tolerance);
    }
  });

  it('holds most figures as checks, not fits, and every figure has a source', () => {
    expect(rows.filter((r) => r.role === 'check').length).toBeGreaterThan(
      2 * rows.filter((r) => r.role === 'fit').length,
    );
    for (const r of rows) expect(r.source).toMatch(/\S{8,}/);
  });

  it('keeps the check figures tight on average', () => {
    const checks = rows.filter((r) => r.role === 'check' && r.bound === 'two-sided');
    const mean = checks.reduce((a, r) => a + Math.abs(r.error), 0) / checks.length;
    expect(mean).toBeLessThan(0.2);
  });
});
