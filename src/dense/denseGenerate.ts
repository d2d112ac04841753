// The generation loop of the WGSL dense path, with src/engine/generate.ts's contract (same
// prompt handling, notices, stops, EOS, metrics and result) but the model's own steps: the
// prompts' prefill in as few submissions as the row limit allows, then one submission per decode
// token for all live sequences together, sampling on the GPU; greedy decode submits the next
// token's step before this one's ids are read back. The sampler's RNG is the
// request's seeded mulberry32, advanced once per sampled token in sequence order, as in the
// CPU loop, so a seed gives the same draws on both paths.
import type { GenerateHooks, GenerateResult, TextCodec } from '../engine/generate';
import { batchMetrics, type RequestTiming } from '../engine/metrics';
import { findStop } from '../engine/stopSequences';
import type { MoeLayerTrace } from '../engine/trace';
import { mergeLayerTraces } from '../engine/traceMerge';
import type { GenerationRequest } from '../engine/types';
import {
  DECODE_STEPS_IN_FLIGHT,
  type StepResult,
  type StepRows,
  type WgslDenseModel,
} from './WgslDenseModel';
import { fitPrompt } from '../engine/promptFit';

export type DenseGenerateResult = GenerateResult & {
  /** Command-buffer submissions and dispatches per generated token (prefill included). */
  perStep: { submits: number; dispatches: number };
};

type Seq = {
  index: number;
  ids: number[];
  out: number[];
  text: string;
  slot: number;
  /** Positions whose tokens the loop has taken, and positions submitted to the GPU. */
  length: number;
  written: number;
  timing: RequestTiming;
  done: boolean;
};

export async function generateDense(
  model: WgslDenseModel,
  codec: TextCodec,
  req: GenerationRequest,
  hooks: GenerateHooks = {},
): Promise<DenseGenerateResult> {
  const maxContext = model.config.maxContext;
  const now = hooks.now ?? (() => performance.now());
  const cancelled = hooks.isCancelled ?? (() => false);
  const notices: string[] = [];
  const maxTokens = Math.max(1, Math.min(req.maxTokens, maxContext - 1));
  if (req.prompts.length > model.maxSequences)
    throw new Error(
      `${req.prompts.length} prompts; the WGSL dense path was built for ${model.maxSequences} sequences`,
    );
  const startMs = now();
  const seqs: Seq[] = [];
  try {
    for (const [i, prompt] of req.prompts.entries()) {
      const ids = fitPrompt(codec, prompt, i, maxContext, maxTokens, notices);
      seqs.push({
        index: i,
        ids,
        out: [],
        text: '',
        slot: model.acquireSlot(),
        length: 0,
        written: 0,
        timing: { requestMs: startMs, tokenMs: [], inputTokens: ids.length },
        done: false,
      });
    }
    return await loop(model, codec, req, hooks, seqs, maxTokens, notices, now, cancelled);
  } finally {
    for (const s of seqs) model.releaseSlot(s.slot);
  }
}

