// A damaged pack must not load as a working model: NaN weights (whatever their hash says) and a
// model that no longer computes its golden outputs are errors that name what is wrong.
import { describe, expect, it } from 'vitest';
import { validatePack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom, type EnginePack } from './enginePack';
import { firstNonFiniteWeight, proveModel } from './loadChecks';

async function packOf(id: string) {
  const pack = await validatePack(readPackFiles(id));
  return { pack, enginePack: enginePackFrom(pack) };
}

describe('load checks', () => {
  it('passes a sound pack and runs its golden prompt', async () => {
    const { pack, enginePack } = await packOf('mixtral-style');
    expect(firstNonFiniteWeight(enginePack)).toBeNull();
    const backend = await CpuBackend.create(enginePack);
    await expect(proveModel(backend, enginePack, pack.golden.prompts[0])).resolves.toBeUndefined();
  }, 120_000);

  it('names a NaN weight', async () => {
    const { pack, enginePack } = await packOf('mixtral-style');
    const damaged: EnginePack = {
      ...enginePack,
      moeWeights(l) {
        const w = enginePack.moeWeights(l);
        if (l === 1) w.W2 = Float32Array.from(w.W2, (v, i) => (i === 5 ? Number.NaN : v));
        return w;
      },
    };
    expect(firstNonFiniteWeight(damaged)).toMatch(/layer 1 W2\[5\] is NaN/);
    const backend = await CpuBackend.create(damaged);
    await expect(proveModel(backend, damaged, pack.golden.prompts[0])).rejects.toThrow(
      /weights are damaged/,
    );
  }, 120_000);

  it('refuses a model that no longer computes its golden outputs', async () => {
    const { pack, enginePack } = await packOf('mixtral-style');
    // Finite but wrong: every expert's down projection scaled, as a bad conversion would.
    const wrong: EnginePack = {
      ...enginePack,
      moeWeights(l) {
        const w = enginePack.moeWeights(l);
        w.W2 = Float32Array.from(w.W2, (v) => v * 3);
        return w;
      },
    };
    const backend = await CpuBackend.create(wrong);
    await expect(proveModel(backend, wrong, pack.golden.prompts[0])).rejects.toThrow(
      /does not compute what its exporter recorded/,
    );
  }, 120_000);
});
