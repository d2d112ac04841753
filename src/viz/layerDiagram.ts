// Geometry of the MoE layer diagram: one token of the engine's trace flowing into the router's
// bars, its top-k arrows to the expert boxes (sized by the layer's load), and the weighted sum.
// Pure numbers in pixels of the real drawing width, so fonts never scale with the picture.
// `wide` flows left to right (laptop, projector); `tall` flows top to bottom (phone).
import { scaleLinear, scaleSqrt } from 'd3';
import type { MoeLayerTrace } from '../engine/trace';

export type LayerRouting = Pick<
  MoeLayerTrace,
  'T' | 'k' | 'experts' | 'probs' | 'topkIds' | 'topkWeights' | 'counts'
>;

export type DiagramOrientation = 'wide' | 'tall';

/** Below this drawing width the diagram flows top to bottom. */
export const TALL_BELOW_PX = 640;

export type Rect = { x: number; y: number; w: number; h: number };

export type RouterBar = {
  expert: number;
  prob: number;
  /** The bar itself (its length is the probability on a 0…1 scale). */
  bar: Rect;
  /** Where its label and value are written. */
  labelAt: { x: number; y: number };
  valueAt: { x: number; y: number };
  /** Room to write every expert's label; when false only the chosen ones are labelled. */
  labelled: boolean;
  /** Rank among the token's top-k, or −1. */
  rank: number;
  off: boolean;
};

export type ExpertBox = Rect & {
  expert: number;
  /** (token, expert) pairs this expert received in the whole step (all T tokens). */
  pairs: number;
  /** pairs / (T·k): the expert's share of the layer's work. */
  share: number;
  /** pairs / the busiest expert's pairs, 0…1 (drives size and colour). */
  relativeLoad: number;
  /** Rank among this token's top-k, or −1. */
  rank: number;
  off: boolean;
};

export type Route = {
  expert: number;
  rank: number;
  prob: number;
  /** The weight the kernel scaled this expert's output by. */
  weight: number;
  /** Router → expert and expert → Σ, as SVG path data. */
  toExpert: string;
  toSum: string;
  strokeWidth: number;
  /** Where the weight is written, on the expert → Σ curve. */
  weightAt: { x: number; y: number };
};

export type CaptionKey = 'token' | 'router' | 'experts' | 'sum';
export type Caption = { key: CaptionKey; x: number; y: number; anchor: 'start' | 'middle' };

export type LayerDiagram = {
  orientation: DiagramOrientation;
  /** Where each stage's name is written. */
  captions: Caption[];
  width: number;
  height: number;
  token: Rect;
  router: Rect;
  tokenToRouter: string;
  bars: RouterBar[];
  experts: ExpertBox[];
  routes: Route[];
  sum: { cx: number; cy: number; r: number };
  output: Rect;
  sumToOutput: string;
};

export type TokenRoute = { expert: number; rank: number; prob: number; weight: number };

/** The k experts one token row went to, in rank order, with probability and kernel weight. */
export function tokenRoutes(layer: LayerRouting, row: number): TokenRoute[] {
  const { k, experts: E } = layer;
  return Array.from({ length: k }, (_, j) => {
    const expert = layer.topkIds[row * k + j]!;
    return {
      expert,
      rank: j,
      prob: layer.probs[row * E + expert] ?? 0,
      weight: layer.topkWeights[row * k + j]!,
    };
  });
}

/** A cubic curve between two points that leaves and arrives along the flow's axis. */
export function flowCurve(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  orientation: DiagramOrientation,
): string {
  const f = (v: number) => Number(v.toFixed(1));
  if (orientation === 'wide') {
    const mx = (x0 + x1) / 2;
    return `M${f(x0)},${f(y0)} C${f(mx)},${f(y0)} ${f(mx)},${f(y1)} ${f(x1)},${f(y1)}`;
  }
  const my = (y0 + y1) / 2;
  return `M${f(x0)},${f(y0)} C${f(x0)},${f(my)} ${f(x1)},${f(my)} ${f(x1)},${f(y1)}`;
}

