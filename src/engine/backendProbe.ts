// The engine's side of "Best available": times a built backend's decode steps on this device —
// one untimed warm-up run, then a run of PROBE_DECODE_STEPS decode steps whose mean ITL is the
// number — with the pack's first golden prompt, greedy, traced as the lab's runs are, EOS
// ignored so every path makes the same number of steps.
import type { AnyBackend } from './backend';
import { PROBE_DECODE_STEPS, PROBE_WARMUP_TOKENS, type PathTiming } from './backendChoice';
import type { EnginePack } from './enginePack';
import { generate } from './generate';
import type { GenerationRequest } from './types';

export class ProbeCancelled extends Error {
  constructor() {
    super('The measurement was cancelled.');
    this.name = 'ProbeCancelled';
  }
}

export async function timeDecode(
  backend: AnyBackend,
  pack: EnginePack,
  prompt: string,
  batch: number,
  isCancelled: () => boolean,
): Promise<PathTiming> {
  const codec = { ...pack.codec, eosId: null };
  const request = (maxTokens: number): GenerationRequest => ({
    prompts: Array.from({ length: Math.max(1, batch) }, () => prompt),
    maxTokens,
    temperature: 0,
    topP: 1,
    stops: [],
    seed: 1,
    trace: true,
  });
  const ctx = pack.config.maxContext;
  const hooks = { isCancelled, traceInputs: false };
  await generate(backend, codec, ctx, request(PROBE_WARMUP_TOKENS), hooks);
  if (isCancelled()) throw new ProbeCancelled();
  const r = await generate(backend, codec, ctx, request(1 + PROBE_DECODE_STEPS), hooks);
  if (r.reason === 'cancelled' || isCancelled()) throw new ProbeCancelled();
  const itl = r.metrics?.meanItlMs ?? null;
  if (itl === null || !(itl > 0)) return { error: 'it made no decode step to time' };
  return { itlMs: itl, steps: Math.max(...r.tokens.map((t) => t.length)) - 1 };
}
