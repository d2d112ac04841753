// The floor of a decode step on the GPU path: what its dispatches and submissions alone cost on
// this device (dispatches × per-dispatch cost + submits × per-submit cost), set beside the
// measured time of the step, so a student sees how far from the floor a step is and why.
// The costs are measured on this device by a tiny probe, or the H200 figures of
// ../shared/gpu/README.md, labelled as such, when not.

export type DispatchCosts = {
  perDispatchUs: number;
  perSubmitUs: number;
  /** 'measured': this device's probe; 'reference': the H200 figures, not this device. */
  source: 'measured' | 'reference';
  /** The device the costs are of, in words. */
  device: string;
  /** When measured (ms since the epoch); null for the reference. */
  at: number | null;
};

/** ../shared/gpu/README.md, H200 (Dawn via Node, driver 580.159, 2026-11-30). */
export const H200_COSTS: DispatchCosts = {
  perDispatchUs: 2.3,
  perSubmitUs: 19.4,
  source: 'reference',
  device: 'NVIDIA H200 (Dawn in Node, ../shared/gpu probe, 30 Nov 2026)',
  at: null,
};

/** A step as the floor needs it: its wall time and its counted dispatches and submissions. */
export type CountedStep = {
  step: number;
  phase: 'prefill' | 'decode';
  stepMs: number;
  dispatches: number | null;
  submits: number | null;
};

export type StepFloor = {
  step: number;
  phase: 'prefill' | 'decode';
  stepMs: number;
  dispatches: number;
  submits: number;
  floorMs: number;
  /** stepMs / floorMs: how many floors the step took. */
  ratio: number;
};

export function floorMs(dispatches: number, submits: number, c: DispatchCosts): number {
  return (dispatches * c.perDispatchUs + submits * c.perSubmitUs) / 1000;
}

/** Each counted step's floor (steps without counts — the CPU path — have none). */
export function stepFloors(steps: readonly CountedStep[], c: DispatchCosts): StepFloor[] {
  return steps.flatMap((s) => {
    if (s.dispatches === null || s.submits === null) return [];
    const f = floorMs(s.dispatches, s.submits, c);
    return [
      {
        step: s.step,
        phase: s.phase,
        stepMs: s.stepMs,
        dispatches: s.dispatches,
        submits: s.submits,
        floorMs: f,
        ratio: f > 0 ? s.stepMs / f : Infinity,
      },
    ];
  });
}

const median = (v: readonly number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export type DecodeFloor = {
  /** Median dispatches and submissions of a decode step. */
  dispatches: number;
  submits: number;
  floorMs: number;
  /** The run's measured ITL, and how many floors it is. */
  itlMs: number;
  ratio: number;
  costs: DispatchCosts;
};

/** The decode step's floor beside the run's measured ITL (null without counted decode steps). */
export function decodeFloor(
  floors: readonly StepFloor[],
  itlMs: number | null,
  costs: DispatchCosts,
): DecodeFloor | null {
  const decode = floors.filter((f) => f.phase === 'decode');
  if (decode.length === 0 || itlMs === null) return null;
  const dispatches = median(decode.map((f) => f.dispatches));
  const submits = median(decode.map((f) => f.submits));
  const f = floorMs(dispatches, submits, costs);
  return { dispatches, submits, floorMs: f, itlMs, ratio: f > 0 ? itlMs / f : Infinity, costs };
}

const num = (v: number, d = 0) => (Number.isInteger(v) ? String(v) : v.toFixed(d || 1));
export const fmtMs = (v: number): string =>
  v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3);
const us = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));

/** The floor in words, every number from the counts, the costs and the run. */
export function floorSentence(d: DecodeFloor): string {
  const c = d.costs;
  const whose =
    c.source === 'measured'
      ? `measured on this device (${c.device})`
      : `not measured here: the figures of an ${c.device}`;
  const far =
    d.ratio >= 1.5
      ? `${d.ratio.toFixed(d.ratio >= 10 ? 0 : 1)}× the floor: the rest is work the dispatch count does not explain (the kernels' own time, waits for read-backs, CPU work between submissions)`
      : d.ratio >= 0.67
        ? `close to the floor: launching the work is most of what a step costs`
        : `below this floor: these costs overstate this device's launches (${c.source === 'reference' ? 'they are another GPU’s' : 'the probe’s one-thread dispatches cost more than these steps’'})`;
  return (
    `A decode step here makes ${num(d.dispatches)} dispatches in ${num(d.submits)} submission${d.submits === 1 ? '' : 's'}: ` +
    `its floor is ${num(d.dispatches)} × ${us(c.perDispatchUs)} µs + ${num(d.submits)} × ${us(c.perSubmitUs)} µs = ${fmtMs(d.floorMs)} ms (costs ${whose}). ` +
    `The measured ITL is ${fmtMs(d.itlMs)} ms, ${far}.`
  );
}
