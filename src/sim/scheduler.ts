// A serving engine's scheduler, simulated step by step: a client issues requests (all at once,
// at a rate, or keeping `concurrency` in flight, as vLLM's and SGLang's benchmark clients do),
// the engine admits them while the KV cache and its batch limit allow and queues the rest,
// chunked prefill shares each step's token budget with the running decodes, and a request
// leaves when its last token is out.
//
// Requests move in cohorts (same length class, issued together) whose counts may be
// fractional: between two events — a prefill finishing, a cohort finishing, a request arriving
// — every step costs the same, so many steps are advanced at once. Step costs are memoised.
// A closed-loop run whose pattern has settled is extrapolated instead of simulated to the
// last of thousands of requests.
import type { SimContext } from './context';
import { forwardPass, zeroSplit } from './forward';
import type { LengthClass } from './lengths';
import { draftStepS, expectedTokensPerStep } from './speculative';
import type { TimeSplit } from './types';

export type ScheduleOptions = {
  classes: readonly LengthClass[];
  prompts: number;
  /** Client-side limit of requests in flight (vLLM bench --max-concurrency). */
  concurrency: number;
  /** Requests per second; undefined = issue as fast as the concurrency limit allows. */
  arrivalRate?: number;
  maxSeqs: number;
  maxBatchTokens: number;
  kvCapacityTokens: number;
};

export type ScheduleResult = {
  /** Time from the first request to the last token, s. */
  durationS: number;
  meanTtftS: number;
  /** Mean over requests of (E2E − TTFT)/(output − 1). */
  meanTpotS: number;
  meanE2eS: number;
  meanQueueS: number;
  /** Most requests running at once, and whether the KV cache was what limited them. */
  admittedMax: number;
  kvLimited: boolean;
  batchLimited: boolean;
  /** Mean decode-step time while decoding, s. */
  meanStepS: number;
  /** Time of one step carrying a full prefill chunk, s. */
  prefillStepS: number;
  /** Busy time by category, s. */
  split: TimeSplit;
  /** Whether the tail of a long closed-loop run was extrapolated from its steady state. */
  extrapolated: boolean;
};

type Waiting = { n: number; cls: LengthClass; issuedS: number; readyS: number };
type Prefilling = Waiting & {
  tokensLeft: number;
  startS: number;
  /** When its first prefill chunk ran: admitted requests can wait behind earlier prompts. */
  firstChunkS?: number;
};
type Decoding = Prefilling & { ttftS: number; left: number };

/** A closed-loop run has settled after this many generations of requests. */
const SETTLE_GENERATIONS = 3;
/** A group of requests passes the front end in this many slices. */
const FRONT_END_SLICES = 4;
/** Hard cap on events; a run that needs more is extrapolated from its second half. */
const MAX_EVENTS = 3000;
const EPS = 1e-9;