/** The drawing's height for a width: landscape for `wide`, portrait for `tall`. */
export function diagramHeight(width: number, orientation: DiagramOrientation, experts: number) {
  if (orientation === 'wide') return Math.round(Math.min(520, Math.max(320, width * 0.36)));
  const expertRows = Math.ceil(experts / Math.min(experts, 8));
  return Math.round(Math.max(500, width * 1.2 + (expertRows - 1) * 48));
}

/** The least height of a `wide` drawing whose expert boxes still hold text of `fontPx`: a box is
 *  0.82 of its row and its text 0.8 of the box (captions' row and padding on top). */
export function minWideHeight(experts: number, fontPx: number) {
  return Math.round(3.6 * fontPx + experts * 1.55 * fontPx);
}

export function orientationFor(width: number): DiagramOrientation {
  return width < TALL_BELOW_PX ? 'tall' : 'wide';
}

type Input = {
  layer: LayerRouting;
  row: number;
  /** Experts switched off in the settings of the shown run. */
  off: readonly number[];
  width: number;
  /** Root font size in px: label room is reserved in multiples of it. */
  fontPx: number;
  /** The room left above the fold: a `wide` drawing is made no taller (short screens, a
   *  projector), though never so short that its boxes lose their text size. */
  maxHeight?: number;
};

export function layerDiagram({ layer, row, off, width, fontPx, maxHeight }: Input): LayerDiagram {
  const orientation = orientationFor(width);
  const E = layer.experts;
  const natural = diagramHeight(width, orientation, E);
  const height =
    orientation === 'wide' && maxHeight !== undefined && maxHeight < natural
      ? Math.round(Math.min(natural, Math.max(minWideHeight(E, fontPx), maxHeight)))
      : natural;
  const routes = tokenRoutes(layer, Math.max(0, Math.min(row, layer.T - 1)));
  const rankOf = new Map(routes.map((r) => [r.expert, r.rank]));
  const totalPairs = layer.T * layer.k;
  const maxPairs = Math.max(1, ...Array.from(layer.counts));
  const offSet = new Set(off);
  const base = (e: number) => {
    const pairs = layer.counts[e] ?? 0;
    return {
      expert: e,
      pairs,
      share: totalPairs > 0 ? pairs / totalPairs : 0,
      relativeLoad: pairs / maxPairs,
      rank: rankOf.get(e) ?? -1,
      off: offSet.has(e),
    };
  };
  const prob = (e: number) => layer.probs[Math.min(row, layer.T - 1) * E + e] ?? 0;
  return orientation === 'wide'
    ? wideLayout(width, height, fontPx, E, base, prob, rankOf, routes, offSet)
    : tallLayout(width, height, fontPx, E, base, prob, rankOf, routes, offSet);
}

type Base = Omit<ExpertBox, keyof Rect>;

