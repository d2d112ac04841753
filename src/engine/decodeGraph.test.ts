// The static single-token decode attention graph against the packs' own dynamic attn_<l>.onnx
// (onnxruntime-web's Node build, wasm), a plain-TS reference for grouped-query attention, and the
// ONNX writer it is built with (round trip through readOnnxGraph, bytes as onnx.proto lays them).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRelError } from '../kernels/reference';
import { randomArray, rng } from '../kernels/random';
import { attentionWeights, readOnnxGraph, type AttentionWeights } from '../model/onnxWeights';
import { OnnxGraphBuilder, attr } from '../model/onnxWriter';
import { packDir } from '../model/testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from '../model/testing/timeouts';
import {
  MASKED_SCORE,
  decodeAttentionGraph,
  decodeStepInputs,
  ropeInverseFrequencies,
  type DecodeGraphShape,
} from './decodeGraph';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

type StepShape = DecodeGraphShape & { ropeTheta: number };
type Outputs = { h: Float32Array; moe_in: Float32Array; key: Float32Array; value: Float32Array };

const session = (bytes: Uint8Array) =>
  ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const f32 = (data: Float32Array, dims: readonly number[]) => new ort.Tensor('float32', data, dims);
const data = (t: ort.Tensor | undefined) => {
  if (!t) throw new Error('missing output');
  return t.data as Float32Array;
};

function readShape(dir: string): { shape: StepShape; layers: number } {
  const c = JSON.parse(readFileSync(`${dir}config.json`, 'utf8')) as Record<string, number>;
  const shape: StepShape = {
    hidden: c['hidden']!,
    heads: c['heads']!,
    kvHeads: c['kv_heads']!,
    headDim: c['head_dim']!,
    maxContext: c['max_context']!,
    normEps: c['norm_eps']!,
    ropeTheta: c['rope_theta']!,
  };
  return { shape, layers: c['layers']! };
}

/** Row `row` of every head of a [1, H, S, hd] tensor, as [1, H, 1, hd]. */
function rowOf(t: Float32Array, H: number, S: number, hd: number, row: number): Float32Array {
  const out = new Float32Array(H * hd);
  for (let h = 0; h < H; h++)
    out.set(t.subarray((h * S + row) * hd, (h * S + row + 1) * hd), h * hd);
  return out;
}

/** A [1, H, L, hd] cache: rows < P from `present` [1, H, P, hd], the rest from `garbage`. */
function cacheOf(
  present: Float32Array,
  s: DecodeGraphShape,
  P: number,
  garbage: () => number,
): Float32Array {
  const { kvHeads: H, maxContext: L, headDim: hd } = s;
  const out = new Float32Array(H * L * hd);
  for (let h = 0; h < H; h++)
    for (let r = 0; r < L; r++)
      for (let d = 0; d < hd; d++)
        out[(h * L + r) * hd + d] = r < P ? present[(h * P + r) * hd + d]! : garbage();
  return out;
}

/** Large values, so any leak of a garbage row through the mask shows. */
const garbageFrom = (seed: number) => {
  const rand = rng(seed);
  return () => (2 * rand() - 1) * 1000;
};

async function runStatic(
  s: ort.InferenceSession,
  shape: StepShape,
  hiddenRow: Float32Array,
  keyCache: Float32Array,
  valueCache: Float32Array,
  step: { cos: Float32Array; sin: Float32Array; mask: Float32Array },
): Promise<Outputs> {
  const { hidden: D, kvHeads: Hkv, headDim: hd, maxContext: L } = shape;
  const r = await s.run({
    hidden: f32(hiddenRow, [1, 1, D]),
    key_cache: f32(keyCache, [1, Hkv, L, hd]),
    value_cache: f32(valueCache, [1, Hkv, L, hd]),
    cos: f32(step.cos, [1, 1, 1, hd]),
    sin: f32(step.sin, [1, 1, 1, hd]),
    mask: f32(step.mask, [1, 1, 1, L]),
  });
  return {
    h: data(r['h']),
    moe_in: data(r['moe_in']),
    key: data(r['key']),
    value: data(r['value']),
  };
}

