// A model pack, parsed and validated from its files' bytes (no fetching here: see loader.ts).
// Layout and semantics: tools/train/README.md.
import * as v from 'valibot';
import { parseFile, shown } from '../loading/fileSchema';
import {
  finiteNumber,
  list,
  nonEmptyList,
  nonNegativeInt,
  record,
  text,
} from '../loading/fieldSchemas';
import { PackError, packError, parseConfig, type ModelConfig } from './config';
import { expectTensor, parseSafetensors, type SafeTensors } from './safetensors';
import { parseTokenizer, type Tokenizer } from './tokenizer';

export type MoeLayerWeights = {
  /** [D, E] router (logits = x · Wr); null for a dense pack (E = 1, gate 1). */
  router: Float32Array | null;
  /**
   * [E] DeepSeek-V3 auxiliary-loss-free balancing bias: added to the router probabilities for the
   * top-k choice only (the gate weights stay the unbiased probabilities); null when the pack has none.
   */
  routerBias: Float32Array | null;
  /** [E, D, I] gate and up projections, [E, I, D] down projection (SwiGLU). */
  w1: Float32Array;
  w3: Float32Array;
  w2: Float32Array;
  /** Shared expert [D, Is], [D, Is], [Is, D]; null when shared_ffn = 0. */
  shared: { w1: Float32Array; w3: Float32Array; w2: Float32Array } | null;
};

const EvalItemSchema = v.object(
  { prompt: text(10_000), expected: text(10_000) },
  (i) => `must have string prompt and expected (got ${shown(i.input)})`,
);

/** eval.json: held-out prompts per skill. */
const EvalJsonSchema = v.object(
  { skills: record(nonEmptyList(EvalItemSchema, 'a non-empty list'), 'an object') },
  'must be a JSON object',
);

export type EvalItem = v.InferOutput<typeof EvalItemSchema>;
export type EvalSets = Record<string, EvalItem[]>;

const numbers = (max = 1 << 24) => list(finiteNumber(), 'a list of numbers', max);
const rowsOf = <S extends v.GenericSchema>(item: S) =>
  list(list(item, 'a list', 64), 'a list of rows', 1 << 20);

/** golden.json: the exporter's logits, routing and one MoE layer's input and output. */
const GoldenJsonSchema = v.object(
  {
    prompts: nonEmptyList(
      v.object(
        {
          text: text(10_000),
          ids: list(nonNegativeInt(), 'a list of token ids', 1 << 20),
          logits: numbers(),
          last_logits: numbers(),
          greedy_completion: v.optional(text(10_000), ''),
          routing: list(
            v.object(
              {
                layer: v.optional(nonNegativeInt()),
                topk_ids: rowsOf(nonNegativeInt()),
                topk_weights: rowsOf(finiteNumber()),
              },
              (i) => `must be an object (got ${shown(i.input)})`,
            ),
            'a list of layers',
            1024,
          ),
        },
        (i) => `must be an object (got ${shown(i.input)})`,
      ),
      'a non-empty list',
    ),
    moe_sample: v.object(
      {
        prompt_index: nonNegativeInt(),
        layer: nonNegativeInt(),
        moe_in: numbers(),
        moe_out: numbers(),
      },
      (i) => `must be an object (got ${shown(i.input)})`,
    ),
  },
  'must be a JSON object',
);

export type GoldenJson = v.InferOutput<typeof GoldenJsonSchema>;

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
    let routerBias: Float32Array | null = null;
    if (E > 1) {
      router = expectTensor(st, `${p}router.weight`, [D, E], file);
      expected.add(`${p}router.weight`);
      if (c.routerBias) {
        routerBias = expectTensor(st, `${p}router.bias`, [E], file);
        expected.add(`${p}router.bias`);
      }
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
    layers.push({ router, routerBias, w1, w3, w2, shared });
  }
  for (const name of st.tensors.keys()) {
    if (!expected.has(name))
      throw new PackError(file, `unexpected tensor ${name} for this config`, name);
  }
  return layers;
}

export function parseEvalSets(json: unknown, skills: string[], file = 'eval.json'): EvalSets {
  const src = parseFile(EvalJsonSchema, json, file, { makeError: packError }).skills;
  const out: EvalSets = {};
  for (const skill of skills) {
    const items = Object.prototype.hasOwnProperty.call(src, skill) ? src[skill] : undefined;
    if (!items)
      throw new PackError(file, `skills.${skill} must be a non-empty list`, `skills.${skill}`);
    out[skill] = items;
  }
  return out;
}

function sized(file: string, field: string, values: number[], len: number): Float32Array {
  if (values.length !== len)
    throw new PackError(file, `${field} has ${values.length} values, expected ${len}`, field);
  return Float32Array.from(values);
}

export function parseGolden(json: unknown, c: ModelConfig, file = 'golden.json'): Golden {
  const g = parseFile(GoldenJsonSchema, json, file, { makeError: packError });
  const V = c.vocabSize;
  const routedLayers = c.experts > 1 ? c.layers : 0;
  const prompts = g.prompts.map((p, i): GoldenPrompt => {
    const f = `prompts[${i}]`;
    const { ids } = p;
    if (ids.length === 0 || ids.length > c.maxContext || ids.some((x) => x >= V)) {
      throw new PackError(
        file,
        `${f}.ids must be 1..${c.maxContext} token ids below ${V}`,
        `${f}.ids`,
      );
    }
    const T = ids.length;
    const logits = sized(file, `${f}.logits`, p.logits, T * V);
    const lastLogits = sized(file, `${f}.last_logits`, p.last_logits, V);
    if (p.routing.length !== routedLayers) {
      throw new PackError(file, `${f}.routing must list ${routedLayers} layers`, `${f}.routing`);
    }
    const routing = p.routing.map((r, l): GoldenRouting => {
      const rf = `${f}.routing[${l}]`;
      const rows = (key: 'topk_ids' | 'topk_weights') => {
        const v = r[key];
        if (v.length !== T)
          throw new PackError(file, `${rf}.${key} must have ${T} rows`, `${rf}.${key}`);
        v.forEach((row, t) => {
          if (row.length !== c.topK)
            throw new PackError(
              file,
              `${rf}.${key}[${t}] has ${row.length} values, expected ${c.topK}`,
              `${rf}.${key}[${t}]`,
            );
        });
        return v;
      };
      return { layer: r.layer ?? l, topkIds: rows('topk_ids'), topkWeights: rows('topk_weights') };
    });
    return {
      text: p.text,
      ids,
      logits,
      lastLogits,
      greedyCompletion: p.greedy_completion,
      routing,
    };
  });
  const ms = g.moe_sample;
  const sample = prompts[ms.prompt_index];
  if (!sample) {
    throw new PackError(
      file,
      'moe_sample.prompt_index must index prompts',
      'moe_sample.prompt_index',
    );
  }
  if (ms.layer >= c.layers) {
    throw new PackError(
      file,
      `moe_sample.layer must be a layer index below ${c.layers}`,
      'moe_sample.layer',
    );
  }
  const T = sample.ids.length;
  return {
    prompts,
    moeSample: {
      promptIndex: ms.prompt_index,
      layer: ms.layer,
      T,
      moeIn: sized(file, 'moe_sample.moe_in', ms.moe_in, T * c.hidden),
      moeOut: sized(file, 'moe_sample.moe_out', ms.moe_out, T * c.hidden),
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
