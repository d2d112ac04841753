// The sentence under a chapter's "try this" before → after, written from the measured numbers:
// what changed and by how much (computed here, never assumed), whether that is what the chapter
// teaches, and — when this device shows otherwise — why (a software GPU, the CPU path, attention
// that is not batched, a simulated figure). Pure: the numbers and the device come in as data.
import type { MeasureId, MeasureValue, MeasuredChange } from './measures';

export type DeviceContext = {
  /** The engine's backend for the run measured, or null when none has loaded. */
  backend: 'webgpu' | 'cpu' | null;
  /** The WebGPU adapter as the engine describes it ('google · swiftshader'), or null. */
  adapter: string | null;
  /** ORT sessions called per generated token (attention and the dense parts), before and after. */
  ortCallsPerToken?: { before: number | null; after: number | null };
};

/**
 * expected: the numbers show what the chapter teaches. partial: part of it. flat: no clear
 * change. reversed: the opposite. missing: a number needed was not measured.
 */
export type Verdict = 'expected' | 'partial' | 'flat' | 'reversed' | 'missing';

export type OutcomeSentence = { text: string; verdict: Verdict };

export type Measured = Pick<MeasuredChange, 'id' | 'label' | 'before' | 'after'> & {
  beforeValue: MeasureValue | null;
  afterValue: MeasureValue | null;
};

/** Measured times closer than this (relative) are one run's noise, not an effect. */
export const TIMING_NOISE = 0.05;
/** The simulator is deterministic: anything past rounding is a real difference in its model. */
const SIM_EPSILON = 0.005;

const SIMULATED =
  'These are the cluster simulator’s figures for the modelled GPUs, not a run on this device.';

type Pair = { before: number; after: number; m: Measured };

function find(measured: readonly Measured[], id: MeasureId): Measured | undefined {
  return measured.find((m) => m.id === id);
}

function pair(measured: readonly Measured[], id: MeasureId): Pair | null {
  const m = find(measured, id);
  if (!m?.beforeValue || !m.afterValue) return null;
  return { before: m.beforeValue.value, after: m.afterValue.value, m };
}

/** "1.20 ms → 3.12 ms", from the texts the student sees beside it. */
const span = (p: Pair) => `${p.m.before} → ${p.m.after}`;

/** The change from before to after in words: "2.6×", "+24%", "−30%". */
export function changeBy(before: number, after: number): string {
  if (before === 0) return after === 0 ? 'no change' : 'up from zero';
  const r = after / before;
  if (r >= 1.5) return `${r.toFixed(r >= 10 ? 0 : 1)}×`;
  const p = Math.round((r - 1) * 100);
  return p === 0 ? 'under 1%' : p > 0 ? `+${p}%` : `−${-p}%`;
}

/** +1 when after is clearly above before, −1 clearly below, 0 within `tol` (relative). */
export function direction(before: number, after: number, tol: number): -1 | 0 | 1 {
  const scale = Math.max(Math.abs(before), Math.abs(after));
  if (scale === 0 || Math.abs(after - before) <= tol * scale) return 0;
  return after > before ? 1 : -1;
}

export function isSoftwareGpu(adapter: string | null): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(adapter ?? '');
}