/** attn_<l>.onnx on the rows of `rows` at positions P, P + 1, … after a past of P rows. */
async function runDynamic(
  s: ort.InferenceSession,
  shape: StepShape,
  rows: Float32Array,
  past: { key: Float32Array; value: Float32Array; P: number },
) {
  const { hidden: D, kvHeads: Hkv, headDim: hd } = shape;
  const T = rows.length / D;
  const positions = BigInt64Array.from({ length: T }, (_, i) => BigInt(past.P + i));
  const r = await s.run({
    hidden: f32(rows, [1, T, D]),
    past_key: f32(past.key, [1, Hkv, past.P, hd]),
    past_value: f32(past.value, [1, Hkv, past.P, hd]),
    positions: new ort.Tensor('int64', positions, [1, T]),
  });
  return {
    h: data(r['h']),
    moe_in: data(r['moe_in']),
    presentKey: data(r['present_key']),
    presentValue: data(r['present_value']),
  };
}

const PACKS = ['mixtral-style', 'large'];

describe.each(PACKS)('decode graph on %s', (id) => {
  const dir = packDir(id);
  let shape: StepShape;
  let dynamic: ort.InferenceSession[] = [];
  let decode: ort.InferenceSession[] = [];
  let weights: AttentionWeights[] = [];
  /** Real hidden states: embed.onnx on the first golden prompt (layer 0's input; all take it). */
  let promptRows: Float32Array;

  beforeAll(async () => {
    const read = readShape(dir);
    shape = read.shape;
    const attn = Array.from(
      { length: read.layers },
      (_, l) => new Uint8Array(readFileSync(`${dir}attn_${l}.onnx`)),
    );
    weights = attn.map((bytes) => attentionWeights(bytes, shape.hidden));
    dynamic = await Promise.all(attn.map(session));
    decode = await Promise.all(weights.map((w) => session(decodeAttentionGraph(w, shape))));
    const golden = JSON.parse(readFileSync(`${dir}golden.json`, 'utf8')) as {
      prompts: { ids: number[] }[];
    };
    const ids = golden.prompts[0]!.ids.slice(0, 6);
    const embed = await session(new Uint8Array(readFileSync(`${dir}embed.onnx`)));
    const out = await embed.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    });
    promptRows = data(out['hidden']);
    await embed.release();
  }, MODEL_RUN_TIMEOUT_MS);

  afterAll(async () => {
    for (const s of [...dynamic, ...decode]) await s.release();
  });

  /**
   * The token at position P (row P of `rows`) through attn_<l>.onnx after a prefill of rows
   * 0..P-1, and through the decode graph with that prefill's keys and values in the cache.
   */
  async function stepBoth(l: number, rows: Float32Array, P: number, garbageSeed = 1) {
    const { hidden: D, kvHeads: Hkv, headDim: hd } = shape;
    const empty = { key: new Float32Array(0), value: new Float32Array(0), P: 0 };
    const prefill =
      P > 0 ? await runDynamic(dynamic[l]!, shape, rows.subarray(0, P * D), empty) : null;
    const past = prefill ? { key: prefill.presentKey, value: prefill.presentValue, P } : empty;
    const row = rows.slice(P * D, (P + 1) * D);
    const dyn = await runDynamic(dynamic[l]!, shape, row, past);
    const want: Outputs = {
      h: dyn.h,
      moe_in: dyn.moe_in,
      key: rowOf(dyn.presentKey, Hkv, P + 1, hd, P),
      value: rowOf(dyn.presentValue, Hkv, P + 1, hd, P),
    };
    const garbage = garbageFrom(garbageSeed);
    const keyCache = cacheOf(past.key, shape, P, garbage);
    const valueCache = cacheOf(past.value, shape, P, garbage);
    const got = await runStatic(
      decode[l]!,
      shape,
      row,
      keyCache,
      valueCache,
      decodeStepInputs(P, shape),
    );
    return { got, want, row, keyCache, valueCache };
  }

  const errors = (got: Outputs, want: Outputs) => ({
    h: maxRelError(got.h, want.h),
    moe_in: maxRelError(got.moe_in, want.moe_in),
    key: maxRelError(got.key, want.key),
    value: maxRelError(got.value, want.value),
  });
  const expectAgree = (got: Outputs, want: Outputs) => {
    for (const [name, err] of Object.entries(errors(got, want)))
      expect(err, `${name}: max relative error ${err}`).toBeLessThanOrEqual(1e-5);
  };

  it(
    'gives the 6th token of a prompt the outputs of attn_<l>.onnx, every layer',
    { timeout: MODEL_RUN_TIMEOUT_MS },
    async () => {
      for (let l = 0; l < weights.length; l++) {
        const { got, want } = await stepBoth(l, promptRows, 5);
        expectAgree(got, want);
      }
    },
  );

  it(
    'agrees at position 0 (an empty cache, every row masked) and at the last row, L - 1',
    { timeout: MODEL_RUN_TIMEOUT_MS },
    async () => {
      const L = shape.maxContext;
      const rows = randomArray(L * shape.hidden, rng(7));
      for (let l = 0; l < weights.length; l++) {
        const first = await stepBoth(l, promptRows, 0);
        expectAgree(first.got, first.want);
        const last = await stepBoth(l, rows, L - 1);
        expectAgree(last.got, last.want);
      }
    },
  );

  it(
    'ignores what the rows past the position hold; a wrong mask changes the output',
    { timeout: MODEL_RUN_TIMEOUT_MS },
    async () => {
      const P = 5;
      const { got, row, keyCache, valueCache } = await stepBoth(0, promptRows, P, 1);
      const other = await stepBoth(0, promptRows, P, 2);
      expect(other.keyCache).not.toEqual(keyCache);
      // Masked rows weigh exactly 0, whatever they hold: the outputs are bit for bit the same.
      expect(other.got).toEqual(got);
      const step = decodeStepInputs(P, shape);
      const run = (mask: Float32Array) =>
        runStatic(decode[0]!, shape, row, keyCache, valueCache, { ...step, mask });
      // Row P (garbage) let through, or row P - 1 (a real key) hidden: h moves well past rounding.
      const leaky = await run(decodeStepInputs(P + 1, shape).mask);
      const blind = await run(decodeStepInputs(P - 1, shape).mask);
      expect(maxRelError(leaky.h, got.h)).toBeGreaterThan(1e-3);
      expect(maxRelError(blind.h, got.h)).toBeGreaterThan(1e-3);
      // Still finite: one visible key (this token's own) is enough for the softmax.
      const none = await run(new Float32Array(shape.maxContext).fill(MASKED_SCORE));
      expect(none.h.every(Number.isFinite)).toBe(true);
    },
  );

  it(
    'batched (B = 4): each of three sequences at its own position gets its one-sequence outputs; the spare row does not leak',
    { timeout: MODEL_RUN_TIMEOUT_MS },
    async () => {
      const { hidden: D, kvHeads: Hkv, headDim: hd, maxContext: L } = shape;
      const B = 4;
      const batched = await session(decodeAttentionGraph(weights[1]!, shape, B));
      try {
        const positions = [5, 0, 3];
        const one: Awaited<ReturnType<typeof stepBoth>>[] = [];
        for (const [i, P] of positions.entries()) one.push(await stepBoth(1, promptRows, P, i + 1));
        // The spare row holds garbage everywhere (finite, as a reused buffer does).
        const junk = garbageFrom(9);
        const spare = (n: number) => Float32Array.from({ length: n }, junk);
        const cat = (parts: Float32Array[]) => {
          const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            out.set(p, at);
            at += p.length;
          }
          return out;
        };
        const steps = positions.map((P) => decodeStepInputs(P, shape));
        const feed = (pick: (i: number) => Float32Array, n: number) =>
          cat([...positions.map((_, i) => pick(i)), spare(n)]);
        const r = await batched.run({
          hidden: f32(
            feed((i) => one[i]!.row, D),
            [B, 1, D],
          ),
          key_cache: f32(
            feed((i) => one[i]!.keyCache, Hkv * L * hd),
            [B, Hkv, L, hd],
          ),
          value_cache: f32(
            feed((i) => one[i]!.valueCache, Hkv * L * hd),
            [B, Hkv, L, hd],
          ),
          cos: f32(
            feed((i) => steps[i]!.cos, hd),
            [B, 1, 1, hd],
          ),
          sin: f32(
            feed((i) => steps[i]!.sin, hd),
            [B, 1, 1, hd],
          ),
          mask: f32(
            feed((i) => steps[i]!.mask, L),
            [B, 1, 1, L],
          ),
        });
        const rowOfBatch = (name: string, width: number, i: number) =>
          data(r[name]).slice(i * width, (i + 1) * width);
        for (const [i, P] of positions.entries()) {
          const got: Outputs = {
            h: rowOfBatch('h', D, i),
            moe_in: rowOfBatch('moe_in', D, i),
            key: rowOfBatch('key', Hkv * hd, i),
            value: rowOfBatch('value', Hkv * hd, i),
          };
          for (const [name, err] of Object.entries(errors(got, one[i]!.want)))
            expect(err, `sequence ${i} at ${P}: ${name} error ${err}`).toBeLessThanOrEqual(1e-5);
        }
        // A row given another sequence's position reads differently: the rows are not mixed up.
        expect(maxRelError(rowOfBatch('h', D, 0), one[1]!.want.h)).toBeGreaterThan(1e-3);
      } finally {
        await batched.release();
      }
    },
  );

  it('computes RoPE frequencies bit for bit as the exported graph holds them', () => {
    const g = readOnnxGraph(new Uint8Array(readFileSync(`${dir}attn_0.onnx`)));
    const half = shape.headDim / 2;
    const exported = [...g.initializers.values()].filter(
      (t) => t.dims.length === 1 && t.dims[0] === half,
    );
    expect(exported).toHaveLength(1);
    expect(ropeInverseFrequencies(shape.headDim, shape.ropeTheta)).toEqual(exported[0]!.data);
  });
});

