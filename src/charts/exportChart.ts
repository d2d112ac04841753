// Export of any chart: its SVG (with the computed styles written as SVG presentation attributes,
// so it looks the same outside the page), a PNG rendered from that SVG, and its data as CSV. One
// helper for every chart. The SVG text is written from the drawn chart, never by cloning it and
// setting `style` attributes: the lab's CSP (`style-src 'self'`) forbids inline style attributes,
// and every one set would be a violation.

/** Computed properties carried into the export, each also an SVG presentation attribute. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const;

/** CSV text (RFC 4180 quoting) of a header and rows. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cell = (v: string | number) => {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a chart title: lower case, words joined by dashes. */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'chart'
  );
}

/** The parts of a DOM node the exporter reads (an interface, so it is testable without a DOM). */
export type SvgNodeLike = {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<SvgNodeLike>;
};

export type ComputedStyleOf = (el: SvgNodeLike) => { getPropertyValue(name: string): string };

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/**
 * Markup of `node` and its subtree: its own attributes except `style` and event handlers, then
 * each computed style property as a presentation attribute (the export has no style sheet, so
 * these decide how it looks). `extra` is written right after the opening tag of the root.
 */
export function svgMarkup(
  node: SvgNodeLike,
  computed: ComputedStyleOf,
  rootAttrs: Record<string, string> = {},
  extra = '',
): string {
  if (node.nodeType === TEXT_NODE) return escapeXml(node.nodeValue ?? '');
  if (node.nodeType !== ELEMENT_NODE) return '';
  const name = node.nodeName;
  // Nothing that could run or embed another document travels in an exported picture.
  if (/^(script|foreignObject)$/i.test(name)) return '';
  const attrs = new Map<string, string>();
  for (const a of Array.from(node.attributes ?? [])) {
    if (a.name === 'style' || /^on/i.test(a.name)) continue;
    attrs.set(a.name, a.value);
  }
  const cs = computed(node);
  for (const p of STYLE_PROPS) {
    const value = cs.getPropertyValue(p).trim();
    if (value !== '') attrs.set(p, value);
  }
  for (const [k, v] of Object.entries(rootAttrs)) attrs.set(k, v);
  const open = [name, ...[...attrs].map(([k, v]) => `${k}="${escapeXml(v)}"`)].join(' ');
  const inner = extra + Array.from(node.childNodes, (c) => svgMarkup(c, computed)).join('');
  return inner === '' ? `<${open}/>` : `<${open}>${inner}</${name}>`;
}

/** Standalone SVG text of a drawn chart: computed styles as attributes, white background. */
export function serializeSvg(svg: SVGSVGElement): string {
  const { width, height } = svg.getBoundingClientRect();
  return svgMarkup(
    svg,
    (el) => getComputedStyle(el as unknown as Element),
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: String(Math.ceil(width)),
      height: String(Math.ceil(height)),
    },
    '<rect width="100%" height="100%" fill="#ffffff"/>',
  );
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Give the browser a moment to start the download before freeing the URL.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadSvg(svg: SVGSVGElement, stem: string): void {
  downloadBlob(new Blob([serializeSvg(svg)], { type: 'image/svg+xml' }), `${stem}.svg`);
}

/** PNG at twice the on-screen size (sharp on slides). */
export async function downloadPng(svg: SVGSVGElement, stem: string): Promise<void> {
  const text = serializeSvg(svg);
  const { width, height } = svg.getBoundingClientRect();
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * 2);
  canvas.height = Math.ceil(height * 2);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no 2D canvas to draw the PNG on');
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the PNG');
  downloadBlob(blob, `${stem}.png`);
}

export function downloadCsv(csv: string, stem: string): void {
  downloadBlob(new Blob([csv], { type: 'text/csv' }), `${stem}.csv`);
}
