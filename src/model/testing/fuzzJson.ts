// Seeded generators of hostile variants of a JSON file, for the fuzz targets of every file type the
// lab reads: structural damage (a field replaced by a hostile value, deleted, duplicated, wrapped,
// a list cut or padded — at any depth) and text damage (truncation, flipped bytes). Same seed,
// same inputs, so a failure found once is found again.
import { rng } from '../../kernels/random';

/** Values no field of a lab file should accept blindly. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  -1,
  0,
  1.5,
  -0.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  '',
  'x',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  'https:evil.example',
  '%2e%2e%2f',
  '\u0000',
  [],
  {},
  [1, 2],
  [null],
  [[]],
  true,
  false,
  'a'.repeat(20_000),
  { constructor: 1 },
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** One structural mutation, at a random depth, of a copy of `root`. */
export function mutateOnce(root: unknown, r: () => number): unknown {
  const holder: Container = [structuredClone(root)];
  let parent: Container = holder;
  let key: string | number = 0;
  // Walk down: deeper fields are reached often, the top level still sometimes.
  for (;;) {
    const node: unknown = (parent as Record<string | number, unknown>)[key];
    if (!isContainer(node) || r() < 0.25) break;
    const keys: (string | number)[] = Array.isArray(node)
      ? node.map((_, i) => i)
      : Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = pick(r, keys);
  }
  const slot = parent as Record<string | number, unknown>;
  const value = slot[key];
  const op = Math.floor(r() * 7);
  if (op === 0 || op === 1) slot[key] = structuredClone(pick(r, HOSTILE_VALUES));
  else if (op === 2) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete slot[key];
  } else if (op === 3) slot[key] = [value];
  else if (op === 4) {
    if (Array.isArray(value)) value.length = Math.floor(r() * value.length);
    else slot[key] = typeof value === 'number' ? -value - 0.5 : String(value);
  } else if (op === 5) {
    if (Array.isArray(value)) value.push(structuredClone(pick(r, HOSTILE_VALUES)));
    else if (isContainer(value))
      (value as Record<string, unknown>)['junk'] = structuredClone(pick(r, HOSTILE_VALUES));
    else slot[key] = typeof value === 'string' ? Number(value.length) : null;
  } else if (Array.isArray(parent)) parent.push(structuredClone(value));
  else slot[`${String(key)}_copy`] = value;
  return holder[0];
}

/** `n` hostile variants of a JSON document, as text: mostly structural, some text damage. */
export function* hostileJsonTexts(root: unknown, n: number, seed: number): Generator<string> {
  const r = rng(seed);
  const original = JSON.stringify(root);
  for (let i = 0; i < n; i++) {
    if (i % 4 === 3) {
      // Text damage: cut short and a few bytes flipped, or a flip in the whole text.
      const chars = [
        ...original.slice(0, r() < 0.5 ? Math.floor(r() * original.length) : undefined),
      ];
      for (let j = 0; j < 3 && chars.length; j++)
        chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 128));
      yield chars.join('');
    } else {
      let doc = root;
      const times = 1 + Math.floor(r() * 3);
      for (let j = 0; j < times; j++) doc = mutateOnce(doc, r);
      yield JSON.stringify(doc) ?? 'undefined';
    }
  }
}
