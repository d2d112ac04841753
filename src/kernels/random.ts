// Seeded random inputs for kernel checks (tests, the benchmark and the in-browser kernel check).
import type { MoeConfig, MoeWeights } from './types';

/** mulberry32: small, fast, good enough for test data; same seed → same data everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [−scale, scale). */
export function randomArray(n: number, rand: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * scale;
  return out;
}

/** Weights scaled by 1/√fan-in so activations stay O(1) through the layer. */
export function randomWeights(c: MoeConfig, rand: () => number, localExperts = c.E): MoeWeights {
  const { D, I, E } = c;
  const Is = c.sharedI ?? 0;
  const w: MoeWeights = {
    Wr: randomArray(D * E, rand, 2 / Math.sqrt(D)),
    W1: randomArray(localExperts * D * I, rand, 1 / Math.sqrt(D)),
    W3: randomArray(localExperts * D * I, rand, 1 / Math.sqrt(D)),
    W2: randomArray(localExperts * I * D, rand, 1 / Math.sqrt(I)),
  };
  if (c.scoring === 'sigmoid') w.routerBias = randomArray(E, rand, 0.1);
  if (Is > 0) {
    w.S1 = randomArray(D * Is, rand, 1 / Math.sqrt(D));
    w.S3 = randomArray(D * Is, rand, 1 / Math.sqrt(D));
    w.S2 = randomArray(Is * D, rand, 1 / Math.sqrt(Is));
  }
  return w;
}

/**
 * Random routing [T, k] with distinct experts per token. `hot` sends that share of tokens' first
 * slot to expert 0 (skew); `only` restricts choices to the first `only` experts.
 */
export function randomTopk(
  T: number,
  k: number,
  E: number,
  rand: () => number,
  opts: { hot?: number; only?: number } = {},
): Int32Array {
  const ids = new Int32Array(T * k);
  const pool = Math.max(k, Math.min(E, opts.only ?? E));
  const chosen = new Set<number>();
  for (let t = 0; t < T; t++) {
    chosen.clear();
    for (let j = 0; j < k; j++) {
      let e = j === 0 && opts.hot && rand() < opts.hot ? 0 : Math.floor(rand() * pool);
      while (chosen.has(e)) e = (e + 1) % pool;
      chosen.add(e);
      ids[t * k + j] = e;
    }
  }
  return ids;
}
