// The price of one forward pass (a prefill iteration, a decode step, a diffusion step) on the
// busiest GPU: a roofline per operator — time = max(FLOPs / achievable FLOP/s, bytes /
// achievable HBM bytes/s) + kernel launches — plus the collectives the layout needs.
import { allGatherTime, allReduceTime, allToAllTime, sendTime } from './collectives';
import type { SimContext } from './context';
import { moeBlockRows } from './efficiency';
import { vendorFactor } from './engines';
import { capacityLoad, imbalanceFactor } from './imbalance';
import { attentionParams, kvElementsPerToken, moeLayerCount } from './models';
import type { HardwareSpec, TimeSplit } from './types';

export type PassShape = {
  /** Sequences in the pass (all DP ranks together). */
  seqs: number;
  /** New tokens per sequence (prompt length, 1 for decode, γ+1 for speculative verify). */
  newTokens: number;
  /** Mean number of positions each new token attends to. */
  context: number;
  /** Decode reads the KV cache from HBM; prefill and diffusion compute it on chip. */
  readsKvCache: boolean;
  /** Tokens per sequence that need logits (1 for prefill, all new tokens otherwise). */
  logitsPerSeq: number;
};

export type PassCost = {
  /** Time for one pass through all layers, seconds. */
  latencyS: number;
  /** Time one pipeline stage is busy with it (= latency without PP), seconds. */
  stageS: number;
  /** Where the stage time went, seconds. */
  split: TimeSplit;
  /** The engine's fixed per-layer part of stageS (paid once per step, however mixed). */
  fixedS: number;
};

export const zeroSplit = (): TimeSplit => ({
  compute: 0,
  memory: 0,
  communication: 0,
  imbalance: 0,
  overhead: 0,
});

