// Fuzzing the model-pack reader with hostile inputs (issue 11): every malformed config, header,
// tensor table or tokenizer must end in a PackError naming the file, never in another exception,
// and the tokenizer must map any text to valid ids. Counts are fixed so the README can state them.
import { describe, expect, it } from 'vitest';
import { rng } from '../kernels/random';
import { PackError } from './config';
import { validatePack } from './pack';
import { parseSafetensors } from './safetensors';
import { parseTokenizer } from './tokenizer';
import { readPackFiles } from './testing/diskPack';

export const FUZZ_COUNTS = {
  configFields: 600,
  configBytes: 400,
  safetensors: 1500,
  tokenizerSpecs: 400,
  texts: 3000,
};

const files = readPackFiles('mixtral-style');
const text = (name: string) => new TextDecoder().decode(files.get(name));
const bytes = (s: string) => new TextEncoder().encode(s);

const HOSTILE: unknown[] = [
  null,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  '',
  'x',
  '__proto__',
  [],
  {},
  [1, 2],
  true,
  'a'.repeat(10000),
  { constructor: 1 },
];

/** Runs `f`; passes if it returns or throws a PackError, fails on anything else. */
async function onlyPackErrors(f: () => unknown, what: string, problems: string[]) {
  try {
    await f();
  } catch (err) {
    if (!(err instanceof PackError))
      problems.push(
        `${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
      );
  }
}

describe('model-pack fuzzing', () => {
  it(`config.json with hostile field values (${FUZZ_COUNTS.configFields} cases)`, async () => {
    const r = rng(11);
    const base = JSON.parse(text('config.json')) as Record<string, unknown>;
    const keys = Object.keys(base);
    const problems: string[] = [];
    for (let i = 0; i < FUZZ_COUNTS.configFields; i++) {
      const cfg: Record<string, unknown> = structuredClone(base);
      const key = keys[Math.floor(r() * keys.length)]!;
      cfg[key] = HOSTILE[Math.floor(r() * HOSTILE.length)];
      if (r() < 0.3) delete cfg[keys[Math.floor(r() * keys.length)]!];
      const mutated = new Map(files).set('config.json', bytes(JSON.stringify(cfg)));
      await onlyPackErrors(
        () => validatePack(mutated, { verifyHashes: false }),
        `${key}`,
        problems,
      );
    }
    expect(problems).toEqual([]);
  });

  it(`config.json with random byte damage and truncation (${FUZZ_COUNTS.configBytes} cases)`, async () => {
    const r = rng(12);
    const original = files.get('config.json')!;
    const problems: string[] = [];
    for (let i = 0; i < FUZZ_COUNTS.configBytes; i++) {
      let b = original.slice(0, Math.floor(r() * (original.length + 1)));
      for (let j = 0; j < 3; j++)
        if (b.length) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      if (r() < 0.5) b = original.slice();
      b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      const mutated = new Map(files).set('config.json', b);
      await onlyPackErrors(
        () => validatePack(mutated, { verifyHashes: false }),
        `case ${i}`,
        problems,
      );
    }
    expect(problems).toEqual([]);
  });

  it(`moe.safetensors with damaged headers, lengths and truncations (${FUZZ_COUNTS.safetensors} cases)`, async () => {
    const r = rng(13);
    const original = files.get('moe.safetensors')!;
    const headerLen = Number(
      new DataView(original.buffer, original.byteOffset).getBigUint64(0, true),
    );
    const problems: string[] = [];
    for (let i = 0; i < FUZZ_COUNTS.safetensors; i++) {
      const kind = i % 3;
      let b: Uint8Array;
      if (kind === 0) {
        // Damage inside the 8-byte length or the JSON header.
        b = original.slice(0, 8 + headerLen + 64);
        for (let j = 0; j < 1 + Math.floor(r() * 4); j++)
          b[Math.floor(r() * (8 + headerLen))] = Math.floor(r() * 256);
      } else if (kind === 1) {
        b = original.slice(0, Math.floor(r() * original.length));
      } else {
        // A hostile header: plausible JSON with wrong offsets, shapes and dtypes.
        const header = JSON.parse(
          new TextDecoder().decode(original.slice(8, 8 + headerLen)),
        ) as Record<string, Record<string, unknown>>;
        const names = Object.keys(header).filter((n) => n !== '__metadata__');
        const t = header[names[Math.floor(r() * names.length)]!]!;
        const field = ['dtype', 'shape', 'data_offsets'][Math.floor(r() * 3)]!;
        t[field] = HOSTILE[Math.floor(r() * HOSTILE.length)];
        const json = bytes(JSON.stringify(header));
        b = new Uint8Array(8 + json.length + 16);
        new DataView(b.buffer).setBigUint64(0, BigInt(json.length), true);
        b.set(json, 8);
      }
      await onlyPackErrors(() => parseSafetensors(b), `case ${i} (kind ${kind})`, problems);
    }
    expect(problems).toEqual([]);
  });

  it(`tokenizer.json with hostile specs (${FUZZ_COUNTS.tokenizerSpecs} cases)`, async () => {
    const r = rng(14);
    const base = JSON.parse(text('tokenizer.json')) as Record<string, unknown>;
    const keys = Object.keys(base);
    const problems: string[] = [];
    for (let i = 0; i < FUZZ_COUNTS.tokenizerSpecs; i++) {
      const spec: Record<string, unknown> = structuredClone(base);
      spec[keys[Math.floor(r() * keys.length)]!] = HOSTILE[Math.floor(r() * HOSTILE.length)];
      await onlyPackErrors(() => parseTokenizer(JSON.stringify(spec)), `case ${i}`, problems);
    }
    expect(problems).toEqual([]);
  });

  it(`the tokenizer maps any text to valid ids (${FUZZ_COUNTS.texts} random texts)`, () => {
    const r = rng(15);
    const tok = parseTokenizer(text('tokenizer.json'));
    const pools = [
      'abc XYZ 019+-=()[]{}',
      '\t\n\r\u0000\u007f',
      'éü漢字🙂\ud800\udfff',
      '\u200b\ufeff\u202e',
    ];
    const problems: string[] = [];
    for (let i = 0; i < FUZZ_COUNTS.texts; i++) {
      let s = '';
      const n = Math.floor(r() * 60);
      for (let j = 0; j < n; j++) {
        const pool = pools[Math.floor(r() * pools.length)]!;
        s += pool.charAt(Math.floor(r() * pool.length));
      }
      const ids = tok.encode(s);
      if (ids.some((id) => !Number.isInteger(id) || id < 0 || id >= tok.vocabSize))
        problems.push(JSON.stringify(s));
      if (typeof tok.decode(ids) !== 'string') problems.push(`decode ${JSON.stringify(s)}`);
    }
    expect(problems).toEqual([]);
    // Printable ASCII survives the round trip; other characters map to <unk>, shown as U+FFFD.
    expect(tok.decode(tok.encode('add: 37+45=82'))).toBe('add: 37+45=82');
    expect(tok.decode(tok.encode('é'))).toBe('\ufffd');
  });
});
