// AxisTitles draws what the three charts drew inline before: the x title centred under the plot
// 0.5 rem above the SVG's bottom, the y title turned a quarter left, centred on the plot's height.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AxisTitles } from './AxisTitles';

const plot = { left: 70, right: 530, top: 16, bottom: 200 };
const svg = (props: Partial<Parameters<typeof AxisTitles>[0]>) =>
  renderToStaticMarkup(
    createElement('svg', null, createElement(AxisTitles, { plot, height: 250, rem: 16, ...props })),
  );

describe('AxisTitles', () => {
  it('places the x title under the plot and the turned y title beside it, as the charts did', () => {
    expect(svg({ xLabel: 'experts E', yLabel: 'val loss' })).toBe(
      '<svg>' +
        '<text x="300" y="242" text-anchor="middle" class="viz-tick">experts E</text>' +
        '<text transform="translate(14.4 108) rotate(-90)" text-anchor="middle" class="viz-tick">val loss</text>' +
        '</svg>',
    );
  });

  it('takes a class and offsets of its own (the line chart: chart-label, 1.1 rem)', () => {
    const out = svg({ xLabel: 'x', yLabel: 'y', className: 'chart-label', yFromLeft: 1.1 });
    expect(out).toContain(
      '<text x="300" y="242" text-anchor="middle" class="chart-label">x</text>',
    );
    expect(out).toContain('transform="translate(17.6 108) rotate(-90)"');
    expect(svg({ xLabel: 'x', xFromBottom: 1 })).toContain('y="234"');
  });

  it('draws only the titles it is given (a bar chart names no x axis)', () => {
    expect(svg({ yLabel: 'tokens' })).toBe(
      '<svg><text transform="translate(14.4 108) rotate(-90)" text-anchor="middle" class="viz-tick">tokens</text></svg>',
    );
    expect(svg({})).toBe('<svg></svg>');
  });
});
