import { describe, expect, it } from 'vitest';
import { SETTINGS_SCHEMA } from '../state/settingsSchema';
import { ENGINES, ENGINE_IDS, VLLM_CHAT_TEMPLATE_MS, schedulerLimitsFor } from './engines';
import { hardwareById } from './hardware';
import { buildContext } from './context';
import { LENGTH_DISTRIBUTIONS, lengthClasses } from './lengths';
import { simulate } from './simulate';

describe('engine profiles and length distributions', () => {
  it('the settings offer exactly the simulator’s engines and distributions', () => {
    expect([...SETTINGS_SCHEMA.simEngine.values]).toEqual([...ENGINE_IDS]);
    expect([...SETTINGS_SCHEMA.simLengths.values]).toEqual([...LENGTH_DISTRIBUTIONS]);
  });

  it('every profile names where its constants come from, and stays in physical ranges', () => {
    for (const id of ENGINE_IDS) {
      const e = ENGINES[id];
      expect(e.id).toBe(id);
      expect(e.source).toMatch(/\S{10,}/);
      expect(e.computeScale).toBeGreaterThan(0);
      expect(e.computeScale).toBeLessThanOrEqual(1);
      for (const v of [
        e.layerFixedUs,
        e.eagerLayerFixedUs,
        e.allReduceUs,
        e.stepFixedUs,
        e.requestOverheadMs,
        e.ttftFixedMs,
      ])
        expect(v).toBeGreaterThanOrEqual(0);
      // An AMD factor below 1 would say ROCm builds beat the same engine's CUDA build.
      expect(e.amdFactor).toBeGreaterThanOrEqual(1);
      // Likewise an early-2025 build faster than the current one.
      expect(e.earlyReleaseFactor).toBeGreaterThanOrEqual(1);
      expect(e.cudaGraphMaxBatch).toBeGreaterThan(0);
      expect(e.maxSeqs).toBeGreaterThan(0);
      expect(e.maxBatchTokens).toBeGreaterThan(0);
    }
  });

  it('vLLM keeps its smaller scheduler defaults on A100 (PR #17885), the others do not change', () => {
    const a100 = hardwareById('a100-80gb')!;
    const h100 = hardwareById('h100-sxm')!;
    expect(schedulerLimitsFor(ENGINES.vllm, a100)).toEqual({ maxSeqs: 256, maxBatchTokens: 2048 });
    expect(schedulerLimitsFor(ENGINES.vllm, h100)).toEqual({ maxSeqs: 1024, maxBatchTokens: 8192 });
    for (const id of ['sglang', 'trtllm', 'tuned'] as const)
      expect(schedulerLimitsFor(ENGINES[id], a100)).toEqual({
        maxSeqs: ENGINES[id].maxSeqs,
        maxBatchTokens: ENGINES[id].maxBatchTokens,
      });
    const input = {
      model: 'gpt-oss-20b',
      gpus: 1,
      strategy: 'tp' as const,
      precision: 'int4' as const,
      inputLen: 200,
      outputLen: 200,
      concurrency: 1000,
      prompts: 1000,
      engine: 'vllm' as const,
    };
    expect(buildContext({ ...input, hardware: 'a100-80gb' }).engine.maxSeqs).toBe(256);
    expect(buildContext({ ...input, hardware: 'h100-sxm' }).engine.maxSeqs).toBe(1024);
  });

  it('a chat request pays the measured template cost for Jinja-template models, not for gpt-oss', () => {
    expect(ENGINES.vllm.chatTemplateMs).toBe(VLLM_CHAT_TEMPLATE_MS);
    expect(VLLM_CHAT_TEMPLATE_MS).toBeCloseTo(9.7, 6);
    for (const id of ['sglang', 'trtllm', 'tuned'] as const)
      expect(ENGINES[id].chatTemplateMs).toBe(0);
    const burst = {
      hardware: 'h100-sxm',
      gpus: 1,
      strategy: 'tp' as const,
      precision: 'int4' as const,
      inputLen: 128,
      outputLen: 4,
      concurrency: 1000,
      prompts: 1000,
      engine: 'vllm' as const,
    };
    const ttft = (model: string, endpoint?: 'chat' | 'completions') =>
      simulate({ ...burst, model, ...(endpoint ? { endpoint } : {}) }).ttftMs;
    // 1000 requests × 9.7 ms more in a serial front end: seconds more before the first tokens.
    expect(ttft('qwen3-30b-a3b', 'chat') - ttft('qwen3-30b-a3b')).toBeGreaterThan(2000);
    expect(ttft('qwen3-30b-a3b', 'completions')).toBe(ttft('qwen3-30b-a3b'));
    expect(ttft('gpt-oss-20b', 'chat')).toBe(ttft('gpt-oss-20b'));
    expect(() => simulate({ ...burst, model: 'gpt-oss-20b', endpoint: 'grpc' as 'chat' })).toThrow(
      /Unknown endpoint/,
    );
  });

  it.each(LENGTH_DISTRIBUTIONS)('%s lengths keep the requested means', (kind) => {
    const classes = lengthClasses(kind, 300, 200);
    const w = classes.reduce((a, c) => a + c.weight, 0);
    expect(w).toBeCloseTo(1, 9);
    expect(classes.reduce((a, c) => a + c.weight * c.inputLen, 0)).toBeCloseTo(300, 6);
    expect(classes.reduce((a, c) => a + c.weight * c.outputLen, 0)).toBeCloseTo(200, 6);
    if (kind === 'sharegpt')
      expect(Math.max(...classes.map((c) => c.outputLen))).toBeGreaterThan(2 * 200);
  });
});
