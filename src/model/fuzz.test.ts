// Fuzz targets for every file a model pack holds and for models/index.json (issues 11 and 24):
// at least 2 000 seeded hostile inputs per file type — fields replaced, deleted, duplicated or
// wrapped at any depth, text cut short or damaged — and every one must end in success or in an
// error that names the file (a FileFormatError, PackError for pack files), never another
// exception. The tokenizer must also map any text to valid ids. Counts are fixed so the README
// can state them; the benchmark result files have theirs in src/panels/performance.
import { describe, expect, it } from 'vitest';
import { rng } from '../kernels/random';
import { FileFormatError, parseJsonText } from '../loading/fileSchema';
import { packError, parseConfig, type ModelConfig } from './config';
import { parseModelIndex } from './modelIndex';
import { parseEvalSets, parseGolden } from './pack';
import { packFileUrl } from './packUrl';
import { parseSafetensors } from './safetensors';
import { parseTokenizer } from './tokenizer';
import { hostileJsonTexts, mutateOnce } from './testing/fuzzJson';
import { MODELS_DIR, readPackFiles } from './testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from './testing/timeouts';
import { readFileSync } from 'node:fs';

export const FUZZ_COUNTS = {
  config: 2000,
  safetensors: 2100,
  tokenizer: 2000,
  eval: 2000,
  golden: 2000,
  index: 2000,
  texts: 3000,
};

const files = readPackFiles('mixtral-style');
const text = (name: string) => new TextDecoder().decode(files.get(name));
const json = (name: string) => JSON.parse(text(name)) as Record<string, unknown>;
const config: ModelConfig = parseConfig(text('config.json'));

