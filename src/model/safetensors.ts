// A bounds-checked safetensors reader: 8-byte little-endian header length, JSON header
// { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }, then the data.
// Only F32 is accepted (the packs are f32); views are zero-copy when aligned.
import { PackError } from './config';

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
      if (typeof info === 'object' && info !== null) metadata = info as Record<string, string>;
      continue;
    }
    if (typeof info !== 'object' || info === null) {
      throw new PackError(file, `tensor ${name} has no description`, name);
    }
    const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      throw new PackError(file, `tensor ${name} has unknown dtype ${JSON.stringify(dtype)}`, name);
    }
    if (dtype !== 'F32')
      throw new PackError(file, `tensor ${name} has dtype ${dtype}, expected F32`, name);
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
    ) {
      throw new PackError(file, `tensor ${name} has an invalid shape`, name);
    }
    if (
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      !offs.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
    ) {
      throw new PackError(file, `tensor ${name} has invalid data_offsets`, name);
    }
    const [begin, end] = offs as [number, number];
    const elems = (shape as number[]).reduce((a, b) => a * b, 1);
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
    tensors.set(name, { name, dtype: 'F32', shape: shape as number[], data });
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
