import { describe, expect, it } from 'vitest';
import { PackError, parseConfig } from './config';
import { validatePack } from './pack';
import { parseSafetensors } from './safetensors';
import {
  buildSafetensors,
  json,
  rawConfig,
  readPackFiles,
  withConfig,
  withFile,
} from './testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from './testing/timeouts';

// Every malformed pack must fail with a PackError whose message names the file and the field.
const base = readPackFiles('mixtral-style');

async function failure(files: Map<string, Uint8Array>): Promise<PackError> {
  try {
    await validatePack(files);
  } catch (err) {
    expect(err).toBeInstanceOf(PackError);
    return err as PackError;
  }
  throw new Error('validatePack accepted a bad pack');
}

describe(
  'bad or truncated packs give a clear error naming the file and field',
  { timeout: MODEL_RUN_TIMEOUT_MS },
  () => {
    it('config.json fields', async () => {
      const cases: [(c: Record<string, unknown>) => void, string][] = [
        [(c) => (c['layers'] = 0), 'config.json: layers must be a positive integer'],
        [(c) => (c['hidden'] = 12.5), 'config.json: hidden must be a positive integer'],
        [(c) => delete c['experts'], 'config.json: experts is missing'],
        [(c) => (c['top_k'] = 9), 'config.json: top_k (9) must not exceed experts (8)'],
        [(c) => (c['shared_ffn'] = -1), 'config.json: shared_ffn must be a non-negative integer'],
        [(c) => (c['heads'] = 6), 'config.json: heads (6) must be a multiple of kv_heads (4)'],
        [(c) => (c['router_scoring'] = 'sigmoid'), 'config.json: router_scoring must be "softmax"'],
        [(c) => (c['renormalize'] = 'yes'), 'config.json: renormalize must be true or false'],
        [(c) => (c['norm_eps'] = 0), 'config.json: norm_eps must be a positive number'],
        [(c) => (c['format_version'] = 2), 'config.json: format_version 2 is not supported'],
        [(c) => (c['skills'] = []), 'config.json: skills must be a non-empty list'],
      ];
      for (const [edit, msg] of cases) {
        const err = await failure(withConfig(base, edit));
        expect(err.file).toBe('config.json');
        expect(err.message).toContain(msg);
      }
    });

    it('config.json not JSON, a file not listed, a listed file missing', async () => {
      const notJson = new Map(base);
      notJson.set('config.json', base.get('config.json')!.subarray(0, 100));
      expect((await failure(notJson)).message).toMatch(/^config\.json: not valid JSON/);
      const unlisted = withConfig(base, (c) => {
        c.files = c.files.filter((f) => f.name !== 'attn_1.onnx');
      });
      expect((await failure(unlisted)).message).toBe(
        'config.json: files does not list attn_1.onnx',
      );
      const missing = new Map(base);
      missing.delete('head.onnx');
      expect((await failure(missing)).message).toBe(
        'head.onnx: file is missing (listed in config.json)',
      );
    });

    it('truncated files: size and sha256 checks', async () => {
      const st = base.get('moe.safetensors')!;
      const truncated = new Map(base);
      truncated.set('moe.safetensors', st.subarray(0, st.byteLength - 1000));
      const err = await failure(truncated);
      expect(err.message).toMatch(
        /^moe\.safetensors: size is \d+ bytes, config\.json says \d+ \(truncated\?\)$/,
      );
      const flipped = new Map(base);
      const ev = new Uint8Array(base.get('eval.json')!);
      ev[10] = ev[10]! ^ 1;
      flipped.set('eval.json', ev);
      expect((await failure(flipped)).message).toMatch(
        /^eval\.json: sha256 [0-9a-f]{64} does not match config\.json/,
      );
    });

    it('safetensors header: length past the end, bad JSON, data past the end, overlaps', () => {
      const st = base.get('moe.safetensors')!;
      const big = new Uint8Array(st.subarray(0, 64));
      new DataView(big.buffer).setBigUint64(0, 9999999n, true);
      expect(() => parseSafetensors(big)).toThrow(
        'moe.safetensors: header length 9999999 exceeds file size 64',
      );
      expect(() => parseSafetensors(new Uint8Array(5))).toThrow(
        /^moe\.safetensors: file is 5 bytes/,
      );
      const badJson = new Uint8Array(16);
      new DataView(badJson.buffer).setBigUint64(0, 8n, true);
      badJson.set(new TextEncoder().encode('{"a": 1'), 8);
      expect(() => parseSafetensors(badJson)).toThrow(
        /^moe\.safetensors: header is not valid JSON/,
      );
      // the real file cut short: the last tensor's data runs past the end
      expect(() => parseSafetensors(st.subarray(0, st.byteLength - 4))).toThrow(
        /^moe\.safetensors: tensor layers\.\d+\.experts\.w\d ends at byte \d+, past the end of the file/,
      );
      const good = buildSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(4) }]);
      expect(parseSafetensors(good).tensors.get('x')!.shape).toEqual([2, 2]);
      const wrongLen = buildSafetensors([{ name: 'x', shape: [2, 3], data: new Float32Array(4) }]);
      expect(() => parseSafetensors(wrongLen)).toThrow(
        'moe.safetensors: tensor x: data_offsets [0,16] hold 16 bytes, shape [2,3] needs 24',
      );
    });

    it('tensor shapes and names checked against the config', async () => {
      const c = rawConfig(base);
      const D = c['hidden'] as number;
      const E = c['experts'] as number;
      const I = c['expert_ffn'] as number;
      const L = c['layers'] as number;
      const tensors = [];
      for (let l = 0; l < L; l++) {
        tensors.push({
          name: `layers.${l}.router.weight`,
          shape: [D, E],
          data: new Float32Array(D * E),
        });
        const wrongI = l === 0 ? I + 8 : I;
        tensors.push({
          name: `layers.${l}.experts.w1`,
          shape: [E, D, wrongI],
          data: new Float32Array(E * D * wrongI),
        });
        tensors.push({
          name: `layers.${l}.experts.w3`,
          shape: [E, D, I],
          data: new Float32Array(E * D * I),
        });
        tensors.push({
          name: `layers.${l}.experts.w2`,
          shape: [E, I, D],
          data: new Float32Array(E * I * D),
        });
      }
      const wrongShape = withFile(base, 'moe.safetensors', buildSafetensors(tensors));
      const err = await failure(wrongShape);
      expect(err.message).toBe(
        `moe.safetensors: tensor layers.0.experts.w1 has shape [${E},${D},${I + 8}], expected [${E},${D},${I}]`,
      );
      expect(err.field).toBe('layers.0.experts.w1');
      const noRouter = withFile(
        base,
        'moe.safetensors',
        buildSafetensors(tensors.filter((t) => t.name !== 'layers.1.router.weight')),
      );
      expect((await failure(noRouter)).message).toContain(
        'moe.safetensors: tensor layers.0.experts.w1 has shape',
      );
      const fixed = tensors.map((t) =>
        t.name === 'layers.0.experts.w1'
          ? { ...t, shape: [E, D, I], data: new Float32Array(E * D * I) }
          : t,
      );
      const missingRouter = withFile(
        base,
        'moe.safetensors',
        buildSafetensors(fixed.filter((t) => t.name !== 'layers.1.router.weight')),
      );
      expect((await failure(missingRouter)).message).toBe(
        'moe.safetensors: tensor layers.1.router.weight is missing',
      );
      const extra = withFile(
        base,
        'moe.safetensors',
        buildSafetensors([
          ...fixed,
          { name: 'layers.9.bogus', shape: [1], data: new Float32Array(1) },
        ]),
      );
      expect((await failure(extra)).message).toBe(
        'moe.safetensors: unexpected tensor layers.9.bogus for this config',
      );
    });

    it('router bias: the flag and the tensors go together (bias-balanced pack)', async () => {
      const biased = readPackFiles('bias-balance');
      const ok = await validatePack(biased, { verifyHashes: false });
      expect(ok.config.routerBias).toBe(true);
      for (const l of ok.moe) expect(l.routerBias).toHaveLength(ok.config.experts);
      // Without the flag the bias tensors are not this config's.
      const noFlag = withConfig(biased, (c) => delete c['router_bias']);
      expect((await failure(noFlag)).message).toMatch(
        /^moe\.safetensors: unexpected tensor layers\.\d\.router\.bias for this config$/,
      );
      // With the flag and no bias tensors the pack is incomplete.
      const noTensor = withConfig(base, (c) => (c['router_bias'] = true));
      expect((await failure(noTensor)).message).toBe(
        'moe.safetensors: tensor layers.0.router.bias is missing',
      );
      expect((await failure(withConfig(base, (c) => (c['router_bias'] = 1)))).message).toContain(
        'config.json: router_bias must be true or false',
      );
    });

    it('tokenizer, eval sets and golden outputs', async () => {
      const tok = JSON.parse(new TextDecoder().decode(base.get('tokenizer.json'))) as Record<
        string,
        unknown
      >;
      const shortVocab = { ...tok, vocab: (tok['vocab'] as string[]).slice(0, 50), vocab_size: 50 };
      expect((await failure(withFile(base, 'tokenizer.json', json(shortVocab)))).message).toBe(
        'tokenizer.json: vocab has 50 entries, config.json vocab_size is 100',
      );
      const ev = JSON.parse(new TextDecoder().decode(base.get('eval.json'))) as {
        skills: Record<string, unknown>;
      };
      delete ev.skills['sort'];
      expect((await failure(withFile(base, 'eval.json', json(ev)))).message).toBe(
        'eval.json: skills.sort must be a non-empty list',
      );
      const g = JSON.parse(new TextDecoder().decode(base.get('golden.json'))) as {
        prompts: { logits: number[] }[];
      };
      g.prompts[1]!.logits = g.prompts[1]!.logits.slice(1);
      expect((await failure(withFile(base, 'golden.json', json(g)))).message).toMatch(
        /^golden\.json: prompts\[1\]\.logits has \d+ values, expected \d+$/,
      );
      const onnx = withFile(base, 'embed.onnx', new Uint8Array(100));
      expect((await failure(onnx)).message).toBe('embed.onnx: is not an ONNX model (bad header)');
    });

    it('parseConfig accepts the real config and reports parsed fields', () => {
      const c = parseConfig(new TextDecoder().decode(base.get('config.json')));
      expect(c.experts).toBe(8);
      expect(c.topK).toBe(2);
      expect(c.layers).toBeGreaterThan(0);
    });
  },
);
