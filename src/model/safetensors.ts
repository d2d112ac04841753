// A bounds-checked safetensors reader: 8-byte little-endian header length, JSON header
// { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }, then the data.
// Only F32 is accepted (the packs are f32); views are zero-copy when aligned.
import * as v from 'valibot';
import { parseFile, shown } from '../loading/fileSchema';
import { list, nonNegativeInt } from '../loading/fieldSchemas';
import { PackError, packError } from './config';

export type SafeTensor = { name: string; dtype: 'F32'; shape: number[]; data: Float32Array };

export type SafeTensors = {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
};

const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** One tensor's entry in the header; only F32 is accepted (the packs are f32). */
const TensorInfoSchema = v.object(
  {
    dtype: v.pipe(
      v.picklist(
        Object.keys(DTYPE_BYTES),
        (i) => `is not a safetensors dtype (got ${shown(i.input)})`,
      ),
      v.literal('F32', (i) => `is ${shown(i.input)}, expected "F32"`),
    ),
    shape: list(nonNegativeInt(), 'a list of dimensions', 8),
    data_offsets: v.tuple(
      [nonNegativeInt(), nonNegativeInt()],
      (i) => `must be [begin, end] (got ${shown(i.input)})`,
    ),
  },
  (i) => `must describe a tensor (got ${shown(i.input)})`,
);

export type TensorInfo = v.InferOutput<typeof TensorInfoSchema>;

const MetadataSchema = v.record(
  v.string(),
  v.string((i) => `must be a string (got ${shown(i.input)})`),
  (i) => `must be an object of strings (got ${shown(i.input)})`,
);

export function parseSafetensors(bytes: Uint8Array, file = 'moe.safetensors'): SafeTensors {
  if (bytes.byteLength < 8) {
    throw new PackError(
      file,
      `file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`,
      'header',
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBig = dv.getBigUint64(0, true);
  if (lenBig > BigInt(bytes.byteLength - 8)) {
    throw new PackError(
      file,
      `header length ${lenBig} exceeds file size ${bytes.byteLength}`,
      'header',
    );
  }
  const headerLen = Number(lenBig);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)),
    );
  } catch (err) {
    throw new PackError(
      file,
      `header is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      'header',
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new PackError(file, 'header must be a JSON object', 'header');
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  const ranges: Array<[number, number, string]> = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseFile(MetadataSchema, info, file, { makeError: packError, at: name });
      continue;
    }
    const { shape, data_offsets: offs } = parseFile(TensorInfoSchema, info, file, {
      makeError: packError,
      at: name,
    });
    const [begin, end] = offs;
    const elems = shape.reduce((a, b) => a * b, 1);
    if (end < begin || end - begin !== elems * 4) {
      throw new PackError(
        file,
        `tensor ${name}: data_offsets [${begin},${end}] hold ${end - begin} bytes, shape [${shape.join(',')}] needs ${elems * 4}`,
        name,
      );
    }
    if (end > dataLen) {
      throw new PackError(
        file,
        `tensor ${name} ends at byte ${dataStart + end}, past the end of the file (${bytes.byteLength} bytes; truncated?)`,
        name,
      );
    }
    ranges.push([begin, end, name]);
    const abs = bytes.byteOffset + dataStart + begin;
    let data: Float32Array;
    if (abs % 4 === 0) {
      data = new Float32Array(bytes.buffer, abs, elems);
    } else {
      data = new Float32Array(bytes.slice(dataStart + begin, dataStart + end).buffer);
    }
    tensors.set(name, { name, dtype: 'F32', shape, data });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    if (cur[0] < prev[1])
      throw new PackError(file, `tensors ${prev[2]} and ${cur[2]} overlap`, cur[2]);
  }
  return { tensors, metadata };
}

/** The tensor `name` with exactly `shape`, or a PackError naming the file and tensor. */
export function expectTensor(
  st: SafeTensors,
  name: string,
  shape: number[],
  file = 'moe.safetensors',
): Float32Array {
  const t = st.tensors.get(name);
  if (!t) throw new PackError(file, `tensor ${name} is missing`, name);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new PackError(
      file,
      `tensor ${name} has shape [${t.shape.join(',')}], expected [${shape.join(',')}]`,
      name,
    );
  }
  return t.data;
}