async function loop(
  model: WgslDenseModel,
  codec: TextCodec,
  req: GenerationRequest,
  hooks: GenerateHooks,
  seqs: Seq[],
  maxTokens: number,
  notices: string[],
  now: () => number,
  cancelled: () => boolean,
): Promise<DenseGenerateResult> {
  const maxContext = model.config.maxContext;
  let reason: GenerateResult['reason'] = 'length';
  let stoppedAll = true;
  let draws = 0;
  let submits = 0;
  let dispatches = 0;
  // Greedy decode without traces or logits is pipelined: the next tokens' steps (up to
  // DECODE_STEPS_IN_FLIGHT in all) are submitted, each embedding the ids the step before sampled
  // on the GPU, before this one's tokens reach the CPU. Sampling stays in lock-step (a finished
  // sequence would shift the RNG's draw numbers).
  const pipelined = req.temperature <= 0 && !req.trace && !hooks.onLogits;
  type Flight = { seqs: Seq[]; promise: Promise<StepResult[]>; groups: number };

  /** Submits one step for `set` (a prefill in groups of whole sequences when rows overflow). */
  const submit = (set: Seq[], step: number, idsOnGpu: boolean): Flight => {
    const rows: StepRows[] = set.map((s) => ({
      slot: s.slot,
      ids: step === 0 ? s.ids : [idsOnGpu ? 0 : s.out[s.out.length - 1]!],
      start: s.written,
    }));
    set.forEach((s, i) => (s.written += rows[i]!.ids.length));
    const groups: number[][] = [];
    let rowsInGroup = model.maxRows;
    rows.forEach((r, i) => {
      if (r.ids.length > model.maxRows)
        throw new Error(`a ${r.ids.length}-token prompt; one step takes ${model.maxRows} rows`);
      if (rowsInGroup + r.ids.length > model.maxRows) {
        groups.push([]);
        rowsInGroup = 0;
      }
      groups.at(-1)!.push(i);
      rowsInGroup += r.ids.length;
    });
    // The prefill's layer inputs only when asked (the virtual GPUs replay them; an evaluation
    // tallying routing does not need them).
    const inputs = hooks.traceInputs !== false;
    const trace = !req.trace ? 'none' : step === 0 && inputs ? 'inputs' : 'routing';
    const base = draws;
    if (req.temperature > 0) draws += set.length;
    const want = { logits: !!hooks.onLogits, trace, idsOnGpu } as const;
    const sampling = { temperature: req.temperature, topP: req.topP, seed: req.seed };
    // Groups run one after another (a trace is read before the next group overwrites it).
    const promise = (async () => {
      const out: StepResult[] = [];
      for (const g of groups)
        out.push(
          await model.submitStep(
            g.map((i) => rows[i]!),
            { ...sampling, drawBase: base + g[0]! },
            want,
          ),
        );
      return out;
    })();
    return { seqs: set, promise, groups: groups.length };
  };

  // Steps submitted ahead, oldest first; step `step + 1 + i` is ahead[i].
  const ahead: Flight[] = [];
  try {
    for (let step = 0; step < maxTokens; step++) {
      const active = seqs.filter((s) => !s.done);
      if (active.length === 0) break;
      if (cancelled()) {
        reason = 'cancelled';
        break;
      }
      const stepStart = now();
      const phase = step === 0 ? 'prefill' : 'decode';
      const cur: Flight = ahead.shift() ?? submit(active, step, false);
      // The next tokens' steps, recorded while this one runs: only while every sequence of this
      // step is live and has room (their rows stay in the same order, row s = sequence s).
      while (
        pipelined &&
        cur.groups === 1 &&
        ahead.length + 1 < DECODE_STEPS_IN_FLIGHT &&
        step + 1 + ahead.length < maxTokens &&
        cur.seqs.every((s) => !s.done && s.written + 1 < maxContext)
      )
        ahead.push(submit(cur.seqs, step + 1 + ahead.length, true));
      const results = await cur.promise;
      const tokens = results.flatMap((r) => Array.from(r.tokens));
      const logits = results.flatMap((r) => r.logits ?? []);
      const layers: MoeLayerTrace[] = [];
      let stepDispatches = 0;
      for (const r of results) {
        layers.push(...r.traces);
        submits += r.submits;
        dispatches += r.dispatches;
        stepDispatches += r.dispatches;
      }
      // Rows are numbered by the request's sequence, as in the engine's traces.
      const rowSeqOf = cur.seqs.flatMap((s) =>
        Array<number>(step === 0 ? s.ids.length : 1).fill(s.index),
      );
      let at0 = 0;
      for (const r of results) {
        const T = r.traces[0]?.T ?? 0;
        for (const t of r.traces) t.rowSeq = Int32Array.from(rowSeqOf.slice(at0, at0 + T));
        at0 += T;
      }
      // A step submitted ahead may hold a sequence that ended in a step before: skip its token.
      const live = cur.seqs.map((s) => !s.done);
      cur.seqs.forEach((s, i) => {
        if (live[i]) s.length += step === 0 ? s.ids.length : 1;
      });
      if (hooks.onLogits)
        hooks.onLogits(
          step,
          cur.seqs.map((s) => s.index),
          logits,
        );
      const at = now();
      for (const [i, s] of cur.seqs.entries()) {
        if (!live[i]) continue;
        const token = tokens[i]!;
        s.out.push(token);
        s.timing.tokenMs.push(at);
        if (token === codec.eosId) {
          s.done = true;
          continue;
        }
        const piece = codec.decode([token]);
        const checkedUpTo = s.text.length;
        s.text += piece;
        hooks.onToken?.(s.index, token, piece, at);
        const stopAt = findStop(s.text, req.stops, checkedUpTo);
        if (stopAt !== -1) {
          s.text = s.text.slice(0, stopAt);
          s.done = true;
        } else if (s.length + 1 >= maxContext) {
          s.done = true;
          stoppedAll = false;
        }
      }
      hooks.onStep?.({
        step,
        phase,
        layers: mergeGroups(layers, cur.groups),
        // One submission holds dense and MoE kernels alike: no separate MoE wall time exists.
        ortMs: 0,
        moeMs: 0,
        stepMs: now() - stepStart,
        ortCalls: 0,
        moeDispatches: stepDispatches,
      });
    }
  } finally {
    // Steps still in flight (cancelled, or every sequence ended) finish before their slots go.
    await Promise.all(ahead.map((f) => f.promise.catch(() => undefined)));
  }
  if (reason !== 'cancelled') reason = seqs.every((s) => s.done) && stoppedAll ? 'stop' : 'length';
  const steps = Math.max(1, Math.max(...seqs.map((s) => s.out.length)));
  return {
    texts: seqs.map((s) => s.text),
    tokens: seqs.map((s) => s.out),
    reason,
    metrics: batchMetrics(seqs.map((s) => s.timing)),
    perToken: { dispatches: dispatches / steps, ortCalls: 0, gpuShare: null },
    perStep: { submits: submits / steps, dispatches: dispatches / steps },
    notices,
  };
}

/** A prefill in several groups traced each layer once per group: one trace per layer. */
function mergeGroups(layers: MoeLayerTrace[], groups: number): MoeLayerTrace[] {
  if (groups <= 1) return layers;
  const L = layers.length / groups;
  return Array.from({ length: L }, (_, l) =>
    mergeLayerTraces(Array.from({ length: groups }, (_, g) => layers[g * L + l]!)),
  );
}