export function schedule(ctx: SimContext, o: ScheduleOptions): ScheduleResult {
  const { engine, layout: L } = ctx;
  const spec = ctx.input.speculative;
  const tokensPerStep = spec ? expectedTokensPerStep(spec) : 1;
  const newTokens = spec ? Math.round(spec.draftTokens) + 1 : 1;
  const N = o.prompts;
  const C = Math.min(o.concurrency, N);
  const meanIn = o.classes.reduce((a, c) => a + c.weight * c.inputLen, 0);
  // A chat request to a model with a Jinja chat template is rendered in the front end first.
  const templateMs =
    ctx.input.endpoint === 'chat' && ctx.model.chatFormat !== 'harmony' ? engine.chatTemplateMs : 0;
  const overheadS = (engine.requestOverheadMs + templateMs) * 1e-3;
  const ttftFixedS = engine.ttftFixedMs * 1e-3;
  const groupSize = o.arrivalRate ? Math.max(1, Math.ceil(N / 48)) : Infinity;

  const cost = stepCostModel(ctx, newTokens);
  let t = 0;
  let issued = 0;
  let inFlight = 0;
  let completed = 0;
  let nextGroupS = 0;
  let frontFreeS = 0;
  const waiting: Waiting[] = [];
  const prefilling: Prefilling[] = [];
  const decoding: Decoding[] = [];
  let running = 0;
  let kvUsed = 0;
  let admittedMax = 0;
  let kvLimited = false;
  let batchLimited = false;
  const split = zeroSplit();
  let decodeStepTime = 0;
  let decodeSteps = 0;
  let prefillStepS = 0;
  // Per-request sums, and the same over the second half of a run (its steady state).
  const sums = { ttft: 0, tpot: 0, e2e: 0, queue: 0 };
  const done: { t: number; n: number; ttft: number; tpot: number; e2e: number; queue: number }[] =
    [];

  // A closed-loop client refills freed slots in groups of at least `grain` requests: slivers
  // of a request would split the cohorts ever finer without changing the answer.
  const grain = Math.max(1, C / 4);
  const issue = () => {
    while (issued < N - EPS && inFlight < C - EPS && nextGroupS <= t + EPS) {
      const room = Math.min(C - inFlight, N - issued);
      if (!o.arrivalRate && room < grain - EPS && room < N - issued - EPS && inFlight > EPS) break;
      const n = Math.min(room, o.arrivalRate ? groupSize : room);
      // The front end takes requests one at a time: a group becomes ready in slices.
      const slices = n >= 64 ? FRONT_END_SLICES : 1;
      for (let i = 0; i < slices; i++) {
        frontFreeS = Math.max(frontFreeS, t) + (n / slices) * overheadS;
        for (const cls of o.classes)
          waiting.push({ n: (n / slices) * cls.weight, cls, issuedS: t, readyS: frontFreeS });
      }
      issued += n;
      inFlight += n;
      if (o.arrivalRate) nextGroupS = (Math.round(issued / groupSize) * groupSize) / o.arrivalRate;
    }
  };

  const admit = () => {
    const seqLimit = o.maxSeqs * L.attentionDp;
    while (waiting.length > 0 && waiting[0]!.readyS <= t + EPS) {
      const w = waiting[0]!;
      const perReq = w.cls.inputLen + w.cls.outputLen;
      const bySeqs = seqLimit - running;
      // A request longer than the whole cache still runs alone (the engine would truncate or
      // refuse it; simulate.ts says so).
      const byKv =
        running < EPS
          ? Math.max(1, (o.kvCapacityTokens - kvUsed) / perReq)
          : (o.kvCapacityTokens - kvUsed) / perReq;
      const n = Math.min(w.n, bySeqs, byKv);
      if (n < w.n - EPS) {
        if (byKv <= bySeqs) kvLimited = true;
        else batchLimited = true;
      }
      if (n <= EPS) break;
      prefilling.push({ ...w, n, tokensLeft: n * w.cls.inputLen, startS: t });
      running += n;
      kvUsed += n * perReq;
      admittedMax = Math.max(admittedMax, running);
      if (n >= w.n - EPS) waiting.shift();
      else w.n -= n;
    }
  };

  let events = 0;
  let extrapolated = false;
  issue();
  admit();
  while (completed < N - 1e-6) {
    if (++events > MAX_EVENTS || settled(completed, C, N, o.arrivalRate)) {
      extrapolated = true;
      break;
    }
    const D = decoding.reduce((a, d) => a + d.n, 0);
    const budget = o.maxBatchTokens * L.attentionDp - D * newTokens;
    const queued = prefilling.reduce((a, p) => a + p.tokensLeft, 0);
    // With attention DP every rank schedules its own requests — SGLang's DataParallelController
    // (python/sglang/srt/managers/data_parallel_controller.py, `round_robin_scheduler`, the
    // default load-balance method) sends each request to one DP rank, whose own scheduler
    // prefills it in its own chunks — so the prompts waiting for prefill run side by side, one
    // rank each, and each rank prefills at most its own budget: fewer prompts than ranks leave
    // ranks without prefill. Until this round one long prompt's chunk landed on one rank while
    // the others waited (docs/simulator.md, "Prefill under DP attention").
    const prefillRanks =
      L.attentionDp > 1
        ? Math.min(L.attentionDp, Math.ceil(prefilling.reduce((a, p) => a + p.n, 0) - EPS))
        : 1;
    const P = Math.max(0, Math.min(budget, queued, o.maxBatchTokens * Math.max(1, prefillRanks)));
    if (D < EPS && P < EPS) {
      // Idle: jump to the next arrival (a request becoming ready or the client's next group).
      const next = Math.min(
        waiting.length > 0 ? waiting[0]!.readyS : Infinity,
        issued < N - EPS && inFlight < C - EPS ? nextGroupS : Infinity,
      );
      if (!Number.isFinite(next)) break;
      t = Math.max(t, next);
      issue();
      admit();
      continue;
    }
    const ctxMean =
      D > EPS
        ? decoding.reduce((a, d) => a + d.n * (d.cls.inputLen + d.cls.outputLen - d.left), 0) / D
        : 0;
    const head = prefilling[0];
    // A long prompt's chunk is not one rank's: every rank with a prompt prefills its own.
    const prefillSeqs = head ? Math.max(1, P / head.cls.inputLen, prefillRanks) : 0;
    const step = cost(D, ctxMean, P, head ? head.cls.inputLen / 2 : 0, prefillSeqs);

    // Steps until the next event.
    let k = Infinity;
    if (P > EPS) k = Math.min(k, head!.tokensLeft / P);
    for (const d of decoding) k = Math.min(k, d.left / tokensPerStep);
    const nextArrival = Math.min(
      waiting.length > 0 && waiting[0]!.readyS > t + EPS ? waiting[0]!.readyS : Infinity,
      issued < N - EPS && inFlight < C - EPS && o.arrivalRate ? nextGroupS : Infinity,
    );
    if (Number.isFinite(nextArrival)) k = Math.min(k, Math.max(EPS, (nextArrival - t) / step.t));
    k = Math.max(k, EPS);

    const dt = k * step.t;
    t += dt;
    addInto(split, step.split, k);
    if (D > EPS) {
      decodeStepTime += step.t * k;
      decodeSteps += k;
    }
    if (P >= o.maxBatchTokens * L.attentionDp * 0.5) prefillStepS = Math.max(prefillStepS, step.t);
    for (const d of decoding) d.left -= k * tokensPerStep;
    // Prefill tokens are consumed first-in, first-out.
    let consume = k * P;
    while (consume > EPS && prefilling.length > 0) {
      const p = prefilling[0]!;
      const take = Math.min(consume, p.tokensLeft);
      p.firstChunkS ??= t - dt + ((k * P - consume) / P) * step.t;
      p.tokensLeft -= take;
      consume -= take;
      if (p.tokensLeft > EPS * p.n * p.cls.inputLen) break;
      prefilling.shift();
      // Members of a cohort finish their prefill one chunk after another: on average halfway
      // between the cohort's first and last chunk — its first chunk, not its admission, which
      // can precede it by the prefill of every prompt admitted before it.
      const ttftS = t - 0.5 * Math.max(0, t - p.firstChunkS - step.t);
      decoding.push({ ...p, ttftS, left: Math.max(0, p.cls.outputLen - 1) });
    }
    // Cohorts whose last token is out leave and free their KV cache.
    for (let i = decoding.length - 1; i >= 0; i--) {
      const d = decoding[i]!;
      if (d.left > EPS) continue;
      decoding.splice(i, 1);
      const ttft = d.ttftS - d.issuedS + ttftFixedS;
      const e2e = t - d.issuedS + ttftFixedS;
      const tpot = d.cls.outputLen > 1 ? (t - d.ttftS) / (d.cls.outputLen - 1) : 0;
      const queue = Math.max(0, d.startS - d.readyS);
      sums.ttft += d.n * ttft;
      sums.tpot += d.n * tpot;
      sums.e2e += d.n * e2e;
      sums.queue += d.n * queue;
      done.push({ t, n: d.n, ttft, tpot, e2e, queue });
      completed += d.n;
      inFlight -= d.n;
      running -= d.n;
      kvUsed -= d.n * (d.cls.inputLen + d.cls.outputLen);
    }
    mergeDecoding(decoding);
    issue();
    admit();
  }

  let durationS = t;
  const mean = (x: number) => x / Math.max(EPS, completed);
  let meanTtft = mean(sums.ttft);
  let meanTpot = mean(sums.tpot);
  let meanE2e = mean(sums.e2e);
  let meanQueue = mean(sums.queue);
  if (extrapolated && completed < N - 1e-6) {
    // Steady state: the last generation — the latest completions, back to the event before
    // at least C of them — so the rate obeys Little's law for the settled pattern.
    let acc = 0;
    let tA = 0;
    let from = 0;
    for (let i = done.length - 1; i >= 0; i--) {
      if (acc >= C && done[i]!.t < t) {
        tA = done[i]!.t;
        from = i + 1;
        break;
      }
      acc += done[i]!.n;
    }
    const late = done.slice(from);
    const lateN = late.reduce((a, d) => a + d.n, 0);
    const span = t - tA;
    // The rate over the last C completions, measured between two points of the same phase of
    // the pattern: from when the count of completions first reached (completed − C) to now. A
    // window that starts or ends inside a burst of completions would count part of a generation
    // against a whole one (the pattern's cohorts finish in pieces).
    let tPhase = -1;
    if (completed - C > EPS) {
      let cum = 0;
      for (const d of done) {
        cum += d.n;
        if (cum >= completed - C - 1e-6) {
          tPhase = d.t;
          break;
        }
      }
    }
    const rate =
      tPhase >= 0 && t - tPhase > EPS
        ? C / (t - tPhase)
        : lateN > 0 && span > EPS
          ? lateN / span
          : completed / Math.max(EPS, t);
    const rest = N - completed;
    durationS = t + rest / Math.max(EPS, rate);
    const steady = late.length > 0 ? late : done;
    const steadyN = steady.reduce((a, d) => a + d.n, 0);
    const avg = (f: (d: (typeof done)[number]) => number) =>
      steadyN > 0 ? steady.reduce((a, d) => a + d.n * f(d), 0) / steadyN : 0;
    const blend = (simSum: number, steadyValue: number) => (simSum + rest * steadyValue) / N;
    meanTtft = blend(
      sums.ttft,
      avg((d) => d.ttft),
    );
    meanTpot = blend(
      sums.tpot,
      avg((d) => d.tpot),
    );
    meanE2e = blend(
      sums.e2e,
      avg((d) => d.e2e),
    );
    meanQueue = blend(
      sums.queue,
      avg((d) => d.queue),
    );
  }
  return {
    durationS,
    meanTtftS: meanTtft,
    meanTpotS: meanTpot,
    meanE2eS: meanE2e,
    meanQueueS: meanQueue,
    admittedMax,
    kvLimited,
    batchLimited,
    meanStepS: decodeSteps > 0 ? decodeStepTime / decodeSteps : cost(1, meanIn, 0, 0, 0).t,
    prefillStepS,
    split,
    extrapolated,
  };
}