/** model.py's attention for one token, in float64, with GQA as repeat_interleave. */
function referenceStep(
  w: AttentionWeights,
  s: StepShape,
  x: Float32Array,
  keyCache: Float32Array,
  valueCache: Float32Array,
  P: number,
): Outputs {
  const { hidden: D, heads: H, kvHeads: Hkv, headDim: hd, maxContext: L } = s;
  const rmsNorm = (v: ArrayLike<number>, g: Float32Array) => {
    let ms = 0;
    for (let i = 0; i < D; i++) ms += v[i]! * v[i]!;
    const inv = 1 / Math.sqrt(ms / D + s.normEps);
    return Float64Array.from({ length: D }, (_, i) => v[i]! * inv * g[i]!);
  };
  const matVec = (v: ArrayLike<number>, W: Float32Array, n: number) =>
    Float64Array.from({ length: n }, (_, j) => {
      let acc = 0;
      for (let i = 0; i < v.length; i++) acc += v[i]! * W[i * n + j]!;
      return acc;
    });
  const inv = ropeInverseFrequencies(hd, s.ropeTheta);
  const rope = (v: Float64Array, heads: number) => {
    const out = new Float64Array(v.length);
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < hd / 2; i++) {
        const ang = P * inv[i]!;
        const [a, b] = [v[h * hd + i]!, v[h * hd + i + hd / 2]!];
        out[h * hd + i] = a * Math.cos(ang) - b * Math.sin(ang);
        out[h * hd + i + hd / 2] = b * Math.cos(ang) + a * Math.sin(ang);
      }
    return out;
  };
  const a = rmsNorm(x, w.norm1);
  const q = rope(matVec(a, w.wq, H * hd), H);
  const k = rope(matVec(a, w.wk, Hkv * hd), Hkv);
  const v = matVec(a, w.wv, Hkv * hd);
  const y = new Float64Array(H * hd);
  for (let h = 0; h < H; h++) {
    const kv = Math.floor(h / (H / Hkv));
    const keyAt = (j: number, d: number) =>
      j < P ? keyCache[(kv * L + j) * hd + d]! : k[kv * hd + d]!;
    const valueAt = (j: number, d: number) =>
      j < P ? valueCache[(kv * L + j) * hd + d]! : v[kv * hd + d]!;
    const scores = Array.from({ length: P + 1 }, (_, j) => {
      let dot = 0;
      for (let d = 0; d < hd; d++) dot += q[h * hd + d]! * keyAt(j, d);
      return dot / Math.sqrt(hd);
    });
    const max = Math.max(...scores);
    const e = scores.map((t) => Math.exp(t - max));
    const sum = e.reduce((p, t) => p + t, 0);
    for (let d = 0; d < hd; d++)
      y[h * hd + d] = e.reduce((acc, ej, j) => acc + (ej / sum) * valueAt(j, d), 0);
  }
  const attention = matVec(y, w.wo, D);
  const hOut = Float32Array.from({ length: D }, (_, i) => x[i]! + attention[i]!);
  return {
    h: hOut,
    moe_in: Float32Array.from(rmsNorm(hOut, w.norm2)),
    key: Float32Array.from(k),
    value: Float32Array.from(v),
  };
}