export function forwardPass(ctx: SimContext, shape: PassShape): PassCost {
  const { model: m, layout: L, rates: r, hw, fabric } = ctx;
  const split = zeroSplit();
  const launchS = hw.kernelLaunchUs * 1e-6;
  const D = m.hidden;

  /** Roofline time of one operator; the whole time is booked to its binding resource. */
  const opTime = (flops: number, bytes: number, flopRate: number, kernels: number) => {
    const tc = flops / flopRate;
    const tm = bytes / r.hbm;
    return { t: Math.max(tc, tm) + kernels * launchS, computeBound: tc >= tm };
  };
  const book = (o: { t: number; computeBound: boolean }, times: number) => {
    if (o.computeBound) split.compute += o.t * times;
    else split.memory += o.t * times;
  };

  const tokens = shape.seqs * shape.newTokens;
  // The busiest attention-DP rank holds ceil(seqs / dp) sequences.
  const seqsRank = Math.ceil(shape.seqs / L.attentionDp);
  const tokRank = seqsRank * shape.newTokens;
  const stageLayers = m.layers / L.pp;
  const stageDense = m.denseLayers / L.pp;
  const stageMoe = moeLayerCount(m) / L.pp;
  const aTp = L.attentionTp;

  // --- Attention: projections, then the attention core over the context.
  const attnP = attentionParams(m) / aTp;
  book(
    opTime(
      2 * attnP * tokRank,
      attnP * r.linearWeightBytes + 2 * tokRank * D * r.actBytes,
      r.denseFlops,
      4,
    ),
    stageLayers,
  );
  const a = m.attention;
  const window = m.slidingWindow;
  const coreFor = (context: number) => {
    if (a.kind === 'gqa') {
      const kvShards = Math.min(aTp, a.kvHeads);
      const flops = (4 * tokRank * context * a.heads * a.headDim) / aTp;
      const kvPerTok = (kvElementsPerToken(m) * r.kvBytes) / kvShards;
      const bytes = shape.readsKvCache ? seqsRank * context * kvPerTok : tokRank * kvPerTok;
      return opTime(flops, bytes, r.attentionFlops, 2);
    }
    // MLA: decode runs the absorbed form over the shared latent (which every TP rank holds
    // whole, so TP does not shrink it); prefill expands keys and values per head.
    const perCtx = shape.readsKvCache
      ? 2 * a.kvLoraRank + a.qkRopeHeadDim
      : a.qkNopeHeadDim + a.qkRopeHeadDim + a.vHeadDim;
    const flops = (2 * tokRank * context * a.heads * perCtx) / aTp;
    const kvPerTok = kvElementsPerToken(m) * r.kvBytes;
    const bytes = shape.readsKvCache ? seqsRank * context * kvPerTok : tokRank * kvPerTok;
    return opTime(flops, bytes, r.attentionFlops, 2);
  };
  // With DP attention every rank waits for the one whose sequences are longest. For lengths
  // with coefficient of variation cv, the busiest of R ranks holding n sequences each carries
  // about 1 + cv·√(2 ln R)/√n times the mean attention work (Gaussian maximum).
  const cv = ctx.input.lengthCv ?? 0;
  const dpStraggler =
    L.attentionDp > 1 && cv > 0
      ? (cv * Math.sqrt(2 * Math.log(L.attentionDp))) / Math.sqrt(seqsRank)
      : 0;
  const core = (context: number, layers: number) => {
    const o = coreFor(context);
    book(o, layers);
    split.imbalance += o.t * dpStraggler * layers;
  };
  if (window) {
    core(Math.min(shape.context, window.tokens), stageLayers * window.fractionOfLayers);
    core(shape.context, stageLayers * (1 - window.fractionOfLayers));
  } else {
    core(shape.context, stageLayers);
  }
  const tpAllReduce =
    allReduceTime(tokRank * D * r.actBytes, aTp, fabric) +
    ctx.engine.allReduceUs * 1e-6 * Math.log2(aTp);
  split.communication += tpAllReduce * stageLayers;

  // --- Dense FFN layers (DeepSeek's first layers), split like attention.
  if (stageDense > 0) {
    const p = (3 * D * m.denseFfn) / aTp;
    book(opTime(2 * p * tokRank, p * r.linearWeightBytes, r.denseFlops, 3), stageDense);
    split.communication += tpAllReduce * stageDense;
  }

  // --- MoE layers.
  if (stageMoe > 0) {
    const E = ctx.experts;
    book(opTime(2 * tokRank * D * E, D * E * 2 + tokRank * E * 4, r.denseFlops, 2), stageMoe);
    if (m.sharedExperts > 0) {
      const p = (3 * D * m.sharedExpertFfn * m.sharedExperts) / aTp;
      book(opTime(2 * p * tokRank, p * r.linearWeightBytes, r.denseFlops, 3), stageMoe);
    }
    const pairs = tokens * m.topK;
    const ep = L.ep;
    const meanPairs = pairs / ep;
    const imb = imbalanceFactor(ctx.rankLoad, pairs);
    const localExperts = Math.ceil(E / ep);
    const localFfn = ctx.expertFfn / L.expertTp;
    const routed = (p: number) => {
      if (p <= 0) return { t: 0, computeBound: false };
      const touched = localExperts * (1 - Math.exp(-p / localExperts));
      const perExpert = p / touched;
      const bm = moeBlockRows(perExpert);
      const rows = touched * Math.ceil(perExpert / bm) * bm;
      const flops = 2 * 3 * D * ctx.expertFfnTiled * rows;
      let bytes = touched * 3 * D * localFfn * r.weightBytes + p * D * r.actBytes * 2;
      // Unfused: the permuted copy, the gate/up output and the activation output each make an
      // extra round trip through HBM.
      if (!ctx.fused) bytes += p * (2 * D + 3 * localFfn) * r.actBytes * 2;
      const o = opTime(flops, bytes, r.moeFlops, ctx.fused ? 3 : 8);
      // moe_align_block_size over the pairs this GPU routes.
      return { t: o.t + moeAlignS(hw, tokRank * m.topK), computeBound: o.computeBound };
    };
    const cf = ctx.input.capacityFactor;
    let a2aScale = 1;
    let a2aImb = imb;
    if (cf === undefined) {
      const mean = routed(meanPairs);
      book(mean, stageMoe);
      if (imb > 1) split.imbalance += (routed(meanPairs * imb).t - mean.t) * stageMoe;
    } else {
      // Capacity factor (GShard / Switch): every local expert holds a static buffer of C rows,
      // so each rank computes localExperts · C rows whatever the skew (the slowest expert is
      // capped at C); the pairs over C are dropped. The useful work (kept pairs, block-padded)
      // is booked as usual, the padding up to C as imbalance: work spent waiting on the cap.
      const cap = capacityLoad(ctx.expertShares, pairs, cf);
      const kept = pairs - cap.droppedPairs;
      const mean = routed(kept / ep);
      book(mean, stageMoe);
      const rows = localExperts * cap.capacity;
      const padded = opTime(
        2 * 3 * D * ctx.expertFfnTiled * rows,
        localExperts * 3 * D * localFfn * r.weightBytes + rows * D * r.actBytes * 2,
        r.moeFlops,
        ctx.fused ? 3 : 8,
      );
      const paddedT = padded.t + moeAlignS(hw, tokRank * m.topK);
      if (paddedT > mean.t) split.imbalance += (paddedT - mean.t) * stageMoe;
      // The all-to-all moves the padded buffers: cf × the mean share, no rank busier than C.
      a2aScale = (rows * ep) / Math.max(1e-9, pairs);
      a2aImb = 1;
    }
    if (ep > 1) {
      // Each GPU dispatches its own 1/G share of the tokens to k experts and gets them back.
      const perRankTokens = tokens / L.gpus;
      const groupFabric = {
        ...fabric,
        nodeSize: Math.max(1, Math.floor(fabric.nodeSize / L.expertTp)),
      };
      const dispatch = allToAllTime(
        perRankTokens * m.topK * a2aScale * D * r.dispatchBytes,
        ep,
        groupFabric,
        a2aImb,
      );
      const combine = allToAllTime(
        perRankTokens * m.topK * a2aScale * D * r.actBytes,
        ep,
        groupFabric,
        a2aImb,
      );
      split.communication += (dispatch + combine) * stageMoe;
    }
    if (L.expertTp > 1)
      split.communication +=
        (allReduceTime(tokRank * D * r.actBytes, L.expertTp, fabric) +
          ctx.engine.allReduceUs * 1e-6 * Math.log2(L.expertTp)) *
        stageMoe;
  }

  // --- LM head (last stage only), vocabulary-parallel over the attention TP group.
  const headTokens = seqsRank * shape.logitsPerSeq;
  const headP = (m.vocab * D) / aTp;
  book(opTime(2 * headP * headTokens, headP * 2, r.denseFlops, 2), 1);
  split.communication += allGatherTime(headTokens * m.vocab * r.actBytes, aTp, fabric);

  // Two-batch overlap hides communication behind the other micro-batch's work.
  if (ctx.input.overlapComm) {
    const work = split.compute + split.memory + split.imbalance;
    split.communication = Math.max(0, split.communication - work);
  }
  // The engine's fixed cost per layer: norms, rotary, activation and residual kernels, graph
  // gaps — what measured single-request decode pays beyond the roofline.
  const fixedS = ctx.engine.layerFixedUs * 1e-6 * stageLayers;
  split.overhead += fixedS;
  // Less mature kernels on one vendor's software stack stretch every part of the step.
  const vendor = vendorFactor(ctx.engine, hw);
  if (vendor !== 1) for (const k of Object.keys(split) as (keyof TimeSplit)[]) split[k] *= vendor;
  const stageS = sumSplit(split);
  const hop = L.pp > 1 ? sendTime(tokRank * D * r.actBytes, L.pp > fabric.nodeSize, fabric) : 0;
  return { latencyS: stageS * L.pp + hop * (L.pp - 1), stageS, split, fixedS: fixedS * vendor };
}

