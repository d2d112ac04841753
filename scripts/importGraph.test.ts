import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findCycles,
  importSpecifiers,
  readImportGraph,
  resolveSpecifier,
  type ImportGraph,
} from './importGraph';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('import specifiers', () => {
  it('finds static, type-only, re-exported, dynamic and import-type specifiers', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "const e = () => import('./e');",
      "let f: import('./f').F;",
      "import 'react';",
    ].join('\n');
    expect(importSpecifiers('x.ts', text)).toEqual([
      './a',
      '../b',
      './c',
      './d',
      './e',
      './f',
      'react',
    ]);
  });

  it('resolves a relative specifier as the bundler does and skips packages and assets', () => {
    const files = new Set(['src/a/b.ts', 'src/a/C.tsx', 'src/d/index.ts', 'src/a/x.css']);
    const isFile = (p: string) => files.has(p);
    expect(resolveSpecifier('src/a/m.ts', './b', isFile)).toBe('src/a/b.ts');
    expect(resolveSpecifier('src/a/m.ts', './C', isFile)).toBe('src/a/C.tsx');
    expect(resolveSpecifier('src/a/m.ts', '../d', isFile)).toBe('src/d/index.ts');
    expect(resolveSpecifier('src/a/m.ts', './b.ts?raw', isFile)).toBe('src/a/b.ts');
    expect(resolveSpecifier('src/a/m.ts', './x.css', isFile)).toBeNull();
    expect(resolveSpecifier('src/a/m.ts', 'react', isFile)).toBeNull();
  });
});

describe('import cycles', () => {
  it('finds none in a graph that only points one way', () => {
    expect(findCycles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('writes each cycle as a closed path from its first file', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a', 'd'], d: ['d'], e: ['a'] });
    expect(findCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });

  it('reports two cycles through the same file as one component', () => {
    const graph = graphOf({ a: ['b', 'c'], b: ['a'], c: ['a'] });
    expect(findCycles(graph)).toEqual([['a', 'b', 'a']]);
  });

  // The check that fails `npm test` on a cycle anywhere in the app, its tests, benches or scripts.
  it('finds none in the lab', () => {
    const graph = readImportGraph(ROOT, ['src', 'bench', 'e2e', 'scripts']);
    expect(graph.size).toBeGreaterThan(100);
    const cycles = findCycles(graph).map((path) => path.join(' → '));
    expect(cycles, 'import cycles (break each one; see eslint.config.js for the layers)').toEqual(
      [],
    );
  });
});