describe('decode graph: grouped-query attention and shape checks', () => {
  const base: StepShape = {
    hidden: 24,
    heads: 6,
    kvHeads: 2,
    headDim: 8,
    maxContext: 10,
    normEps: 1e-5,
    ropeTheta: 10000,
  };
  const randomAttention = (s: DecodeGraphShape, seed: number): AttentionWeights => {
    const rand = rng(seed);
    const { hidden: D, heads: H, kvHeads: Hkv, headDim: hd } = s;
    return {
      norm1: randomArray(D, rand, 0.5).map((g) => 1 + g),
      norm2: randomArray(D, rand, 0.5).map((g) => 1 + g),
      wq: randomArray(D * H * hd, rand, 2 / Math.sqrt(D)),
      wk: randomArray(D * Hkv * hd, rand, 2 / Math.sqrt(D)),
      wv: randomArray(D * Hkv * hd, rand, 1 / Math.sqrt(D)),
      wo: randomArray(H * hd * D, rand, 1 / Math.sqrt(H * hd)),
    };
  };

  it.each([
    ['6 query heads on 2 KV heads', 2],
    ['6 query heads on 6 KV heads', 6],
  ])('%s: matches a float64 reference of model.py', async (_, kvHeads) => {
    const s = { ...base, kvHeads };
    const w = randomAttention(s, 3);
    const rand = rng(4);
    const sess = await session(decodeAttentionGraph(w, s));
    try {
      for (const P of [0, 4, s.maxContext - 1]) {
        const x = randomArray(s.hidden, rand);
        const cacheSize = kvHeads * s.maxContext * s.headDim;
        const keyCache = randomArray(cacheSize, rand, 2);
        const valueCache = randomArray(cacheSize, rand, 2);
        const got = await runStatic(sess, s, x, keyCache, valueCache, decodeStepInputs(P, s));
        const want = referenceStep(w, s, x, keyCache, valueCache, P);
        for (const name of ['h', 'moe_in', 'key', 'value'] as const)
          expect(maxRelError(got[name], want[name]), `${name} at ${P}`).toBeLessThan(1e-5);
      }
    } finally {
      await sess.release();
    }
  });

  it('refuses shapes it cannot build', () => {
    const w = randomAttention(base, 5);
    expect(() => decodeAttentionGraph(w, { ...base, kvHeads: 4 })).toThrow(/evenly/);
    expect(() => decodeAttentionGraph(w, { ...base, headDim: 7 })).toThrow(/even head dim/);
    expect(() => decodeAttentionGraph(w, { ...base, hidden: 25 })).toThrow(/norm1 holds 24/);
    expect(() => decodeAttentionGraph({ ...w, wo: w.wo.subarray(1) }, base)).toThrow(/wo holds/);
    expect(() => decodeAttentionGraph(w, base, 0)).toThrow(/batch 0/);
    expect(() => decodeAttentionGraph(w, base, 1.5)).toThrow(/batch 1.5/);
  });

  it('gives the step inputs of a position: RoPE halves repeated, rows from the position masked', () => {
    const { cos, sin, mask } = decodeStepInputs(3, base);
    const inv = ropeInverseFrequencies(base.headDim, base.ropeTheta);
    for (let i = 0; i < base.headDim / 2; i++) {
      const ang = Math.fround(3 * inv[i]!);
      expect(cos[i]).toBe(Math.fround(Math.cos(ang)));
      expect(cos[i + base.headDim / 2]).toBe(cos[i]);
      expect(sin[i]).toBe(Math.fround(Math.sin(ang)));
      expect(sin[i + base.headDim / 2]).toBe(sin[i]);
    }
    expect(Array.from(mask)).toEqual([
      0,
      0,
      0,
      ...Array<number>(7).fill(Math.fround(MASKED_SCORE)),
    ]);
    expect(decodeStepInputs(0, base).mask.every((m) => m === Math.fround(MASKED_SCORE))).toBe(true);
    expect(() => decodeStepInputs(base.maxContext, base)).toThrow(/outside/);
    expect(() => decodeStepInputs(-1, base)).toThrow(/outside/);
    expect(() => decodeStepInputs(1.5, base)).toThrow(/outside/);
  });
});

