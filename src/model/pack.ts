// A model pack, parsed and validated from its files' bytes (no fetching here: see loader.ts).
// Layout and semantics: tools/train/README.md.
import { PackError, parseConfig, type ModelConfig } from './config';
import { expectTensor, parseSafetensors, type SafeTensors } from './safetensors';
import { parseTokenizer, type Tokenizer } from './tokenizer';

export type MoeLayerWeights = {
  /** [D, E] router (logits = x · Wr); null for a dense pack (E = 1, gate 1). */
  router: Float32Array | null;
  /** [E, D, I] gate and up projections, [E, I, D] down projection (SwiGLU). */
  w1: Float32Array;
  w3: Float32Array;
  w2: Float32Array;
  /** Shared expert [D, Is], [D, Is], [Is, D]; null when shared_ffn = 0. */
  shared: { w1: Float32Array; w3: Float32Array; w2: Float32Array } | null;
};

export type EvalItem = { prompt: string; expected: string };
export type EvalSets = Record<string, EvalItem[]>;

export type GoldenRouting = { layer: number; topkIds: number[][]; topkWeights: number[][] };
export type GoldenPrompt = {
  text: string;
  /** Token ids including the leading <bos>. */
  ids: number[];
  /** [T, V] row-major logits at every position. */
  logits: Float32Array;
  lastLogits: Float32Array;
  greedyCompletion: string;
  routing: GoldenRouting[];
};
export type Golden = {
  prompts: GoldenPrompt[];
  /** One layer's MoE input and output (no residual) for prompts[promptIndex], [T, D] each. */
  moeSample: {
    promptIndex: number;
    layer: number;
    T: number;
    moeIn: Float32Array;
    moeOut: Float32Array;
  };
};

export type ModelPack = {
  config: ModelConfig;
  tokenizer: Tokenizer;
  onnx: { embed: Uint8Array; attn: Uint8Array[]; head: Uint8Array; reference: Uint8Array };
  moe: MoeLayerWeights[];
  evalSets: EvalSets;
  golden: Golden;
  /** card.json when present (accuracies, expert usage), unvalidated. */
  card: unknown;
  /** true when every file's sha256 was checked (false where Web Crypto is unavailable). */
  hashesVerified: boolean;
};

/** Pack file name → bytes. */
export type PackFiles = Map<string, Uint8Array> | Record<string, Uint8Array>;

