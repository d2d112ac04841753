// What a lesson action shows changed: numbers read from the engine's last run, its evaluations,
// the permutation of its trace, or the cluster simulator for the current settings. Pure: the
// caller passes the run state it has, so the same code is unit-tested on a synthetic run.
import type { RunState } from '../engine/runStore';
import { simInputFromSettings } from '../sim/inputFromSettings';
import { trySimulate } from '../sim/sweep';
import type { SimResult } from '../sim/types';
import type { LabSettings } from '../state/settingsSchema';
import { alignView } from '../viz/permutation';

export const MEASURE_IDS = [
  'answer',
  'expertsPerToken',
  'topWeight',
  'moeMsPerToken',
  'ttft',
  'itl',
  'throughput',
  'requests',
  'padding',
  'accuracy',
  'simItl',
  'simThroughput',
  'simComm',
  'simCommHidden',
  'simImbalance',
  'simMemory',
  'simTpVsEp',
] as const;
export type MeasureId = (typeof MEASURE_IDS)[number];

export type MeasureInput = {
  settings: LabSettings;
  run: Pick<RunState, 'done' | 'steps' | 'outputs' | 'evals' | 'config'>;
};

const LABELS: Record<MeasureId, string> = {
  answer: 'the model’s answer',
  expertsPerToken: 'experts computed per token',
  topWeight: 'weight of the first chosen expert',
  moeMsPerToken: 'MoE layers’ time per decode step',
  ttft: 'time to first token',
  itl: 'inter-token latency',
  throughput: 'output tokens/s (all requests)',
  requests: 'requests served together in the run',
  padding: 'padding rows in the grouped GEMM',
  accuracy: 'held-out accuracy (all skills)',
  simItl: 'simulated inter-token latency',
  simThroughput: 'simulated output tokens/s',
  simComm: 'exposed communication share of the simulated run',
  simCommHidden: 'communication hidden under compute by two-batch overlap',
  simImbalance: 'load-imbalance share of the simulated run',
  simMemory: 'simulated memory per GPU',
  simTpVsEp: 'simulated ITL, TP vs EP',
};

/** True when the measure reads the engine's run (or evaluation), not the cluster simulator. */
export function readsRun(id: MeasureId): boolean {
  return !id.startsWith('sim');
}

export function measureLabel(id: MeasureId): string {
  return LABELS[id];
}

const NONE = '—';
const ms = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? NONE : `${v.toFixed(digits)} ms`;
const pct = (part: number, whole: number) =>
  whole > 0 && Number.isFinite(part) ? `${((100 * part) / whole).toFixed(1)}%` : NONE;

function simulated(settings: LabSettings): SimResult | undefined {
  return trySimulate(simInputFromSettings(settings)).result;
}

const busy = (s: SimResult['split']) => s.compute + s.memory + s.communication + s.imbalance;

function splitShare(r: SimResult | undefined, part: 'communication' | 'imbalance'): string {
  if (!r) return NONE;
  return pct(r.split[part], busy(r.split));
}

/**
 * Communication that two-batch overlap hides, as a share of the overlapped run's busy time: the
 * simulator books only the exposed part, so the hidden part is the same run's communication
 * without overlap minus what stays exposed with it (0 when overlap is off).
 */
function hiddenCommReading(settings: LabSettings): Reading {
  const withOverlap = simulated(settings);
  if (!withOverlap) return none;
  if (!settings.overlapComm) return reading(`${pct(0, 1)} (overlap off)`, 0);
  const without = simulated({ ...settings, overlapComm: false });
  if (!without) return none;
  const whole = busy(withOverlap.split);
  const hidden = Math.max(0, without.split.communication - withOverlap.split.communication);
  return reading(pct(hidden, whole), whole > 0 ? (100 * hidden) / whole : null);
}

/** The first MoE layer of the last run's prefill (what the trace views draw by default). */
function firstLayer(run: MeasureInput['run']) {
  return run.steps[0]?.layers[0];
}

/** A measure's raw number (`value`), and for "k of E" or "rows of total" its whole (`of`). */
export type MeasureValue = { value: number; of: number | null };

type Reading = { text: string; num: MeasureValue | null };

const fin = (v: number | null | undefined): v is number =>
  typeof v === 'number' && Number.isFinite(v);
const none: Reading = { text: NONE, num: null };
const reading = (
  text: string,
  value: number | null | undefined,
  of: number | null = null,
): Reading => (fin(value) && text !== NONE ? { text, num: { value, of } } : { text, num: null });
const msReading = (v: number | null | undefined, digits = 1): Reading => reading(ms(v, digits), v);

function shareReading(r: SimResult | undefined, part: 'communication' | 'imbalance'): Reading {
  if (!r) return none;
  const whole = busy(r.split);
  return reading(splitShare(r, part), whole > 0 ? (100 * r.split[part]) / whole : null);
}

