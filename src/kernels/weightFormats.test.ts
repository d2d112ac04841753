// The int8 / int4 packing the quantised kernels read, and its dequantisation.
import { describe, expect, it } from 'vitest';
import { randomArray, rng } from './random';
import { dequantize, INT4_BLOCK, packForGpu, quantize, storedBytes } from './weightFormats';

describe('quantised weight formats', () => {
  it('int8: per-channel scale = max |w| / 127, bytes little-endian two’s complement', () => {
    // E = 1, K = 2, N = 2: column 0 holds {1, −0.25}, column 1 holds {0, 0.25}.
    const q = quantize('int8', Float32Array.from([1, 0, -0.25, 0.25]), 1, 2, 2);
    expect([...q.scales]).toEqual([Math.fround(1 / 127), Math.fround(0.25 / 127)]);
    // Codes: 127, 0, −32 (−0.25 · 127 = −31.75), 127.
    expect(q.words[0]! >>> 0).toBe((127 | (0 << 8) | ((-32 & 0xff) << 16) | (127 << 24)) >>> 0);
    const back = dequantize('int8', q, 1, 2, 2);
    expect(back[0]).toBeCloseTo(1, 6);
    expect(back[2]).toBeCloseTo(-32 / 127, 6);
  });

  it('int4: nibble = q + 8, low nibble first, one scale per 32 rows of K and column', () => {
    const K = INT4_BLOCK + 3; // a partial second block
    const w = new Float32Array(K); // N = 1: one column
    w[0] = 7;
    w[1] = -7;
    w[2] = 3;
    w[INT4_BLOCK] = -2; // second block: its own scale
    const q = quantize('int4', w, 1, K, 1);
    expect([...q.scales]).toEqual([1, Math.fround(2 / 7)]);
    expect(q.words[0]! & 0xfff).toBe(15 | (1 << 4) | (11 << 8));
    expect(q.words[4]! & 0xf).toBe(1); // −7 (−2 / (2/7)) + 8
    const back = dequantize('int4', q, 1, K, 1);
    expect([back[0], back[1], back[2], back[3], back[INT4_BLOCK]]).toEqual([7, -7, 3, 0, -2]);
  });

  it.each(['int8', 'int4'] as const)('%s: error at most half a step per element', (format) => {
    const [E, K, N] = [3, 70, 12];
    const w = randomArray(E * K * N, rng(5));
    const q = quantize(format, w, E, K, N);
    const back = dequantize(format, q, E, K, N);
    const rows = format === 'int8' ? K : INT4_BLOCK;
    const groups = Math.ceil(K / rows);
    for (let e = 0; e < E; e++)
      for (let k = 0; k < K; k++)
        for (let n = 0; n < N; n++) {
          const i = (e * K + k) * N + n;
          const step = q.scales[(e * groups + Math.floor(k / rows)) * N + n]!;
          expect(Math.abs(back[i]! - w[i]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
        }
    expect(q.words.length).toBe(Math.ceil((E * K * N) / (format === 'int8' ? 4 : 8)));
  });

  it('storedBytes is the packed buffer’s size: codes, then scales', () => {
    for (const format of ['int8', 'int4'] as const) {
      const [E, K, N] = [3, 70, 12];
      const q = quantize(format, new Float32Array(E * K * N), E, K, N);
      expect(storedBytes(format, E, K, N)).toBe(packForGpu(q).byteLength);
    }
    expect(storedBytes('f32', 2, 3, 4)).toBe(96);
    expect(storedBytes('f16', 2, 3, 4)).toBe(48);
  });

  it('an all-zero channel gets scale 0 and dequantises to zeros', () => {
    for (const format of ['int8', 'int4'] as const) {
      const q = quantize(format, new Float32Array(8), 1, 4, 2);
      expect([...q.scales].every((s) => s === 0)).toBe(true);
      expect([...dequantize(format, q, 1, 4, 2)].every((v) => v === 0)).toBe(true);
    }
  });
});
