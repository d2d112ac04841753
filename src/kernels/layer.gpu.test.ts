// The whole MoE layer on the GPU (Dawn + SwiftShader), kernel by kernel against the twins:
// each kernel gets the GPU's own inputs, so a failing row names the kernel at fault. Every run
// poisons all outputs first (NaN / 0xFFFFFFFF). GEMM sizes stay small: SwiftShader is slow.
import { describe, expect, it } from 'vitest';
import { GpuLimitError } from '../gpu/guards';
import { checkRun, type CheckRow } from './check';
import { defaultGemmTile } from './gemmTile';
import { MoeLayer, type GemmTile, type MoeVariant } from './MoeLayer';
import { readBack, writeAligned } from './pipelines';
import { maxRelError, moeLayerReference, routerReference, storedWeights } from './reference';
import { randomArray, randomWeights, rng } from './random';
import type { MoeConfig, MoeWeights } from './types';
import { nodeDevice } from './testing/nodeDevice';
import { SMALL_CONFIG } from './testing/smallConfig';

type Case = {
  name: string;
  config: MoeConfig;
  T: number;
  k?: number;
  mask?: (e: number) => number;
  expertMap?: (e: number) => number;
  residual?: boolean;
  variants?: MoeVariant[];
  maxTokens?: number;
  capacityFactor?: number;
  /** Give the router a selection bias uniform in [−s, s) (random.ts gives one to sigmoid only). */
  routerBiasScale?: number;
  /** The tiled grouped GEMM's column tile (MoeLayer.create's gemmTile; default: defaultGemmTile). */
  gemmTile?: GemmTile;
};

const base: MoeConfig = SMALL_CONFIG;

function failures(rows: CheckRow[]): string[] {
  return rows.filter((r) => !r.pass).map((r) => `${r.kernel}: ${r.maxRelError} ${r.detail ?? ''}`);
}

async function runCase(
  c: Case,
  seed: number,
  tolerance = 1e-5,
  round?: (w: MoeWeights) => MoeWeights,
) {
  const device = await nodeDevice();
  const rand = rng(seed);
  const { config, T } = c;
  const map = c.expertMap
    ? Int32Array.from({ length: config.E }, (_, e) => c.expertMap!(e))
    : undefined;
  const local = map ? Math.max(...map) + 1 : config.E;
  const weights = randomWeights(config, rand, local);
  if (c.routerBiasScale) weights.routerBias = randomArray(config.E, rand, c.routerBiasScale);
  const x = randomArray(T * config.D, rand);
  const residual = c.residual ? randomArray(T * config.D, rand) : undefined;
  const expertMask = c.mask
    ? Uint32Array.from({ length: config.E }, (_, e) => c.mask!(e))
    : undefined;
  const k = c.k ?? config.k;
  const all: CheckRow[] = [];
  // The fused variant twice: its own choice (the decode path at these small sizes) and the
  // tiled grouped GEMM forced.
  type Run = [MoeVariant, 'auto' | 'tiled'];
  const runs = (c.variants ?? ['fused']).flatMap((v): Run[] =>
    v === 'fused'
      ? [
          [v, 'auto'],
          [v, 'tiled'],
        ]
      : [[v, 'auto']],
  );
  for (const [variant, gemmPath] of runs) {
    const layer = await MoeLayer.create(device, config, weights, {
      maxTokens: c.maxTokens ?? T,
      variant,
      expertMap: map,
      gemmPath,
      gemmTile: c.gemmTile,
    });
    if (expertMask) layer.setExpertMask(expertMask);
    const capacityFactor = c.capacityFactor ?? null;
    const r = await layer.run({ x, T, k, residual, debug: true, poison: true, capacityFactor });
    layer.destroy();
    const twinWeights = round ? round(weights) : weights;
    const rows = checkRun(
      {
        config,
        weights: twinWeights,
        x,
        T,
        k,
        residual,
        expertMask,
        expertMap: map,
        capacityFactor,
        variant,
        tolerance,
      },
      r,
    );
    expect(failures(rows), `${c.name} [${variant}, ${gemmPath}, BN ${layer.gemmTile}]`).toEqual([]);
    // perExpert's count depends on how many experts got tokens: one GEMM pair per busy expert.
    const idle = Math.min(config.E, T * k) - r.trace.counts.filter((n) => n > 0).length;
    const extra = variant === 'perExpert' ? 2 * idle : 0;
    expect(r.dispatches).toBe(layer.dispatchesPerLayer(T, k) - extra);
    all.push(...rows);
  }
  return all;
}

