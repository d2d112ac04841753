import { describe, expect, it } from 'vitest';
import type { Timeline } from '../parallel/timeline';
import {
  blockLabel,
  fitLabels,
  formatMs,
  labelExtent,
  laneTimes,
  shortDuration,
  timeUnit,
  timeAxisTicks,
  type PlacedLabel,
} from './timelineLayout';

const FIT = { charPx: 8, gapPx: 6 };

/** No two labels share a pixel (with the gap), and every label lies inside the bounds. */
function expectNoOverlap(labels: readonly PlacedLabel[], [lo, hi]: [number, number]) {
  const spans = labels.map((l) => labelExtent(l, FIT.charPx));
  for (const [a, b] of spans) {
    expect(a).toBeGreaterThanOrEqual(lo - 0.5);
    expect(b).toBeLessThanOrEqual(hi + 0.5);
  }
  for (let i = 1; i < spans.length; i++)
    expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1] + FIT.gapPx);
}

describe('the virtual GPUs’ timeline layout', () => {
  it('writes every time in one format', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.0123)).toBe('12.3 µs');
    expect(formatMs(146.789)).toBe('146.79 ms');
    expect(formatMs(2500)).toBe('2.50 s');
  });

  it('sums each lane’s compute, communication and waiting to the timeline’s total', () => {
    const t: Timeline = {
      totalMs: 10,
      lanes: [
        [
          { phase: 'router', kind: 'compute', start: 0, end: 1 },
          { phase: 'dispatch', kind: 'comm', start: 1, end: 2 },
          { phase: 'experts', kind: 'compute', start: 2, end: 9 },
          { phase: 'combine', kind: 'comm', start: 9, end: 10 },
        ],
        [
          { phase: 'router', kind: 'compute', start: 0, end: 1 },
          { phase: 'dispatch', kind: 'comm', start: 1, end: 2 },
          { phase: 'experts', kind: 'compute', start: 2, end: 4 },
          { phase: 'waiting for combine', kind: 'wait', start: 4, end: 9 },
          { phase: 'combine', kind: 'comm', start: 9, end: 10 },
        ],
      ],
    };
    const [a, b] = laneTimes(t);
    expect(a).toEqual({ compute: 8, comm: 2, experts: 7, busy: 10, wait: 0 });
    expect(b).toEqual({ compute: 3, comm: 2, experts: 2, busy: 5, wait: 5 });
  });

  it('never lets axis labels overlap or leave the chart, whatever the width and total', () => {
    for (const total of [0.0337, 0.1011, 1, 33.7, 146.79, 440.38, 999, 12345])
      for (const width of [160, 240, 400, 640, 1200]) {
        const left = 72;
        const bounds: [number, number] = [0, left + width + 16];
        const ticks = timeAxisTicks(total, [left, left + width], bounds, FIT);
        expect(ticks.length, `${total} ms over ${width} px`).toBeGreaterThanOrEqual(1);
        expect(ticks[0]!.text).toBe('0');
        expectNoOverlap(ticks, bounds);
        // One unit for the whole axis.
        const units = new Set(ticks.slice(1).map((t) => t.text.split(' ')[1]));
        expect(units.size).toBeLessThanOrEqual(1);
      }
  });

  it('thins the ticks rather than crowding them: the issue’s “0.0 µs 20.00 ms40.00 ms”', () => {
    const ticks = timeAxisTicks(146.79, [72, 352], [0, 368], FIT);
    expect(ticks.map((t) => t.text)).not.toContain('0.0 µs');
    expect(ticks.every((t) => t.text === '0' || / ms$/.test(t.text))).toBe(true);
    expectNoOverlap(ticks, [0, 368]);
    // The wide axis keeps more ticks than the narrow one.
    expect(timeAxisTicks(146.79, [72, 1272], [0, 1288], FIT).length).toBeGreaterThan(ticks.length);
  });

  it('anchors an edge label inside the chart instead of clipping it (“100.0 µ”)', () => {
    const ticks = timeAxisTicks(0.1, [72, 600], [0, 604], FIT);
    const last = ticks[ticks.length - 1]!;
    expect(last.text).toBe('100 µs');
    expect(last.anchor).toBe('end');
    expectNoOverlap(ticks, [0, 604]);
  });

  it('drops the later of two labels that would collide', () => {
    const kept = fitLabels(
      [
        { x: 100, text: 'first' },
        { x: 110, text: 'second' },
        { x: 300, text: 'third' },
      ],
      [0, 400],
      FIT,
    );
    expect(kept.map((l) => l.text)).toEqual(['first', 'third']);
  });

  it('writes bar values in the axis’s unit, four characters at most', () => {
    expect(timeUnit(33.7e-3)).toEqual({ unit: 'µs', perMs: 1000 });
    expect(timeUnit(228.38)).toEqual({ unit: 'ms', perMs: 1 });
    expect(timeUnit(12_000)).toEqual({ unit: 's', perMs: 1e-3 });
    expect([228.38, 32.9, 1.234, 0].map((v) => shortDuration(v, 1))).toEqual([
      '228',
      '32.9',
      '1.23',
      '0',
    ]);
    expect(shortDuration(0.0337, 1000)).toBe('33.7');
    for (const v of [0.001, 0.0999, 5.5, 99.94, 999.4, 4321])
      expect(shortDuration(v, 1).length).toBeLessThanOrEqual(4);
  });

  it('writes a block’s name, a shorter one, or none, never wider than the block', () => {
    const fit = { charPx: 8, padPx: 3 };
    expect(blockLabel('dispatch', 200, fit)).toBe('dispatch');
    expect(blockLabel('dispatch', 40, fit)).toBe('disp');
    expect(blockLabel('dispatch', 20, fit)).toBeNull();
    expect(blockLabel('attention (modelled)', 100, fit)).toBe('attention');
    expect(blockLabel('attention all-reduce (modelled)', 30, fit)).toBe('AR');
    expect(blockLabel('micro-batch 3', 60, fit)).toBe('mb 3');
    expect(blockLabel('micro-batch 3', 15, fit)).toBe('3');
    for (const phase of ['router', 'experts', 'all-gather', 'send 2', 'combine'])
      for (const w of [0, 5, 12, 30, 64, 120]) {
        const text = blockLabel(phase, w, fit);
        if (text !== null) expect(text.length * fit.charPx + 2 * fit.padPx).toBeLessThanOrEqual(w);
      }
  });
});
