// The ONNX initializer reader on the committed packs (roles found by graph structure agree with
// the exporter's node names) and on hand-built protobuf (float_data, Constant nodes, errors).
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf';
import {
  attentionWeights,
  denseWeights,
  embeddingWeights,
  readOnnxGraph,
  type OnnxGraph,
} from './onnxWeights';
import { validatePack } from './pack';
import { readPackFiles } from './testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from './testing/timeouts';

/** The initializer a MatMul whose output the exporter named after `module` multiplies by. */
function weightOfNamed(g: OnnxGraph, module: string): Float32Array {
  const node = g.nodes.find((n) => n.op === 'MatMul' && n.outputs[0]!.includes(`/${module}/`));
  const w = node?.inputs.map((i) => g.initializers.get(i)).find((t) => t);
  if (!w) throw new Error(`no MatMul for ${module}`);
  return w.data;
}

describe.each(['mixtral-style', 'shared-expert'])('ONNX weights of %s', (id) => {
  // Validates a whole pack (sha256 of every file) and reads its graphs: a loaded machine's limit.
  it(
    'finds every role by structure, as the exporter named them',
    { timeout: MODEL_RUN_TIMEOUT_MS },
    async () => {
      const pack = await validatePack(readPackFiles(id));
      const c = pack.config;
      const w = denseWeights((name) => {
        if (name === 'embed.onnx') return pack.onnx.embed;
        if (name === 'head.onnx') return pack.onnx.head;
        return pack.onnx.attn[Number(/\d+/.exec(name)![0])]!;
      }, c.layers);
      expect(w.embedding).toHaveLength(c.vocabSize * c.hidden);
      expect(w.head).toBeNull(); // tied
      for (let l = 0; l < c.layers; l++) {
        const g = readOnnxGraph(pack.onnx.attn[l]!);
        const lw = w.layers[l]!;
        for (const m of ['wq', 'wk', 'wv', 'wo'] as const)
          expect(lw[m], `layer ${l} ${m}`).toEqual(weightOfNamed(g, `attn/${m}`));
        expect(lw.norm1).toEqual(g.initializers.get(`m.blocks.${l}.norm1.weight`)!.data);
        expect(lw.norm2).toEqual(g.initializers.get(`m.blocks.${l}.norm2.weight`)!.data);
        expect(lw.wq).toHaveLength(c.hidden * c.heads * c.headDim);
        expect(lw.wk).toHaveLength(c.hidden * c.kvHeads * c.headDim);
      }
      const head = readOnnxGraph(pack.onnx.head);
      expect(w.normFinal).toEqual(head.initializers.get('m.norm.weight')!.data);
    },
  );
});

/** A ModelProto whose graph has one Gather from a float_data initializer and one Constant. */
function handBuilt(): Uint8Array {
  const table = new ProtoWriter()
    .packedInts(1, [3, 2])
    .int(2, 1)
    .packedFloats(4, [1, 2, 3, 4, 5, 6])
    .string(8, 'table');
  const constTensor = new ProtoWriter().packedInts(1, [2]).int(2, 1).packedFloats(4, [7, 8]);
  const constNode = new ProtoWriter()
    .string(2, 'c')
    .string(4, 'Constant')
    .message(5, new ProtoWriter().string(1, 'value').message(5, constTensor));
  const gather = new ProtoWriter()
    .string(1, 'table')
    .string(1, 'input_ids')
    .string(2, 'hidden')
    .string(4, 'Gather');
  const graph = new ProtoWriter().message(1, constNode).message(1, gather).message(5, table);
  return new ProtoWriter().int(1, 8).message(7, graph).finish();
}

describe('ONNX protobuf reader', () => {
  it('reads float_data initializers and Constant nodes', () => {
    const g = readOnnxGraph(handBuilt());
    expect(g.nodes.map((n) => n.op)).toEqual(['Constant', 'Gather']);
    expect(g.initializers.get('c')!.data).toEqual(Float32Array.from([7, 8]));
    const e = embeddingWeights(handBuilt());
    expect([e.V, e.D]).toEqual([3, 2]);
    expect(e.table).toEqual(Float32Array.from([1, 2, 3, 4, 5, 6]));
  });

  it('refuses a truncated file and a graph without four projections', async () => {
    const bytes = handBuilt();
    expect(() => readOnnxGraph(bytes.subarray(0, bytes.length - 3))).toThrow(/ONNX/);
    expect(() => attentionWeights(bytes, 2)).toThrow(/0 weight MatMuls, expected 4/);
  });
});
