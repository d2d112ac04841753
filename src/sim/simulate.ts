// One simulated benchmark run: `prompts` requests served with `concurrency` in flight
// (continuous batching, as vLLM's and SGLang's serving benchmarks run them).
//
// Steady state: C slots, each cycling through one prefill and (OSL−1) decode tokens. Over one
// request lifetime (a cycle) the engine runs (OSL−1)/tokensPerStep decode steps for all C
// sequences together and prefills C new prompts, batched up to `maxBatchTokens` per iteration.
// Prefill iterations stall decoding (no chunked-prefill piggyback), which is conservative.
import { buildContext, type SimContext } from './context';
import { forwardPass, type PassCost } from './forward';
import { memoryPerGpu } from './memory';
import { draftStepS, expectedTokensPerStep } from './speculative';
import type { Bottleneck, SimInput, SimResult, TimeSplit } from './types';

const DEFAULT_MAX_BATCH_TOKENS = 8192;

export function simulate(input: SimInput): SimResult {
  return simulateWith(buildContext(input));
}

export function simulateWith(ctx: SimContext): SimResult {
  const { input, model: m, layout: L } = ctx;
  const C = Math.min(input.concurrency, input.prompts);
  const isl = input.inputLen;
  const osl = input.outputLen;
  const notes: string[] = [];
  if (input.concurrency > input.prompts)
    notes.push(`Only ${input.prompts} prompts: concurrency is capped at ${input.prompts}.`);
  const mem = memoryPerGpu(ctx, C);
  if (m.attention.kind === 'gqa' && L.attentionTp > m.attention.kvHeads)
    notes.push(`TP ${L.attentionTp} > ${m.attention.kvHeads} KV heads: KV heads are replicated.`);
  if (m.attention.kind === 'mla' && L.attentionTp > 1)
    notes.push(
      'MLA caches one latent per token that every TP rank keeps whole: DP attention avoids the copies.',
    );
  if (input.precision !== 'bf16' && ctx.hw.fp8Tflops === 0)
    notes.push(
      `${ctx.hw.name} has no FP8 tensor cores: ${input.precision} is weight-only (BF16 math).`,
    );

  const run = m.diffusion ? diffusionRun(ctx, C) : autoregressiveRun(ctx, C);
  const gpus = L.gpus;
  const outputTokensPerS = (C * osl) / run.cycleS;
  const totalTokensPerS = (C * (isl + osl)) / run.cycleS;
  const split = run.split;
  const bottleneck: Bottleneck = mem.fits
    ? (Object.keys(split) as (keyof TimeSplit)[]).reduce((a, b) => (split[b] > split[a] ? b : a))
    : 'memory capacity';
  const e2eMs = run.ttftS * 1e3 + Math.max(0, osl - 1) * run.itlS * 1e3;
  const result: SimResult = {
    ttftMs: run.ttftS * 1e3,
    itlMs: run.itlS * 1e3,
    e2eMs,
    outputTokensPerS,
    totalTokensPerS,
    tokensPerSPerGpu: outputTokensPerS / gpus,
    tokensPerSPerUser: run.itlS > 0 ? 1 / run.itlS : 0,
    memoryPerGpuGB: mem.totalGB,
    memory: {
      weightsGB: mem.weightsGB,
      kvCacheGB: mem.kvCacheGB,
      activationsGB: mem.activationsGB,
      runtimeGB: mem.runtimeGB,
      totalGB: mem.totalGB,
      capacityGB: mem.capacityGB,
    },
    fits: mem.fits,
    bottleneck,
    split: scaleSplit(split, 1e3),
    decodeStepMs: run.stepS * 1e3,
    prefillMs: run.prefillS * 1e3,
    layout: {
      attentionTp: L.attentionTp,
      attentionDp: L.attentionDp,
      expertTp: L.expertTp,
      ep: L.ep,
      pp: L.pp,
    },
    notes: [...notes, ...run.notes],
  };
  if (!mem.fits && mem.reason) result.reason = mem.reason;
  return result;
}

type Run = {
  ttftS: number;
  itlS: number;
  cycleS: number;
  stepS: number;
  prefillS: number;
  split: TimeSplit;
  notes: string[];
};

