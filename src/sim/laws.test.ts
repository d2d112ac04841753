// The laws any serving cost model must obey, checked over several presets and strategies.
import { describe, expect, it } from 'vitest';
import { buildContext, type SimContext } from './context';
import { ENGINES } from './engines';
import { moeLayerCommBytes } from './forward';
import { simulate, simulateWith } from './simulate';
import type { ModelSpec, SimInput, Strategy } from './types';

const base: SimInput = {
  model: 'mixtral-8x7b',
  hardware: 'h100-sxm',
  gpus: 4,
  strategy: 'tp',
  precision: 'bf16',
  inputLen: 512,
  outputLen: 256,
  concurrency: 16,
  prompts: 1000,
};

function withModel(input: SimInput, patch: Partial<ModelSpec>): SimContext {
  const ctx = buildContext(input);
  return { ...ctx, model: { ...ctx.model, ...patch } };
}

const cases: [string, SimInput][] = [
  ['mixtral tp', base],
  ['mixtral ep', { ...base, strategy: 'ep' }],
  ['qwen3 dp-ep', { ...base, model: 'qwen3-30b-a3b', strategy: 'dp-ep', gpus: 8 }],
  ['olmoe tp-ep', { ...base, model: 'olmoe-1b-7b', strategy: 'tp-ep', tp: 2, ep: 2 }],
  ['deepseek-v2-lite pp', { ...base, model: 'deepseek-v2-lite', strategy: 'pp', gpus: 2 }],
];

