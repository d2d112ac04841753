// The decode GEMM path (shaders/decode_gemv.wgsl) and the split router logits
// (shaders/router_logits.wgsl) against the twins, outputs poisoned first (NaN / 0xFFFFFFFF).
import { describe, expect, it } from 'vitest';
import { checkRun, type CheckRow } from './check';
import { decodeSplit, decodeTuning, splitAlign } from './decode';
import { MoeLayer } from './MoeLayer';
import { MoeRouter, routerSplit } from './router';
import { topkMismatch } from './check';
import { writeAligned } from './pipelines';
import { maxRelError, routerReference, storedWeights } from './reference';
import { randomArray, randomWeights, rng } from './random';
import type { MoeConfig } from './types';
import { nodeDevice } from './testing/nodeDevice';
import { SMALL_CONFIG } from './testing/smallConfig';

const base: MoeConfig = SMALL_CONFIG;

const failures = (rows: CheckRow[]) =>
  rows.filter((r) => !r.pass).map((r) => `${r.kernel}: ${r.maxRelError} ${r.detail ?? ''}`);

async function decodeCase(
  config: MoeConfig,
  T: number,
  seed: number,
  opts: { gemmPath?: 'auto' | 'decode'; expertMap?: Int32Array; residual?: boolean } = {},
) {
  const device = await nodeDevice();
  const rand = rng(seed);
  const local = opts.expertMap ? Math.max(...opts.expertMap) + 1 : config.E;
  const weights = randomWeights(config, rand, local);
  const x = randomArray(T * config.D, rand);
  const residual = opts.residual ? randomArray(T * config.D, rand) : undefined;
  const layer = await MoeLayer.create(device, config, weights, {
    maxTokens: T,
    gemmPath: opts.gemmPath ?? 'decode',
    expertMap: opts.expertMap,
  });
  const r = await layer.run({ x, T, residual, debug: true, poison: true });
  expect(r.dispatches).toBe(layer.dispatchesPerLayer(T));
  layer.destroy();
  const rows = checkRun(
    {
      config,
      // Quantised experts: the twin runs on the weights as the kernels store them.
      weights: storedWeights(config, weights),
      x,
      T,
      k: config.k,
      residual,
      expertMap: opts.expertMap,
      variant: 'fused',
      tolerance: 1e-5,
    },
    r,
  );
  expect(failures(rows), `T=${T}`).toEqual([]);
  return r;
}

describe('decode GEMM path vs twins', () => {
  for (const T of [1, 2, 8])
    it(`T = ${T}, E=16, k=4, BM=64 (auto picks decode)`, async () => {
      await decodeCase({ ...base, E: 16, k: 4, blockSize: 64 }, T, 20 + T, { gemmPath: 'auto' });
    });

  it('K split over several workgroups (D 200, I 100: splits of 29 / 25 rows), T = 3', async () => {
    await decodeCase({ ...base, D: 200, I: 100, E: 8, k: 3 }, 3, 33);
  });

  // Quantised decode: int4 loads a block's scales once per 32 rows and steps 8 / 16 rows at a
  // time, int8 sums the codes over the whole split. K 296 / 200 end in a partial block. With
  // few workgroups asked for (groups 4: two splits) a split holds several blocks and the
  // second starts on a block boundary; with the default, one block per split.
  for (const dtype of ['int4', 'int8'] as const)
    it(`${dtype} experts, splits of one and of several blocks (D 296, I 200), T = 1 and 5`, async () => {
      const config: MoeConfig = { ...base, D: 296, I: 200, E: 8, k: 2, dtype };
      const groups = decodeTuning.groups;
      try {
        decodeTuning.groups = 4;
        expect(decodeSplit(2, 296, 200, 2, 2, splitAlign(dtype)).S).toBe(2);
        await decodeCase(config, 1, 41);
      } finally {
        decodeTuning.groups = groups;
      }
      await decodeCase(config, 5, 45);
    });

  it('many rows per expert (several 8-row sub-blocks and blocks), shared expert, residual', async () => {
    await decodeCase({ ...base, E: 4, k: 2, sharedI: 24 }, 37, 30, { residual: true });
  });

  it('sigmoid + bias, E=64, k=6, BM=32, odd widths (D 36, I 20)', async () => {
    await decodeCase(
      { ...base, D: 36, I: 20, E: 64, k: 6, blockSize: 32, scoring: 'sigmoid' },
      5,
      31,
    );
  });

  it('BM=128 and an expert map (remote pairs skipped)', async () => {
    const map = Int32Array.from({ length: 16 }, (_, e) => (e >= 4 && e < 8 ? e - 4 : -1));
    await decodeCase({ ...base, E: 16, k: 4, blockSize: 128 }, 24, 32, { expertMap: map });
  });

  it('refuses to force the decode path on widths that are not multiples of 4', async () => {
    const device = await nodeDevice();
    const config = { ...base, I: 46 };
    await expect(
      MoeLayer.create(device, config, randomWeights(config, rng(1)), {
        maxTokens: 2,
        gemmPath: 'decode',
      }),
    ).rejects.toThrow(/multiples of 4/);
  });
});

describe('router logits split over D and experts', () => {
  const cases: [string, number, number, number, number][] = [
    // name, T, D, E, k
    ['T=1, D=1000 over many splits, E=8', 1, 1000, 8, 2],
    ['T=19, D=515, E=60 (expert lanes past E idle)', 19, 515, 60, 4],
    ['T=3, D=300, E=300 (5 expert chunks)', 3, 300, 300, 8],
    ['T=70, D=64, E=16 (token tiles, one split)', 70, 64, 16, 4],
    ['T=128, D=1024, E=64, k=8 (16 token tiles × 16 splits)', 128, 1024, 64, 8],
  ];
  for (const [name, T, D, E, k] of cases)
    it(name, async () => {
      const device = await nodeDevice();
      const rand = rng(T * 7 + E);
      const Wr = randomArray(D * E, rand, 2 / Math.sqrt(D));
      const x = randomArray(T * D, rand);
      const cfg = { D, E, k, scoring: 'softmax' as const, renormalize: true };
      const router = await MoeRouter.create(device, cfg, Wr, undefined, T + 5);
      if (name.includes('many splits')) expect(routerSplit(T, D, E).S).toBeGreaterThan(1);
      const xb = device.createBuffer({
        size: T * D * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      });
      writeAligned(device, xb, x);
      router.poison();
      router.prepare(T, k);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      expect(router.encode(pass, xb, T)).toBe(2);
      pass.end();
      device.queue.submit([enc.finish()]);
      const got = await router.read(T, k);
      const ref = routerReference(x, Wr, T, D, E, k, 'softmax', true);
      expect(maxRelError(got.probs, ref.probs)).toBeLessThan(1e-5);
      expect(topkMismatch(got.topkIds, ref.topkIds, ref.probs, E, k, 1e-5)).toBeNull();
      expect(maxRelError(got.topkWeights, ref.topkWeights)).toBeLessThan(1e-5);
      router.destroy();
      xb.destroy();
    });
});
