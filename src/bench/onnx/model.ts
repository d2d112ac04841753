// Builds ONNX models in code (no `onnx` package on npm that we trust to run in the browser):
// nodes, initializers, typed inputs and outputs, opset imports, serialised to ModelProto bytes.
// Field numbers are those of onnx/onnx.proto (IR version 8).
import { ProtoWriter } from '../../model/protobuf';

export const DataType = { float: 1, uint8: 2, int32: 6, int64: 7, float16: 10 } as const;
export type DataTypeName = keyof typeof DataType;

export type AttributeValue = number | string | number[] | { float: number };

export type OnnxNode = {
  op: string;
  inputs: string[];
  outputs: string[];
  domain?: string;
  attrs?: Record<string, AttributeValue>;
};

/** A dimension is a size or a symbolic name ("T"). */
export type Dim = number | string;
export type ValueInfo = { name: string; type: DataTypeName; dims: Dim[] };
export type Initializer = {
  name: string;
  type: DataTypeName;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
};

export type OnnxGraph = {
  name: string;
  nodes: OnnxNode[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers?: Initializer[];
  opsets: { domain: string; version: number }[];
};

function attribute(name: string, v: AttributeValue): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  // AttributeType: FLOAT 1, INT 2, STRING 3, INTS 7. A plain number is an INT; wrap floats.
  if (typeof v === 'string') return a.string(4, v).int(20, 3);
  if (Array.isArray(v)) return a.packedInts(8, v).int(20, 7);
  if (typeof v === 'object') return a.float(2, v.float).int(20, 1);
  if (!Number.isInteger(v))
    throw new Error(`attribute ${name}: ${v} is not an integer; use { float }`);
  return a.int(3, v).int(20, 2);
}

function valueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims)
    shape.message(
      1,
      typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d),
    );
  const tensorType = new ProtoWriter().int(1, DataType[v.type]).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function tensor(t: Initializer): ProtoWriter {
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== n)
    throw new Error(`initializer ${t.name}: ${t.data.length} values for dims [${t.dims}]`);
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return new ProtoWriter()
    .packedInts(1, t.dims)
    .int(2, DataType[t.type])
    .string(8, t.name)
    .bytes(9, raw);
}

export function serializeModel(g: OnnxGraph): Uint8Array {
  const graph = new ProtoWriter();
  g.nodes.forEach((n, i) => {
    const node = new ProtoWriter();
    for (const x of n.inputs) node.string(1, x);
    for (const y of n.outputs) node.string(2, y);
    node.string(3, `${n.op}_${i}`).string(4, n.op);
    if (n.domain) node.string(7, n.domain);
    for (const [k, v] of Object.entries(n.attrs ?? {})) node.message(5, attribute(k, v));
    graph.message(1, node);
  });
  graph.string(2, g.name);
  for (const t of g.initializers ?? []) graph.message(5, tensor(t));
  for (const v of g.inputs) graph.message(11, valueInfo(v));
  for (const v of g.outputs) graph.message(12, valueInfo(v));
  const model = new ProtoWriter().int(1, 8);
  for (const o of g.opsets)
    model.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  return model.string(2, 'moe-lab').message(7, graph).finish();
}

export const int64s = (...v: number[]): BigInt64Array => BigInt64Array.from(v.map(BigInt));
