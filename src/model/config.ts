// Model-pack config (`config.json`, written by tools/train/export.py) and its validation.
// Every error names the file and the field: `config.json: layers must be a positive integer`.

export const PACK_FORMAT_VERSION = 1;

/** An invalid or truncated model pack. `file` is the pack file, `field` the offending field or tensor. */
export class PackError extends Error {
  readonly file: string;
  readonly field: string | null;
  constructor(file: string, message: string, field: string | null = null) {
    super(`${file}: ${message}`);
    this.name = 'PackError';
    this.file = file;
    this.field = field;
  }
}

export type PackFileEntry = { name: string; bytes: number; sha256: string };

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
  renormalize: boolean;
  tieEmbeddings: boolean;
  skills: string[];
  params: { total: number; active: number } | null;
  files: PackFileEntry[];
};

const CONFIG = 'config.json';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Upper bounds far above any pack the lab can run, so an absurd value is refused here with its
 * name rather than failing later as an allocation error.
 */
const MAX_FIELD: Record<string, number> = {
  format_version: 1000,
  vocab_size: 1 << 20,
  hidden: 1 << 16,
  layers: 1024,
  heads: 1024,
  kv_heads: 1024,
  head_dim: 4096,
  max_context: 1 << 20,
  experts: 512,
  top_k: 16,
  expert_ffn: 1 << 18,
};

function posInt(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new PackError(
      CONFIG,
      `${key} must be a positive integer (got ${JSON.stringify(v)})`,
      key,
    );
  }
  const max = MAX_FIELD[key];
  if (max !== undefined && v > max) {
    throw new PackError(CONFIG, `${key} is ${v}, more than the lab supports (${max})`, key);
  }
  return v;
}

function nonNegInt(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new PackError(
      CONFIG,
      `${key} must be a non-negative integer (got ${JSON.stringify(v)})`,
      key,
    );
  }
  return v;
}

function posNum(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new PackError(CONFIG, `${key} must be a positive number (got ${JSON.stringify(v)})`, key);
  }
  return v;
}

function bool(o: Record<string, unknown>, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean')
    throw new PackError(CONFIG, `${key} must be true or false (got ${JSON.stringify(v)})`, key);
  return v;
}

function str(o: Record<string, unknown>, key: string, fallback?: string): string {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new PackError(CONFIG, `${key} must be a string`, key);
  return v;
}

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
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      throw new PackError(
        CONFIG,
        `not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
  if (!isRecord(raw)) throw new PackError(CONFIG, 'must be a JSON object');
  const o = raw;
  const formatVersion = posInt(o, 'format_version');
  if (formatVersion !== PACK_FORMAT_VERSION) {
    throw new PackError(
      CONFIG,
      `format_version ${formatVersion} is not supported (expected ${PACK_FORMAT_VERSION})`,
      'format_version',
    );
  }
  const vocabSize = posInt(o, 'vocab_size');
  const hidden = posInt(o, 'hidden');
  const layers = posInt(o, 'layers');
  const heads = posInt(o, 'heads');
  const kvHeads = posInt(o, 'kv_heads');
  const headDim = posInt(o, 'head_dim');
  const maxContext = posInt(o, 'max_context');
  const ropeTheta = posNum(o, 'rope_theta');
  const normEps = posNum(o, 'norm_eps');
  const experts = posInt(o, 'experts');
  const topK = posInt(o, 'top_k');
  const expertFfn = posInt(o, 'expert_ffn');
  const sharedFfn = nonNegInt(o, 'shared_ffn');
  const renormalize = bool(o, 'renormalize');
  const tieEmbeddings = bool(o, 'tie_embeddings');
  if (heads % kvHeads !== 0) {
    throw new PackError(
      CONFIG,
      `heads (${heads}) must be a multiple of kv_heads (${kvHeads})`,
      'kv_heads',
    );
  }
  if (headDim % 2 !== 0)
    throw new PackError(CONFIG, `head_dim (${headDim}) must be even (RoPE)`, 'head_dim');
  if (topK > experts) {
    throw new PackError(CONFIG, `top_k (${topK}) must not exceed experts (${experts})`, 'top_k');
  }
  const routerScoring = o['router_scoring'];
  if (routerScoring !== 'softmax') {
    throw new PackError(
      CONFIG,
      `router_scoring must be "softmax" (got ${JSON.stringify(routerScoring)})`,
      'router_scoring',
    );
  }
  const skillsRaw = o['skills'];
  if (
    !Array.isArray(skillsRaw) ||
    skillsRaw.length === 0 ||
    !skillsRaw.every((s) => typeof s === 'string')
  ) {
    throw new PackError(CONFIG, 'skills must be a non-empty list of names', 'skills');
  }
  const filesRaw = o['files'];
  if (!Array.isArray(filesRaw)) throw new PackError(CONFIG, 'files must be a list', 'files');
  const files: PackFileEntry[] = filesRaw.map((f, i) => {
    if (!isRecord(f)) throw new PackError(CONFIG, `files[${i}] must be an object`, `files[${i}]`);
    const name = f['name'];
    if (typeof name !== 'string' || name === '' || name.includes('/') || name.includes('..')) {
      throw new PackError(CONFIG, `files[${i}].name must be a plain file name`, `files[${i}].name`);
    }
    const bytes = f['bytes'];
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
      throw new PackError(
        CONFIG,
        `files[${i}].bytes must be a non-negative integer`,
        `files[${i}].bytes`,
      );
    }
    const sha = f['sha256'];
    if (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)) {
      throw new PackError(
        CONFIG,
        `files[${i}].sha256 must be 64 lower-case hex digits`,
        `files[${i}].sha256`,
      );
    }
    return { name, bytes, sha256: sha };
  });
  const listed = new Set(files.map((f) => f.name));
  for (const need of requiredFiles(layers)) {
    if (!listed.has(need)) throw new PackError(CONFIG, `files does not list ${need}`, 'files');
  }
  let params: ModelConfig['params'] = null;
  const p = o['params'];
  if (isRecord(p) && typeof p['total'] === 'number' && typeof p['active'] === 'number') {
    params = { total: p['total'], active: p['active'] };
  }
  return {
    formatVersion,
    id: str(o, 'id'),
    description: str(o, 'description', ''),
    vocabSize,
    hidden,
    layers,
    heads,
    kvHeads,
    headDim,
    maxContext,
    ropeTheta,
    normEps,
    experts,
    topK,
    expertFfn,
    sharedFfn,
    routerScoring: 'softmax',
    renormalize,
    tieEmbeddings,
    skills: skillsRaw as string[],
    params,
    files,
  };
}