/** Why this device's timings are not a real GPU's, or null when it is one (or unknown). */
export function deviceReason(d: DeviceContext): string | null {
  if (d.backend === 'cpu')
    return 'the engine runs on the CPU path here (WebAssembly), not on a GPU, so every operation shares the same few cores';
  if (d.backend === 'webgpu' && isSoftwareGpu(d.adapter))
    return `this GPU is ${d.adapter ?? 'a software renderer'}, a software GPU that runs the shaders on the CPU, so its times follow the CPU’s costs, not a real GPU’s`;
  return null;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function missing(what: readonly string[], measured: readonly Measured[]): OutcomeSentence {
  const shown = measured
    .filter((m) => what.includes(m.id))
    .map((m) => `${m.label}: ${m.before} → ${m.after}`);
  return {
    verdict: 'missing',
    text:
      `The measurement is missing${shown.length ? ` (${shown.join('; ')})` : ''}, ` +
      'so this result cannot say whether the effect the chapter describes happened here.',
  };
}

function denseVsMoe(measured: readonly Measured[], d: DeviceContext): OutcomeSentence {
  const k = pair(measured, 'expertsPerToken');
  const t = pair(measured, 'moeMsPerToken');
  if (!k || !t) return missing(['expertsPerToken', 'moeMsPerToken'], measured);
  const answer = find(measured, 'answer');
  const answerText =
    answer && answer.before !== '—' && answer.after !== '—'
      ? answer.before === answer.after
        ? ' The answer stayed the same.'
        : ` The answer changed (${answer.before} → ${answer.after}).`
      : '';
  if (k.after <= k.before)
    return {
      verdict: 'flat',
      text: `The experts computed per token did not rise (${span(k)}), so this run does not compare k with E.${answerText}`,
    };
  const work = k.after / k.before;
  const workText = `${work.toFixed(work % 1 === 0 ? 0 : 1)}× as many experts`;
  const dir = direction(t.before, t.after, TIMING_NOISE);
  const head = `With ${k.m.after} experts per token instead of ${k.before}, the MoE layers’ time per decode step`;
  if (dir > 0) {
    const r = t.after / t.before;
    const less =
      r < work * 0.5
        ? ` — less than the ${workText}, because fixed costs per step (launches, routing, copies) do not grow with k`
        : '';
    return {
      verdict: 'expected',
      text: `${head} went ${span(t)} (${changeBy(t.before, t.after)})${less}: the layer pays for the k experts it runs, not for all E it holds.${answerText}`,
    };
  }
  const why = deviceReason(d);
  const tiny =
    'in a model this small the fixed costs of a step (kernel launches, routing, copies) outweigh the experts’ arithmetic';
  const reason = why ? `${capital(why)}, and ${tiny}.` : `${capital(tiny)}.`;
  if (dir === 0)
    return {
      verdict: 'flat',
      text: `${head} barely changed (${span(t)}, ${changeBy(t.before, t.after)}) although each token ran ${workText}. ${reason}${answerText}`,
    };
  return {
    verdict: 'reversed',
    text: `${head} fell (${span(t)}, ${changeBy(t.before, t.after)}) although each token ran ${workText} — the opposite of what the chapter teaches. More work cannot make the layer faster: this difference is the timing noise of a short run, larger here than the experts’ cost. ${reason}${answerText}`,
  };
}

function gating(measured: readonly Measured[]): OutcomeSentence {
  const k = pair(measured, 'expertsPerToken');
  const w = pair(measured, 'topWeight');
  if (!k || !w) return missing(['expertsPerToken', 'topWeight'], measured);
  const weightOne = Math.abs(w.after - 1) < 5e-4;
  if (k.after === 1 && weightOne)
    return {
      verdict: 'expected',
      text: `Each token now goes to 1 expert instead of ${k.before}, and that expert’s renormalised weight is ${w.m.after} (it was ${w.m.before}): the layer’s output is that one expert’s.`,
    };
  if (k.after === 1)
    return {
      verdict: 'partial',
      text: `Each token now goes to 1 expert instead of ${k.before}, but its weight reads ${w.m.after}, not 1: the measured weight does not show the renormalisation the chapter describes.`,
    };
  return {
    verdict: 'flat',
    text: `The experts per token went ${span(k)}, not to 1, so this run does not show top-1 routing.`,
  };
}

function batching(measured: readonly Measured[]): OutcomeSentence {
  const p = pair(measured, 'padding');
  if (!p || !p.m.beforeValue?.of || !p.m.afterValue?.of) return missing(['padding'], measured);
  const share = (v: MeasureValue) => `${((100 * v.value) / v.of!).toFixed(1)}%`;
  const s1 = p.m.afterValue.value / p.m.afterValue.of;
  if (p.after > p.before) {
    const most = s1 > 0.5 ? 'most of' : `${share(p.m.afterValue)} of`;
    return {
      verdict: 'expected',
      text: `Padding rows went from ${p.m.before} (${share(p.m.beforeValue)}) to ${p.m.after} (${share(p.m.afterValue)}): with bigger blocks, ${most} the grouped GEMM’s rows now compute nothing.`,
    };
  }
  return {
    verdict: p.after === p.before ? 'flat' : 'reversed',
    text: `Padding rows went ${span(p)}: this run’s pair counts do not show the growth in padding that bigger blocks usually bring.`,
  };
}

function simStep(p: Pair, expectUp: boolean): { verdict: Verdict; moved: string; dir: -1 | 0 | 1 } {
  const dir = direction(p.before, p.after, SIM_EPSILON);
  const verdict: Verdict = dir === 0 ? 'flat' : dir > 0 === expectUp ? 'expected' : 'reversed';
  return { verdict, moved: `${span(p)}, ${changeBy(p.before, p.after)}`, dir };
}

function groupedGemm(measured: readonly Measured[]): OutcomeSentence {
  const itl = pair(measured, 'simItl');
  if (!itl) return missing(['simItl', 'simThroughput'], measured);
  const tps = pair(measured, 'simThroughput');
  const tpsText = tps ? `, throughput ${span(tps)}` : '';
  const s = simStep(itl, true);
  const text =
    s.verdict === 'expected'
      ? `With one launch per expert instead of the fused grouped kernel, each simulated decode step takes longer (${s.moved})${tpsText}: at decode the launches and weight reads dominate.`
      : s.verdict === 'flat'
        ? `The simulator prices the unfused kernels about the same (${s.moved})${tpsText}: at these settings the launches it adds are a negligible part of a step.`
        : `The simulator prices the unfused kernels as faster (${s.moved})${tpsText}, the opposite of what the chapter teaches: its model of these settings gives the fused kernel no advantage.`;
  return { verdict: s.verdict, text: `${text} ${SIMULATED}` };
}

function loadBalance(measured: readonly Measured[]): OutcomeSentence {
  const imb = pair(measured, 'simImbalance');
  if (!imb) return missing(['simImbalance', 'simItl'], measured);
  const itl = pair(measured, 'simItl');
  const s = simStep(imb, true);
  const itlDir = itl ? direction(itl.before, itl.after, SIM_EPSILON) : null;
  const itlText = itl
    ? itlDir! > 0
      ? ` and the simulated ITL rises (${span(itl)}, ${changeBy(itl.before, itl.after)})`
      : ` but the simulated ITL does not rise (${span(itl)})`
    : '';
  if (s.verdict === 'expected')
    return {
      verdict: itl && itlDir! <= 0 ? 'partial' : 'expected',
      text: `Skewed routing raises the share of the run spent waiting for the busiest rank from ${imb.m.before} to ${imb.m.after}${itlText}. ${SIMULATED}`,
    };
  return {
    verdict: s.verdict,
    text: `The share of the run spent waiting for the busiest rank went ${span(imb)}: the simulator shows no extra waiting from skew at these settings, so this run does not show the imbalance the chapter describes. ${SIMULATED}`,
  };
}

function parallelism(measured: readonly Measured[]): OutcomeSentence {
  const comm = pair(measured, 'simComm');
  const itl = pair(measured, 'simItl');
  if (!comm || !itl) return missing(['simComm', 'simItl'], measured);
  const d = direction(itl.before, itl.after, SIM_EPSILON);
  const pace =
    d === 0
      ? 'TP is about as fast as EP here'
      : d < 0
        ? `TP is faster here (${changeBy(itl.before, itl.after)})`
        : `TP is slower here (${changeBy(itl.before, itl.after)})`;
  if (direction(comm.before, comm.after, SIM_EPSILON) === 0)
    return {
      verdict: 'flat',
      text: `The communication share stayed at ${comm.m.after} and the simulated ITL went ${span(itl)}: at these settings the two layouts move about the same share of a step. ${SIMULATED}`,
    };
  return {
    verdict: 'expected',
    text: `Swapping EP’s all-to-alls for TP’s all-reduces moves the communication share ${span(comm)} and the simulated ITL ${span(itl)}: ${pace}. ${SIMULATED}`,
  };
}

function serving(measured: readonly Measured[], d: DeviceContext): OutcomeSentence {
  const thr = pair(measured, 'throughput');
  const itl = pair(measured, 'itl');
  if (!thr || !itl) return missing(['throughput', 'itl'], measured);
  const req = pair(measured, 'requests');
  const n = req?.after ?? null;
  const who = n !== null ? `Serving ${n} requests together` : 'Batching the requests';
  const itlText = `ITL ${direction(itl.before, itl.after, TIMING_NOISE) === 0 ? 'stayed about the same' : `went ${span(itl)} (${changeBy(itl.before, itl.after)})`}`;
  const dir = direction(thr.before, thr.after, TIMING_NOISE);
  if (dir > 0) {
    const r = itl.after / itl.before;
    const tail =
      r < 1.5
        ? 'the requests share each decode step, so throughput rises while each one waits only a little longer.'
        : 'the requests share each decode step, though here each one waits noticeably longer per token.';
    return {
      verdict: 'expected',
      text: `${who} raised throughput ${changeBy(thr.before, thr.after)} (${span(thr)}) and ${itlText}: ${tail}`,
    };
  }
  // Whether attention ran once per request is read from the calls counted, not assumed: the
  // engine batches a decode step's attention (one call per layer for every request) unless its
  // captured graphs could not be built, and the prompts' prefill runs one request at a time.
  const calls = d.ortCallsPerToken;
  const known = calls && calls.before !== null && calls.after !== null ? calls : null;
  const before = known ? Math.round(known.before!) : null;
  const after = known ? Math.round(known.after!) : null;
  const why = deviceReason(d);
  const work =
    before !== null && after !== null && after > before
      ? `attention runs once per request (calls per token ${before} → ${after}), so a step for several requests does several times the work`
      : before !== null && after !== null && after > 0
        ? `each decode step runs every request's attention and experts in one call per layer (calls per token ${before} → ${after}), yet it still computes every request's rows, so a step for several requests does several times the work`
        : `each step still computes every request's rows, so a step for several requests does several times the work`;
  const reason = `In this run ${work}${why ? `, and ${why}.` : '.'}`;
  const moved = `throughput went ${span(thr)} (${changeBy(thr.before, thr.after)}) and ${itlText}`;
  return dir === 0
    ? {
        verdict: 'flat',
        text: `${who} did not raise throughput here: ${moved}. ${reason}`,
      }
    : {
        verdict: 'reversed',
        text: `${who} lowered throughput here, the opposite of what batching does on a serving GPU: ${moved}. ${reason}`,
      };
}

function atScale(measured: readonly Measured[]): OutcomeSentence {
  const mem = pair(measured, 'simMemory');
  const itl = pair(measured, 'simItl');
  if (!mem || !itl) return missing(['simMemory', 'simItl'], measured);
  const memDir = direction(mem.before, mem.after, SIM_EPSILON);
  const itlDir = direction(itl.before, itl.after, SIM_EPSILON);
  const memText = `memory per GPU ${span(mem)} (${changeBy(mem.before, mem.after)})`;
  const itlText = `the decode step ${span(itl)} (${changeBy(itl.before, itl.after)})`;
  if (memDir < 0 && itlDir < 0)
    return {
      verdict: 'expected',
      text: `FP8 weights cut the simulated ${memText} and ${itlText}: a decode step reads fewer bytes. ${SIMULATED}`,
    };
  if (memDir < 0)
    return {
      verdict: 'partial',
      text: `FP8 weights cut the simulated ${memText}, but ${itlText} is not faster: at these settings reading weights does not set the step’s pace (compute, attention or communication does). ${SIMULATED}`,
    };
  return {
    verdict: memDir === 0 ? 'flat' : 'reversed',
    text: `The simulated ${memText} did not fall with FP8 weights, and ${itlText}: this run does not show what the chapter describes. ${SIMULATED}`,
  };
}

/** For an action this module has no chapter-specific reading of: each change, computed. */
function generic(measured: readonly Measured[]): OutcomeSentence {
  const parts = measured.flatMap((m) => {
    if (!m.beforeValue || !m.afterValue) return [];
    const b = m.beforeValue.value;
    const a = m.afterValue.value;
    return [`${m.label} ${m.before} → ${m.after} (${changeBy(b, a)})`];
  });
  if (parts.length === 0) return missing([], measured);
  return { verdict: 'partial', text: `Measured: ${parts.join('; ')}.` };
}

/** The sentence for a chapter's "try this" outcome, from its measured numbers and the device. */
export function outcomeSentence(
  chapterId: string,
  measured: readonly Measured[],
  device: DeviceContext,
): OutcomeSentence {
  if (measured.length === 0) return missing([], measured);
  switch (chapterId) {
    case 'dense-vs-moe':
      return denseVsMoe(measured, device);
    case 'gating':
      return gating(measured);
    case 'batching':
      return batching(measured);
    case 'grouped-gemm':
      return groupedGemm(measured);
    case 'load-balance':
      return loadBalance(measured);
    case 'parallelism':
      return parallelism(measured);
    case 'serving':
      return serving(measured, device);
    case 'at-scale':
      return atScale(measured);
    default:
      return generic(measured);
  }
}
