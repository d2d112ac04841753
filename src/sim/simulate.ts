// One simulated benchmark run: `prompts` requests served by an engine with `concurrency` in
// flight (the benchmark client's limit) or arriving at `arrivalRate`, through the scheduler of
// scheduler.ts: admission against the KV cache and the engine's batch limit, queueing,
// chunked prefill, lengths from a distribution. Diffusion models run their own loop.
import { buildContext, type SimContext } from './context';
import { errorBands } from './errorBands';
import { forwardPass, sumSplit, zeroSplit } from './forward';
import { capacityLoad } from './imbalance';
import { lengthClasses } from './lengths';
import { kvCapacityTokens, memoryPerGpu } from './memory';
import { schedule } from './scheduler';
import { expectedTokensPerStep } from './speculative';
import type { Bottleneck, SimInput, SimResult, TimeSplit } from './types';

export function simulate(input: SimInput): SimResult {
  return simulateWith(buildContext(input));
}

export function simulateWith(ctx: SimContext): SimResult {
  const { input, model: m, layout: L, engine } = ctx;
  const isl = input.inputLen;
  const osl = input.outputLen;
  const notes: string[] = [];
  if (input.concurrency > input.prompts)
    notes.push(`Only ${input.prompts} prompts: concurrency is capped at ${input.prompts}.`);
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
  if (input.engineRelease === 'early-2025' && engine.earlyReleaseFactor !== 1)
    notes.push(
      `Early-2025 build of ${engine.name}: GEMMs at 1/${engine.earlyReleaseFactor} of the current build's rate (fitted on one source, dstack's DeepSeek-R1 runs).`,
    );
  if (m.maxContext && isl + osl > m.maxContext)
    notes.push(
      `Input + output = ${isl + osl} tokens is longer than ${m.name}'s ${m.maxContext}-token context: a real engine refuses such requests; the figures extrapolate.`,
    );

  const run = m.diffusion ? diffusionRun(ctx) : autoregressiveRun(ctx);
  const mem = memoryPerGpu(ctx, Math.max(1, run.admitted));
  const split = run.split;
  const bottleneck: Bottleneck = mem.fits
    ? (Object.keys(split) as (keyof TimeSplit)[]).reduce((a, b) => (split[b] > split[a] ? b : a))
    : 'memory capacity';
  if (mem.fits && bottleneck === 'overhead')
    notes.push(
      `Fixed costs dominate: ${engine.name} spends ${pct(split.overhead / sumSplit(split))} of the time on per-layer kernels, launches, scheduling and sampling rather than on FLOPs or bytes.`,
    );
  const gpus = L.gpus;
  const outputTokensPerS = run.outputTokens / run.durationS;
  const totalTokensPerS = (run.outputTokens + run.inputTokens) / run.durationS;
  // Per-user speed: 1/ITL, or for one-token answers the whole answer over its latency.
  const tokensPerSPerUser = osl > 1 && run.itlS > 0 ? 1 / run.itlS : osl / run.e2eS;
  if (osl <= 1)
    notes.push(
      'One output token: ITL is undefined (shown as 0); tokens/s per user is that token over its whole latency.',
    );
  const result: SimResult = {
    ttftMs: run.ttftS * 1e3,
    itlMs: run.itlS * 1e3,
    e2eMs: run.e2eS * 1e3,
    outputTokensPerS,
    totalTokensPerS,
    tokensPerSPerGpu: outputTokensPerS / gpus,
    tokensPerSPerUser,
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
    engine: engine.id,
    admitted: run.admitted,
    queueMs: run.queueS * 1e3,
    bands: errorBands(Math.min(input.concurrency, input.prompts)),
    notes: [...notes, ...run.notes],
  };
  if (input.capacityFactor !== undefined) {
    result.capacity = capacitySummary(ctx, run.admitted);
    const { decode, prefill } = result.capacity;
    result.notes.push(
      `Capacity factor ${input.capacityFactor}: each expert takes at most ${fmtInt(decode.capacity)} pairs in a decode step (${fmtInt(prefill.capacity)} in a prefill iteration), padded up to that; about ${pctDrop(decode.droppedShare)} of the (token, expert) pairs are dropped in a decode step and ${pctDrop(prefill.droppedShare)} in a prefill iteration, and keep only the residual for that slot.`,
    );
  }
  if (!mem.fits && mem.reason) result.reason = mem.reason;
  return result;
}