/**
 * Cohorts of one class whose progress differs by under MERGE_FRACTION of their output move as
 * one (n-weighted): without this a closed loop splits into ever more cohorts, events and time.
 * At 5% merging collapsed the stagger the front end gives a closed loop's cohorts into
 * lockstep, and its throughput jumped by up to ±10% for a 1% change of a constant
 * (docs/simulator.md); at 0.2% it moves smoothly, for ~1.2–1.3× the sweep's time.
 * Merging also sets per-user speed: cohorts that merge finish together and refill together, so
 * the run falls into lockstep and books the next prompts' prefill in their TTFT rather than
 * between the running requests' tokens. DeepSeek-V3's lesson scenario (4 000-token prompts in
 * 4.5 s chunks, its front-end slices ~10 tokens apart) merged at 5%: ITL 61.9 ms, TTFT 32.5 s;
 * at 0.2% it desynchronises as a real closed loop does: 67.5 ms, 21.3 s, the same throughput.
 */
const MERGE_FRACTION = 0.002;
function mergeDecoding(decoding: Decoding[]): void {
  for (let i = 0; i < decoding.length; i++) {
    const a = decoding[i]!;
    for (let j = decoding.length - 1; j > i; j--) {
      const b = decoding[j]!;
      if (b.cls !== a.cls || Math.abs(a.left - b.left) > MERGE_FRACTION * a.cls.outputLen) continue;
      const n = a.n + b.n;
      const avg = (x: number, y: number) => (a.n * x + b.n * y) / n;
      a.left = avg(a.left, b.left);
      a.ttftS = avg(a.ttftS, b.ttftS);
      a.issuedS = avg(a.issuedS, b.issuedS);
      a.readyS = avg(a.readyS, b.readyS);
      a.startS = avg(a.startS, b.startS);
      a.n = n;
      decoding.splice(j, 1);
    }
  }
}

