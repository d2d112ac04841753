// Writes a minimal ONNX ModelProto from TypeScript, so the engine can build graphs at load time
// from weights it already holds (no re-export of the packs): one graph of nodes with int, ints,
// float and floats attributes, float32 and int64 initializers as little-endian raw_data, and
// graph inputs and outputs with fixed float32 shapes. IR version 8, default-domain opset 17.
//
// Field numbers (onnx/onnx.proto, proto2): ModelProto ir_version 1, producer_name 2, graph 7,
// opset_import 8; OperatorSetIdProto domain 1, version 2; GraphProto node 1, name 2,
// initializer 5, input 11, output 12; NodeProto input 1, output 2, name 3, op_type 4,
// attribute 5; AttributeProto name 1, f 2, i 3, floats 7, ints 8, type 20; TensorProto dims 1,
// data_type 2, name 8, raw_data 9; ValueInfoProto name 1, type 2; TypeProto tensor_type 1;
// TypeProto.Tensor elem_type 1, shape 2; TensorShapeProto dim 1; Dimension dim_value 1.

import { ProtoWriter } from './protobuf';

const IR_VERSION = 8;
const OPSET_VERSION = 17;

/** TensorProto.DataType. */
const FLOAT = 1;
const INT64 = 7;

/** AttributeProto.AttributeType. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, floats: 6, ints: 7 } as const;

export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] };

/** Attribute values by kind: `{ axis: attr.int(-1), perm: attr.ints([0, 2, 1, 3]) }`. */
export const attr = {
  int: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ kind: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ kind: 'floats', value }),
};

type Node = {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Record<string, OnnxAttribute>;
};
type Tensor = { name: string; dims: readonly number[]; type: number; raw: Uint8Array };
type ValueInfo = { name: string; dims: readonly number[] };

function checkDims(what: string, dims: readonly number[]): void {
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new Error(`ONNX writer: ${what} has dims [${dims.join(', ')}]`);
}

const elementCount = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * One ONNX graph, built in topological order: every node input must already be a graph input,
 * an initializer or an earlier node's output ('' stands for an omitted optional input).
 */
export class OnnxGraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly tensors: Tensor[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly defined = new Set<string>();

  constructor(private readonly name = 'graph') {}

  private define(name: string): void {
    if (!name) throw new Error('ONNX writer: a value needs a name');
    if (this.defined.has(name)) throw new Error(`ONNX writer: ${name} is defined twice`);
    this.defined.add(name);
  }

  /** A float32 graph input of fixed shape; returns its name. */
  input(name: string, dims: readonly number[]): string {
    checkDims(`input ${name}`, dims);
    this.define(name);
    this.inputs.push({ name, dims: [...dims] });
    return name;
  }

  /** A float32 graph output of fixed shape; some node must produce it. */
  output(name: string, dims: readonly number[]): void {
    checkDims(`output ${name}`, dims);
    if (this.outputs.some((o) => o.name === name))
      throw new Error(`ONNX writer: output ${name} is declared twice`);
    this.outputs.push({ name, dims: [...dims] });
  }

  /** A float32 initializer (copied now); returns its name. `dims` [] is a scalar. */
  initializer(name: string, data: Float32Array, dims: readonly number[]): string {
    checkDims(`initializer ${name}`, dims);
    if (data.length !== elementCount(dims))
      throw new Error(
        `ONNX writer: initializer ${name} has ${data.length} values for dims [${dims.join(', ')}]`,
      );
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
    this.define(name);
    this.tensors.push({ name, dims: [...dims], type: FLOAT, raw });
    return name;
  }

  /** An int64 initializer (shapes, slice bounds), 1-D unless `dims` says otherwise. */
  int64Initializer(
    name: string,
    values: readonly number[],
    dims: readonly number[] = [values.length],
  ): string {
    checkDims(`initializer ${name}`, dims);
    if (values.length !== elementCount(dims))
      throw new Error(
        `ONNX writer: initializer ${name} has ${values.length} values for dims [${dims.join(', ')}]`,
      );
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      if (!Number.isSafeInteger(v)) throw new Error(`ONNX writer: ${name} holds ${v}`);
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    this.define(name);
    this.tensors.push({ name, dims: [...dims], type: INT64, raw });
    return name;
  }

  /** A node of the default domain; returns the name of its first output. */
  node(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, OnnxAttribute> = {},
  ): string {
    for (const i of inputs)
      if (i && !this.defined.has(i))
        throw new Error(`ONNX writer: ${op} reads ${i}, which nothing defines before it`);
    if (outputs.length === 0) throw new Error(`ONNX writer: ${op} has no outputs`);
    for (const o of outputs) this.define(o);
    this.nodes.push({ op, inputs: [...inputs], outputs: [...outputs], attributes });
    return outputs[0]!;
  }

  /** The serialised ModelProto. */
  toModel(): Uint8Array {
    for (const o of this.outputs)
      if (!this.defined.has(o.name)) throw new Error(`ONNX writer: nothing produces ${o.name}`);
    const graph = new ProtoWriter();
    this.nodes.forEach((n, index) => graph.message(1, encodeNode(n, index)));
    graph.string(2, this.name);
    for (const t of this.tensors) graph.message(5, encodeTensor(t));
    for (const v of this.inputs) graph.message(11, encodeValueInfo(v));
    for (const v of this.outputs) graph.message(12, encodeValueInfo(v));
    const opset = new ProtoWriter().string(1, '').int(2, OPSET_VERSION);
    return new ProtoWriter()
      .int(1, IR_VERSION)
      .string(2, 'moe-lab')
      .message(7, graph)
      .message(8, opset)
      .finish();
  }
}

function encodeAttribute(name: string, a: OnnxAttribute): ProtoWriter {
  const out = new ProtoWriter().string(1, name);
  // Repeated scalars unpacked, as proto2 declares them (parsers accept either form).
  if (a.kind === 'float') out.float(2, a.value);
  else if (a.kind === 'int') out.int(3, a.value);
  else if (a.kind === 'floats') for (const v of a.value) out.float(7, v);
  else for (const v of a.value) out.int(8, v);
  return out.int(20, ATTRIBUTE_TYPE[a.kind]);
}

function encodeNode(n: Node, index: number): ProtoWriter {
  const out = new ProtoWriter();
  for (const i of n.inputs) out.string(1, i);
  for (const o of n.outputs) out.string(2, o);
  out.string(3, `${n.op}_${index}`).string(4, n.op);
  for (const [name, a] of Object.entries(n.attributes)) out.message(5, encodeAttribute(name, a));
  return out;
}

function encodeTensor(t: Tensor): ProtoWriter {
  const out = new ProtoWriter();
  for (const d of t.dims) out.int(1, d);
  return out.int(2, t.type).string(8, t.name).bytes(9, t.raw);
}

function encodeValueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}
