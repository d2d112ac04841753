// The ONNX writer's bytes load and run in onnxruntime-web (its Node build, wasm EP): attributes of
// each kind, initializers, symbolic dimensions, and the benchmark's dense-masked MoE graph
// against the reference layer.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { maxRelError, moeLayerReference } from '../../kernels/reference';
import { randomArray, randomWeights, rng } from '../../kernels/random';
import type { MoeConfig } from '../../kernels/types';
import { denseMaskedMoeGraph } from '../ortMoeGraphs';
import { int64s, serializeModel } from './model';
import { ProtoWriter, readVarint } from '../../model/protobuf';

ort.env.wasm.numThreads = 1;

const run = async (bytes: Uint8Array, feeds: Record<string, ort.Tensor>) => {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
};

describe('protobuf', () => {
  it('encodes varints, including negative int64 as ten bytes', () => {
    const b = new ProtoWriter().int(1, 300).int(2, -1).finish();
    expect(Array.from(b.subarray(0, 3))).toEqual([0x08, 0xac, 0x02]);
    expect(b[3]).toBe(0x10);
    const v = readVarint(b, 4);
    expect(v.next - 4).toBe(10);
    expect(BigInt.asIntN(64, v.value)).toBe(-1n);
  });
});

describe('serializeModel', () => {
  it('runs a graph with an initializer, float and int attributes and a symbolic dimension', async () => {
    const bytes = serializeModel({
      name: 't',
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
        { op: 'LeakyRelu', inputs: ['xw'], outputs: ['a'], attrs: { alpha: { float: 0.5 } } },
        { op: 'ReduceSum', inputs: ['a', 'axes'], outputs: ['y'], attrs: { keepdims: 0 } },
        { op: 'Transpose', inputs: ['a'], outputs: ['aT'], attrs: { perm: [1, 0] } },
      ],
      inputs: [{ name: 'x', type: 'float', dims: ['N', 2] }],
      outputs: [
        { name: 'y', type: 'float', dims: ['N'] },
        { name: 'aT', type: 'float', dims: [3, 'N'] },
      ],
      initializers: [
        { name: 'W', type: 'float', dims: [2, 3], data: Float32Array.from([1, 0, -1, 0, 1, -1]) },
        { name: 'axes', type: 'int64', dims: [1], data: int64s(1) },
      ],
      opsets: [{ domain: '', version: 17 }],
    });
    const out = await run(bytes, {
      x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, -4]), [2, 2]),
    });
    // rows: [1, 2, -3] → [1, 2, -1.5]; [3, -4, 1] → [3, -2, 1]
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([1.5, 2]);
    expect(out['aT']!.dims).toEqual([3, 2]);
    expect(Array.from(out['aT']!.data as Float32Array)).toEqual([1, 3, 2, -2, -1.5, 1]);
  });

  it('refuses an initializer whose data does not fill its dims', () => {
    expect(() =>
      serializeModel({
        name: 'bad',
        nodes: [],
        inputs: [],
        outputs: [],
        initializers: [{ name: 'W', type: 'float', dims: [2, 2], data: new Float32Array(3) }],
        opsets: [{ domain: '', version: 17 }],
      }),
    ).toThrow(/3 values for dims \[2,2\]/);
  });
});

describe('the dense-masked MoE graph (standard ops) on the wasm EP', () => {
  const cases: MoeConfig[] = [
    {
      D: 16,
      I: 24,
      E: 8,
      k: 2,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: true,
      dtype: 'f32',
    },
    {
      D: 8,
      I: 12,
      E: 6,
      k: 3,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: false,
      dtype: 'f32',
    },
  ];
  it.each(cases)(
    'matches the reference layer (E $E, k $k, renormalize $renormalize)',
    async (c) => {
      const w = randomWeights(c, rng(3));
      const T = 5;
      const x = randomArray(T * c.D, rng(4));
      const t = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
      const out = await run(denseMaskedMoeGraph(c), {
        x: t(x, [T, c.D]),
        Wr: t(w.Wr, [c.D, c.E]),
        W1: t(w.W1, [c.E, c.D, c.I]),
        W3: t(w.W3, [c.E, c.D, c.I]),
        W2: t(w.W2, [c.E, c.I, c.D]),
      });
      const want = moeLayerReference(c, w, x, T).out;
      expect(maxRelError(out['y']!.data as Float32Array, want)).toBeLessThan(1e-5);
    },
  );
});