function getFile(files: PackFiles, name: string): Uint8Array | undefined {
  return files instanceof Map ? files.get(name) : files[name];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonFile(file: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new PackError(
      file,
      `not valid JSON (${err instanceof Error ? err.message : String(err)}; truncated?)`,
    );
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Router/expert weights of every layer, shapes checked against the config. */
export function moeWeightsFrom(
  st: SafeTensors,
  c: ModelConfig,
  file = 'moe.safetensors',
): MoeLayerWeights[] {
  const { hidden: D, experts: E, expertFfn: I, sharedFfn: Is } = c;
  const expected = new Set<string>();
  const layers: MoeLayerWeights[] = [];
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}.`;
    let router: Float32Array | null = null;
    if (E > 1) {
      router = expectTensor(st, `${p}router.weight`, [D, E], file);
      expected.add(`${p}router.weight`);
    }
    const w1 = expectTensor(st, `${p}experts.w1`, [E, D, I], file);
    const w3 = expectTensor(st, `${p}experts.w3`, [E, D, I], file);
    const w2 = expectTensor(st, `${p}experts.w2`, [E, I, D], file);
    for (const n of ['experts.w1', 'experts.w3', 'experts.w2']) expected.add(p + n);
    let shared: MoeLayerWeights['shared'] = null;
    if (Is > 0) {
      shared = {
        w1: expectTensor(st, `${p}shared.w1`, [D, Is], file),
        w3: expectTensor(st, `${p}shared.w3`, [D, Is], file),
        w2: expectTensor(st, `${p}shared.w2`, [Is, D], file),
      };
      for (const n of ['shared.w1', 'shared.w3', 'shared.w2']) expected.add(p + n);
    }
    layers.push({ router, w1, w3, w2, shared });
  }
  for (const name of st.tensors.keys()) {
    if (!expected.has(name))
      throw new PackError(file, `unexpected tensor ${name} for this config`, name);
  }
  return layers;
}

export function parseEvalSets(json: unknown, skills: string[], file = 'eval.json'): EvalSets {
  if (!isRecord(json) || !isRecord(json['skills']))
    throw new PackError(file, 'skills must be an object', 'skills');
  const src = json['skills'];
  const out: EvalSets = {};
  for (const skill of skills) {
    const list = src[skill];
    if (!Array.isArray(list) || list.length === 0) {
      throw new PackError(file, `skills.${skill} must be a non-empty list`, `skills.${skill}`);
    }
    out[skill] = list.map((it, i) => {
      if (!isRecord(it) || typeof it['prompt'] !== 'string' || typeof it['expected'] !== 'string') {
        throw new PackError(
          file,
          `skills.${skill}[${i}] must have string prompt and expected`,
          `skills.${skill}[${i}]`,
        );
      }
      return { prompt: it['prompt'], expected: it['expected'] };
    });
  }
  return out;
}

function numArray(v: unknown, file: string, field: string, len?: number): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new PackError(file, `${field} must be a list of numbers`, field);
  }
  if (len !== undefined && v.length !== len) {
    throw new PackError(file, `${field} has ${v.length} values, expected ${len}`, field);
  }
  return v as number[];
}

export function parseGolden(json: unknown, c: ModelConfig, file = 'golden.json'): Golden {
  if (!isRecord(json) || !Array.isArray(json['prompts']) || json['prompts'].length === 0) {
    throw new PackError(file, 'prompts must be a non-empty list', 'prompts');
  }
  const V = c.vocabSize;
  const routed = c.experts > 1;
  const prompts = json['prompts'].map((p: unknown, i): GoldenPrompt => {
    const f = `prompts[${i}]`;
    if (!isRecord(p) || typeof p['text'] !== 'string')
      throw new PackError(file, `${f}.text must be a string`, `${f}.text`);
    const ids = numArray(p['ids'], file, `${f}.ids`);
    if (
      ids.length === 0 ||
      ids.length > c.maxContext ||
      ids.some((x) => !Number.isInteger(x) || x < 0 || x >= V)
    ) {
      throw new PackError(
        file,
        `${f}.ids must be 1..${c.maxContext} token ids below ${V}`,
        `${f}.ids`,
      );
    }
    const T = ids.length;
    const logits = Float32Array.from(numArray(p['logits'], file, `${f}.logits`, T * V));
    const lastLogits = Float32Array.from(numArray(p['last_logits'], file, `${f}.last_logits`, V));
    const routingRaw = p['routing'];
    if (!Array.isArray(routingRaw) || routingRaw.length !== (routed ? c.layers : 0)) {
      throw new PackError(
        file,
        `${f}.routing must list ${routed ? c.layers : 0} layers`,
        `${f}.routing`,
      );
    }
    const routing = routingRaw.map((r: unknown, l): GoldenRouting => {
      const rf = `${f}.routing[${l}]`;
      if (!isRecord(r)) throw new PackError(file, `${rf} must be an object`, rf);
      const rows = (key: string) => {
        const v = r[key];
        if (!Array.isArray(v) || v.length !== T)
          throw new PackError(file, `${rf}.${key} must have ${T} rows`, `${rf}.${key}`);
        return v.map((row, t) => numArray(row, file, `${rf}.${key}[${t}]`, c.topK));
      };
      return {
        layer: typeof r['layer'] === 'number' ? r['layer'] : l,
        topkIds: rows('topk_ids'),
        topkWeights: rows('topk_weights'),
      };
    });
    return {
      text: p['text'],
      ids,
      logits,
      lastLogits,
      greedyCompletion: typeof p['greedy_completion'] === 'string' ? p['greedy_completion'] : '',
      routing,
    };
  });
  const ms = json['moe_sample'];
  if (!isRecord(ms)) throw new PackError(file, 'moe_sample must be an object', 'moe_sample');
  const promptIndex = ms['prompt_index'];
  const layer = ms['layer'];
  if (typeof promptIndex !== 'number' || !prompts[promptIndex]) {
    throw new PackError(
      file,
      'moe_sample.prompt_index must index prompts',
      'moe_sample.prompt_index',
    );
  }
  if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 0 || layer >= c.layers) {
    throw new PackError(
      file,
      `moe_sample.layer must be a layer index below ${c.layers}`,
      'moe_sample.layer',
    );
  }
  const T = prompts[promptIndex]!.ids.length;
  return {
    prompts,
    moeSample: {
      promptIndex,
      layer,
      T,
      moeIn: Float32Array.from(numArray(ms['moe_in'], file, 'moe_sample.moe_in', T * c.hidden)),
      moeOut: Float32Array.from(numArray(ms['moe_out'], file, 'moe_sample.moe_out', T * c.hidden)),
    },
  };
}

export type ValidateOptions = {
  /** Check each file's sha256 against config.json (default true; skipped where Web Crypto is missing). */
  verifyHashes?: boolean;
};

/**
 * Validates a whole pack: config fields, every listed file present with its size and sha256,
 * safetensors header and tensor shapes, tokenizer, evaluation sets and golden outputs.
 * Throws a PackError naming the file and field.
 */
export async function validatePack(
  files: PackFiles,
  options: ValidateOptions = {},
): Promise<ModelPack> {
  const cfgBytes = getFile(files, 'config.json');
  if (!cfgBytes) throw new PackError('config.json', 'file is missing');
  const config = parseConfig(new TextDecoder().decode(cfgBytes));
  let hashesVerified = options.verifyHashes !== false;
  for (const entry of config.files) {
    const bytes = getFile(files, entry.name);
    if (!bytes) throw new PackError(entry.name, 'file is missing (listed in config.json)');
    if (bytes.byteLength !== entry.bytes) {
      throw new PackError(
        entry.name,
        `size is ${bytes.byteLength} bytes, config.json says ${entry.bytes}${bytes.byteLength < entry.bytes ? ' (truncated?)' : ''}`,
        'bytes',
      );
    }
    if (hashesVerified) {
      const hex = await sha256Hex(bytes);
      if (hex === null) hashesVerified = false;
      else if (hex !== entry.sha256) {
        throw new PackError(
          entry.name,
          `sha256 ${hex} does not match config.json (${entry.sha256})`,
          'sha256',
        );
      }
    }
  }
  const need = (name: string): Uint8Array => getFile(files, name)!;
  const st = parseSafetensors(need('moe.safetensors'), 'moe.safetensors');
  const moe = moeWeightsFrom(st, config);
  const tokenizer = parseTokenizer(
    parseJsonFile('tokenizer.json', need('tokenizer.json')),
    config.vocabSize,
  );
  const evalSets = parseEvalSets(parseJsonFile('eval.json', need('eval.json')), config.skills);
  const golden = parseGolden(parseJsonFile('golden.json', need('golden.json')), config);
  const onnxFile = (name: string) => {
    const b = need(name);
    // An ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
    if (b.byteLength < 16 || b[0] !== 0x08)
      throw new PackError(name, 'is not an ONNX model (bad header)');
    return b;
  };
  const cardBytes = getFile(files, 'card.json');
  return {
    config,
    tokenizer,
    onnx: {
      embed: onnxFile('embed.onnx'),
      attn: Array.from({ length: config.layers }, (_, l) => onnxFile(`attn_${l}.onnx`)),
      head: onnxFile('head.onnx'),
      reference: onnxFile('reference.onnx'),
    },
    moe,
    evalSets,
    golden,
    card: cardBytes ? parseJsonFile('card.json', cardBytes) : null,
    hashesVerified,
  };
}