function read(id: MeasureId, { settings, run }: MeasureInput): Reading {
  switch (id) {
    case 'answer': {
      const text = run.outputs[0];
      return text === undefined || run.done === null
        ? none
        : { text: JSON.stringify(text), num: null };
    }
    case 'expertsPerToken': {
      const layer = firstLayer(run);
      return layer ? reading(`${layer.k} of ${layer.experts}`, layer.k, layer.experts) : none;
    }
    case 'topWeight': {
      const layer = firstLayer(run);
      if (!layer || layer.topkWeights.length === 0) return none;
      const w = layer.topkWeights[0]!;
      return reading(w.toFixed(3), w);
    }
    case 'moeMsPerToken': {
      const decode = run.steps.filter((s) => s.phase === 'decode');
      if (decode.length === 0) return none;
      // The median step: one slow step (a collection, a first use) should not decide the lesson.
      const sorted = decode.map((s) => s.moeMs).sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return msReading(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2, 2);
    }
    case 'ttft':
      return msReading(run.done?.metrics?.meanTtftMs);
    case 'itl':
      return msReading(run.done?.metrics?.meanItlMs, 2);
    case 'throughput': {
      const v = run.done?.metrics?.outputTokensPerS;
      return fin(v) ? reading(`${v.toFixed(1)} tok/s`, v) : none;
    }
    case 'requests': {
      const n = run.done?.metrics?.requests;
      return n === undefined ? none : reading(String(n), n);
    }
    case 'padding': {
      const layer = firstLayer(run);
      if (!layer) return none;
      const v = alignView(layer, Number(settings.vizBm));
      return reading(`${v.paddingSlots} of ${v.numPostPad} rows`, v.paddingSlots, v.numPostPad);
    }
    case 'accuracy': {
      const last = run.evals[run.evals.length - 1];
      if (!last) return none;
      const correct = last.scores.reduce((a, s) => a + s.correct, 0);
      const total = last.scores.reduce((a, s) => a + s.total, 0);
      return total > 0
        ? reading(`${Math.round((100 * correct) / total)}% (${correct}/${total})`, correct, total)
        : none;
    }
    case 'simItl':
      return msReading(simulated(settings)?.itlMs, 2);
    case 'simThroughput': {
      const r = simulated(settings);
      return r ? reading(`${Math.round(r.outputTokensPerS)} tok/s`, r.outputTokensPerS) : none;
    }
    case 'simComm':
      return shareReading(simulated(settings), 'communication');
    case 'simCommHidden':
      return hiddenCommReading(settings);
    case 'simImbalance':
      return shareReading(simulated(settings), 'imbalance');
    case 'simMemory': {
      const r = simulated(settings);
      return r ? reading(`${r.memoryPerGpuGB.toFixed(1)} GB`, r.memoryPerGpuGB) : none;
    }
    case 'simTpVsEp': {
      const tp = simulated({ ...settings, strategy: 'tp' });
      const ep = simulated({ ...settings, strategy: 'ep' });
      // The number is TP's ITL over EP's: below 1, TP is faster.
      const ratio = fin(tp?.itlMs) && fin(ep?.itlMs) && ep.itlMs > 0 ? tp.itlMs / ep.itlMs : null;
      return {
        text: `TP ${ms(tp?.itlMs, 2)}, EP ${ms(ep?.itlMs, 2)}`,
        num: ratio === null ? null : { value: ratio, of: null },
      };
    }
  }
}

/** One measure's value as text; '—' when the run or the layout does not give it. */
export function measure(id: MeasureId, input: MeasureInput): string {
  return read(id, input).text;
}

/** One measure's raw number, or null when the run or the layout does not give one. */
export function measureValue(id: MeasureId, input: MeasureInput): MeasureValue | null {
  return read(id, input).num;
}

export type MeasuredChange = {
  id: MeasureId;
  label: string;
  before: string;
  after: string;
  /** The raw numbers behind `before` and `after` (null: none measured). */
  beforeValue: MeasureValue | null;
  afterValue: MeasureValue | null;
};

export type MeasuredValues = Record<string, MeasureValue | null>;

/** Before/after lines for the measures an action names, in the order it names them. */
export function compareMeasures(
  ids: readonly MeasureId[],
  before: Record<string, string>,
  after: Record<string, string>,
  values: { before: MeasuredValues; after: MeasuredValues } = { before: {}, after: {} },
): MeasuredChange[] {
  return ids.map((id) => ({
    id,
    label: measureLabel(id),
    before: before[id] ?? NONE,
    after: after[id] ?? NONE,
    beforeValue: values.before[id] ?? null,
    afterValue: values.after[id] ?? null,
  }));
}

export function measureValues(ids: readonly MeasureId[], input: MeasureInput): MeasuredValues {
  const out: MeasuredValues = {};
  for (const id of ids) out[id] = measureValue(id, input);
  return out;
}

export function measureAll(ids: readonly MeasureId[], input: MeasureInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = measure(id, input);
  return out;
}
