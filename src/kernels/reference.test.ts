// The CPU twins on cases small enough to work out by hand, and the checkers the GPU tests rely
// on shown to fail when they should (a checker that cannot fail proves nothing).
import { describe, expect, it } from 'vitest';
import { alignGroups, maxBlocks } from './align';
import { checkRun, permutationMismatch, topkMismatch } from './check';
import type { MoeRunResult } from './MoeLayer';
import { f16BitsToF32, f32ToF16Bits, roundToF16 } from './weightFormats';
import { randomArray, randomTopk, randomWeights, rng } from './random';
import {
  alignReference,
  combineReference,
  expertCapacity,
  gemm1Reference,
  gemm2Reference,
  maxRelError,
  moeLayerReference,
  routerReference,
} from './reference';
import type { MoeConfig } from './types';

describe('router twin', () => {
  // One token, D = 1, so logits = Wr row: [1, 3, 2, 0].
  const x = new Float32Array([1]);
  const Wr = new Float32Array([1, 3, 2, 0]);

  it('softmax, top-2, renormalised over the chosen two', () => {
    const r = routerReference(x, Wr, 1, 1, 4, 2, 'softmax', true);
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2) + 1;
    expect(r.probs[1]).toBeCloseTo(Math.exp(3) / z, 6);
    expect(Array.from(r.topkIds)).toEqual([1, 2]);
    const s = Math.exp(3) + Math.exp(2);
    expect(r.topkWeights[0]).toBeCloseTo(Math.exp(3) / s, 6);
    expect(r.topkWeights[1]).toBeCloseTo(Math.exp(2) / s, 6);
  });

  it('sigmoid: the bias changes which experts win, not their weights', () => {
    const bias = new Float32Array([0, 0, 0, 5]);
    const r = routerReference(x, Wr, 1, 1, 4, 2, 'sigmoid', false, bias);
    expect(Array.from(r.topkIds)).toEqual([3, 1]);
    expect(r.topkWeights[0]).toBeCloseTo(0.5, 6); // sigmoid(0), unbiased
    expect(r.topkWeights[1]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });

  it('softmax: the bias changes which experts win, not their weights (bias balancing)', () => {
    const bias = new Float32Array([0, 0, 0, 0.9]);
    const r = routerReference(x, Wr, 1, 1, 4, 2, 'softmax', false, bias);
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2) + 1;
    // keys p + b: [0.09, 0.67, 0.24, 0.03 + 0.9] → expert 3 first, then 1
    expect(Array.from(r.topkIds)).toEqual([3, 1]);
    expect(r.topkWeights[0]).toBeCloseTo(1 / z, 6); // unbiased p
    expect(r.topkWeights[1]).toBeCloseTo(Math.exp(3) / z, 6);
    expect(r.probs[3]).toBeCloseTo(1 / z, 6);
  });

  it('a disabled expert gets probability 0 and the rest renormalise', () => {
    const mask = new Uint32Array([1, 0, 1, 1]);
    const r = routerReference(x, Wr, 1, 1, 4, 1, 'softmax', false, undefined, mask);
    expect(r.probs[1]).toBe(0);
    expect(r.topkIds[0]).toBe(2);
    const z = Math.exp(1) + Math.exp(2) + 1;
    expect(r.probs[2]).toBeCloseTo(Math.exp(2) / z, 6);
  });

  it('ties go to the lower expert index (as in the kernel)', () => {
    const r = routerReference(x, new Float32Array([2, 2, 2, 2]), 1, 1, 4, 2, 'softmax', true);
    expect(Array.from(r.topkIds)).toEqual([0, 1]);
  });
});

