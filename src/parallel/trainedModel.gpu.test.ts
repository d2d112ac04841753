// The trained model's own MoE layers, on the hidden states its real run produced (the CPU engine:
// onnxruntime-web wasm + the kernels' twins), sharded over virtual GPUs by every strategy and
// compared with the same layer unsharded on the GPU. The routing the shards compute must also be
// the routing the run recorded.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpuBackend';
import { enginePackFrom } from '../engine/enginePack';
import { generate } from '../engine/generate';
import type { StepTrace } from '../engine/trace';
import { MoeLayer } from '../kernels/MoeLayer';
import { maxRelError } from '../kernels/reference';
import { nodeDevice } from '../kernels/testing/nodeDevice';
import { validatePack } from '../model/pack';
import { kernelConfig } from '../model/moeReference';
import { readPackFiles } from '../model/testing/diskPack';
import { PipelineStack } from './PipelineStack';
import { ShardedMoeLayer } from './ShardedMoeLayer';
import type { ShardSpec } from './shardLayout';

async function recordedPrefill(id: string) {
  const pack = enginePackFrom(await validatePack(readPackFiles(id)));
  const backend = await CpuBackend.create(pack);
  const steps: StepTrace[] = [];
  await generate(
    backend,
    pack.codec,
    pack.config.maxContext,
    {
      prompts: ['add: 37+45=', 'rev: moe'],
      maxTokens: 2,
      temperature: 0,
      topP: 1,
      stops: [],
      seed: 1,
      trace: true,
    },
    { onStep: (s) => steps.push(s) },
  );
  return { pack, prefill: steps[0]! };
}

const specs: ShardSpec[] = [
  { strategy: 'tp', gpus: 4, placement: 'contiguous' },
  { strategy: 'ep', gpus: 4, placement: 'round-robin' },
  { strategy: 'dp-ep', gpus: 8, placement: 'contiguous' },
  { strategy: 'dp-ep', gpus: 4, placement: 'eplb' },
  { strategy: 'tp-ep', gpus: 8, tp: 2, placement: 'eplb' },
];

describe.each(['mixtral-style', 'shared-expert'])('the %s model, sharded', (id) => {
  it('every strategy reproduces each MoE layer of the real run', async () => {
    const { pack, prefill } = await recordedPrefill(id);
    const device = await nodeDevice();
    const config = kernelConfig(pack.config);
    for (const trace of prefill.layers) {
      const { T, k, moeInput: x, moeResidual: residual } = trace;
      expect(x && residual).toBeTruthy();
      const w = pack.moeWeights(trace.layer);
      const one = await MoeLayer.create(device, config, w, { maxTokens: T });
      const want = (await one.run({ x: x!, T, k, residual: residual! })).out;
      one.destroy();
      const load = Array.from(trace.counts);
      for (const spec of specs) {
        const layer = await ShardedMoeLayer.create(device, config, w, { ...spec, load }, T);
        const r = await layer.forward({ x: x!, T, k, residual: residual! });
        expect(maxRelError(r.out, want), `${spec.strategy} layer ${trace.layer}`).toBeLessThan(
          1e-5,
        );
        // Pairs per expert (summed over replicas) are the run's own routing counts.
        const perExpert = new Array<number>(config.E).fill(0);
        r.plan.pairsPerPhysical.forEach(
          (n, p) => (perExpert[layer.layout.physical[p]!.expert]! += n),
        );
        expect(perExpert).toEqual(load);
        layer.destroy();
      }
    }
    // Pipeline: the three layers on three GPUs, fed what the run recorded.
    const layers = prefill.layers.map((t) => ({ config, weights: pack.moeWeights(t.layer) }));
    const pp = await PipelineStack.create(device, layers, 3, prefill.layers[0]!.T);
    const r = await pp.forward({
      mode: 'recorded',
      xs: prefill.layers.map((t) => t.moeInput!),
      residuals: prefill.layers.map((t) => t.moeResidual!),
      T: prefill.layers[0]!.T,
      microBatches: 2,
      k: prefill.layers[0]!.k,
    });
    for (const t of prefill.layers) {
      const one = await MoeLayer.create(device, config, pack.moeWeights(t.layer), {
        maxTokens: t.T,
      });
      const want = (await one.run({ x: t.moeInput!, T: t.T, k: t.k, residual: t.moeResidual! }))
        .out;
      expect(maxRelError(r.layerOut[t.layer]!, want)).toBeLessThan(1e-5);
      one.destroy();
    }
    pp.destroy();
  }, 900_000);
});
