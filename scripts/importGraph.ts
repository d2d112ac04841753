// The app's module graph, read from the source with TypeScript's parser, and the import cycles in
// it. A cycle makes module initialisation order matter and blurs which layer depends on which, so
// `importGraph.test.ts` fails the unit tests (and so `npm test`) on any cycle. Every kind of
// import counts, `import type` included: a type-only cycle still ties two layers together.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** file → the files it imports; paths relative to the root, with '/' separators. */
export type ImportGraph = Map<string, string[]>;

const SOURCE_EXTENSIONS = ['.ts', '.tsx'];

/** The module specifiers a file names: static and dynamic imports, re-exports, `import('x').T`. */
export function importSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The source file a relative specifier names, as the bundler resolves it (`./a` → `./a.ts`,
 * `./a.tsx` or `./a/index.ts`; a `?raw`-style query is dropped), or null for a package or a
 * non-source asset (WGSL, CSS, JSON).
 */
export function resolveSpecifier(
  fromFile: string,
  specifier: string,
  isFile: (path: string) => boolean,
): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const base = join(dirname(fromFile), specifier.split('?')[0]!);
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    ...SOURCE_EXTENSIONS.map((ext) => join(base, 'index' + ext)),
  ];
  const hit = candidates.find((c) => SOURCE_EXTENSIONS.some((e) => c.endsWith(e)) && isFile(c));
  return hit ? hit.split('\\').join('/') : null;
}

function sourceFilesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const path = join(abs, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts'))
        out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** The graph of every TypeScript file under `dirs` (relative to `root`). */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const isFile = (path: string) => {
    const abs = resolve(root, path);
    return existsSync(abs) && statSync(abs).isFile();
  };
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap((dir) => sourceFilesUnder(root, dir))) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = importSpecifiers(file, text)
      .map((spec) => resolveSpecifier(file, spec, isFile))
      .filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), each written as a path that
 * starts and ends at its alphabetically first file: `a → b → c → a`.
 */
export function findCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components
    .map((component) => cyclePath(graph, component))
    .sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** One closed path through a component, by breadth-first search back to its first file. */
function cyclePath(graph: ImportGraph, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