describe('align twin', () => {
  // 3 tokens × k=2, E=4, BM=4: expert 0 ← pairs 0, 3, 4; expert 2 ← 1, 5; expert 3 ← 2.
  const ids = new Int32Array([0, 2, 3, 0, 0, 2]);

  it('counts, padded offsets, expert per block, sentinel-padded permutation', () => {
    const a = alignReference(ids, 4, 16);
    expect(Array.from(a.counts)).toEqual([3, 0, 2, 1]);
    expect(Array.from(a.offsets)).toEqual([0, 16, 16, 32, 48]);
    expect(a.numPostPad).toBe(48);
    expect(Array.from(a.expertIds)).toEqual([0, 2, 3]);
    expect(Array.from(a.sortedIds.subarray(0, 4))).toEqual([0, 3, 4, 6]);
    expect(Array.from(a.sortedIds.subarray(16, 19))).toEqual([1, 5, 6]);
    expect(a.sortedIds[32]).toBe(2);
    expect(a.sortedIds.filter((v) => v === 6).length).toBe(48 - 6);
  });

  it('an expert map drops remote pairs and writes local ids', () => {
    const a = alignReference(ids, 4, 16, new Int32Array([-1, -1, 0, 1]));
    expect(Array.from(a.counts)).toEqual([0, 0, 2, 1]);
    expect(Array.from(a.expertIds)).toEqual([0, 1]);
    expect(a.numPostPad).toBe(32);
  });

  it('permutation check accepts any order inside an expert and rejects a moved pair', () => {
    const a = alignReference(ids, 4, 16);
    const shuffled = a.sortedIds.slice();
    [shuffled[0], shuffled[2]] = [shuffled[2]!, shuffled[0]!];
    expect(permutationMismatch(shuffled, a.sortedIds, a.offsets)).toBeNull();
    const wrong = a.sortedIds.slice();
    [wrong[0], wrong[16]] = [wrong[16]!, wrong[0]!];
    expect(permutationMismatch(wrong, a.sortedIds, a.offsets)).toMatch(/expert 0/);
  });
});

