// Reads the dense weights out of the pack's ONNX graphs (embed.onnx, attn_<l>.onnx, head.onnx)
// for our own WGSL dense path: a small protobuf decoder for ModelProto → GraphProto → nodes and
// float initializers, and a mapping of initializers to roles by the graph's structure (which
// MatMul feeds which input of the attention), never by the exporter's generated names.
//
// Field numbers (onnx.proto3): ModelProto.graph 7; GraphProto.node 1, initializer 5;
// NodeProto.input 1, output 2, op_type 4, attribute 5; AttributeProto.name 1, t 5;
// TensorProto.dims 1, data_type 2, float_data 4, name 8, raw_data 9, data_location 14.

const FLOAT = 1; // TensorProto.DataType.FLOAT

export type OnnxTensor = { name: string; dims: number[]; data: Float32Array };
export type OnnxNode = { op: string; inputs: string[]; outputs: string[] };
export type OnnxGraph = { nodes: OnnxNode[]; initializers: Map<string, OnnxTensor> };

type Field = { field: number; wire: number; value: bigint | Uint8Array };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buf.length) throw new Error('ONNX: truncated varint');
      const b = buf[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (at + len > buf.length) throw new Error('ONNX: field runs past the end');
      out.push({ field, wire, value: buf.subarray(at, at + len) });
      at += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      out.push({ field, wire, value: buf.subarray(at, at + len) });
      at += len;
    } else throw new Error(`ONNX: unsupported wire type ${wire}`);
  }
  return out;
}

const text = new TextDecoder();
const str = (f: Field) => text.decode(f.value as Uint8Array);

function packedVarints(f: Field): bigint[] {
  if (f.wire === 0) return [f.value as bigint];
  const b = f.value as Uint8Array;
  const out: bigint[] = [];
  let at = 0;
  while (at < b.length) {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const x = b[at++]!;
      v |= BigInt(x & 0x7f) << shift;
      if (x < 0x80) break;
      shift += 7n;
    }
    out.push(v);
  }
  return out;
}

/** A float TensorProto (raw_data or float_data); null for other element types. */
function tensor(buf: Uint8Array): OnnxTensor | null {
  let name = '';
  const dims: number[] = [];
  let type = 0;
  let raw: Uint8Array | null = null;
  const floats: number[] = [];
  for (const f of fields(buf)) {
    if (f.field === 1) for (const d of packedVarints(f)) dims.push(Number(d));
    else if (f.field === 2) type = Number(f.value);
    else if (f.field === 8) name = str(f);
    else if (f.field === 9) raw = f.value as Uint8Array;
    else if (f.field === 14 && Number(f.value) === 1)
      throw new Error(`ONNX: initializer ${name || '?'} has external data`);
    else if (f.field === 4) {
      const b = f.value as Uint8Array;
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i + 4 <= b.length; i += 4) floats.push(dv.getFloat32(i, true));
    }
  }
  if (type !== FLOAT) return null;
  const n = dims.reduce((a, b) => a * b, 1);
  let data: Float32Array;
  if (raw) {
    if (raw.length !== n * 4)
      throw new Error(`ONNX: ${name} holds ${raw.length} bytes for ${n} floats`);
    data = new Float32Array(n);
    new Uint8Array(data.buffer).set(raw); // copy: raw_data is rarely 4-byte aligned
  } else {
    if (floats.length !== n)
      throw new Error(`ONNX: ${name} holds ${floats.length} floats for ${n}`);
    data = Float32Array.from(floats);
  }
  return { name, dims, data };
}

/** The graph's nodes (in file order) and its float initializers, Constant nodes' values included. */
export function readOnnxGraph(model: Uint8Array): OnnxGraph {
  const graphField = fields(model).find((f) => f.field === 7 && f.wire === 2);
  if (!graphField) throw new Error('ONNX: no graph in the model');
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  for (const f of fields(graphField.value as Uint8Array)) {
    if (f.wire !== 2) continue;
    if (f.field === 5) {
      const t = tensor(f.value as Uint8Array);
      if (t) initializers.set(t.name, t);
    } else if (f.field === 1) {
      const node: OnnxNode = { op: '', inputs: [], outputs: [] };
      let constant: OnnxTensor | null = null;
      for (const nf of fields(f.value as Uint8Array)) {
        if (nf.field === 1) node.inputs.push(str(nf));
        else if (nf.field === 2) node.outputs.push(str(nf));
        else if (nf.field === 4) node.op = str(nf);
        else if (nf.field === 5) {
          const attr = fields(nf.value as Uint8Array);
          const isValue = attr.some((a) => a.field === 1 && str(a) === 'value');
          const t = attr.find((a) => a.field === 5);
          if (isValue && t) constant = tensor(t.value as Uint8Array);
        }
      }
      // A Constant's value is a weight like any other once named by its output.
      if (node.op === 'Constant' && constant && node.outputs[0])
        initializers.set(node.outputs[0], { ...constant, name: node.outputs[0] });
      nodes.push(node);
    }
  }
  return { nodes, initializers };
}

/** The weights of one attention block, as the WGSL kernels and their twins take them. */
export type AttentionWeights = {
  /** RMSNorm gains before attention and before the MoE: [D]. */
  norm1: Float32Array;
  norm2: Float32Array;
  /** Projections as x·W, row-major [in, out]: Wq [D, H·hd], Wk/Wv [D, Hkv·hd], Wo [H·hd, D]. */
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
};

export type DenseWeights = {
  /** [V, D]; the LM head when the model ties it (the packs do). */
  embedding: Float32Array;
  layers: AttentionWeights[];
  normFinal: Float32Array;
  /** [D, V] as x·W when the head is not tied; null when it is the embedding's transpose. */
  head: Float32Array | null;
};

