// Chapter 1's capacity figure rendered (server-side, no DOM): the committed run draws one mark
// per size and per seed with its sentence; without the run a plain line says so, and no chart.
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseFamilyResults } from '../../lesson/familyResults';
import { MODELS_DIR } from '../../model/testing/diskPack';
import { CapacityFigure } from './MeasuredResults';

const text = readFileSync(`${MODELS_DIR}family.json`, 'utf8');
const render = (raw: Record<string, unknown>) =>
  renderToStaticMarkup(createElement(CapacityFigure, { data: parseFamilyResults(raw) }));
const count = (html: string, s: string) => html.split(s).length - 1;

describe('CapacityFigure', () => {
  it('draws fact recall per size, every seed, with axis titles and the sentence', () => {
    const raw = JSON.parse(text) as { capacity: { sizes: { seeds: unknown[] }[] } };
    const html = render(raw);
    const sizes = raw.capacity.sizes;
    expect(html).toContain('data-testid="capacity-chart"');
    expect(count(html, 'data-testid="capacity-point"')).toBe(sizes.length);
    expect(count(html, 'data-testid="capacity-seed"')).toBe(
      sizes.reduce((n, m) => n + m.seeds.length, 0),
    );
    expect(html).toContain('experts E (1 = dense, log scale)');
    expect(html).toContain('fact recall (%)');
    expect(html).toContain('data-testid="capacity-sentence"');
    expect(html).not.toContain('capacity-missing');
  });

  it('says plainly that there is no capacity run, and draws no chart', () => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    delete raw.capacity;
    const html = render(raw);
    expect(html).toContain('data-testid="capacity-missing"');
    expect(html).toContain('is not in models/family.json');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('capacity-sentence');
  });
});