export function sumSplit(s: TimeSplit): number {
  return s.compute + s.memory + s.communication + s.imbalance + s.overhead;
}

/**
 * moe_align_block_size work beyond its launch: the multi-block kernel's per-pair cost at large
 * batch, plus a slower single-block phase over the first 64 Ki pairs (SGLang's align blog: 8192
 * tokens × top-8 take 77 µs on A100, far above what the large-batch slope predicts).
 */
export const ALIGN_SINGLE_BLOCK_PAIRS = 65536;
export const ALIGN_SINGLE_BLOCK_NS_PER_PAIR = 0.76;
export function moeAlignS(hw: HardwareSpec, pairs: number): number {
  const ns =
    pairs * hw.alignNsPerPair +
    Math.min(pairs, ALIGN_SINGLE_BLOCK_PAIRS) * ALIGN_SINGLE_BLOCK_NS_PER_PAIR;
  return ns * 1e-9;
}

/** Per-GPU bytes one MoE layer moves over the fabric for `tokens` tokens (law tests, docs). */
export function moeLayerCommBytes(
  ctx: SimContext,
  tokens: number,
): { allReduce: number; allToAll: number } {
  const { model: m, layout: L, rates: r } = ctx;
  const D = m.hidden;
  const tokRank = tokens / L.attentionDp;
  const ar = L.expertTp > 1 ? (2 * tokRank * D * r.actBytes * (L.expertTp - 1)) / L.expertTp : 0;
  const perRank = tokens / L.gpus;
  const a2a =
    L.ep > 1 ? (perRank * m.topK * D * (r.dispatchBytes + r.actBytes) * (L.ep - 1)) / L.ep : 0;
  return { allReduce: ar, allToAll: a2a };
}
