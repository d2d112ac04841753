// Model-pack config (`config.json`, written by tools/train/export.py) and its validation.
// Every error names the file and the field: `config.json: layers must be a positive integer`.
import * as v from 'valibot';
import { FileFormatError, parseFile, parseJsonText, shown } from '../loading/fileSchema';
import {
  flag,
  nonEmptyList,
  nonNegativeInt,
  positiveInt,
  positiveNumber,
  text,
  list,
} from '../loading/fieldSchemas';

export const PACK_FORMAT_VERSION = 1;

/** An invalid or truncated model pack. `file` is the pack file, `field` the offending field or tensor. */
export class PackError extends FileFormatError {
  constructor(file: string, message: string, field: string | null = null) {
    super(file, message, field);
    this.name = 'PackError';
  }
}

const CONFIG = 'config.json';
/** For parseFile: schema problems in pack files are PackErrors. */
export const packError = (file: string, message: string, field: string | null) =>
  new PackError(file, message, field);

/** Letters, digits, `_`, `-` and single dots: nothing a URL could read as a host or folder. */
const PACK_FILE_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]|\.(?!\.)){0,99}$/;

export function isPackFileName(name: unknown): name is string {
  return typeof name === 'string' && PACK_FILE_NAME.test(name);
}

const SKILL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

const PackFileEntrySchema = v.object(
  {
    name: v.pipe(
      v.string((i) => `must be a plain file name (got ${shown(i.input)})`),
      v.regex(
        PACK_FILE_NAME,
        (i) =>
          `must be a plain file name: letters, digits, ".", "_" and "-" (got ${shown(i.input)})`,
      ),
    ),
    bytes: nonNegativeInt(),
    sha256: v.pipe(
      v.string('must be 64 lower-case hex digits'),
      v.regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    ),
  },
  (i) => `must be an object (got ${shown(i.input)})`,
);

/**
 * Upper bounds far above any pack the lab can run, so an absurd value is refused here with its
 * name rather than failing later as an allocation error.
 */
export const ConfigJsonSchema = v.object(
  {
    format_version: positiveInt(1000),
    id: text(200),
    description: v.optional(text(10_000), ''),
    vocab_size: positiveInt(1 << 20),
    hidden: positiveInt(1 << 16),
    layers: positiveInt(1024),
    heads: positiveInt(1024),
    kv_heads: positiveInt(1024),
    head_dim: positiveInt(4096),
    max_context: positiveInt(1 << 20),
    rope_theta: positiveNumber(),
    norm_eps: positiveNumber(),
    experts: positiveInt(512),
    top_k: positiveInt(16),
    expert_ffn: positiveInt(1 << 18),
    shared_ffn: nonNegativeInt(1 << 18),
    router_scoring: v.literal('softmax', (i) => `must be "softmax" (got ${shown(i.input)})`),
    renormalize: flag(),
    // Written only by packs trained with DeepSeek-V3 bias balancing (moe.safetensors then holds
    // layers.<l>.router.bias).
    router_bias: v.optional(flag(), false),
    tie_embeddings: flag(),
    // Skill names key objects (eval.json's sets): plain lower-case words, never `__proto__`.
    skills: nonEmptyList(
      v.pipe(
        v.string((i) => `must hold skill names (got ${shown(i.input)})`),
        v.regex(SKILL_NAME, (i) => `must hold plain lower-case names (got ${shown(i.input)})`),
      ),
      'a non-empty list of names',
      100,
    ),
    params: v.optional(
      v.looseObject({ total: nonNegativeInt(), active: nonNegativeInt() }, 'must be an object'),
    ),
    files: list(PackFileEntrySchema, 'a list', 10_000),
  },
  'must be a JSON object',
);

/** config.json as written by the exporter (the fields the lab reads). */
export type ConfigJson = v.InferOutput<typeof ConfigJsonSchema>;
export type PackFileEntry = ConfigJson['files'][number];

export type ModelConfig = {
  formatVersion: number;
  id: string;
  description: string;
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  maxContext: number;
  ropeTheta: number;
  normEps: number;
  /** Routed experts; 1 = dense FFN (expert 0 with weight 1, no router tensor). */
  experts: number;
  topK: number;
  /** Routed expert FFN size I. */
  expertFfn: number;
  /** Shared-expert FFN size Is; 0 = none. */
  sharedFfn: number;
  routerScoring: 'softmax';
  /** A per-expert selection bias in every routed layer (bias balancing). */
  routerBias: boolean;
  renormalize: boolean;
  tieEmbeddings: boolean;
  skills: string[];
  params: { total: number; active: number } | null;
  files: PackFileEntry[];
};

/** The files every pack of this config must list (and the engine needs). */
export function requiredFiles(layers: number): string[] {
  const attn = Array.from({ length: layers }, (_, l) => `attn_${l}.onnx`);
  return [
    'embed.onnx',
    ...attn,
    'head.onnx',
    'moe.safetensors',
    'reference.onnx',
    'tokenizer.json',
    'eval.json',
    'golden.json',
  ];
}

/** Parses `config.json` (text or already-parsed JSON) into a checked ModelConfig. */
export function parseConfig(input: string | unknown): ModelConfig {
  const raw = typeof input === 'string' ? parseJsonText(input, CONFIG, packError) : input;
  const c = parseFile(ConfigJsonSchema, raw, CONFIG, { makeError: packError });
  if (c.format_version !== PACK_FORMAT_VERSION) {
    throw new PackError(
      CONFIG,
      `format_version ${c.format_version} is not supported (expected ${PACK_FORMAT_VERSION})`,
      'format_version',
    );
  }
  if (c.heads % c.kv_heads !== 0) {
    throw new PackError(
      CONFIG,
      `heads (${c.heads}) must be a multiple of kv_heads (${c.kv_heads})`,
      'kv_heads',
    );
  }
  if (c.head_dim % 2 !== 0)
    throw new PackError(CONFIG, `head_dim (${c.head_dim}) must be even (RoPE)`, 'head_dim');
  if (c.top_k > c.experts) {
    throw new PackError(
      CONFIG,
      `top_k (${c.top_k}) must not exceed experts (${c.experts})`,
      'top_k',
    );
  }
  const seen = new Set<string>();
  c.files.forEach((f, i) => {
    if (seen.has(f.name))
      throw new PackError(CONFIG, `files[${i}].name ${f.name} is listed twice`, `files[${i}].name`);
    seen.add(f.name);
  });
  for (const need of requiredFiles(c.layers)) {
    if (!seen.has(need)) throw new PackError(CONFIG, `files does not list ${need}`, 'files');
  }
  return {
    formatVersion: c.format_version,
    id: c.id,
    description: c.description,
    vocabSize: c.vocab_size,
    hidden: c.hidden,
    layers: c.layers,
    heads: c.heads,
    kvHeads: c.kv_heads,
    headDim: c.head_dim,
    maxContext: c.max_context,
    ropeTheta: c.rope_theta,
    normEps: c.norm_eps,
    experts: c.experts,
    topK: c.top_k,
    expertFfn: c.expert_ffn,
    sharedFfn: c.shared_ffn,
    routerScoring: 'softmax',
    routerBias: c.router_bias,
    renormalize: c.renormalize,
    tieEmbeddings: c.tie_embeddings,
    skills: c.skills,
    params: c.params ? { total: c.params.total, active: c.params.active } : null,
    files: c.files,
  };
}
