// The seeds' range chart rendered (server-side, no DOM): a dot at the mean, or every seed's own
// mark; on a log or a linear x axis; the test ids and data-* attributes the e2e tests read.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SeedRangeChart, type SeedRangePoint } from './SeedRangeChart';

const points: SeedRangePoint[] = [1, 4, 16].map((e, i) => ({
  experts: e,
  x: e,
  mean: 0.5 + 0.1 * i,
  min: 0.45 + 0.1 * i,
  max: 0.55 + 0.1 * i,
  seedValues: [
    { seed: 0, value: 0.45 + 0.1 * i },
    { seed: 1, value: 0.55 + 0.1 * i },
  ],
}));
const count = (html: string, s: string) => html.split(s).length - 1;
const render = (extra: Partial<Parameters<typeof SeedRangeChart>[0]>) =>
  renderToStaticMarkup(
    createElement(SeedRangeChart, {
      title: 'Test chart',
      testId: 'test',
      data: () => ({ header: [], rows: [] }),
      points,
      text: (p) => `E = ${p.experts}: ${p.mean}`,
      xScale: 'log',
      xLabel: 'experts',
      yLabel: 'share',
      yDomain: [0, 1],
      yTickFormat: (t) => String(t),
      svgLabel: (x) => `Test chart against ${x}`,
      ...extra,
    }),
  );

describe('SeedRangeChart', () => {
  it('draws a point per size with its range, and a dot at the mean without seed marks', () => {
    const html = render({ dataAxis: 'experts' });
    expect(html).toContain('data-testid="test-chart"');
    expect(html).toContain('data-axis="experts"');
    expect(html).toContain('aria-label="Test chart against experts"');
    expect(count(html, 'data-testid="test-point"')).toBe(3);
    expect(html).toContain('data-experts="4" data-mean="0.6" data-min="0.55" data-max="0.65"');
    expect(html).toContain('aria-label="E = 16: 0.7"');
    expect(count(html, '<circle')).toBe(3);
    expect(html).not.toContain('test-seed');
    // The range bar and its two caps per point, at the SVG's default stroke width.
    expect(html).not.toContain('stroke-width="2"');
  });

  it('draws every seed’s own mark with its value, on a linear axis too', () => {
    const html = render({
      xScale: 'linear',
      xLabel: (width) => (width >= 280 ? 'experts, long' : 'experts'),
      rangeStrokeWidth: 2,
      seedMarks: { ids: [0, 1], color: '#000000', valueName: 'recall' },
    });
    expect(count(html, 'data-testid="test-seed"')).toBe(6);
    expect(html).toContain('data-seed="1" data-recall="0.75"');
    expect(html).toContain('experts, long');
    expect(count(html, 'stroke-width="2"')).toBe(9);
    expect(html).not.toContain('NaN');
  });
});
