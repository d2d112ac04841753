import { describe, expect, it } from 'vitest';
import { advise } from './advisor';
import { sweep } from './sweep';
import { simulate } from './simulate';
import type { SimInput } from './types';

const base: SimInput = {
  model: 'mixtral-8x7b',
  hardware: 'h100-sxm',
  gpus: 8,
  strategy: 'tp',
  precision: 'bf16',
  inputLen: 1024,
  outputLen: 512,
  concurrency: 64,
  prompts: 512,
};

describe('strategy advisor', () => {
  it('names the candidate with the best score for each goal, and says why', () => {
    for (const goal of ['throughput', 'latency', 'cost'] as const) {
      const a = advise(base, goal);
      expect(a.best, goal).toBeDefined();
      const scores = a.ranked.map((c) =>
        goal === 'throughput'
          ? c.result!.outputTokensPerS
          : goal === 'latency'
            ? -c.result!.e2eMs
            : c.result!.tokensPerSPerGpu,
      );
      expect(Math.max(...scores)).toBe(scores[0]);
      expect(a.why).toMatch(new RegExp(`best for ${goal}`));
      expect(a.why).toMatch(/-bound/);
    }
  });

  it('leaves out layouts that cannot exist or do not fit, with the reason', () => {
    const a = advise(base, 'throughput');
    // Mixtral has 8 experts: EP over 8 GPUs works, but not more; PP over 8 GPUs works.
    expect(a.excluded.every((c) => c.excluded)).toBe(true);
    const big = advise({ ...base, model: 'deepseek-v3', gpus: 8, precision: 'bf16' }, 'throughput');
    expect(big.best).toBeUndefined();
    expect(big.why).toMatch(/No layout works/);
  });

  it('for per-GPU cost also tries fewer GPUs', () => {
    const a = advise({ ...base, model: 'olmoe-1b-7b' }, 'cost');
    expect(a.best!.gpus).toBeLessThan(8);
  });
});

describe('sweep', () => {
  it('runs every strategy over every value and keeps impossible points with their reason', () => {
    const pts = sweep({ ...base, gpus: 16 }, 'concurrency', [1, 16], ['tp', 'ep', 'dp-ep']);
    expect(pts).toHaveLength(6);
    expect(pts.find((p) => p.strategy === 'ep')!.error).toMatch(/at least 16 experts/);
    const tp = pts.filter((p) => p.strategy === 'tp');
    expect(tp[0]!.result!.outputTokensPerS).toBeCloseTo(
      simulate({ ...base, gpus: 16, concurrency: 1 }).outputTokensPerS,
      6,
    );
  });
});
