// The MoE layer cut over 1–8 virtual GPUs by every strategy and placement, executed on the one
// device (Dawn + SwiftShader), against the same layer unsharded on the GPU: f32, relative error
// under 1e-5. Then the bytes the collectives moved, against the formulas of DESIGN.md.
import { describe, expect, it } from 'vitest';
import { MoeLayer } from '../kernels/MoeLayer';
import { maxRelError } from '../kernels/reference';
import { randomArray, randomWeights, rng } from '../kernels/random';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import type { MoeConfig, MoeWeights } from '../kernels/types';
import { remoteRows } from './dispatchPlan';
import type { PlacementKind } from './placement';
import { ShardedMoeLayer } from './ShardedMoeLayer';
import type { ShardSpec } from './shardLayout';

const config: MoeConfig = {
  D: 32,
  I: 52, // not a multiple of 8: tensor-parallel slices are uneven
  E: 12,
  k: 3,
  blockSize: 16,
  scoring: 'softmax',
  renormalize: true,
  sharedI: 20,
  dtype: 'f32',
};

async function unsharded(
  c: MoeConfig,
  w: MoeWeights,
  x: Float32Array,
  T: number,
  residual: Float32Array,
) {
  const layer = await MoeLayer.create(await nodeDevice(), c, w, { maxTokens: T });
  const r = await layer.run({ x, T, residual });
  layer.destroy();
  return r.out;
}

const T = 37;
const rand = rng(8);
const weights = randomWeights(config, rand);
const x = randomArray(T * config.D, rand);
const residual = randomArray(T * config.D, rand);
let expected: Float32Array | null = null;
const reference = async () => (expected ??= await unsharded(config, weights, x, T, residual));

const cases: ShardSpec[] = [];
for (const gpus of [1, 2, 4, 8]) {
  cases.push({ strategy: 'tp', gpus, placement: 'contiguous' });
  for (const placement of ['contiguous', 'round-robin', 'eplb'] as PlacementKind[]) {
    cases.push({ strategy: 'ep', gpus, placement });
    cases.push({ strategy: 'dp-ep', gpus, placement });
  }
  for (const tp of [2, 4])
    if (gpus > tp && gpus % tp === 0)
      cases.push({ strategy: 'tp-ep', gpus, tp, placement: 'round-robin' });
}
cases.push({
  strategy: 'tp-ep',
  gpus: 8,
  tp: 2,
  placement: 'eplb',
  load: [90, 1, 1, 30, 2, 2, 2, 2, 9, 1, 1, 5],
});

describe('a sharded MoE layer equals the unsharded one', () => {
  for (const spec of cases)
    it(`${spec.strategy}${spec.tp ? ` tp=${spec.tp}` : ''} on ${spec.gpus} GPUs, ${spec.placement}${spec.load ? ' (skewed load)' : ''}`, async () => {
      const layer = await ShardedMoeLayer.create(await nodeDevice(), config, weights, spec, 64);
      const r = await layer.forward({ x, T, residual });
      expect(maxRelError(r.out, await reference())).toBeLessThan(1e-5);
      // Every rank of a tensor-parallel group ends with the same full result.
      const last = layer.layout.tp - 1;
      if (last > 0) {
        const [a, b] = await Promise.all([layer.readRank(0, T), layer.readRank(last, T)]);
        expect(maxRelError(b, a)).toBeLessThan(1e-6);
      }
      // Every routed pair was computed exactly once, by one replica.
      expect(r.plan.pairsPerGroup.reduce((s, v) => s + v, 0)).toBe(T * config.k);
      layer.destroy();
    });

  it('with a lower top-k per call, no shared expert and no residual', async () => {
    const c = { ...config, sharedI: 0 };
    const w = randomWeights(c, rng(3));
    const want = await (async () => {
      const l = await MoeLayer.create(await nodeDevice(), c, w, { maxTokens: T });
      const out = (await l.run({ x, T, k: 2 })).out;
      l.destroy();
      return out;
    })();
    for (const spec of [
      { strategy: 'dp-ep', gpus: 4, placement: 'eplb' },
      { strategy: 'tp', gpus: 4, placement: 'contiguous' },
    ] as ShardSpec[]) {
      const layer = await ShardedMoeLayer.create(await nodeDevice(), c, w, spec, 64);
      const r = await layer.forward({ x, T, k: 2 });
      expect(maxRelError(r.out, want)).toBeLessThan(1e-5);
      layer.destroy();
    }
  });
});