describe('capacity factor (Switch / GShard token dropping)', () => {
  it('capacity is ⌈cf·T·k/E⌉ in exact arithmetic, null when off', () => {
    expect(expertCapacity(null, 10, 2, 4)).toBeNull();
    expect(expertCapacity(1, 10, 2, 4)).toBe(5);
    expect(expertCapacity(1.25, 10, 2, 4)).toBe(7); // 6.25 → 7
    // 1.2 · 5 is 6.000000000000001 in floating point; the capacity is exactly 6.
    expect(expertCapacity(1.2, 5, 2, 2)).toBe(6);
    expect(expertCapacity(1.1, 10, 2, 4)).toBe(6); // 5.5 → 6
    expect(expertCapacity(4, 1, 2, 8)).toBe(1);
  });

  // Same routing as above: expert 0 ← pairs 0, 3, 4; expert 2 ← 1, 5; expert 3 ← 2.
  const ids = new Int32Array([0, 2, 3, 0, 0, 2]);

  it('keeps the first pairs of each expert in pair order and lists the rest as dropped', () => {
    const a = alignReference(ids, 4, 16, undefined, 1);
    expect(Array.from(a.counts)).toEqual([1, 0, 1, 1]);
    expect(Array.from(a.dropped)).toEqual([3, 4, 5]);
    expect(Array.from(a.offsets)).toEqual([0, 16, 16, 32, 48]);
    expect(Array.from(a.sortedIds.subarray(0, 2))).toEqual([0, 6]);
    expect(a.sortedIds[16]).toBe(1);
    expect(a.sortedIds[32]).toBe(2);
    const two = alignReference(ids, 4, 16, undefined, 2);
    expect(Array.from(two.counts)).toEqual([2, 0, 2, 1]);
    expect(Array.from(two.dropped)).toEqual([4]);
    expect(Array.from(two.sortedIds.subarray(0, 3))).toEqual([0, 3, 6]);
  });

  it('a capacity no expert reaches changes nothing; an empty padding block disappears', () => {
    const free = alignReference(ids, 4, 16, undefined, 3);
    expect(free).toEqual(alignReference(ids, 4, 16));
    expect(free.dropped.length).toBe(0);
    const none = alignReference(ids, 4, 16, undefined, 0);
    expect(Array.from(none.dropped)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(none.numPostPad).toBe(0);
  });

  it('skewed routing at cf 1 drops exactly the popular expert’s late pairs; cf 4 drops none', () => {
    // T = 8 tokens, k = 2, E = 4: every token's first choice is expert 0 and its second cycles
    // over 1, 2, 3. Pairs: t·2 → expert 0, t·2 + 1 → 1 + t mod 3.
    const T = 8;
    const k = 2;
    const E = 4;
    const skewed = Int32Array.from({ length: T * k }, (_, i) =>
      i % 2 === 0 ? 0 : 1 + ((i >> 1) % 3),
    );
    const C = expertCapacity(1, T, k, E)!;
    expect(C).toBe(4); // ⌈1 · 8 · 2 / 4⌉
    const a = alignReference(skewed, E, 16, undefined, C);
    // Expert 0 has 8 pairs (0, 2, …, 14): the first four (tokens 0–3) stay, tokens 4–7 lose it.
    expect(Array.from(a.dropped)).toEqual([8, 10, 12, 14]);
    expect(Array.from(a.counts)).toEqual([4, 3, 3, 2]);
    expect(Array.from(a.sortedIds.subarray(0, 4))).toEqual([0, 2, 4, 6]);
    // Nothing is lost or duplicated: kept + dropped = all pairs.
    const kept = Array.from(a.sortedIds).filter((i) => i < T * k);
    expect([...kept, ...a.dropped].sort((x, y) => x - y)).toEqual([...Array(T * k).keys()]);
    // cf 4: C = 16 ≥ T, no expert can overflow; the layout equals the dropless one.
    const big = alignReference(skewed, E, 16, undefined, expertCapacity(4, T, k, E));
    expect(big.dropped.length).toBe(0);
    expect(big).toEqual(alignReference(skewed, E, 16));
    // cf 1.5: C = 6, expert 0 keeps tokens 0–5.
    const mid = alignReference(skewed, E, 16, undefined, expertCapacity(1.5, T, k, E));
    expect(Array.from(mid.dropped)).toEqual([12, 14]);
  });

  it('remote pairs (expert map −1) are neither kept nor dropped here', () => {
    const a = alignReference(ids, 4, 16, new Int32Array([-1, -1, 0, 1]), 1);
    expect(Array.from(a.counts)).toEqual([0, 0, 1, 1]);
    expect(Array.from(a.dropped)).toEqual([5]);
  });

  it('a dropped pair adds nothing: the token gets its other experts and the residual', () => {
    const config: MoeConfig = {
      D: 8,
      I: 12,
      E: 4,
      k: 2,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: true,
      dtype: 'f32',
    };
    const rand = rng(1);
    const w = randomWeights(config, rand);
    const T = 16;
    const x = randomArray(T * config.D, rand);
    const residual = randomArray(T * config.D, rand);
    const full = moeLayerReference(config, w, x, T, { residual });
    const capped = moeLayerReference(config, w, x, T, { residual, capacityFactor: 1 });
    const cap = expertCapacity(1, T, 2, 4)!;
    expect(capped.capacity).toBe(cap);
    expect(Array.from(capped.topkIds)).toEqual(Array.from(full.topkIds));
    // Which pairs are dropped follows from the routing alone: the first `cap` of each expert stay.
    const seen = new Int32Array(4);
    const expected: number[] = [];
    full.topkIds.forEach((e, i) => {
      if (seen[e]!++ >= cap) expected.push(i);
    });
    expect(expected.length).toBeGreaterThan(0); // this routing does overflow an expert
    expect(Array.from(capped.dropped)).toEqual(expected);
    const D = config.D;
    for (let t = 0; t < T; t++) {
      const row = (a: Float32Array) => Array.from(a.subarray(t * D, (t + 1) * D));
      const lost = [0, 1].filter((j) => expected.includes(t * 2 + j));
      // out = residual + Σ over kept pairs of the full run's pair outputs.
      const want = row(residual).map((r, d) => {
        let s = r;
        for (const j of [0, 1]) if (!lost.includes(j)) s += full.pairOut[(t * 2 + j) * D + d]!;
        return s;
      });
      row(capped.out).forEach((v, d) => expect(v).toBeCloseTo(want[d]!, 5));
      for (const j of lost) {
        const i = t * 2 + j;
        expect(capped.pairOut.subarray(i * D, (i + 1) * D).every((v) => v === 0)).toBe(true);
      }
    }
  });
});

describe('align buffer bounds', () => {
  it('maxBlocks never undercounts the blocks align produces (buffers are sized by it)', () => {
    const rand = rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const E = 1 + Math.floor(rand() * 300);
      const k = 1 + Math.floor(rand() * Math.min(E, 16));
      const T = 1 + Math.floor(rand() * 200);
      const BM = ([16, 32, 64, 128] as const)[trial % 4]!;
      const ids = randomTopk(T, k, E, rand, { only: 1 + Math.floor(rand() * E) });
      const a = alignReference(ids, E, BM);
      expect(a.expertIds.length).toBeLessThanOrEqual(maxBlocks(T * k, E, BM));
    }
  });

  it('the multi-workgroup split covers every pair with at most 256 workgroups', () => {
    for (const P of [1, 1023, 1024, 4097, 262144, 262145, 65536 * 16]) {
      const { G, chunk } = alignGroups(P);
      expect(G).toBeLessThanOrEqual(256);
      expect(G * chunk).toBeGreaterThanOrEqual(P);
      expect((G - 1) * chunk).toBeLessThan(P);
    }
  });
});

