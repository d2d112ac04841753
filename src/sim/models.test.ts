import { describe, expect, it } from 'vitest';
import { HARDWARE_IDS, SIM_MODEL_IDS } from '../state/settingsSchema';
import { HARDWARE } from './hardware';
import { MODELS, paramCounts } from './models';
import { simulate } from './simulate';
import { WORKLOADS } from './workloads';

describe('presets', () => {
  it('cover exactly the model and hardware ids the settings offer', () => {
    expect(MODELS.map((m) => m.id).sort()).toEqual([...SIM_MODEL_IDS].sort());
    expect(HARDWARE.map((h) => h.id).sort()).toEqual([...HARDWARE_IDS].sort());
  });

  it('each carry a source', () => {
    for (const p of [...MODELS, ...HARDWARE, ...WORKLOADS])
      expect(p.source.length, p.id).toBeGreaterThan(10);
  });

  it.each(MODELS.map((m) => [m.id, m] as const))(
    '%s: the architecture adds up to the published total and active parameters',
    (_id, m) => {
      const { total, active } = paramCounts(m);
      expect(Math.abs(total / 1e9 / m.publishedTotalParamsB - 1)).toBeLessThan(0.06);
      // Published "active" figures differ on whether they count the embedding tables, so the
      // published number must lie between active-without-tables and active-with-tables.
      const tables = m.vocab * m.hidden * 2;
      expect(m.publishedActiveParamsB * 1e9).toBeGreaterThanOrEqual((active - tables) * 0.97);
      expect(m.publishedActiveParamsB * 1e9).toBeLessThanOrEqual(active * 1.03);
    },
  );

  it('are internally consistent', () => {
    for (const m of MODELS) {
      expect(m.topK).toBeLessThanOrEqual(m.experts);
      if (m.attention.kind === 'gqa') expect(m.attention.heads % m.attention.kvHeads).toBe(0);
      expect(m.denseLayers).toBeLessThan(m.layers);
    }
    for (const h of HARDWARE) {
      expect(h.memoryGB).toBeGreaterThan(0);
      expect(h.nvlink.gbPerS).toBeGreaterThan(h.infiniband.gbPerS);
    }
  });
});

describe('every preset runs', () => {
  it.each(MODELS.map((m) => [m.id] as const))(
    '%s gives finite outputs on every GPU preset',
    (model) => {
      for (const h of HARDWARE) {
        // DP attention + EP exists for every preset (no head-divisibility constraint).
        const r = simulate({
          model,
          hardware: h.id,
          gpus: 8,
          strategy: 'dp-ep',
          precision: 'fp8',
          inputLen: 1024,
          outputLen: 256,
          concurrency: 32,
          prompts: 256,
        });
        for (const v of [
          r.ttftMs,
          r.itlMs,
          r.e2eMs,
          r.outputTokensPerS,
          r.totalTokensPerS,
          r.tokensPerSPerGpu,
          r.memoryPerGpuGB,
        ])
          expect(Number.isFinite(v) && v > 0, `${model} on ${h.id}`).toBe(true);
        expect([
          'compute',
          'memory',
          'communication',
          'imbalance',
          'overhead',
          'memory capacity',
        ]).toContain(r.bottleneck);
        if (!r.fits) expect(r.reason).toBeTruthy();
      }
    },
  );

  it.each(WORKLOADS.map((w) => [w.id, w] as const))('workload %s runs', (_id, w) => {
    const r = simulate({
      model: 'qwen3-30b-a3b',
      hardware: 'h200',
      gpus: 8,
      strategy: 'ep',
      precision: 'bf16',
      inputLen: w.inputLen,
      outputLen: w.outputLen,
      concurrency: w.concurrency,
      prompts: w.prompts,
    });
    expect(r.outputTokensPerS).toBeGreaterThan(0);
    expect(r.e2eMs).toBeGreaterThan(r.ttftMs);
  });
});
