// One sequence's KV cache on the CPU path: per layer a key and a value array [H, capacity, hd],
// written in place a row at a time. The capacity doubles as the sequence grows (never past the
// model's context), so a token costs its own rows, not a copy of the whole cache — the pack's
// graphs return [1, H, P + T, hd] every call, and keeping that meant a fresh array per token per
// sequence (garbage that a batch of 64 sequences turns into most of a step).
import type { SequenceCache } from './backend';

export class CpuKvCache implements SequenceCache {
  /** Positions every layer holds (advanced by the caller after the last layer). */
  length = 0;
  private capacity = 0;
  readonly key: Float32Array[];
  readonly value: Float32Array[];

  constructor(
    layers: number,
    private readonly heads: number,
    private readonly headDim: number,
    private readonly maxContext: number,
  ) {
    this.key = Array.from({ length: layers }, () => new Float32Array(0));
    this.value = Array.from({ length: layers }, () => new Float32Array(0));
  }

  /** Rows per head as laid out: head j's row r is at (j · stride + r) · hd. */
  get stride(): number {
    return this.capacity;
  }

  /** Room for `rows` positions in every layer (rows already written are kept). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    if (rows > this.maxContext)
      throw new Error(
        `the sequence would hold ${rows} positions; the model's context is ${this.maxContext}`,
      );
    const next = Math.min(this.maxContext, Math.max(rows, 2 * this.capacity, 16));
    const { heads: H, headDim: hd, capacity: old } = this;
    const grow = (a: Float32Array) => {
      const out = new Float32Array(H * next * hd);
      for (let j = 0; j < H; j++)
        out.set(a.subarray(j * old * hd, (j + 1) * old * hd), j * next * hd);
      return out;
    };
    for (let l = 0; l < this.key.length; l++) {
      this.key[l] = grow(this.key[l]!);
      this.value[l] = grow(this.value[l]!);
    }
    this.capacity = next;
  }

  /** Layer `layer`'s rows 0..P-1 as [H, P, hd] (the pack's graphs' past_key / past_value). */
  past(layer: number, which: 'key' | 'value', P: number): Float32Array {
    const { heads: H, headDim: hd, capacity: cap } = this;
    const src = this[which][layer]!;
    // Already contiguous (one head, or every row written): a view, no copy.
    if (H === 1 || P === cap) return src.subarray(0, H * P * hd);
    const out = new Float32Array(H * P * hd);
    for (let j = 0; j < H; j++) out.set(src.subarray(j * cap * hd, (j * cap + P) * hd), j * P * hd);
    return out;
  }

  /**
   * Writes rows `from`..`from + T - 1` of layer `layer` from `src`, laid out [H, srcRows, hd]
   * with those rows at `srcFrom`.. (a graph's present tensor, or one new row: srcRows 1).
   */
  write(
    layer: number,
    which: 'key' | 'value',
    src: Float32Array,
    srcRows: number,
    srcFrom: number,
    from: number,
    T: number,
  ): void {
    this.reserve(from + T);
    const { heads: H, headDim: hd, capacity: cap } = this;
    const dst = this[which][layer]!;
    for (let j = 0; j < H; j++)
      dst.set(
        src.subarray((j * srcRows + srcFrom) * hd, (j * srcRows + srcFrom + T) * hd),
        (j * cap + from) * hd,
      );
  }

  dispose(): void {
    // Typed arrays are garbage-collected.
  }
}