describe('MoE layer kernels vs twins', () => {
  it('softmax + renormalise, shared expert, residual: fused, per-expert and dense-masked agree', async () => {
    const rows = await runCase(
      {
        name: 'mixtral-like',
        config: { ...base, sharedI: 40 },
        T: 21,
        residual: true,
        variants: ['fused', 'perExpert', 'denseMasked'],
      },
      1,
    );
    expect(rows.map((r) => r.kernel)).toContain('shared expert');
  });

  it('T = 1 (decode), E=16, k=4, BM=64', async () => {
    await runCase({ name: 'decode', config: { ...base, E: 16, k: 4, blockSize: 64 }, T: 1 }, 2);
  });

  it('sigmoid + selection bias (DeepSeek-V3 style), E=64, k=6, BM=32, T·k not a multiple of BM', async () => {
    await runCase(
      {
        name: 'deepseek-like',
        config: {
          ...base,
          D: 24,
          I: 20,
          E: 64,
          k: 6,
          blockSize: 32,
          scoring: 'sigmoid',
          sharedI: 24,
        },
        T: 7,
      },
      3,
    );
  });

  it('softmax + selection bias (a bias-balanced pack), E=16, k=2: the bias picks, the weights stay unbiased', async () => {
    const config: MoeConfig = { ...base, E: 16, k: 2 };
    const rows = await runCase({ name: 'softmax bias', config, T: 13, routerBiasScale: 0.2 }, 11);
    expect(rows.map((r) => r.kernel)).toContain('router');
    // The case means something only if the bias changes some choice (same seed, same draws).
    const rand = rng(11);
    const w = randomWeights(config, rand);
    const bias = randomArray(config.E, rand, 0.2);
    const x = randomArray(13 * config.D, rand);
    const args = [x, w.Wr, 13, config.D, config.E, 2, 'softmax', true] as const;
    const plain = routerReference(...args);
    const biased = routerReference(...args, bias);
    expect(Array.from(biased.topkIds)).not.toEqual(Array.from(plain.topkIds));
  });

  it('sigmoid without renormalisation', async () => {
    await runCase(
      { name: 'sigmoid raw', config: { ...base, scoring: 'sigmoid', renormalize: false }, T: 9 },
      4,
    );
  });

  it('E=256 with k=8 (experts receiving none)', async () => {
    await runCase({ name: 'E256', config: { ...base, D: 16, I: 16, E: 256, k: 8 }, T: 12 }, 5);
  });

  it('a single expert receives every token (mask leaves one), BM=128', async () => {
    const rows = await runCase(
      {
        name: 'one expert',
        config: { ...base, E: 16, k: 1, blockSize: 128 },
        T: 150,
        mask: (e) => (e === 5 ? 1 : 0),
        variants: ['fused', 'perExpert'],
      },
      6,
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('k and the expert mask change at run time on one layer (no rebuild)', async () => {
    const device = await nodeDevice();
    const config: MoeConfig = { ...base, E: 12, k: 4 };
    const rand = rng(7);
    const weights = randomWeights(config, rand);
    const T = 10;
    const x = randomArray(T * config.D, rand);
    const layer = await MoeLayer.create(device, config, weights, { maxTokens: 16 });
    for (const [k, mask] of [
      [4, undefined],
      [1, undefined],
      [3, Uint32Array.from({ length: 12 }, (_, e) => (e % 2 === 0 ? 1 : 0))],
      [2, new Uint32Array(12).fill(1)],
    ] as const) {
      if (mask) layer.setExpertMask(mask);
      const r = await layer.run({ x, T, k, debug: true, poison: true });
      expect(r.trace.topkIds.length).toBe(T * k);
      if (mask && mask[1] === 0)
        for (const id of r.trace.topkIds) expect(id % 2, 'disabled expert chosen').toBe(0);
      const rows = checkRun(
        { config, weights, x, T, k, expertMask: mask, variant: 'fused', tolerance: 1e-5 },
        r,
      );
      expect(failures(rows), `k=${k}`).toEqual([]);
    }
    layer.destroy();
  });

  it('expert parallelism: an expert map keeps 4 of 16 experts local, remote pairs skipped', async () => {
    await runCase(
      {
        name: 'EP',
        config: { ...base, E: 16, k: 4 },
        T: 24,
        expertMap: (e) => (e >= 4 && e < 8 ? e - 4 : -1),
        residual: true,
      },
      8,
    );
  });

  it('capacity factor 1: over-capacity pairs dropped identically on GPU and twin (fused both paths, per-expert)', async () => {
    const c: Case = {
      name: 'capacity',
      config: { ...base, E: 8, k: 2 },
      T: 40,
      residual: true,
      capacityFactor: 1,
      variants: ['fused', 'perExpert'],
    };
    const rows = await runCase(c, 12);
    expect(rows.filter((r) => r.kernel === 'align').length).toBe(3);
    // The case really drops pairs, and a dropped pair changes the layer's output.
    const device = await nodeDevice();
    const rand = rng(12);
    const weights = randomWeights(c.config, rand);
    const x = randomArray(c.T * c.config.D, rand);
    const layer = await MoeLayer.create(device, c.config, weights, { maxTokens: c.T });
    const capped = await layer.run({ x, T: c.T, capacityFactor: 1 });
    const free = await layer.run({ x, T: c.T });
    layer.destroy();
    expect(capped.trace.capacity).toBe(Math.ceil((c.T * 2) / 8));
    expect(capped.trace.dropped!.length).toBeGreaterThan(0);
    expect(free.trace.dropped!.length).toBe(0);
    expect(maxRelError(capped.out, free.out)).toBeGreaterThan(1e-3);
  });

  it("encode() records the layer into the caller's encoder on its buffers; readTrace() reads it", async () => {
    const device = await nodeDevice();
    const config: MoeConfig = { ...base, E: 16, k: 4, sharedI: 16 };
    const rand = rng(13);
    const weights = randomWeights(config, rand);
    const T = 6;
    const x = randomArray(T * config.D, rand);
    const residual = randomArray(T * config.D, rand);
    const buf = (data: Float32Array | null) => {
      const b = device.createBuffer({
        size: T * config.D * 4,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      writeAligned(device, b, data ?? new Float32Array(T * config.D).fill(NaN));
      return b;
    };
    const [xb, rb, ob] = [buf(x), buf(residual), buf(null)];
    const layer = await MoeLayer.create(device, config, weights, { maxTokens: 8 });
    const encoder = device.createCommandEncoder();
    const dispatches = layer.encode(encoder, { x: xb, residual: rb, out: ob, T, k: 3 });
    device.queue.submit([encoder.finish()]);
    expect(dispatches).toBe(10); // router ×2, align, gemm1 ×2, gemm2 ×2 (decode path), shared ×2, combine
    const [trace, [outBytes]] = await Promise.all([
      layer.readTrace(T, 3),
      readBack(device, [{ buffer: ob, bytes: T * config.D * 4 }]),
    ]);
    const ref = moeLayerReference(config, weights, x, T, { k: 3, residual });
    expect(maxRelError(new Float32Array(outBytes!), ref.out)).toBeLessThan(1e-5);
    expect(trace.T).toBe(T);
    expect(trace.k).toBe(3);
    expect(trace.counts).toEqual(ref.counts);
    expect(trace.expertIds).toEqual(ref.expertIds);
    layer.destroy();
    for (const b of [xb, rb, ob]) b.destroy();
  });

  it('records per-kernel GPU time with timestamp-query', async () => {
    const device = await nodeDevice();
    const config = { ...base, sharedI: 16 };
    const layer = await MoeLayer.create(device, config, randomWeights(config, rng(9)), {
      maxTokens: 4,
    });
    const r = await layer.run({ x: randomArray(4 * config.D, rng(10)), T: 4 });
    layer.destroy();
    if (!device.features.has('timestamp-query')) return expect(r.kernelMs).toBeNull();
    expect(Object.keys(r.kernelMs!)).toEqual([
      'router',
      'align',
      'gemm1',
      'gemm2',
      'shared',
      'combine',
    ]);
    // A tiny kernel can read 0 ticks on a coarse clock; the layer as a whole cannot.
    for (const ms of Object.values(r.kernelMs!)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(Object.values(r.kernelMs!).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(r.dispatches).toBe(10);
    expect(r.submits).toBe(1);
  });

  it('f16 weights (shader-f16) within 1e-2', async (ctx) => {
    const device = await nodeDevice();
    if (!device.features.has('shader-f16'))
      return ctx.skip('this adapter has no shader-f16 (SwiftShader never does)');
    const config: MoeConfig = { ...base, dtype: 'f16' };
    await runCase({ name: 'f16', config, T: 9 }, 11, 1e-2, (w) => storedWeights(config, w));
  });

  // Quantised experts: the twins run on the dequantised weights (storedWeights), so the kernels
  // must match them to f32 accuracy, on the decode path and the tiled GEMM alike.
  it('int8 experts (per-channel scales): fused, per-expert and dense-masked, shared expert', async () => {
    const config: MoeConfig = { ...base, dtype: 'int8', sharedI: 40 };
    await runCase(
      {
        name: 'int8',
        config,
        T: 21,
        residual: true,
        variants: ['fused', 'perExpert', 'denseMasked'],
      },
      31,
      1e-5,
      (w) => storedWeights(config, w),
    );
  });

  it('int4 experts (block-32 scales), K not a multiple of 32, T = 1 and T = 9', async () => {
    // D = 36: GEMM1 has a partial second block of K; I = 20: GEMM2's K is one partial block.
    const config: MoeConfig = { ...base, D: 36, I: 20, E: 16, k: 4, dtype: 'int4', blockSize: 32 };
    for (const [T, seed] of [
      [1, 32],
      [9, 33],
    ] as const)
      await runCase({ name: `int4 T=${T}`, config, T }, seed, 1e-5, (w) =>
        storedWeights(config, w),
      );
  });

  it('int4 and int8 with widths the decode path cannot take (tiled GEMM, odd nibble offsets)', async () => {
    for (const dtype of ['int4', 'int8'] as const) {
      const config: MoeConfig = { ...base, D: 30, I: 18, dtype, sharedI: 10 };
      await runCase({ name: `${dtype} odd widths`, config, T: 7, residual: true }, 34, 1e-5, (w) =>
        storedWeights(config, w),
      );
    }
  });

  it('quantised weights are really in use: int4 differs from the f32 layer', async () => {
    const device = await nodeDevice();
    const config: MoeConfig = { ...base, dtype: 'int4' };
    const w = randomWeights(config, rng(35));
    const x = randomArray(5 * config.D, rng(36));
    const outs: Float32Array[] = [];
    for (const dtype of ['f32', 'int4'] as const) {
      const layer = await MoeLayer.create(device, { ...config, dtype }, w, { maxTokens: 5 });
      outs.push((await layer.run({ x, T: 5 })).out);
      layer.destroy();
    }
    const err = maxRelError(outs[1]!, outs[0]!);
    expect(err).toBeGreaterThan(1e-3); // 4-bit weights cost accuracy…
    expect(err).toBeLessThan(0.3); // …but stay close to the f32 layer
  });

  // The wide tile (BN = 128: gemm1_wide / gemm2_wide, 8 columns a thread in vec4s). Widths that
  // leave partial column tiles and partial K steps (BK = 8), T·k not a multiple of BM.
  describe('wide GEMM tile (BN = 128)', () => {
    it('wide tile f32: partial tiles, T·k not a multiple of BM, shared expert, all variants', async () => {
      // gemm1: N = I = 132 (two column tiles, the second 4 wide), K = D = 36 (4.5 K steps);
      // gemm2: N = 36, K = 132; shared: N = 20 (mode 1, T plain rows). T·k = 26, BM = 16.
      const config: MoeConfig = { ...base, D: 36, I: 132, sharedI: 20 };
      const rows = await runCase(
        {
          name: 'wide f32',
          config,
          T: 13,
          residual: true,
          gemmTile: 128,
          variants: ['fused', 'perExpert', 'denseMasked'],
        },
        41,
      );
      expect(rows.map((r) => r.kernel)).toContain('shared expert');
    });

    it('wide tile f32 at BM = 64 (4 rows a thread), T·k = 74', async () => {
      const config: MoeConfig = { ...base, D: 24, I: 40, E: 4, k: 2, blockSize: 64 };
      await runCase({ name: 'wide BM64', config, T: 37, gemmTile: 128 }, 42);
    });

    it('wide tile int8 and int4 at BM = 32 (quads of codes, int4 K not a multiple of 32), shared expert', async () => {
      for (const dtype of ['int8', 'int4'] as const) {
        const config: MoeConfig = {
          ...base,
          ...{ D: 36, I: 20, E: 16, k: 4, blockSize: 32, dtype, sharedI: 12 },
        };
        await runCase(
          { name: `wide ${dtype}`, config, T: 9, residual: true, gemmTile: 128 },
          43,
          1e-5,
          (w) => storedWeights(config, w),
        );
      }
    });

    it('the 64-column tile, pinned: f32 with a shared expert, and int4', async () => {
      const f32: MoeConfig = { ...base, D: 36, I: 132, sharedI: 20 };
      await runCase({ name: 'BN64 f32', config: f32, T: 13, residual: true, gemmTile: 64 }, 45);
      const int4: MoeConfig = {
        ...base,
        ...{ D: 36, I: 20, E: 16, k: 4, blockSize: 32, dtype: 'int4' as const, sharedI: 12 },
      };
      await runCase({ name: 'BN64 int4', config: int4, T: 9, gemmTile: 64 }, 46, 1e-5, (w) =>
        storedWeights(int4, w),
      );
    });

    it('the layer takes defaultGemmTile’s choice unless told', async () => {
      const device = await nodeDevice();
      const c: MoeConfig = { ...base, D: 36, I: 132, sharedI: 20 };
      const w = randomWeights(c, rng(47));
      const a = await MoeLayer.create(device, c, w, { maxTokens: 4 });
      const b = await MoeLayer.create(device, c, w, { maxTokens: 4, gemmTile: 128 });
      expect([a.gemmTile, b.gemmTile]).toEqual([defaultGemmTile(c), 128]);
      a.destroy();
      b.destroy();
    });

    it('wide tile refuses widths that are not multiples of 4', async () => {
      const device = await nodeDevice();
      const config: MoeConfig = { ...base, D: 30, I: 18 };
      const w = randomWeights(config, rng(44));
      await expect(
        MoeLayer.create(device, config, w, { maxTokens: 4, gemmTile: 128 }),
      ).rejects.toThrow(/multiples of 4/);
    });
  });

  it('refuses sizes over the device limits up front with a GpuLimitError', async () => {
    const device = await nodeDevice();
    const config = { ...base };
    const w = randomWeights(config, rng(12));
    const big =
      Math.ceil(device.limits.maxStorageBufferBindingSize / (config.k * config.D * 4)) + 1;
    await expect(MoeLayer.create(device, config, w, { maxTokens: big })).rejects.toThrow(
      GpuLimitError,
    );
    await expect(MoeLayer.create(device, { ...config, k: 9 }, w, { maxTokens: 4 })).rejects.toThrow(
      /top-k/,
    );
    await expect(
      MoeLayer.create(device, { ...config, E: 600 }, w, { maxTokens: 4 }),
    ).rejects.toThrow(GpuLimitError);
    const layer = await MoeLayer.create(device, config, w, { maxTokens: 4 });
    await expect(layer.run({ x: new Float32Array(5 * 32), T: 5 })).rejects.toThrow(
      /Tokens in this call/,
    );
    await expect(layer.run({ x: new Float32Array(4 * 32), T: 4, k: 3 })).rejects.toThrow(/top-k/);
    layer.destroy();
  });
});
