// Pipeline parallelism executed on the one device: a stack of MoE layers cut into stages, the
// batch into micro-batches; output equal to the unsharded stack (f32, < 1e-5) and the bytes
// crossing stage boundaries equal to (stages − 1)·b·h·s.
import { describe, expect, it } from 'vitest';
import { MoeLayer } from '../kernels/MoeLayer';
import { maxRelError } from '../kernels/reference';
import { randomArray, randomWeights, rng } from '../kernels/random';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { SMALL_CONFIG } from '../kernels/testing/smallConfig';
import type { MoeConfig } from '../kernels/types';
import { PipelineStack, type StackLayer } from './PipelineStack';

const config: MoeConfig = { ...SMALL_CONFIG, I: 40 };
const rand = rng(21);
const layers: StackLayer[] = Array.from({ length: 8 }, (_, l) => ({
  config: l % 2 ? { ...config, sharedI: 16 } : config,
  weights: randomWeights(l % 2 ? { ...config, sharedI: 16 } : config, rand),
}));
const T = 29;
const x = randomArray(T * config.D, rand);

/** The same stack on one GPU, layer after layer: y = MoE(y) + y. */
async function unshardedChain(): Promise<Float32Array[]> {
  const device = await nodeDevice();
  const outs: Float32Array[] = [];
  let y = x;
  for (const l of layers) {
    const layer = await MoeLayer.create(device, l.config, l.weights, { maxTokens: T });
    y = (await layer.run({ x: y, T, residual: y })).out;
    outs.push(y);
    layer.destroy();
  }
  return outs;
}

describe('pipeline parallel', () => {
  let want: Float32Array[] | null = null;
  for (const gpus of [1, 2, 4, 8])
    for (const microBatches of [1, 4])
      it(`${gpus} stages, ${microBatches} micro-batches: equal to the unsharded stack`, async () => {
        want ??= await unshardedChain();
        const pp = await PipelineStack.create(await nodeDevice(), layers, gpus, 64);
        const r = await pp.forward({ mode: 'chain', x, T, microBatches });
        expect(maxRelError(r.out, want[want.length - 1]!)).toBeLessThan(1e-5);
        r.layerOut.forEach((o, l) => expect(maxRelError(o, want![l]!)).toBeLessThan(1e-5));
        expect(r.ledger.bytes('pp-send')).toBe((gpus - 1) * T * config.D * 4);
        expect(r.ledger.kinds().filter((k) => k !== 'pp-send')).toEqual([]);
        pp.destroy();
      });

  it('recorded inputs (the trained model): each layer equals its unsharded self', async () => {
    const xs = layers.slice(0, 3).map(() => randomArray(T * config.D, rand));
    const hs = layers.slice(0, 3).map(() => randomArray(T * config.D, rand));
    const pp = await PipelineStack.create(await nodeDevice(), layers.slice(0, 3), 3, T);
    const r = await pp.forward({ mode: 'recorded', xs, residuals: hs, T, microBatches: 2 });
    for (let l = 0; l < 3; l++) {
      const layer = await MoeLayer.create(
        await nodeDevice(),
        layers[l]!.config,
        layers[l]!.weights,
        { maxTokens: T },
      );
      const want = (await layer.run({ x: xs[l]!, T, residual: hs[l]! })).out;
      expect(maxRelError(r.layerOut[l]!, want)).toBeLessThan(1e-5);
      layer.destroy();
    }
    expect(r.ledger.bytes('pp-send')).toBe(2 * T * config.D * 4);
    pp.destroy();
  });

  it('refuses more stages than layers, clearly', async () => {
    await expect(
      PipelineStack.create(await nodeDevice(), layers.slice(0, 3), 4, T),
    ).rejects.toThrow(/at least 4 layers; this model has 3/);
  });
});