describe('laws', () => {
  it.each(cases)('%s: throughput grows with concurrency, then saturates', (_n, input) => {
    const levels = [1, 2, 4, 8, 16, 32, 64, 128, 512, 2048];
    const tput = levels.map(
      (c) => simulate({ ...input, concurrency: c, prompts: 100000 }).outputTokensPerS,
    );
    // Up to 128 in flight it grows; past saturation it stays flat within the per-sequence host
    // costs (scheduler, sampling), which keep growing with the batch while the GPUs are full.
    for (let i = 1; i < tput.length; i++)
      expect(tput[i]).toBeGreaterThan(tput[i - 1]! * (levels[i]! <= 128 ? 0.99 : 0.9));
    expect(tput[7]! / tput[0]!).toBeGreaterThan(5);
    // Doubling from 1 to 2 gains a lot (less than 2× for MoE: two tokens touch more experts
    // than one); quadrupling from 512 to 2048 gains far less once compute or the prefill
    // share saturates.
    expect(tput[1]! / tput[0]!).toBeGreaterThan(1.3);
    expect(tput[9]! / tput[8]!).toBeLessThan(2);
  });

  it.each(cases)('%s: TTFT grows with input length', (_n, input) => {
    const ttft = [128, 512, 2048, 8192].map((isl) => simulate({ ...input, inputLen: isl }).ttftMs);
    for (let i = 1; i < ttft.length; i++) expect(ttft[i]).toBeGreaterThan(ttft[i - 1]!);
  });

  it('EP all-to-all bytes grow with k; TP all-reduce bytes do not depend on E', () => {
    const ep = (k: number) =>
      moeLayerCommBytes(withModel({ ...base, strategy: 'ep' }, { topK: k }), 256).allToAll;
    expect(ep(2)).toBeGreaterThan(ep(1));
    expect(ep(4)).toBeCloseTo(2 * ep(2), 6);
    const tp = (e: number) => moeLayerCommBytes(withModel(base, { experts: e }), 256);
    expect(tp(8).allReduce).toBeGreaterThan(0);
    expect(tp(64).allReduce).toBe(tp(8).allReduce);
    expect(tp(8).allToAll).toBe(0);
    // Ring all-reduce: 2·h·b·s·(P−1)/P, exactly.
    expect(tp(8).allReduce).toBe((2 * 4096 * 256 * 2 * 3) / 4);
  });

  it.each(['tp', 'ep', 'dp-ep'] as Strategy[])('%s: more active experts cost more', (strategy) => {
    const input = { ...base, strategy, concurrency: 64 };
    // The decode step is the cost itself; ITL also carries scheduling dynamics.
    const step = [1, 2, 4, 8].map((k) => simulateWith(withModel(input, { topK: k })).decodeStepMs);
    for (let i = 1; i < step.length; i++) expect(step[i]).toBeGreaterThan(step[i - 1]!);
    const narrow = buildContext(input);
    const wider = simulateWith({
      ...narrow,
      expertFfn: 2 * narrow.expertFfn,
      expertFfnTiled: 2 * narrow.expertFfnTiled,
    });
    expect(wider.itlMs).toBeGreaterThan(simulate(input).itlMs);
  });

  it('says clearly when the model does not fit, and queues what the KV cache cannot hold', () => {
    const r = simulate({ ...base, model: 'deepseek-v3', gpus: 1 });
    expect(r.fits).toBe(false);
    expect(r.bottleneck).toBe('memory capacity');
    expect(r.reason).toMatch(/weights alone need \d+ GB/);
    const kv = simulate({
      ...base,
      model: 'mixtral-8x7b',
      hardware: 'h200',
      gpus: 2,
      inputLen: 32000,
      outputLen: 1000,
      concurrency: 256,
    });
    // Admission control: the requests the KV cache cannot hold wait, and throughput saturates
    // instead of growing with the concurrency.
    expect(kv.fits).toBe(true);
    expect(kv.admitted).toBeLessThan(256);
    expect(kv.queueMs).toBeGreaterThan(0);
    expect(kv.notes.join(' ')).toMatch(/KV cache holds about [\d,]+ tokens/);
    const more = simulate({
      ...base,
      model: 'mixtral-8x7b',
      hardware: 'h200',
      gpus: 2,
      inputLen: 32000,
      outputLen: 1000,
      concurrency: 512,
    });
    expect(more.outputTokensPerS).toBeLessThan(kv.outputTokensPerS * 1.05);
    expect(more.ttftMs).toBeGreaterThan(kv.ttftMs);
    expect(simulate(base).fits).toBe(true);
  });

  it('routing skew costs EP (imbalance) but not TP', () => {
    const ep = { ...base, strategy: 'ep' as const, concurrency: 64 };
    const skewed = simulate({ ...ep, skew: 1 });
    expect(skewed.split.imbalance).toBeGreaterThan(simulate(ep).split.imbalance);
    expect(skewed.itlMs).toBeGreaterThan(simulate(ep).itlMs);
    expect(simulate({ ...base, skew: 1 }).split.imbalance).toBe(0);
    // Measured counts work the same way, and balanced placement recovers most of the loss.
    const load = [40, 30, 10, 8, 5, 4, 2, 1];
    const measured = simulate({ ...ep, expertLoad: load });
    const balanced = simulate({ ...ep, expertLoad: load, balancedPlacement: true });
    expect(measured.split.imbalance).toBeGreaterThan(balanced.split.imbalance);
  });

  it('fused MoE beats unfused, FP8 beats BF16 at large batch, INT4 beats both at small batch', () => {
    const big = { ...base, concurrency: 128 };
    expect(simulate(big).outputTokensPerS).toBeGreaterThan(
      simulate({ ...big, fusedMoe: false }).outputTokensPerS,
    );
    expect(simulate({ ...big, precision: 'fp8' }).outputTokensPerS).toBeGreaterThan(
      simulate(big).outputTokensPerS,
    );
    const small = { ...base, concurrency: 1 };
    expect(simulate({ ...small, precision: 'int4' }).itlMs).toBeLessThan(
      simulate({ ...small, precision: 'fp8' }).itlMs,
    );
  });

  it('inter- and intra-expert pruning at 50% raise throughput', () => {
    const b = { ...base, concurrency: 64 };
    const t0 = simulate(b).outputTokensPerS;
    expect(simulate({ ...b, pruneInter: 0.5 }).outputTokensPerS).toBeGreaterThan(t0);
    expect(simulate({ ...b, pruneIntra: 0.5 }).outputTokensPerS).toBeGreaterThan(t0);
    expect(simulate({ ...b, pruneInter: 0.5 }).memoryPerGpuGB).toBeLessThan(
      simulate(b).memoryPerGpuGB,
    );
  });

  it('speculative decoding helps at low concurrency when drafts are accepted, hurts when not', () => {
    const b = { ...base, concurrency: 1 };
    const plain = simulate(b).itlMs;
    expect(
      simulate({ ...b, speculative: { draftParamsB: 1, draftTokens: 4, acceptanceRate: 0.8 } })
        .itlMs,
    ).toBeLessThan(plain);
    expect(
      simulate({ ...b, speculative: { draftParamsB: 1, draftTokens: 4, acceptanceRate: 0 } }).itlMs,
    ).toBeGreaterThan(plain);
  });

  it('diffusion MoE: time grows with denoising steps and the first block comes early', () => {
    const d = {
      ...base,
      model: 'llada-moe',
      gpus: 1,
      inputLen: 256,
      outputLen: 256,
      concurrency: 8,
    };
    const r64 = simulate({ ...d, diffusionSteps: 64 });
    const r128 = simulate({ ...d, diffusionSteps: 128 });
    expect(r128.e2eMs).toBeCloseTo(2 * r64.e2eMs, 6);
    expect(r128.ttftMs).toBeLessThan(r128.e2eMs / 4);
    expect(r128.memory.kvCacheGB).toBe(0);
  });

  it('a decode batch past the largest captured CUDA graph pays the per-layer eager cost', () => {
    const vllm = ENGINES.vllm;
    const at = (cudaGraphMaxBatch: number) =>
      simulate({
        ...base,
        engine: 'vllm',
        concurrency: 64,
        engineProfile: { ...vllm, cudaGraphMaxBatch },
      }).itlMs;
    const eagerMs = (vllm.eagerLayerFixedUs * 32) / 1000; // Mixtral has 32 layers
    // Mixed prefill steps pay it either way; decode-only steps only past the limit.
    expect(at(32) - at(4096)).toBeGreaterThan(0.5 * eagerMs);
    expect(at(32) - at(4096)).toBeLessThan(1.01 * eagerMs);
  });

  it('an early-2025 build is slower where GEMMs bind (prefill) more than where bytes do', () => {
    const run = (engineRelease?: 'early-2025') =>
      simulate({
        ...base,
        model: 'deepseek-v3',
        hardware: 'h200',
        gpus: 8,
        precision: 'fp8',
        engine: 'vllm',
        inputLen: 3200,
        outputLen: 200,
        concurrency: 4,
        prompts: 40,
        ...(engineRelease ? { engineRelease } : {}),
      });
    const now = run();
    const early = run('early-2025');
    expect(early.ttftMs).toBeGreaterThan(now.ttftMs);
    expect(early.itlMs).toBeGreaterThanOrEqual(now.itlMs);
    expect(early.ttftMs / now.ttftMs).toBeGreaterThan(early.itlMs / now.itlMs);
  });

  it('pipeline parallelism does not shorten the per-token latency', () => {
    const one = simulate({ ...base, gpus: 2, strategy: 'tp', concurrency: 1 });
    const pp = simulate({ ...base, gpus: 2, strategy: 'pp', concurrency: 1 });
    expect(pp.itlMs).toBeGreaterThan(one.itlMs);
  });

  it('keeps E2E = TTFT + (OSL − 1) × ITL and throughput = per-GPU × GPUs', () => {
    for (const [, input] of cases) {
      const r = simulate(input);
      expect(r.e2eMs).toBeCloseTo(r.ttftMs + (input.outputLen - 1) * r.itlMs, 6);
      expect(r.tokensPerSPerGpu * input.gpus).toBeCloseTo(r.outputTokensPerS, 6);
      expect(r.totalTokensPerS).toBeCloseTo(
        (r.outputTokensPerS * (input.inputLen + input.outputLen)) / input.outputLen,
        6,
      );
    }
  });

  it("a burst's first tokens spread over its whole prefill, also for prompts admitted early", () => {
    // 1000 prompts at once, no front-end cost (tuned): the KV cache takes them all in at
    // once, and the prefill runs them one chunk after another, so the first tokens come
    // evenly over the prefill — the mean TTFT is about half of it. A cohort admitted at once
    // but prefilled later must not count its wait as spread (that read 0.40).
    const r = simulate({ ...base, inputLen: 1024, outputLen: 2, concurrency: 1000 });
    expect(r.admitted).toBeGreaterThan(999);
    const durationMs = (1000 * (1024 + 2) * 1000) / r.totalTokensPerS;
    expect(r.ttftMs / durationMs).toBeGreaterThan(0.42);
    expect(r.ttftMs / durationMs).toBeLessThan(0.58);
  });
});