/** C and the expected dropped share of a decode step (the batch in flight) and a prefill iteration. */
function capacitySummary(ctx: SimContext, admitted: number): NonNullable<SimResult['capacity']> {
  const { input, model: m, engine } = ctx;
  const cf = input.capacityFactor!;
  const seqs = Math.max(1, Math.min(input.concurrency, input.prompts));
  let decodeTokens: number;
  let prefillTokens: number;
  if (m.diffusion) {
    decodeTokens = prefillTokens = seqs * (input.inputLen + input.outputLen);
  } else {
    decodeTokens = Math.max(1, admitted);
    prefillTokens = Math.min(input.maxBatchTokens ?? engine.maxBatchTokens, input.inputLen * seqs);
  }
  const at = (tokens: number) => {
    const l = capacityLoad(ctx.expertShares, tokens * m.topK, cf);
    return { capacity: l.capacity, droppedShare: l.droppedShare };
  };
  return { factor: cf, decode: at(decodeTokens), prefill: at(prefillTokens) };
}

const pctDrop = (x: number) =>
  x === 0 ? '0%' : x < 0.001 ? '<0.1%' : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

type Run = {
  ttftS: number;
  itlS: number;
  e2eS: number;
  durationS: number;
  outputTokens: number;
  inputTokens: number;
  stepS: number;
  prefillS: number;
  admitted: number;
  queueS: number;
  split: TimeSplit;
  notes: string[];
};

function autoregressiveRun(ctx: SimContext): Run {
  const { input, engine, layout: L } = ctx;
  const classes = lengthClasses(input.lengths ?? 'fixed', input.inputLen, input.outputLen);
  const meanLen = input.inputLen + input.outputLen / 2;
  const maxBatchTokens = input.maxBatchTokens ?? engine.maxBatchTokens;
  const kvTokens = kvCapacityTokens(ctx, maxBatchTokens, meanLen);
  const s = schedule(ctx, {
    classes,
    prompts: input.prompts,
    concurrency: input.concurrency,
    arrivalRate: input.arrivalRate,
    maxSeqs: engine.maxSeqs,
    maxBatchTokens,
    kvCapacityTokens: kvTokens,
  });
  const out: string[] = [];
  const C = Math.min(input.concurrency, input.prompts);
  if (s.kvLimited)
    out.push(
      `The KV cache holds about ${fmtInt(kvTokens)} tokens: at most ${fmtInt(s.admittedMax)} requests run at once and the rest queue (mean wait ${fmtS(s.meanQueueS)}); throughput saturates here.`,
    );
  else if (s.batchLimited)
    out.push(
      `${engine.name} runs at most ${engine.maxSeqs * L.attentionDp} sequences at once: ${fmtInt(C - s.admittedMax)} of ${C} requests queue (mean wait ${fmtS(s.meanQueueS)}).`,
    );
  if (input.speculative)
    out.push(
      `Speculative decoding: ${expectedTokensPerStep(input.speculative).toFixed(2)} tokens accepted per verification step.`,
    );
  if (s.extrapolated)
    out.push('The run settled into a repeating pattern; its remaining requests are extrapolated.');
  return {
    ttftS: s.meanTtftS,
    itlS: input.outputLen > 1 ? s.meanTpotS : 0,
    e2eS: s.meanE2eS,
    durationS: s.durationS,
    outputTokens: input.prompts * classes.reduce((a, c) => a + c.weight * c.outputLen, 0),
    inputTokens: input.prompts * classes.reduce((a, c) => a + c.weight * c.inputLen, 0),
    stepS: s.meanStepS,
    prefillS: s.prefillStepS,
    admitted: s.admittedMax,
    queueS: s.meanQueueS,
    split: s.split,
    notes: out,
  };
}

const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
const fmtS = (s: number) => (s >= 1 ? `${s.toFixed(1)} s` : `${(s * 1e3).toFixed(0)} ms`);
const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Masked diffusion: every denoising step runs the whole canvas (prompt + answer) through the
 * model with bidirectional attention and re-routes every token; no KV cache. Blocks of the
 * answer are finalised left to right, so the first block arrives after steps/blocks steps.
 */
function diffusionRun(ctx: SimContext): Run {
  const { input, model: m } = ctx;
  const C = Math.min(input.concurrency, input.prompts);
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
  // Waves of C requests run one after another.
  const waves = Math.ceil(input.prompts / C);
  return {
    ttftS,
    itlS,
    e2eS,
    durationS: e2eS * waves,
    outputTokens: input.prompts * input.outputLen,
    inputTokens: input.prompts * input.inputLen,
    stepS: pass.latencyS,
    prefillS: 0,
    admitted: C,
    queueS: 0,
    split: scaleSplit(pass.split, steps),
    notes: [
      `Diffusion: ${steps} denoising steps × ${C * canvas} tokens routed per step, ${blocks} blocks.`,
    ],
  };
}

function scaleSplit(s: TimeSplit, k: number): TimeSplit {
  const out = zeroSplit();
  for (const key of Object.keys(out) as (keyof TimeSplit)[]) out[key] = s[key] * k;
  return out;
}