describe('GEMM and combine twins', () => {
  it('match a direct SwiGLU FFN per token', () => {
    const rand = rng(1);
    const [D, I, E, k, T] = [3, 2, 2, 1, 2];
    const x = randomArray(T * D, rand);
    const W1 = randomArray(E * D * I, rand);
    const W3 = randomArray(E * D * I, rand);
    const W2 = randomArray(E * I * D, rand);
    const ids = new Int32Array([1, 0]);
    const w = new Float32Array([0.25, 2]);
    const act = gemm1Reference(x, W1, W3, ids, k, D, I);
    const out = combineReference(gemm2Reference(act, W2, ids, w, D, I), ids, T, k, D);
    for (let t = 0; t < T; t++) {
      const e = ids[t]!;
      const h: number[] = [];
      for (let n = 0; n < I; n++) {
        let g = 0;
        let u = 0;
        for (let d = 0; d < D; d++) {
          g += x[t * D + d]! * W1[e * D * I + d * I + n]!;
          u += x[t * D + d]! * W3[e * D * I + d * I + n]!;
        }
        h.push((g / (1 + Math.exp(-g))) * u);
      }
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let n = 0; n < I; n++) s += h[n]! * W2[e * I * D + n * D + d]!;
        expect(out[t * D + d]).toBeCloseTo(w[t]! * s, 5);
      }
    }
  });
});

describe('error measure and checkers', () => {
  it('maxRelError is max|a−b| / max|b| and NaN is infinitely wrong', () => {
    expect(maxRelError([1, 2], [1, 4])).toBeCloseTo(0.5);
    expect(maxRelError([NaN], [1])).toBe(Infinity);
    expect(maxRelError([1], [1, 2])).toBe(Infinity);
  });

  it('topkMismatch allows swaps only at ties within tolerance', () => {
    const keys = new Float32Array([0.5, 0.5, 0.1]);
    expect(topkMismatch(new Int32Array([1]), new Int32Array([0]), keys, 3, 1, 1e-5)).toBeNull();
    expect(topkMismatch(new Int32Array([2]), new Int32Array([0]), keys, 3, 1, 1e-5)).toMatch(
      /token 0/,
    );
  });

  it('checkRun passes the twin against itself and fails on one unwritten (NaN) element', () => {
    const config: MoeConfig = {
      D: 8,
      I: 8,
      E: 4,
      k: 2,
      blockSize: 16,
      scoring: 'softmax',
      renormalize: true,
      dtype: 'f32',
    };
    const rand = rng(2);
    const weights = randomWeights(config, rand);
    const T = 3;
    const x = randomArray(T * config.D, rand);
    const ref = moeLayerReference(config, weights, x, T);
    const asRun = (out: Float32Array, act = ref.act): MoeRunResult => ({
      trace: ref,
      out,
      act,
      pairOut: ref.pairOut,
      kernelMs: null,
      dispatches: 0,
      submits: 0,
    });
    const input = { config, weights, x, T, k: 2, variant: 'fused' as const, tolerance: 1e-5 };
    expect(checkRun(input, asRun(ref.out)).every((r) => r.pass)).toBe(true);
    const out = ref.out.slice();
    out[5] = NaN;
    const rows = checkRun(input, asRun(out));
    expect(rows.find((r) => r.kernel === 'combine')!.pass).toBe(false);
    const act = ref.act.slice();
    act[3] = NaN;
    expect(
      checkRun(input, asRun(ref.out, act)).find((r) => r.kernel.startsWith('gemm1'))!.pass,
    ).toBe(false);
  });
});

describe('f16 conversion and test data', () => {
  it('round-trips representable values and rounds to nearest even', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24]) expect(f16BitsToF32(f32ToF16Bits(v))).toBe(v);
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: stays even
    expect(f32ToF16Bits(1e6)).toBe(0x7c00); // overflow → inf
    expect(Math.abs(roundToF16(new Float32Array([0.1]))[0]! - 0.1)).toBeLessThan(1e-4);
  });

  it('random routing has k distinct experts per token and honours `only`', () => {
    const ids = randomTopk(50, 4, 10, rng(3), { only: 6 });
    for (let t = 0; t < 50; t++) {
      const row = Array.from(ids.subarray(t * 4, t * 4 + 4));
      expect(new Set(row).size).toBe(4);
      for (const e of row) expect(e).toBeLessThan(6);
    }
  });
});