describe('onnxWriter', () => {
  /** x [2, 3] · w [3, 2] → reshaped [1, 4] → transposed [4, 1] → softmax → leaky relu. */
  const tinyModel = () => {
    const g = new OnnxGraphBuilder('tiny');
    g.input('x', [2, 3]);
    g.initializer('w', Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]);
    g.int64Initializer('shape', [1, 4]);
    g.node('MatMul', ['x', 'w'], ['xw']);
    g.node('Reshape', ['xw', 'shape'], ['row']);
    g.node('Transpose', ['row'], ['column'], { perm: attr.ints([1, 0]) });
    g.node('Softmax', ['column'], ['probs'], { axis: attr.int(-2) });
    g.node('LeakyRelu', ['column'], ['leaky'], { alpha: attr.float(0.25) });
    g.output('probs', [4, 1]);
    g.output('leaky', [4, 1]);
    return g.toModel();
  };

  it('round-trips nodes and float initializers through readOnnxGraph', () => {
    const g = readOnnxGraph(tinyModel());
    expect(g.nodes).toEqual([
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['xw'] },
      { op: 'Reshape', inputs: ['xw', 'shape'], outputs: ['row'] },
      { op: 'Transpose', inputs: ['row'], outputs: ['column'] },
      { op: 'Softmax', inputs: ['column'], outputs: ['probs'] },
      { op: 'LeakyRelu', inputs: ['column'], outputs: ['leaky'] },
    ]);
    // readOnnxGraph keeps float tensors only: the int64 shape is not among them.
    expect([...g.initializers.keys()]).toEqual(['w']);
    expect(g.initializers.get('w')).toEqual({
      name: 'w',
      dims: [3, 2],
      data: Float32Array.of(1, 2, 3, 4, 5, 6),
    });
  });

  it('runs in onnxruntime: int64 shapes, ints, int and float attributes take effect', async () => {
    const s = await session(tinyModel());
    try {
      const x = Float32Array.of(1, 0, -1, 0.5, 0.5, 0.5);
      const r = await s.run({ x: f32(x, [2, 3]) });
      const column = [1 - 5, 2 - 6, 0.5 * 9, 0.5 * 12]; // x·w, row-major
      const sum = column.reduce((a, v) => a + Math.exp(v), 0);
      expect(r['probs']!.dims).toEqual([4, 1]);
      expect(
        maxRelError(
          data(r['probs']),
          column.map((v) => Math.exp(v) / sum),
        ),
      ).toBeLessThan(1e-6);
      expect(Array.from(data(r['leaky']))).toEqual(column.map((v) => (v < 0 ? 0.25 * v : v)));
    } finally {
      await s.release();
    }
  });

  it('lays attributes out as onnx.proto declares them', () => {
    const g = new OnnxGraphBuilder();
    g.input('x', [1]);
    g.node('Op', ['x'], ['y'], {
      i: attr.int(-1),
      l: attr.ints([2, 300]),
      f: attr.float(0.5),
      v: attr.floats([1, -2]),
    });
    g.output('y', [1]);
    const bytes = Array.from(g.toModel());
    const has = (what: number[]) =>
      bytes.some((_, at) => what.every((b, k) => bytes[at + k] === b));
    const minusOne = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    // AttributeProto: name (1), i (3, varint), ints (8, one varint each), f (2, fixed32),
    // floats (7, one fixed32 each), type (20: INT 2, INTS 7, FLOAT 1, FLOATS 6).
    expect(has([0x0a, 1, 0x69, 0x18, ...minusOne, 0xa0, 0x01, 2])).toBe(true);
    expect(has([0x0a, 1, 0x6c, 0x40, 2, 0x40, 0xac, 0x02, 0xa0, 0x01, 7])).toBe(true);
    expect(has([0x0a, 1, 0x66, 0x15, 0, 0, 0, 0x3f, 0xa0, 0x01, 1])).toBe(true);
    expect(has([0x0a, 1, 0x76, 0x3d, 0, 0, 0x80, 0x3f, 0x3d, 0, 0, 0, 0xc0, 0xa0, 0x01, 6])).toBe(
      true,
    );
  });

  it('refuses a graph it would write wrong', () => {
    const g = new OnnxGraphBuilder();
    g.input('x', [2]);
    expect(() => g.node('Neg', ['nowhere'], ['y'])).toThrow(/nothing defines/);
    expect(() => g.input('x', [2])).toThrow(/twice/);
    expect(() => g.initializer('w', new Float32Array(3), [2, 2])).toThrow(/3 values/);
    expect(() => g.int64Initializer('s', [1.5])).toThrow(/holds 1.5/);
    g.output('z', [2]);
    expect(() => g.toModel()).toThrow(/nothing produces z/);
  });
});