/** Runs `f` on each input; collects every outcome that is neither success nor an error naming `file`. */
function onlyNamedErrors(file: string, inputs: Iterable<string>, f: (s: string) => unknown) {
  const problems: string[] = [];
  let n = 0;
  let fieldErrors = 0;
  for (const input of inputs) {
    n++;
    try {
      f(input);
    } catch (err) {
      const named =
        err instanceof FileFormatError && err.file === file && err.message.startsWith(`${file}: `);
      if (named && err.field !== null) fieldErrors++;
      if (!named)
        problems.push(
          `${input.slice(0, 80)} → ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        );
    }
  }
  // Many variants must get past JSON parsing and be refused for a named field: a generator that
  // only produced broken JSON would test nothing.
  if (fieldErrors < n / 5) problems.push(`only ${fieldErrors} of ${n} refused for a named field`);
  return { problems: problems.slice(0, 5), count: n };
}

describe('fuzzing every file the lab reads', { timeout: MODEL_RUN_TIMEOUT_MS }, () => {
  it(`config.json (${FUZZ_COUNTS.config} hostile variants); every accepted file name stays in the pack`, () => {
    const outside: string[] = [];
    const { problems, count } = onlyNamedErrors(
      'config.json',
      hostileJsonTexts(json('config.json'), FUZZ_COUNTS.config, 11),
      (s) => {
        const c = parseConfig(s);
        for (const f of c.files) {
          try {
            packFileUrl('https://lab.test/moe-lab/models/p/', f.name, 'https://lab.test');
          } catch {
            outside.push(f.name);
          }
        }
      },
    );
    expect(count).toBe(FUZZ_COUNTS.config);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });

  it(`moe.safetensors (${FUZZ_COUNTS.safetensors} damaged headers, lengths and truncations)`, () => {
    const r = rng(13);
    const original = files.get('moe.safetensors')!;
    const headerLen = Number(
      new DataView(original.buffer, original.byteOffset).getBigUint64(0, true),
    );
    const header = JSON.parse(new TextDecoder().decode(original.slice(8, 8 + headerLen)));
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
        b = original.subarray(0, Math.floor(r() * original.length));
      } else {
        // A hostile header: plausible JSON with wrong offsets, shapes, dtypes and metadata.
        const bytes = new TextEncoder().encode(JSON.stringify(mutateOnce(header, r)) ?? '');
        b = new Uint8Array(8 + bytes.length + 16);
        new DataView(b.buffer).setBigUint64(0, BigInt(bytes.length), true);
        b.set(bytes, 8);
      }
      try {
        parseSafetensors(b);
      } catch (err) {
        if (!(err instanceof FileFormatError && err.file === 'moe.safetensors'))
          problems.push(`case ${i} (kind ${kind}): ${String(err)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it(`tokenizer.json (${FUZZ_COUNTS.tokenizer} hostile variants)`, () => {
    const { problems, count } = onlyNamedErrors(
      'tokenizer.json',
      hostileJsonTexts(json('tokenizer.json'), FUZZ_COUNTS.tokenizer, 14),
      (s) => parseTokenizer(s, config.vocabSize),
    );
    expect(count).toBe(FUZZ_COUNTS.tokenizer);
    expect(problems).toEqual([]);
  });

  it(`eval.json (${FUZZ_COUNTS.eval} hostile variants)`, () => {
    // Three prompts a skill: the structure is what is under attack, not the length.
    const small = json('eval.json') as { skills: Record<string, unknown[]> };
    for (const k of Object.keys(small.skills)) small.skills[k] = small.skills[k]!.slice(0, 3);
    const { problems, count } = onlyNamedErrors(
      'eval.json',
      hostileJsonTexts(small, FUZZ_COUNTS.eval, 16),
      (s) => parseEvalSets(parseJsonText(s, 'eval.json', packError), config.skills),
    );
    expect(count).toBe(FUZZ_COUNTS.eval);
    expect(problems).toEqual([]);
  });

  it(`golden.json (${FUZZ_COUNTS.golden} hostile variants)`, () => {
    // A complete golden file for a tiny config (the committed ones are checked in pack.test.ts):
    // the structure is what is under attack, and a small file keeps 2 000 variants quick.
    const tiny: ModelConfig = {
      ...config,
      vocabSize: 8,
      hidden: 4,
      layers: 2,
      experts: 4,
      topK: 2,
    };
    const T = 3;
    const nums = (n: number) => Array.from({ length: n }, (_, i) => (i % 7) / 7 - 0.4);
    const rows = (f: (t: number) => number[]) => Array.from({ length: T }, (_, t) => f(t));
    const g = {
      note: 'tiny',
      prompts: [
        {
          text: 'ab',
          ids: [1, 5, 6],
          logits: nums(T * tiny.vocabSize),
          last_logits: nums(tiny.vocabSize),
          greedy_completion: 'c',
          routing: [0, 1].map((layer) => ({
            layer,
            topk_ids: rows((t) => [t % 4, (t + 1) % 4]),
            topk_weights: rows(() => [0.75, 0.25]),
          })),
        },
      ],
      moe_sample: { prompt_index: 0, layer: 1, moe_in: nums(T * 4), moe_out: nums(T * 4) },
    };
    expect(() => parseGolden(g, tiny)).not.toThrow();
    const { problems, count } = onlyNamedErrors(
      'golden.json',
      hostileJsonTexts(g, FUZZ_COUNTS.golden, 17),
      (s) => parseGolden(parseJsonText(s, 'golden.json', packError), tiny),
    );
    expect(count).toBe(FUZZ_COUNTS.golden);
    expect(problems).toEqual([]);
  });

  it(`models/index.json (${FUZZ_COUNTS.index} hostile variants)`, () => {
    const index = JSON.parse(readFileSync(`${MODELS_DIR}index.json`, 'utf8')) as unknown;
    const { problems, count } = onlyNamedErrors(
      'index.json',
      hostileJsonTexts(index, FUZZ_COUNTS.index, 18),
      (s) => parseModelIndex(s),
    );
    expect(count).toBe(FUZZ_COUNTS.index);
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
