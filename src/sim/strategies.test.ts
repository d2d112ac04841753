// The qualitative behaviours measured serving shows and the simulator must keep (issue 21,
// item 5): which layout wins where, what fits, and where fixed costs and software show.
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';
import type { SimInput, Strategy } from './types';

const mixtral: SimInput = {
  model: 'mixtral-8x7b',
  hardware: 'h100-sxm',
  gpus: 4,
  strategy: 'tp',
  precision: 'bf16',
  inputLen: 512,
  outputLen: 256,
  concurrency: 1,
  prompts: 1000,
  tp: 2,
  ep: 2,
};
const qwen3: SimInput = { ...mixtral, model: 'qwen3-30b-a3b' };
const v3: SimInput = {
  ...mixtral,
  model: 'deepseek-v3',
  hardware: 'h200',
  gpus: 8,
  precision: 'fp8',
  inputLen: 1024,
  outputLen: 512,
  prompts: 2000,
  tp: 4,
  ep: 2,
};
const tput = (input: SimInput, strategy: Strategy, concurrency: number) =>
  simulate({ ...input, strategy, concurrency }).outputTokensPerS;

describe('strategy behaviours', () => {
  it('TP is ahead of EP for a few large experts at low concurrency (Mixtral)', () => {
    const tp = simulate({ ...mixtral, strategy: 'tp' });
    const ep = simulate({ ...mixtral, strategy: 'ep' });
    expect(tp.itlMs).toBeLessThan(ep.itlMs);
  });

  it('EP closes the gap, then wins, as the expert count and the concurrency rise', () => {
    const mixtralLow = tput(mixtral, 'ep', 1) / tput(mixtral, 'tp', 1);
    const mixtralHigh = tput(mixtral, 'ep', 256) / tput(mixtral, 'tp', 256);
    const qwenHigh = tput(qwen3, 'ep', 256) / tput(qwen3, 'tp', 256);
    expect(mixtralHigh).toBeGreaterThan(mixtralLow);
    expect(qwenHigh).toBeGreaterThan(1);
  });

  // MoE-Inference-Bench (Mixtral on 4 × H100): "TP with EP shows lower scaling efficiency
  // compared to TP alone". The simulated hybrid lands between TP and EP, not behind both.
  it('a TP × EP hybrid is behind TP alone for Mixtral, at low and high concurrency', () => {
    for (const c of [1, 256])
      expect(tput(mixtral, 'tp-ep', c)).toBeLessThan(tput(mixtral, 'tp', c));
  });

  it('DP attention + EP wins for an MLA model at high concurrency (DeepSeek-V3)', () => {
    const dp = tput(v3, 'dp-ep', 512);
    for (const s of ['tp', 'ep', 'tp-ep'] as const) expect(dp, s).toBeGreaterThan(tput(v3, s, 512));
  });

  it('fits in memory where it does in reality', () => {
    const fits = (input: SimInput) => simulate(input).fits;
    expect(fits({ ...v3, strategy: 'ep', hardware: 'h100-sxm' })).toBe(false); // 671 GB FP8 > 640 GB
    expect(fits({ ...v3, strategy: 'ep' })).toBe(true);
    expect(fits({ ...mixtral, gpus: 1 })).toBe(false); // 93 GB BF16 > 80 GB
    expect(fits({ ...mixtral, gpus: 2 })).toBe(true);
    expect(fits({ ...mixtral, model: 'gpt-oss-120b', precision: 'int4', gpus: 1 })).toBe(true);
  });
});

describe('engine profiles', () => {
  it('a served engine pays fixed costs per layer at low batch, and says so when they dominate', () => {
    const small = { ...mixtral, model: 'olmoe-1b-7b', gpus: 1 };
    const tuned = simulate({ ...small, engine: 'tuned' });
    const vllm = simulate({ ...small, engine: 'vllm' });
    expect(vllm.itlMs).toBeGreaterThan(1.5 * tuned.itlMs);
    expect(vllm.bottleneck).toBe('overhead');
    expect(vllm.notes.join(' ')).toMatch(/Fixed costs dominate/);
    expect(tuned.bottleneck).not.toBe('overhead');
  });

  it('the same engine runs slower on MI300X than on H200, though its roofline is faster', () => {
    const on = (hardware: string, engine: 'tuned' | 'vllm') =>
      simulate({ ...mixtral, hardware, gpus: 2, engine }).itlMs;
    expect(on('mi300x', 'tuned')).toBeLessThan(on('h200', 'tuned'));
    expect(on('mi300x', 'vllm')).toBeGreaterThan(on('h200', 'vllm'));
  });

  it('FP8 gains less over BF16 under vLLM than on the tuned roofline', () => {
    const gain = (engine: 'tuned' | 'vllm') => {
      const b = {
        ...mixtral,
        concurrency: 16,
        inputLen: 2048,
        outputLen: 2048,
        prompts: 64,
        engine,
      };
      return simulate({ ...b, precision: 'fp8' }).outputTokensPerS / simulate(b).outputTokensPerS;
    };
    expect(gain('vllm')).toBeGreaterThan(1);
    expect(gain('vllm')).toBeLessThan(gain('tuned'));
  });
});