function wideLayout(
  W: number,
  H: number,
  font: number,
  E: number,
  base: (e: number) => Base,
  prob: (e: number) => number,
  rankOf: Map<number, number>,
  routes: TokenRoute[],
  off: Set<number>,
): LayerDiagram {
  const pad = font;
  const top = 2.6 * font; // the captions' row
  const midY = (top + H - pad) / 2;
  const token: Rect = {
    x: pad,
    y: midY - 1.6 * font,
    w: Math.max(6 * font, W * 0.08),
    h: 3.2 * font,
  };
  const routerX = token.x + token.w + 2.5 * font;
  const routerW = W * 0.25;
  const rowH = Math.min(2.2 * font, (H - top - pad) / E);
  const router: Rect = { x: routerX, y: midY - (rowH * E) / 2, w: routerW, h: rowH * E };
  const labelled = rowH >= font * 1.05;
  const labelW = 2.6 * font;
  const valueW = 3.4 * font;
  const barLen = scaleLinear()
    .domain([0, 1])
    .range([0, Math.max(10, routerW - labelW - valueW)]);
  const bars: RouterBar[] = Array.from({ length: E }, (_, e) => {
    const y = router.y + e * rowH;
    const p = prob(e);
    return {
      expert: e,
      prob: p,
      bar: { x: router.x + labelW, y: y + rowH * 0.15, w: barLen(p), h: rowH * 0.7 },
      labelAt: { x: router.x + labelW - 0.4 * font, y: y + rowH / 2 },
      valueAt: { x: router.x + labelW + barLen(p) + 0.3 * font, y: y + rowH / 2 },
      labelled,
      rank: rankOf.get(e) ?? -1,
      off: off.has(e),
    };
  });
  const sum = { cx: W - 7.5 * font, cy: midY, r: 1.5 * font };
  const output: Rect = {
    x: W - 4.6 * font,
    y: midY - 1.6 * font,
    w: 4.6 * font - pad / 2,
    h: 3.2 * font,
  };
  const expertsX = router.x + router.w + Math.max(4 * font, W * 0.1);
  const expertsMaxW = Math.max(6 * font, sum.cx - sum.r - 5 * font - expertsX);
  const cellH = (H - top - pad) / E;
  const boxH = Math.min(2.6 * font, cellH * 0.82);
  const boxW = scaleSqrt()
    .domain([0, 1])
    .range([Math.min(5.5 * font, expertsMaxW * 0.45), expertsMaxW]);
  const experts: ExpertBox[] = Array.from({ length: E }, (_, e) => {
    const b = base(e);
    return {
      ...b,
      x: expertsX,
      y: top + e * cellH + (cellH - boxH) / 2,
      w: boxW(b.relativeLoad),
      h: boxH,
    };
  });
  const stroke = scaleLinear()
    .domain([0, 1])
    .range([1.5, 0.55 * font]);
  const routeList: Route[] = routes.map((r) => {
    const box = experts[r.expert]!;
    const bar = bars[r.expert]!;
    const cy = box.y + box.h / 2;
    const ex = box.x + box.w;
    return {
      ...r,
      // From just past the bar's value, so the route visibly leaves the bar it was chosen by.
      toExpert: flowCurve(bar.valueAt.x + 2.8 * font, bar.valueAt.y, box.x, cy, 'wide'),
      toSum: flowCurve(ex, cy, sum.cx - sum.r, sum.cy, 'wide'),
      strokeWidth: stroke(Math.max(0, Math.min(1, r.weight))),
      // Beside the box it weights, where the curve still runs level: labels never collide.
      weightAt: { x: ex + 1.9 * font, y: cy - 0.75 * font },
    };
  });
  const capY = 1.4 * font;
  return {
    orientation: 'wide',
    captions: [
      { key: 'token', x: token.x + token.w / 2, y: capY, anchor: 'middle' },
      { key: 'router', x: router.x, y: capY, anchor: 'start' },
      { key: 'experts', x: expertsX, y: capY, anchor: 'start' },
      { key: 'sum', x: sum.cx, y: capY, anchor: 'middle' },
    ],
    width: W,
    height: H,
    token,
    router,
    tokenToRouter: flowCurve(token.x + token.w, midY, router.x - 0.3 * font, midY, 'wide'),
    bars,
    experts,
    routes: routeList,
    sum,
    output,
    sumToOutput: flowCurve(sum.cx + sum.r, sum.cy, output.x, sum.cy, 'wide'),
  };
}

