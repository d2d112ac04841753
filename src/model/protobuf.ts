// A minimal protobuf encoder: just what an ONNX ModelProto needs (varints, length-delimited
// fields, fixed32 floats, packed repeated int64). Messages are built inside-out as lists of
// chunks; a nested message is appended by reference, so large initializers are copied once,
// when the outermost message is finished. Used by the engine's graphs (onnxWriter.ts) and the
// bench's (src/bench/onnx/model.ts).

const enc = new TextEncoder();

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  /** Bytes so far. */
  size = 0;

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  private varint(v: number | bigint): void {
    // Negative int64s are ten-byte two's complement varints.
    let x = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    if (typeof v === 'number' && !Number.isSafeInteger(v))
      throw new Error(`protobuf: ${v} is not an integer`);
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, enc.encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    this.tag(field, 2);
    this.varint(m.size);
    for (const c of m.chunks) this.push(c);
    return this;
  }

  packedInts(field: number, vs: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of vs) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, vs: readonly number[]): this {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Reads the varint at `at` (tests and debugging). */
export function readVarint(b: Uint8Array, at: number): { value: bigint; next: number } {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    const byte = b[at++];
    if (byte === undefined) throw new Error('truncated varint');
    v |= BigInt(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return { value: v, next: at };
    shift += 7n;
  }
}