/**
 * A router that sends token t to experts {t mod P, (t+1) mod P} (one expert per GPU): over the
 * batch every GPU is hit equally and each pair's GPU is uniform — the formulas' assumption.
 */
function uniformRouting(P: number, T: number, D: number) {
  const c: MoeConfig = { ...config, D, E: P, k: 2, sharedI: 0 };
  const w = randomWeights(c, rng(5));
  w.Wr.fill(0);
  const x = new Float32Array(T * D);
  for (let t = 0; t < T; t++) {
    x[t * D + t] = 1; // token t reads row t of Wr
    w.Wr[t * P + (t % P)] = 4;
    w.Wr[t * P + ((t + 1) % P)] = 3;
  }
  return { c, w, x };
}

describe('bytes moved by the collectives match DESIGN.md', () => {
  const h = 32;
  const s = 4; // f32
  it('EP all-to-all: k·h·b·s·(P−1)/P each way for uniform routing', async () => {
    const P = 4;
    const b = 32;
    const { c, w, x } = uniformRouting(P, b, h);
    for (const strategy of ['dp-ep', 'ep'] as const) {
      const layer = await ShardedMoeLayer.create(
        await nodeDevice(),
        c,
        w,
        { strategy, gpus: P, placement: 'contiguous' },
        b,
      );
      const r = await layer.forward({ x, T: b });
      const formula = (c.k * h * b * s * (P - 1)) / P;
      expect(remoteRows(r.plan)).toBe((c.k * b * (P - 1)) / P);
      expect(r.ledger.bytes('dispatch')).toBe(formula);
      expect(r.ledger.bytes('combine')).toBe(formula);
      expect(r.ledger.bytes('all-reduce')).toBe(0);
      // ep keeps every token on every GPU (tensor-parallel attention): one all-gather of b·h·s.
      const gather = strategy === 'ep' ? b * h * s * (P - 1) : 0;
      expect(r.ledger.bytes('all-gather')).toBe(gather);
      layer.destroy();
    }
  });

  it('EP with random routing: the bytes are exactly the remote rows the routing asks for', async () => {
    const layer = await ShardedMoeLayer.create(
      await nodeDevice(),
      config,
      weights,
      { strategy: 'dp-ep', gpus: 4, placement: 'round-robin' },
      64,
    );
    const r = await layer.forward({ x, T, residual });
    const rows = remoteRows(r.plan);
    expect(rows).toBeGreaterThan(0);
    expect(r.ledger.bytes('dispatch')).toBe(rows * config.D * 4);
    expect(r.ledger.bytes('combine')).toBe(rows * config.D * 4);
    // Each routed pair goes to one GPU: deduplicated rows never exceed the pairs sent away.
    expect(rows).toBeLessThanOrEqual((T * config.k * 3) / 4 + T);
    layer.destroy();
  });

  it('TP ring all-reduce: 2·h·b·s·(P−1)/P sent by each GPU', async () => {
    for (const P of [2, 4, 8]) {
      const b = 16;
      const layer = await ShardedMoeLayer.create(
        await nodeDevice(),
        config,
        weights,
        { strategy: 'tp', gpus: P, placement: 'contiguous' },
        b,
      );
      const r = await layer.forward({ x, T: b });
      const perGpu = (2 * h * b * s * (P - 1)) / P;
      const { sent, received } = r.ledger.perGpu('all-reduce', P);
      for (let g = 0; g < P; g++) {
        expect(sent[g]).toBe(perGpu);
        expect(received[g]).toBe(perGpu);
      }
      expect(r.ledger.bytes('dispatch')).toBe(0);
      layer.destroy();
    }
  });
});
