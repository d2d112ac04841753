// Each dense-decode kernel (shaders/dense_*.wgsl) on the GPU (Dawn on SwiftShader) against its
// CPU twin (denseReference.ts), on shapes that are not multiples of the kernels' tiles, with
// outputs poisoned (NaN) first so a row the kernel skips shows.
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelError } from '../kernels/reference';
import { randomArray, rng } from '../kernels/random';
import { bindGroup, overrideConstants, packParams, type ShaderSpec } from '../kernels/shaderSpec';
import { specMismatches } from '../kernels/shaderSpec';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { readBack } from '../kernels/pipelines';
import {
  attentionRows,
  embedRows,
  matmulRows,
  ropeKvRows,
  rmsnormRows,
  sampleRows,
  type AttentionShape,
} from './denseReference';
import {
  MATMUL_COLS,
  MATMUL_ROWS,
  denseAttentionShader,
  denseEmbedShader,
  denseMatmulShader,
  denseRmsnormShader,
  denseRopeKvShader,
  denseSampleShader,
  denseShaderSpecs,
} from './denseShaders';
import { ropeTable } from './ropeTable';

let device: GPUDevice;
beforeAll(async () => {
  device = await nodeDevice();
});

const USAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC

function upload(data: Float32Array | Uint32Array): GPUBuffer {
  const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: USAGE });
  device.queue.writeBuffer(b, 0, data as Float32Array<ArrayBuffer>);
  return b;
}

const poisoned = (n: number) => upload(new Uint32Array(Math.max(4, n)).fill(0xffffffff));

type Step = {
  rows: number;
  seqs: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  drawBase?: number;
};