/**
 * A closed-loop client (no arrival rate) repeats itself after a few generations — until its
 * last generation: with at most C requests left the client soon has none to issue, and the last
 * ones drain without new prompts prefilled between their tokens, which a steady-state rate does
 * not describe (it read Mixtral TP at concurrency 256, 1000 prompts, 2.7% low: 6 730 output
 * tok/s against 6 914 simulated to the end), so that tail is simulated.
 */
function settled(completed: number, C: number, N: number, rate?: number): boolean {
  return rate === undefined && N - completed > C && completed >= SETTLE_GENERATIONS * C;
}

type StepCost = { t: number; split: TimeSplit };

/**
 * Cost of one engine step: a decode pass over D sequences at mean context `ctxMean`, a
 * prefill chunk of P tokens (the head cohort's prompts, attending to half their length on
 * average), the draft model's passes when speculating, and the engine's per-step costs. The
 * two passes of a mixed step pay the per-layer fixed cost once.
 */
function stepCostModel(ctx: SimContext, newTokens: number) {
  const { engine, layout: L, model: m } = ctx;
  const spec = ctx.input.speculative;
  const memo = new Map<string, StepCost>();
  return (D: number, ctxMean: number, P: number, pCtx: number, prefillSeqs: number): StepCost => {
    const d = D < EPS ? 0 : Math.max(1, quantise(D));
    const c = quantise(ctxMean);
    const p = Math.round(P);
    const pc = quantise(pCtx);
    const ps = Math.ceil(prefillSeqs - EPS);
    const key = `${d}|${c}|${p}|${pc}|${ps}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const split = zeroSplit();
    let t = 0;
    let fixed = Infinity;
    if (d > 0) {
      // With PP the sequences form pp micro-batches that chase each other through the stages.
      const pass = forwardPass(ctx, {
        seqs: Math.max(1, Math.ceil(d / L.pp)),
        newTokens,
        context: Math.max(1, c),
        readsKvCache: true,
        logitsPerSeq: newTokens,
      });
      t += pass.latencyS;
      addInto(split, pass.split, pass.latencyS / Math.max(EPS, pass.stageS));
      fixed = Math.min(fixed, pass.fixedS * L.pp);
      if (spec) {
        const draft = Math.round(spec.draftTokens) * draftStepS(ctx, spec, d);
        t += draft;
        split.memory += draft;
      }
    }
    if (p > 0) {
      const seqs = Math.max(1, ps);
      const pass = forwardPass(ctx, {
        seqs,
        newTokens: Math.max(1, p / seqs),
        context: Math.max(1, pc),
        readsKvCache: false,
        logitsPerSeq: 1,
      });
      // Pipelined prefill chunks overlap: the engine is busy one stage time per chunk.
      t += pass.stageS;
      addInto(split, pass.split, 1);
      fixed = Math.min(fixed, pass.fixedS);
    }
    if (d > 0 && p > 0) {
      t -= fixed;
      split.overhead -= fixed;
    }
    // A step with prompt tokens, or a decode batch larger than the engine's largest captured
    // graph, runs outside the decode CUDA graphs: per-layer host launches.
    const outsideGraphs = p > 0 || d / L.attentionDp > engine.cudaGraphMaxBatch;
    const eager = outsideGraphs ? engine.eagerLayerFixedUs * 1e-6 * m.layers : 0;
    const host =
      eager +
      (engine.stepFixedUs + engine.perSeqStepUs * (d + ps)) * 1e-6 +
      engine.samplingNsPerVocab * 1e-9 * m.vocab * (d * newTokens + ps);
    t += host;
    split.overhead += host;
    const out = { t, split };
    memo.set(key, out);
    return out;
  };
}

/** into += from × scale, field by field (hot: no key arrays allocated). */
function addInto(into: TimeSplit, from: TimeSplit, scale: number): void {
  into.compute += from.compute * scale;
  into.memory += from.memory * scale;
  into.communication += from.communication * scale;
  into.imbalance += from.imbalance * scale;
  into.overhead += from.overhead * scale;
}

/** To 1/16 of an octave: batches and contexts a few percent apart cost the same. */
function quantise(x: number): number {
  if (x <= 16) return Math.round(x);
  const e = Math.floor(Math.log2(x));
  const step = Math.pow(2, e - 4);
  return Math.round(x / step) * step;
}