function autoregressiveRun(ctx: SimContext, C: number): Run {
  const { input, layout: L } = ctx;
  const isl = input.inputLen;
  const osl = input.outputLen;
  const N = input.prompts;
  const notes: string[] = [];
  const spec = input.speculative;
  const tokensPerStep = spec ? expectedTokensPerStep(spec) : 1;
  const newTokens = spec ? Math.round(spec.draftTokens) + 1 : 1;

  // Decode: with PP the C sequences are split into pp micro-batches that chase each other
  // through the stages; each sequence still waits for a full pass per token.
  const microSeqs = Math.max(1, Math.ceil(C / L.pp));
  const decode = forwardPass(ctx, {
    seqs: microSeqs,
    newTokens,
    context: isl + osl / 2,
    readsKvCache: true,
    logitsPerSeq: newTokens,
  });
  const draftS = spec ? Math.round(spec.draftTokens) * draftStepS(ctx, spec, C) : 0;
  const stepS = decode.latencyS + draftS;
  const decodeSteps = Math.max(0, osl - 1) / tokensPerStep;

  // Prefill: as many whole prompts per iteration as fit in maxBatchTokens.
  const maxTokens = input.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS;
  const perIter = Math.max(1, Math.min(C, Math.floor(maxTokens / isl)));
  const prefillOf = (seqs: number): PassCost =>
    forwardPass(ctx, {
      seqs,
      newTokens: isl,
      context: isl / 2,
      readsKvCache: false,
      logitsPerSeq: 1,
    });
  const chunk = prefillOf(perIter);
  // Pipelined prefill iterations overlap: the engine is busy one stage time per iteration.
  const prefillBusyPerReq = chunk.stageS / perIter;

  const cycleS = decodeSteps * stepS + C * prefillBusyPerReq;
  // First wave: C requests arrive together and are prefilled iteration after iteration.
  const waves = Math.ceil(C / perIter);
  const ttftFirst = (chunk.latencyS + (waves - 1) * chunk.stageS + chunk.latencyS) / 2;
  // Later, requests arrive staggered: a few per decode step.
  const arrivalsPerStep = C / Math.max(1, decodeSteps + 1);
  const steadyBatch = Math.max(1, Math.min(perIter, Math.round(arrivalsPerStep)));
  const ttftSteady = stepS / 2 + prefillOf(steadyBatch).latencyS;
  const firstShare = Math.min(1, C / N);
  const ttftS = firstShare * ttftFirst + (1 - firstShare) * ttftSteady;
  const itlS =
    osl > 1 ? (decodeSteps * stepS + Math.max(0, C - 1) * prefillBusyPerReq) / (osl - 1) : 0;
  if (osl <= 1) notes.push('One output token: ITL is undefined and shown as 0.');
  if (spec)
    notes.push(
      `Speculative decoding: ${tokensPerStep.toFixed(2)} tokens accepted per verification step.`,
    );

  const split = addSplits(
    scaleSplit(decode.split, decodeSteps * L.pp),
    scaleSplit(chunk.split, C / perIter),
  );
  if (draftS > 0) split.memory += draftS * decodeSteps;
  return { ttftS, itlS, cycleS, stepS, prefillS: chunk.latencyS, split, notes };
}

/**
 * Masked diffusion: every denoising step runs the whole canvas (prompt + answer) through the
 * model with bidirectional attention and re-routes every token; no KV cache. Blocks of the
 * answer are finalised left to right, so the first block arrives after steps/blocks steps.
 */
function diffusionRun(ctx: SimContext, C: number): Run {
  const { input, model: m } = ctx;
  const d = m.diffusion!;
  const canvas = input.inputLen + input.outputLen;
  const steps = Math.max(1, Math.round(input.diffusionSteps ?? d.defaultSteps));
  const blocks = Math.max(1, Math.ceil(input.outputLen / d.blockLength));
  const pass = forwardPass(ctx, {
    seqs: C,
    newTokens: canvas,
    context: canvas,
    readsKvCache: false,
    logitsPerSeq: input.outputLen,
  });
  const e2eS = steps * pass.latencyS;
  const ttftS = Math.max(1, Math.round(steps / blocks)) * pass.latencyS;
  const itlS = input.outputLen > 1 ? (e2eS - ttftS) / (input.outputLen - 1) : 0;
  return {
    ttftS,
    itlS,
    cycleS: e2eS,
    stepS: pass.latencyS,
    prefillS: 0,
    split: scaleSplit(pass.split, steps),
    notes: [
      `Diffusion: ${steps} denoising steps × ${C * canvas} tokens routed per step, ${blocks} blocks.`,
    ],
  };
}

function scaleSplit(s: TimeSplit, k: number): TimeSplit {
  return {
    compute: s.compute * k,
    memory: s.memory * k,
    communication: s.communication * k,
    imbalance: s.imbalance * k,
  };
}

function addSplits(a: TimeSplit, b: TimeSplit): TimeSplit {
  return {
    compute: a.compute + b.compute,
    memory: a.memory + b.memory,
    communication: a.communication + b.communication,
    imbalance: a.imbalance + b.imbalance,
  };
}