function tallLayout(
  W: number,
  H: number,
  font: number,
  E: number,
  base: (e: number) => Base,
  prob: (e: number) => number,
  rankOf: Map<number, number>,
  routes: TokenRoute[],
  off: Set<number>,
): LayerDiagram {
  const pad = font * 0.75;
  const token: Rect = { x: W / 2 - 3 * font, y: pad, w: 6 * font, h: 3.2 * font };
  const colW = (W - 2 * pad) / E;
  const labelled = colW >= font * 1.7;
  const router: Rect = { x: pad, y: token.y + token.h + 2.2 * font, w: W - 2 * pad, h: H * 0.2 };
  const labelH = 1.4 * font;
  const valueH = 1.3 * font;
  const barLen = scaleLinear()
    .domain([0, 1])
    .range([0, Math.max(10, router.h - labelH - valueH)]);
  const barBottom = router.y + router.h - labelH;
  const bars: RouterBar[] = Array.from({ length: E }, (_, e) => {
    const x = router.x + e * colW;
    const p = prob(e);
    const len = barLen(p);
    return {
      expert: e,
      prob: p,
      bar: { x: x + colW * 0.15, y: barBottom - len, w: colW * 0.7, h: len },
      labelAt: { x: x + colW / 2, y: barBottom + labelH * 0.6 },
      valueAt: { x: x + colW / 2, y: barBottom - len - 0.4 * font },
      labelled,
      rank: rankOf.get(e) ?? -1,
      off: off.has(e),
    };
  });
  const output: Rect = { x: W / 2 - 3 * font, y: H - pad - 2.8 * font, w: 6 * font, h: 2.8 * font };
  const sum = { cx: W / 2, cy: output.y - 3.2 * font, r: 1.4 * font };
  const cols = Math.min(E, 8);
  const rows = Math.ceil(E / cols);
  const expertsY = router.y + router.h + 3.5 * font;
  const expertsH = sum.cy - sum.r - 3 * font - expertsY;
  const cellW = (W - 2 * pad) / cols;
  const cellH = expertsH / rows;
  const boxW = Math.min(cellW * 0.88, 7 * font);
  // The idlest box still holds its name at the root size (its text is 0.8 of the box).
  const boxH = scaleSqrt()
    .domain([0, 1])
    .range([
      Math.min(cellH * 0.88, Math.max(1.3 * font, Math.min(2.4 * font, cellH * 0.4))),
      cellH * 0.88,
    ]);
  const experts: ExpertBox[] = Array.from({ length: E }, (_, e) => {
    const b = base(e);
    const h = boxH(b.relativeLoad);
    const c = e % cols;
    const r = Math.floor(e / cols);
    return {
      ...b,
      x: pad + c * cellW + (cellW - boxW) / 2,
      y: expertsY + r * cellH + (cellH - h) / 2,
      w: boxW,
      h,
    };
  });
  const stroke = scaleLinear()
    .domain([0, 1])
    .range([1.5, 0.5 * font]);
  // Weights under neighbouring boxes would overlap: then each goes a line lower by its rank.
  const centres = routes.map((r) => experts[r.expert]!.x + experts[r.expert]!.w / 2);
  const crowded = centres.some((a, i) =>
    centres.some((b, j) => i < j && Math.abs(a - b) < 4 * font),
  );
  const routeList: Route[] = routes.map((r) => {
    const box = experts[r.expert]!;
    const bar = bars[r.expert]!;
    const cx = box.x + box.w / 2;
    const by = box.y + box.h;
    return {
      ...r,
      toExpert: flowCurve(bar.bar.x + bar.bar.w / 2, router.y + router.h, cx, box.y, 'tall'),
      toSum: flowCurve(cx, by, sum.cx, sum.cy - sum.r, 'tall'),
      strokeWidth: stroke(Math.max(0, Math.min(1, r.weight))),
      // Under the box it weights when the experts make one row; else stacked above Σ by rank.
      weightAt:
        rows === 1
          ? { x: cx, y: by + (0.9 + (crowded ? 1.2 * r.rank : 0)) * font }
          : { x: sum.cx + 3.2 * font, y: sum.cy - sum.r - r.rank * 1.2 * font },
    };
  });
  return {
    orientation: 'tall',
    captions: [
      { key: 'router', x: pad, y: router.y - 0.7 * font, anchor: 'start' },
      { key: 'experts', x: pad, y: expertsY - 0.9 * font, anchor: 'start' },
      { key: 'sum', x: pad, y: sum.cy + 0.35 * font, anchor: 'start' },
    ],
    width: W,
    height: H,
    token,
    router,
    tokenToRouter: flowCurve(W / 2, token.y + token.h, W / 2, router.y - 0.2 * font, 'tall'),
    bars,
    experts,
    routes: routeList,
    sum,
    output,
    sumToOutput: flowCurve(sum.cx, sum.cy + sum.r, W / 2, output.y, 'tall'),
  };
}
