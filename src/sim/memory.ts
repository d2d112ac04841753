// Memory per GPU: the weights this GPU holds, the KV cache of the sequences it serves, the
// activations of its largest iteration and a fixed runtime overhead — and whether that fits.
import type { SimContext } from './context';
import { EP_BUFFER_GB, RUNTIME_OVERHEAD_GB, USABLE_MEMORY_FRACTION } from './efficiency';
import { attentionParams, kvElementsPerToken, moeLayerCount } from './models';
import type { MemoryBreakdown } from './types';

const GB = 1e9;

export function weightBytesPerGpu(ctx: SimContext): number {
  const { model: m, layout: L, rates: r } = ctx;
  const D = m.hidden;
  const stage = 1 / L.pp;
  const aTp = L.attentionTp;
  const linear =
    (attentionParams(m) / aTp) * m.layers * stage +
    ((3 * D * m.denseFfn) / aTp) * m.denseLayers * stage +
    ((3 * D * m.sharedExpertFfn * m.sharedExperts) / aTp) * moeLayerCount(m) * stage;
  const routed =
    Math.ceil(ctx.experts / L.ep) *
    ((3 * D * ctx.expertFfn) / L.expertTp) *
    moeLayerCount(m) *
    stage;
  // Router, embedding and LM head stay in BF16 in quantised checkpoints. With PP the first
  // stage holds the embedding and the last the head: one table on the busiest stage.
  const bf16 =
    D * ctx.experts * moeLayerCount(m) * stage + ((m.vocab * D) / aTp) * (L.pp > 1 ? 1 : 2);
  const draft = ctx.input.speculative ? (ctx.input.speculative.draftParamsB * GB) / aTp : 0;
  return linear * r.linearWeightBytes + routed * r.weightBytes + bf16 * 2 + draft * r.weightBytes;
}

/** KV-cache bytes for one token of one sequence across this GPU's layers. */
export function kvBytesPerToken(ctx: SimContext, seqLen: number): number {
  const { model: m, layout: L, rates: r } = ctx;
  if (m.diffusion) return 0;
  const a = m.attention;
  const shards = a.kind === 'gqa' ? Math.min(L.attentionTp, a.kvHeads) : 1;
  const perLayer = (kvElementsPerToken(m) * r.kvBytes) / shards;
  const layers = m.layers / L.pp;
  const w = m.slidingWindow;
  if (!w) return perLayer * layers;
  // Windowed layers keep only the last `tokens` positions: averaged over the sequence.
  const keptFraction = Math.min(1, w.tokens / Math.max(1, seqLen));
  return perLayer * layers * (1 - w.fractionOfLayers + w.fractionOfLayers * keptFraction);
}

export function memoryPerGpu(
  ctx: SimContext,
  concurrency: number,
): MemoryBreakdown & { fits: boolean; reason?: string } {
  const { model: m, layout: L, input, hw } = ctx;
  const weights = weightBytesPerGpu(ctx);
  const seqs = Math.ceil(concurrency / L.attentionDp);
  // In steady state requests are spread over their lifetimes: a sequence holds on average
  // its prompt plus half its output.
  const meanLen = input.inputLen + input.outputLen / 2;
  const kv = seqs * meanLen * kvBytesPerToken(ctx, meanLen);
  const D = m.hidden;
  const iterTokens = m.diffusion
    ? seqs * (input.inputLen + input.outputLen)
    : Math.min(input.maxBatchTokens ?? 8192, seqs * input.inputLen);
  const moeWidth = (2 * m.topK * ctx.expertFfn) / L.expertTp / L.ep;
  const act = iterTokens * (6 * D + Math.max(moeWidth, (2 * m.denseFfn) / L.attentionTp)) * 2;
  const logits = Math.min(iterTokens, seqs) * (m.vocab / L.attentionTp) * 4;
  const runtime = (RUNTIME_OVERHEAD_GB + (L.ep > 1 ? EP_BUFFER_GB : 0)) * GB;
  const total = weights + kv + act + logits + runtime;
  const capacity = hw.memoryGB * USABLE_MEMORY_FRACTION * GB;
  const out: MemoryBreakdown = {
    weightsGB: weights / GB,
    kvCacheGB: kv / GB,
    activationsGB: (act + logits) / GB,
    runtimeGB: runtime / GB,
    totalGB: total / GB,
    capacityGB: capacity / GB,
  };
  if (total <= capacity) return { ...out, fits: true };
  const usable = `${fmt(capacity / GB)} GB usable of ${hw.memoryGB} GB`;
  const reason =
    weights + runtime > capacity
      ? `The weights alone need ${fmt(weights / GB)} GB per GPU; ${hw.name} has ${usable}. Use more GPUs or a smaller precision.`
      : `Weights ${fmt(weights / GB)} GB + KV cache ${fmt(kv / GB)} GB (${seqs} sequences × ${Math.round(meanLen)} tokens) + activations ${fmt((act + logits) / GB)} GB exceed the ${usable}. Lower the concurrency or the lengths.`;
  return { ...out, fits: false, reason };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/**
 * Tokens of KV cache the whole deployment can hold once weights, runtime and the activations
 * of a full prefill step are reserved: what the scheduler admits requests against. With DP
 * attention every rank holds its own sequences, so the ranks' caches add up.
 */
export function kvCapacityTokens(ctx: SimContext, maxBatchTokens: number, meanLen: number): number {
  const { model: m, layout: L, hw } = ctx;
  const capacity = hw.memoryGB * USABLE_MEMORY_FRACTION * GB;
  const runtime = (RUNTIME_OVERHEAD_GB + (L.ep > 1 ? EP_BUFFER_GB : 0)) * GB;
  const D = m.hidden;
  const moeWidth = (2 * m.topK * ctx.expertFfn) / L.expertTp / L.ep;
  const act = maxBatchTokens * (6 * D + Math.max(moeWidth, (2 * m.denseFfn) / L.attentionTp)) * 2;
  const free = capacity - weightBytesPerGpu(ctx) - runtime - act;
  const perToken = kvBytesPerToken(ctx, meanLen);
  if (perToken <= 0) return Infinity;
  return Math.max(0, free / perToken) * L.attentionDp;
}