/** Runs one entry point once and reads `outs` back (bytes each). */
async function dispatch(
  spec: ShaderSpec,
  entry: string,
  constants: Record<string, number>,
  step: Step,
  buffers: Record<string, GPUBuffer>,
  grid: [number, number],
  outs: { buffer: GPUBuffer; bytes: number }[],
): Promise<ArrayBuffer[]> {
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: {
      module: device.createShaderModule({ code: spec.source }),
      entryPoint: entry,
      constants,
    },
  });
  const params = device.createBuffer({ size: 32, usage: 0x40 | 0x08 });
  device.queue.writeBuffer(
    params,
    0,
    packParams(spec, {
      rows: step.rows,
      seqs: step.seqs,
      temperature: step.temperature ?? 0,
      top_p: step.topP ?? 1,
      seed: step.seed ?? 0,
      draw_base: step.drawBase ?? 0,
    } as never),
  );
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup(device, pipeline, spec, { params, ...buffers } as never, entry));
  pass.dispatchWorkgroups(...grid);
  pass.end();
  device.queue.submit([enc.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  return readBack(device, outs);
}

/** Row metadata as the model writes it: ids, slots, positions (TMAX each), last rows. */
function rowInfo(TMAX: number, ids: number[], slots: number[], pos: number[], last: number[]) {
  const m = new Uint32Array(3 * TMAX + last.length);
  m.set(ids, 0);
  m.set(slots, TMAX);
  m.set(pos, 2 * TMAX);
  m.set(last, 3 * TMAX);
  return m;
}

describe('dense shader specs', () => {
  it.each(denseShaderSpecs.map((s) => [s.file, s] as const))('%s matches its spec', (_, s) => {
    expect(specMismatches(s)).toEqual([]);
  });
});

describe('dense kernels against their twins', () => {
  const rand = rng(11);

  it('embed gathers the rows of the ids', async () => {
    const V = 20;
    const D = 24;
    const ids = [3, 0, 19, 3, 7];
    const table = randomArray(V * D, rand);
    const x = poisoned(ids.length * D * 4);
    const [got] = await dispatch(
      denseEmbedShader,
      'embed',
      overrideConstants(denseEmbedShader, { D }),
      { rows: ids.length, seqs: 1 },
      { row_info: upload(rowInfo(8, ids, [], [], [0])), table: upload(table), x },
      [Math.ceil((ids.length * D) / 64), 1],
      [{ buffer: x, bytes: ids.length * D * 4 }],
    );
    expect(new Float32Array(got!)).toEqual(embedRows(table, ids, D));
  });

  it('rmsnorm normalises every row, and gathers each sequence\u2019s last row', async () => {
    const D = 100;
    const rows = 7;
    const TMAX = 8;
    const eps = 1e-5;
    const x = randomArray(rows * D, rand, 3);
    const gain = randomArray(D, rand);
    const last = [2, 6, 4];
    const info = upload(rowInfo(TMAX, [], [], [], last));
    const constants = overrideConstants(denseRmsnormShader, { D, TMAX, EPS: eps });
    const y = poisoned(rows * D * 4);
    const bufs = { gain: upload(gain), x: upload(x), y };
    const [all] = await dispatch(
      denseRmsnormShader,
      'rmsnorm_rows',
      constants,
      { rows, seqs: 3 },
      bufs,
      [rows, 1],
      [{ buffer: y, bytes: rows * D * 4 }],
    );
    expect(maxRelError(new Float32Array(all!), rmsnormRows(x, gain, rows, D, eps))).toBeLessThan(
      1e-5,
    );
    const y2 = poisoned(3 * D * 4);
    const [lastRows] = await dispatch(
      denseRmsnormShader,
      'rmsnorm_last',
      constants,
      { rows, seqs: 3 },
      { ...bufs, row_info: info, y: y2 },
      [3, 1],
      [{ buffer: y2, bytes: 3 * D * 4 }],
    );
    expect(
      maxRelError(new Float32Array(lastRows!), rmsnormRows(x, gain, 3, D, eps, last)),
    ).toBeLessThan(1e-5);
  });

  it.each([
    { K: 70, N: 130, rows: 11, residual: false, seqRows: false },
    { K: 128, N: 64, rows: 1, residual: true, seqRows: false },
    { K: 33, N: 100, rows: 3, residual: false, seqRows: true },
  ])('matmul K=$K N=$N rows=$rows residual=$residual seq rows=$seqRows', async (c) => {
    const a = randomArray(c.rows * c.K, rand);
    const w = randomArray(c.K * c.N, rand, 1 / Math.sqrt(c.K));
    const res = randomArray(c.rows * c.N, rand);
    const out = poisoned(c.rows * c.N * 4);
    const [got] = await dispatch(
      denseMatmulShader,
      'matmul',
      overrideConstants(denseMatmulShader, {
        K: c.K,
        N: c.N,
        HAS_RESIDUAL: c.residual ? 1 : 0,
        SEQ_ROWS: c.seqRows ? 1 : 0,
      }),
      // With SEQ_ROWS the row count is `seqs`: `rows` then says something else on purpose.
      c.seqRows ? { rows: 50, seqs: c.rows } : { rows: c.rows, seqs: 1 },
      {
        a: upload(a),
        w: upload(w),
        res: c.residual ? upload(res) : upload(new Float32Array(4)),
        out,
      },
      [Math.ceil(c.N / MATMUL_COLS), Math.ceil(c.rows / MATMUL_ROWS)],
      [{ buffer: out, bytes: c.rows * c.N * 4 }],
    );
    const want = matmulRows(a, w, c.rows, c.K, c.N, c.residual ? res : undefined);
    expect(maxRelError(new Float32Array(got!), want)).toBeLessThan(1e-5);
  });

  // Two slots, grouped-query heads (4 query heads over 2 kv heads), rows at scattered positions.
  const shape: AttentionShape = { heads: 4, kvHeads: 2, headDim: 8, ctx: 16 };
  const slots = [1, 1, 0, 1, 0];
  const positions = [3, 4, 15, 5, 0];
  const TMAX = 8;

  it('rope_kv rotates q and k and writes k and v at their slots and positions', async () => {
    const { heads: H, kvHeads: Hkv, headDim: hd, ctx } = shape;
    const rows = slots.length;
    const width = (H + 2 * Hkv) * hd;
    const qkv = randomArray(rows * width, rand);
    const rope = ropeTable(ctx, hd, 10000);
    const cacheLen = 2 * Hkv * ctx * hd;
    const kInit = randomArray(cacheLen, rand);
    const vInit = randomArray(cacheLen, rand);
    const q = poisoned(rows * H * hd * 4);
    const kc = upload(kInit);
    const vc = upload(vInit);
    const [gotQ, gotK, gotV] = await dispatch(
      denseRopeKvShader,
      'rope_kv',
      overrideConstants(denseRopeKvShader, { H, HKV: Hkv, HD: hd, CTX: ctx, TMAX }),
      { rows, seqs: 2 },
      {
        row_info: upload(rowInfo(TMAX, [], slots, positions, [])),
        rope: upload(rope),
        qkv: upload(qkv),
        q,
        k_cache: kc,
        v_cache: vc,
      },
      [Math.ceil((rows * width) / 64), 1],
      [
        { buffer: q, bytes: rows * H * hd * 4 },
        { buffer: kc, bytes: cacheLen * 4 },
        { buffer: vc, bytes: cacheLen * 4 },
      ],
    );
    const k = kInit.slice();
    const v = vInit.slice();
    const wantQ = ropeKvRows(qkv, rows, slots, positions, rope, shape, k, v);
    expect(maxRelError(new Float32Array(gotQ!), wantQ)).toBeLessThan(1e-6);
    expect(maxRelError(new Float32Array(gotK!), k)).toBeLessThan(1e-6);
    expect(new Float32Array(gotV!)).toEqual(v);
  });

  it('attention is causal over each row\u2019s own slot, with grouped kv heads', async () => {
    const { heads: H, kvHeads: Hkv, headDim: hd, ctx } = shape;
    const rows = slots.length;
    const q = randomArray(rows * H * hd, rand);
    const k = randomArray(2 * Hkv * ctx * hd, rand);
    const v = randomArray(2 * Hkv * ctx * hd, rand);
    const out = poisoned(rows * H * hd * 4);
    const [got] = await dispatch(
      denseAttentionShader,
      'attention',
      overrideConstants(denseAttentionShader, { H, HKV: Hkv, HD: hd, CTX: ctx, TMAX }),
      { rows, seqs: 2 },
      {
        row_info: upload(rowInfo(TMAX, [], slots, positions, [])),
        q: upload(q),
        k_cache: upload(k),
        v_cache: upload(v),
        out,
      },
      [rows, H],
      [{ buffer: out, bytes: rows * H * hd * 4 }],
    );
    const want = attentionRows(q, rows, slots, positions, k, v, shape);
    expect(maxRelError(new Float32Array(got!), want)).toBeLessThan(1e-5);
  });

  it.each([
    { V: 100, temperature: 0, topP: 1, name: 'greedy' },
    { V: 300, temperature: 0, topP: 1, name: 'greedy, vocabulary past one workgroup' },
    { V: 100, temperature: 0.8, topP: 0.9, name: 'temperature + top-p' },
    { V: 300, temperature: 1.3, topP: 0.5, name: 'temperature + top-p, large vocabulary' },
    { V: 100, temperature: 1, topP: 1, name: 'temperature, no truncation' },
  ])('sample: $name (V=$V)', async ({ V, temperature, topP }) => {
    const S = 6;
    const logits = randomArray(S * V, rand, 3);
    // A tie at the maximum: greedy takes the first index, as argmax does.
    logits[2 * V + 10] = 9;
    logits[2 * V + 40] = 9;
    const seed = 4321;
    const tokens = poisoned(S * 4);
    const nextIds = poisoned(S * 4);
    // Many draws: each (seed, draw) pair samples its own r; the GPU must pick the CPU's token.
    for (const drawBase of [0, 1000]) {
      const [got, next] = await dispatch(
        denseSampleShader,
        'sample',
        overrideConstants(denseSampleShader, { V }),
        { rows: S, seqs: S, temperature, topP, seed, drawBase },
        { logits: upload(logits), tokens, next_ids: nextIds },
        [S, 1],
        [
          { buffer: tokens, bytes: S * 4 },
          { buffer: nextIds, bytes: S * 4 },
        ],
      );
      const want = sampleRows(logits, S, V, { temperature, topP }, seed, drawBase);
      expect(Array.from(new Uint32Array(got!))).toEqual(Array.from(want));
      expect(Array.from(new Uint32Array(next!))).toEqual(Array.from(want));
    }
  });
});
