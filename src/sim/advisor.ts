// The strategy advisor: tries every strategy on the GPUs given (and, for per-GPU cost, on
// fewer GPUs too), keeps the layouts that exist and fit, and names the best for the goal with
// the reason read off the time split.
import { sumSplit } from './forward';
import { withStrategy, trySimulate } from './sweep';
import type { Goal, SimInput, SimResult, Strategy, TimeSplit } from './types';

export const ALL_STRATEGIES: readonly Strategy[] = ['tp', 'ep', 'dp-ep', 'tp-ep', 'pp'];

export type Candidate = {
  strategy: Strategy;
  gpus: number;
  tp?: number;
  ep?: number;
  result?: SimResult;
  /** Why the candidate was left out (impossible layout or does not fit). */
  excluded?: string;
};

export type Advice = {
  goal: Goal;
  best?: Candidate;
  ranked: Candidate[];
  excluded: Candidate[];
  why: string;
};

const score: Record<Goal, (r: SimResult) => number> = {
  throughput: (r) => r.outputTokensPerS,
  latency: (r) => -r.e2eMs,
  cost: (r) => r.tokensPerSPerGpu,
};

const label = (c: Candidate) =>
  `${c.strategy}${c.strategy === 'tp-ep' ? ` (tp ${c.tp} × ep ${c.ep})` : ''} on ${c.gpus} GPU${c.gpus > 1 ? 's' : ''}`;

export function advise(base: SimInput, goal: Goal): Advice {
  const gpuCounts = goal === 'cost' ? powersOfTwoUpTo(base.gpus) : [base.gpus];
  const all: Candidate[] = [];
  for (const gpus of gpuCounts) {
    for (const strategy of ALL_STRATEGIES) {
      if (gpus === 1 && strategy !== 'tp') continue; // one GPU: every strategy is the same
      const input = withStrategy({ ...base, gpus }, strategy);
      const { result, error } = trySimulate(input);
      const c: Candidate = { strategy, gpus };
      if (strategy === 'tp-ep') Object.assign(c, { tp: input.tp, ep: input.ep });
      if (error) c.excluded = error;
      else if (result && !result.fits) c.excluded = result.reason ?? 'does not fit';
      if (result) c.result = result;
      all.push(c);
    }
  }
  const ranked = all
    .filter((c) => !c.excluded)
    .sort((a, b) => score[goal](b.result!) - score[goal](a.result!));
  const excluded = all.filter((c) => c.excluded);
  const best = ranked[0];
  return {
    goal,
    ranked,
    excluded,
    why: explain(goal, ranked, excluded),
    ...(best ? { best } : {}),
  };
}

function powersOfTwoUpTo(n: number): number[] {
  const out: number[] = [];
  for (let g = 1; g < n; g *= 2) out.push(g);
  out.push(n);
  return out;
}

const metricText = (goal: Goal, r: SimResult) =>
  goal === 'throughput'
    ? `${Math.round(r.outputTokensPerS).toLocaleString('en-US')} output tokens/s`
    : goal === 'latency'
      ? `${Math.round(r.e2eMs).toLocaleString('en-US')} ms end to end (TTFT ${r.ttftMs.toFixed(0)} ms, ITL ${r.itlMs.toFixed(1)} ms)`
      : `${Math.round(r.tokensPerSPerGpu).toLocaleString('en-US')} output tokens/s per GPU`;

function share(split: TimeSplit, key: keyof TimeSplit): number {
  const total = sumSplit(split);
  return total > 0 ? split[key] / total : 0;
}

function explain(goal: Goal, ranked: Candidate[], excluded: Candidate[]): string {
  const best = ranked[0];
  if (!best?.result) {
    const first = excluded[0];
    return `No layout works: ${first ? `${label(first)}: ${first.excluded}` : 'no candidates'}`;
  }
  const r = best.result;
  const parts = [`${label(best)} is best for ${goal}: ${metricText(goal, r)}.`];
  const runner = ranked.find((c) => c !== best && c.result);
  if (runner?.result) {
    const a = Math.abs(score[goal](r));
    const b = Math.abs(score[goal](runner.result));
    const margin = goal === 'latency' ? (b - a) / b : (a - b) / b;
    parts.push(`${(margin * 100).toFixed(0)}% ahead of ${label(runner)}.`);
    // The category where the runner-up spends the most extra time explains the gap.
    const keys = ['compute', 'memory', 'communication', 'imbalance'] as const;
    const worst = keys.reduce((x, y) =>
      runner.result!.split[y] - r.split[y] > runner.result!.split[x] - r.split[x] ? y : x,
    );
    if (runner.result.split[worst] > r.split[worst])
      parts.push(
        `${runner.strategy} spends ${(share(runner.result.split, worst) * 100).toFixed(0)}% of its time on ${worst} vs ${(share(r.split, worst) * 100).toFixed(0)}% here.`,
      );
  }
  parts.push(`The winner is ${r.bottleneck}-bound.`);
  if (excluded.length)
    parts.push(
      `Left out: ${excluded.map((c) => `${label(c)} (${shorten(c.excluded!)})`).join('; ')}.`,
    );
  return parts.join(' ');
}

const shorten = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}…` : s);
