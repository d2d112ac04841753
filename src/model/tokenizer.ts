// Character-level tokenizer of the model packs; the same rules as tools/train/tokenizer.py.
// ids: 0 <pad>, 1 <bos>, 2 <eos>, 3 <unk>, 4 '\n', 5 + (c − 0x20) for printable ASCII c in 0x20..0x7E.
// A tab encodes as a space; any other character (per Unicode code point) is <unk>.
// Decoding drops <pad>/<bos>/<eos> and writes <unk> (and any id out of range) as U+FFFD.
import { PackError } from './config';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `tokenizer.json`; `vocabSize` (from config.json) must agree. */
export function parseTokenizer(input: string | unknown, vocabSize?: number): Tokenizer {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      throw new PackError(FILE, 'not valid JSON');
    }
  }
  if (!isRecord(raw)) throw new PackError(FILE, 'must be a JSON object');
  if (raw['type'] !== 'char')
    throw new PackError(FILE, `type must be "char" (got ${JSON.stringify(raw['type'])})`, 'type');
  const vocab = raw['vocab'];
  if (!Array.isArray(vocab) || !vocab.every((v) => typeof v === 'string')) {
    throw new PackError(FILE, 'vocab must be a list of strings', 'vocab');
  }
  if (raw['vocab_size'] !== vocab.length) {
    throw new PackError(
      FILE,
      `vocab_size ${String(raw['vocab_size'])} does not match vocab (${vocab.length})`,
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
  const sp = raw['special'];
  if (!isRecord(sp)) throw new PackError(FILE, 'special must be an object', 'special');
  const ids: Record<string, number> = {};
  for (const key of ['pad', 'bos', 'eos', 'unk']) {
    const v = sp[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab.length) {
      throw new PackError(
        FILE,
        `special.${key} must be a token id below ${vocab.length}`,
        `special.${key}`,
      );
    }
    ids[key] = v;
  }
  return new Tokenizer({
    vocabSize: vocab.length,
    vocab: vocab as string[],
    pad: ids['pad']!,
    bos: ids['bos']!,
    eos: ids['eos']!,
    unk: ids['unk']!,
  });
}
