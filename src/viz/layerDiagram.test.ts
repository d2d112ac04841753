import { describe, expect, it } from 'vitest';
import { fixtureLayer } from './traceFixture.testing';
import {
  diagramHeight,
  flowCurve,
  layerDiagram,
  minWideHeight,
  orientationFor,
  tokenRoutes,
} from './layerDiagram';

const inside = (r: { x: number; y: number; w: number; h: number }, W: number, H: number) =>
  r.x >= 0 && r.y >= 0 && r.x + r.w <= W + 1e-6 && r.y + r.h <= H + 1e-6;

describe('tokenRoutes', () => {
  it('reads the token’s top-k experts, probabilities and kernel weights from the trace', () => {
    const routes = tokenRoutes(fixtureLayer(), 1);
    expect(routes.map((r) => r.expert)).toEqual([2, 1]);
    expect(routes[0]!.prob).toBeCloseTo(0.6);
    expect(routes[0]!.weight).toBeCloseTo(0.6 / 0.85);
    expect(routes.map((r) => r.rank)).toEqual([0, 1]);
  });
});

describe('layerDiagram', () => {
  for (const width of [1200, 360]) {
    const d = layerDiagram({ layer: fixtureLayer(), row: 0, off: [3], width, fontPx: 16 });
    it(`keeps every shape inside the ${width}px drawing`, () => {
      expect(d.orientation).toBe(orientationFor(width));
      expect(d.height).toBe(diagramHeight(width, d.orientation, 4));
      for (const r of [d.token, d.router, d.output, ...d.experts, ...d.bars.map((b) => b.bar)])
        expect(inside(r, d.width, d.height), JSON.stringify(r)).toBe(true);
    });
    it(`draws one bar and one box per expert, and one route per chosen expert (${width}px)`, () => {
      expect(d.bars.map((b) => b.expert)).toEqual([0, 1, 2, 3]);
      expect(d.bars.map((b) => b.prob)).toEqual(Array.from(fixtureLayer().probs.slice(0, 4)));
      expect(d.experts.map((e) => e.pairs)).toEqual([1, 3, 1, 1]);
      expect(d.experts.map((e) => e.share)).toEqual([1 / 6, 3 / 6, 1 / 6, 1 / 6]);
      expect(d.experts[1]!.relativeLoad).toBe(1);
      expect(d.experts.map((e) => e.rank)).toEqual([1, 0, -1, -1]);
      expect(d.experts.map((e) => e.off)).toEqual([false, false, false, true]);
      expect(d.routes.map((r) => r.expert)).toEqual([1, 0]);
      expect(d.routes[0]!.strokeWidth).toBeGreaterThan(d.routes[1]!.strokeWidth);
    });
    it(`sizes the busier expert larger (${width}px)`, () => {
      const area = (e: number) => d.experts[e]!.w * d.experts[e]!.h;
      expect(area(1)).toBeGreaterThan(area(0));
      expect(area(0)).toBeCloseTo(area(2));
    });
    it(`draws longer bars for likelier experts (${width}px)`, () => {
      const len = (e: number) => (d.orientation === 'wide' ? d.bars[e]!.bar.w : d.bars[e]!.bar.h);
      expect(len(1)).toBeGreaterThan(len(0));
      expect(len(0)).toBeGreaterThan(len(2));
    });
  }
  it('fits a wide drawing into the room above the fold, never below its boxes’ text size', () => {
    const at = (maxHeight?: number) =>
      layerDiagram({ layer: fixtureLayer(), row: 0, off: [], width: 1200, fontPx: 16, maxHeight });
    const natural = at().height;
    expect(at(natural + 100).height).toBe(natural);
    const fitted = at(natural - 40);
    expect(fitted.height).toBe(natural - 40);
    for (const r of [fitted.token, fitted.output, ...fitted.experts])
      expect(inside(r, fitted.width, fitted.height), JSON.stringify(r)).toBe(true);
    expect(at(10).height).toBe(minWideHeight(4, 16));
    // At the least height each box still holds text of the root size (0.8 of the box).
    const least = at(10);
    for (const e of least.experts) expect(e.h * 0.8).toBeGreaterThanOrEqual(16);
    // A tall drawing (a phone) keeps its own height: the page scrolls along its flow.
    const tall = layerDiagram({ layer: fixtureLayer(), row: 0, off: [], width: 360, fontPx: 16 });
    expect(
      layerDiagram({
        layer: fixtureLayer(),
        row: 0,
        off: [],
        width: 360,
        fontPx: 16,
        maxHeight: 200,
      }).height,
    ).toBe(tall.height);
  });
  it('flows left to right when wide and top to bottom when tall', () => {
    const wide = layerDiagram({ layer: fixtureLayer(), row: 0, off: [], width: 1200, fontPx: 16 });
    expect(wide.router.x).toBeGreaterThan(wide.token.x + wide.token.w);
    expect(wide.experts[0]!.x).toBeGreaterThan(wide.router.x + wide.router.w);
    expect(wide.sum.cx).toBeGreaterThan(wide.experts[0]!.x);
    const tall = layerDiagram({ layer: fixtureLayer(), row: 0, off: [], width: 360, fontPx: 16 });
    expect(tall.router.y).toBeGreaterThan(tall.token.y + tall.token.h);
    expect(tall.experts[0]!.y).toBeGreaterThan(tall.router.y + tall.router.h);
    expect(tall.sum.cy).toBeGreaterThan(tall.experts[0]!.y + tall.experts[0]!.h);
  });
  it('writes curves that start and end where asked', () => {
    expect(flowCurve(0, 0, 10, 20, 'wide')).toBe('M0,0 C5,0 5,20 10,20');
    expect(flowCurve(0, 0, 10, 20, 'tall')).toBe('M0,0 C0,10 10,10 10,20');
  });
});
