// Character-level tokenizer of the model packs; the same rules as tools/train/tokenizer.py.
// ids: 0 <pad>, 1 <bos>, 2 <eos>, 3 <unk>, 4 '\n', 5 + (c − 0x20) for printable ASCII c in 0x20..0x7E.
// A tab encodes as a space; any other character (per Unicode code point) is <unk>.
// Decoding drops <pad>/<bos>/<eos> and writes <unk> (and any id out of range) as U+FFFD.
import * as v from 'valibot';
import { parseFile, parseJsonText, shown } from '../loading/fileSchema';
import { list, nonNegativeInt, positiveInt, text } from '../loading/fieldSchemas';
import { PackError, packError } from './config';

export type TokenizerSpec = {
  vocabSize: number;
  vocab: string[];
  pad: number;
  bos: number;
  eos: number;
  unk: number;
};

const FILE = 'tokenizer.json';

export class Tokenizer {
  readonly vocabSize: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  readonly unkId: number;
  private readonly charToId = new Map<string, number>();
  private readonly idToText: string[];

  constructor(spec: TokenizerSpec) {
    this.vocabSize = spec.vocabSize;
    this.bosId = spec.bos;
    this.eosId = spec.eos;
    this.padId = spec.pad;
    this.unkId = spec.unk;
    const specials = new Set([spec.pad, spec.bos, spec.eos, spec.unk]);
    this.idToText = spec.vocab.map((tok, id) => {
      if (id === spec.unk) return '\ufffd';
      if (specials.has(id)) return '';
      this.charToId.set(tok, id);
      return tok;
    });
  }

  /** Text to ids, without <bos> (prompts are fed as [bosId, ...encode(text)]). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const raw of text) {
      const ch = raw === '\t' ? ' ' : raw;
      out.push(this.charToId.get(ch) ?? this.unkId);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    let s = '';
    for (const id of ids) s += this.idToText[id] ?? '\ufffd';
    return s;
  }

  /** The id of one token as text (for display); specials by name. */
  tokenLabel(id: number): string {
    if (id === this.padId) return '<pad>';
    if (id === this.bosId) return '<bos>';
    if (id === this.eosId) return '<eos>';
    if (id === this.unkId) return '<unk>';
    return this.idToText[id] ?? '<?>';
  }
}

const TokenizerJsonSchema = v.object(
  {
    type: v.literal('char', (i) => `must be "char" (got ${shown(i.input)})`),
    vocab: list(text(16), 'a list of strings', 1 << 20),
    vocab_size: positiveInt(1 << 20),
    special: v.object(
      {
        pad: nonNegativeInt(),
        bos: nonNegativeInt(),
        eos: nonNegativeInt(),
        unk: nonNegativeInt(),
      },
      (i) => `must be an object (got ${shown(i.input)})`,
    ),
  },
  'must be a JSON object',
);

/** tokenizer.json as written by the exporter. */
export type TokenizerJson = v.InferOutput<typeof TokenizerJsonSchema>;

/** Parses `tokenizer.json`; `vocabSize` (from config.json) must agree. */
export function parseTokenizer(input: string | unknown, vocabSize?: number): Tokenizer {
  const raw = typeof input === 'string' ? parseJsonText(input, FILE, packError) : input;
  const t = parseFile(TokenizerJsonSchema, raw, FILE, { makeError: packError });
  const { vocab } = t;
  if (t.vocab_size !== vocab.length) {
    throw new PackError(
      FILE,
      `vocab_size ${t.vocab_size} does not match vocab (${vocab.length})`,
      'vocab_size',
    );
  }
  if (vocabSize !== undefined && vocab.length !== vocabSize) {
    throw new PackError(
      FILE,
      `vocab has ${vocab.length} entries, config.json vocab_size is ${vocabSize}`,
      'vocab',
    );
  }
  for (const key of ['pad', 'bos', 'eos', 'unk'] as const) {
    if (t.special[key] >= vocab.length) {
      throw new PackError(
        FILE,
        `special.${key} must be a token id below ${vocab.length}`,
        `special.${key}`,
      );
    }
  }
  return new Tokenizer({ vocabSize: vocab.length, vocab, ...t.special });
}