/** Every node reachable downstream of `from` (outputs consumed transitively). */
function downstream(g: OnnxGraph, from: string): Set<string> {
  const seen = new Set<string>([from]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of g.nodes)
      if (n.inputs.some((i) => seen.has(i)))
        for (const o of n.outputs)
          if (!seen.has(o)) {
            seen.add(o);
            grew = true;
          }
  }
  return seen;
}

const weightOf = (g: OnnxGraph, n: OnnxNode) =>
  n.inputs.map((i) => g.initializers.get(i)).find((t) => t !== undefined);

/** The [D] gains of the RMSNorms in node order: a Mul by a 1-D initializer of length D. */
function normGains(g: OnnxGraph, D: number): Float32Array[] {
  return g.nodes
    .filter((n) => n.op === 'Mul')
    .map((n) => weightOf(g, n))
    .filter((t): t is OnnxTensor => !!t && t.dims.length === 1 && t.dims[0] === D)
    .map((t) => t.data);
}

/**
 * attn_<l>.onnx: the four projections are the MatMuls with a 2-D initializer. The one whose
 * result reaches present_value is Wv; present_key, Wk; of the other two, Wo's result reaches
 * output `h` without passing through another projection, Wq's flows on into Wo.
 */
export function attentionWeights(model: Uint8Array, D: number): AttentionWeights {
  const g = readOnnxGraph(model);
  const mm = g.nodes
    .filter((n) => n.op === 'MatMul')
    .map((n) => ({ n, w: weightOf(g, n) }))
    .filter((x): x is { n: OnnxNode; w: OnnxTensor } => !!x.w && x.w.dims.length === 2);
  if (mm.length !== 4) throw new Error(`attention graph: ${mm.length} weight MatMuls, expected 4`);
  const reach = mm.map(({ n }) => downstream(g, n.outputs[0]!));
  const pick = (what: string, test: (r: Set<string>, i: number) => boolean) => {
    const hits = mm.filter((_, i) => test(reach[i]!, i));
    if (hits.length !== 1)
      throw new Error(`attention graph: ${hits.length} candidates for ${what}`);
    return hits[0]!.w.data;
  };
  const wk = pick('Wk', (r) => r.has('present_key'));
  const wv = pick('Wv', (r) => r.has('present_value'));
  const kv = (r: Set<string>) => r.has('present_key') || r.has('present_value');
  // Wq feeds the scores, which feed Wo's input: its reach holds Wo's output; Wo's does not hold Wq's.
  const qo = mm.map((x, i) => ({ x, i })).filter(({ i }) => !kv(reach[i]!));
  if (qo.length !== 2) throw new Error('attention graph: cannot tell Wq from Wo');
  const [a, b] = qo;
  const aFeedsB = reach[a!.i]!.has(b!.x.n.outputs[0]!);
  const [q, o] = aFeedsB ? [a!, b!] : [b!, a!];
  const gains = normGains(g, D);
  if (gains.length !== 2)
    throw new Error(`attention graph: ${gains.length} RMSNorm gains, expected 2`);
  return { norm1: gains[0]!, norm2: gains[1]!, wq: q.x.w.data, wk, wv, wo: o.x.w.data };
}

/** embed.onnx's table [V, D]: the graph's one Gather from a 2-D initializer. */
export function embeddingWeights(model: Uint8Array): { table: Float32Array; V: number; D: number } {
  const g = readOnnxGraph(model);
  const tables = g.nodes
    .filter((n) => n.op === 'Gather')
    .map((n) => g.initializers.get(n.inputs[0]!))
    .filter((t): t is OnnxTensor => !!t && t.dims.length === 2);
  if (tables.length !== 1) throw new Error(`embed graph: ${tables.length} embedding tables`);
  const t = tables[0]!;
  return { table: t.data, V: t.dims[0]!, D: t.dims[1]! };
}

/**
 * head.onnx: the final RMSNorm gain and the LM head. Tied, the head is a MatMul by the
 * embedding's transpose: exported as a [D, V] initializer (constant-folded transpose) or as a
 * Transpose of the [V, D] table; either way we keep only the [V, D] embedding.
 */
export function headWeights(
  model: Uint8Array,
  embedding: Float32Array,
  V: number,
  D: number,
): { normFinal: Float32Array; head: Float32Array | null } {
  const g = readOnnxGraph(model);
  const gains = normGains(g, D);
  if (gains.length !== 1) throw new Error(`head graph: ${gains.length} RMSNorm gains, expected 1`);
  const big = [...g.initializers.values()].filter((t) => t.dims.length === 2);
  if (big.length !== 1) throw new Error(`head graph: ${big.length} 2-D weights, expected 1`);
  const w = big[0]!;
  let head: Float32Array | null;
  if (w.dims[0] === V && w.dims[1] === D)
    head = sameAs(w.data, embedding) ? null : transpose(w.data, V, D);
  else if (w.dims[0] === D && w.dims[1] === V)
    head = sameAs(transpose(w.data, D, V), embedding) ? null : w.data;
  else throw new Error(`head graph: weight [${w.dims}] is neither [V, D] nor [D, V]`);
  return { normFinal: gains[0]!, head };
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

const sameAs = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** Every dense weight of a pack from its ONNX graphs. */
export function denseWeights(onnx: (name: string) => Uint8Array, layers: number): DenseWeights {
  const { table, V, D } = embeddingWeights(onnx('embed.onnx'));
  const attn = Array.from({ length: layers }, (_, l) =>
    attentionWeights(onnx(`attn_${l}.onnx`), D),
  );
  const { normFinal, head } = headWeights(onnx('head.onnx'), table, V, D);
  return { embedding: table, layers: attn, normFinal, head };
}
