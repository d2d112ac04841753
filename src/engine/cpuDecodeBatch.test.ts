// Batched decode on the CPU path: S sequences' new rows through one static-graph call per layer
// give the per-sequence path's logits and tokens, with L + 2 ORT calls a decode step (embed, one
// per layer, head) instead of S · (1 + L) + 1.
import { describe, expect, it } from 'vitest';
import { maxRelError } from '../kernels/reference';
import { validatePack } from '../model/pack';
import { readPackFiles } from '../model/testing/diskPack';
import { MODEL_RUN_TIMEOUT_MS } from '../model/testing/timeouts';
import type { ModelBackend } from './backend';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom } from './enginePack';
import { generate } from './generate';

describe('CPU path, batched decode', () => {
  it(
    'five sequences of different lengths (the bucket of 8): the per-sequence path’s logits and tokens, one call per layer',
    async () => {
      const pack = await validatePack(readPackFiles('mixtral-style'));
      const ep = enginePackFrom(pack);
      const batched = await CpuBackend.create(ep);
      const perSequence = await CpuBackend.create(ep);
      // Shadow the method: generate() then runs attention one sequence at a time.
      (perSequence as { decodeAttention?: unknown }).decodeAttention = undefined;
      const prompts = Object.values(pack.evalSets)
        .flatMap((list) => list.slice(0, 1))
        .slice(0, 5)
        .map((it) => it.prompt);
      expect(new Set(prompts.map((p) => ep.codec.encode(p).length)).size).toBeGreaterThan(1);
      const L = pack.config.layers;
      const run = async (b: CpuBackend) => {
        const logits: Float32Array[] = [];
        const steps: { phase: string; calls: number }[] = [];
        const active: number[] = [];
        const r = await generate(
          b as ModelBackend<unknown>,
          { ...ep.codec, eosId: null },
          pack.config.maxContext,
          {
            prompts,
            maxTokens: 6,
            temperature: 0,
            topP: 1,
            stops: [],
            seed: 0,
            trace: false,
          },
          {
            onLogits: (_s, seqs, l) => {
              active.push(seqs.length);
              logits.push(...l.map((x) => x.slice()));
            },
            onStep: (t) => steps.push({ phase: t.phase, calls: t.ortCalls }),
          },
        );
        return { tokens: r.tokens, logits, steps, active };
      };
      try {
        const a = await run(batched);
        const b = await run(perSequence);
        expect(a.tokens).toEqual(b.tokens);
        expect(a.logits.length).toBe(b.logits.length);
        a.logits.forEach((l, i) => expect(maxRelError(l, b.logits[i]!)).toBeLessThan(1e-4));
        const decode = a.steps.filter((s) => s.phase === 'decode');
        expect(decode.length).toBe(5);
        for (const s of decode) expect(s.calls).toBe(L + 2);
        for (const s of b.steps.filter((x) => x.phase === 'decode'))
          expect(s.calls).toBe(prompts.length * (1 + L) + 1);
      } finally {
        await batched.dispose();
        await perSequence.dispose();
      }
    },
    MODEL_RUN_TIMEOUT_MS,
  );
});
