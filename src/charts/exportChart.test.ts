import { describe, expect, it } from 'vitest';
import { fileStem, svgMarkup, toCsv, type SvgNodeLike } from './exportChart';

describe('chart export helpers', () => {
  it('writes CSV with quoting', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          ['say "hi"', NaN],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n"say ""hi""",\r\n');
  });
  it('makes a file name from a title', () => {
    expect(fileStem('Router softmax — layer 2, token "a"')).toBe('router-softmax-layer-2-token-a');
    expect(fileStem('***')).toBe('chart');
  });

  it('writes styles as presentation attributes, never a style attribute (CSP style-src-attr)', () => {
    const el = (
      nodeName: string,
      attrs: Record<string, string>,
      children: SvgNodeLike[] = [],
    ): SvgNodeLike => ({
      nodeType: 1,
      nodeName,
      nodeValue: null,
      attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })),
      childNodes: children,
    });
    const label: SvgNodeLike = {
      nodeType: 3,
      nodeName: '#text',
      nodeValue: 'a < b & "c"',
      childNodes: [],
    };
    const svg = el('svg', { viewBox: '0 0 10 10', style: 'fill: red', onclick: 'x()' }, [
      el('rect', { class: 'bar', width: '4', style: 'fill: rgb(1, 2, 3)' }),
      el('text', { x: '1' }, [label]),
      el('script', {}, []),
    ]);
    const computed = (n: SvgNodeLike) => ({
      getPropertyValue: (p: string) =>
        p === 'fill'
          ? n.nodeName === 'rect'
            ? 'rgb(1, 2, 3)'
            : 'rgb(0, 0, 0)'
          : p === 'font-family'
            ? '"Inter", sans-serif'
            : '',
    });
    const out = svgMarkup(
      svg,
      computed,
      { xmlns: 'http://www.w3.org/2000/svg' },
      '<rect fill="#fff"/>',
    );
    expect(out).not.toMatch(/\sstyle=/);
    expect(out).not.toMatch(/onclick|script/);
    expect(out).toContain(
      '<rect class="bar" width="4" fill="rgb(1, 2, 3)" font-family="&quot;Inter&quot;, sans-serif"/>',
    );
    expect(out).toContain('>a &lt; b &amp; &quot;c&quot;</text>');
    expect(out.startsWith('<svg viewBox="0 0 10 10" fill="rgb(0, 0, 0)"')).toBe(true);
    expect(out).toContain('xmlns="http://www.w3.org/2000/svg"><rect fill="#fff"/><rect');
  });
});
