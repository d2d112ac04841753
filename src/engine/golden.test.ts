// The golden check's logits error, and what an expert precision costs against the exporter on a
// real pack (the CPU path: the kernels' twins on the quantised-then-dequantised weights).
import { describe, expect, it } from 'vitest';
import { validatePack } from '../model/pack';
import { readIndex, readPackFiles } from '../model/testing/diskPack';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom } from './enginePack';
import { checkGolden, GOLDEN_LOGITS_TOLERANCE, logitsError } from './golden';
import { defaultKnobs } from './knobs';

describe('golden logits error', () => {
  it('is max |Δ| and max |Δ| ÷ max |golden|', () => {
    expect(logitsError([1, -2, 3.5], [1, -4, 3])).toEqual({ maxAbs: 2, maxRel: 0.5 });
    expect(logitsError([0, 0], [0, 0])).toEqual({ maxAbs: 0, maxRel: 0 });
    expect(logitsError([1, NaN], [1, 2])).toEqual({ maxAbs: Infinity, maxRel: Infinity });
    expect(logitsError([1], [1, 2]).maxAbs).toBe(Infinity);
  });

  it('grows as the experts lose bits, on the default pack', async () => {
    const id = readIndex().default;
    const pack = await validatePack(readPackFiles(id));
    const enginePack = enginePackFrom(pack);
    const backend = await CpuBackend.create(enginePack);
    const golden = pack.golden.prompts[0]!;
    const at: Record<string, { maxAbs: number; maxRel: number }> = {};
    for (const p of ['f32', 'int8', 'int4'] as const) {
      await backend.setKnobs({ ...defaultKnobs(pack.config), expertPrecision: p });
      const c = await checkGolden(backend, enginePack.codec, pack.config.maxContext, golden);
      at[p] = { maxAbs: c.logitsMaxAbs, maxRel: c.logitsRelError };
      // the relative error is max |Δ| over the golden logits' largest magnitude
      const scale = Math.max(...golden.lastLogits.map(Math.abs));
      expect(c.logitsRelError).toBeCloseTo(c.logitsMaxAbs / scale, 9);
    }
    expect(at.f32!.maxRel).toBeLessThan(GOLDEN_LOGITS_TOLERANCE);
    expect(at.int8!.maxAbs).toBeGreaterThan(at.f32!.maxAbs);
    expect(at.int4!.maxAbs).toBeGreaterThan(at.int8!.maxAbs);
    await backend.dispose();
  }, 120_000);
});
