// A growable byte buffer for a download in progress: preallocated when the size is known (no
// second copy of a 30 MB file at the end), able to keep a prefix when a download resumes.

export class ByteSink {
  private buf: Uint8Array;
  private len = 0;

  constructor(expected = 0) {
    this.buf = new Uint8Array(Math.max(0, Math.min(expected, 2 ** 31)));
  }

  get length(): number {
    return this.len;
  }

  append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.len + chunk.length, this.buf.length * 2, 65536));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Forget everything after the first `n` bytes (0: start over). */
  truncate(n: number): void {
    this.len = Math.max(0, Math.min(n, this.len));
  }

  /** The bytes received, as an ArrayBuffer of exactly that length. */
  toArrayBuffer(): ArrayBuffer {
    if (this.len === this.buf.length && this.buf.buffer instanceof ArrayBuffer)
      return this.buf.buffer;
    return this.buf.slice(0, this.len).buffer;
  }
}
