// The generation loop of the WGSL dense path, with src/engine/generate.ts's contract (same
// prompt handling, notices, stops, EOS, metrics and result) but the model's own steps: the
// prompts' prefill in as few submissions as the row limit allows, then one submission per decode
// token for all live sequences together, sampling on the GPU. The sampler's RNG is the
// request's seeded mulberry32, advanced once per sampled token in sequence order, as in the
// CPU loop, so a seed gives the same draws on both paths.
import type { GenerateHooks, GenerateResult, TextCodec } from '../engine/generate';
import { batchMetrics, type RequestTiming } from '../engine/metrics';
import { findStop } from '../engine/stopSequences';
import type { MoeLayerTrace } from '../engine/trace';
import { mergeLayerTraces } from '../engine/traceMerge';
import type { GenerationRequest } from '../engine/types';
import type { StepRows, WgslDenseModel } from './WgslDenseModel';

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
  length: number;
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
  const bos = codec.bosId !== null ? 1 : 0;
  const seqs: Seq[] = [];
  try {
    for (const [i, prompt] of req.prompts.entries()) {
      let ids = codec.encode(prompt);
      const promptRoom = maxContext - 1 - bos;
      if (ids.length > promptRoom) {
        notices.push(
          `Prompt ${i + 1} has ${ids.length} tokens; kept the last ${promptRoom} to fit the ${maxContext}-token context.`,
        );
        ids = ids.slice(ids.length - promptRoom);
      }
      const answerRoom = maxContext - ids.length - bos;
      if (answerRoom < maxTokens)
        notices.push(
          `Prompt ${i + 1} has ${ids.length} tokens, so at most ${answerRoom} of the ${maxTokens} tokens asked for fit the ${maxContext}-token context.`,
        );
      if (codec.bosId !== null) ids = [codec.bosId, ...ids];
      if (ids.length === 0) ids = codec.encode(' ');
      seqs.push({
        index: i,
        ids,
        out: [],
        text: '',
        slot: model.acquireSlot(),
        length: 0,
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
  for (let step = 0; step < maxTokens; step++) {
    const active = seqs.filter((s) => !s.done);
    if (active.length === 0) break;
    if (cancelled()) {
      reason = 'cancelled';
      break;
    }
    const stepStart = now();
    const phase = step === 0 ? 'prefill' : 'decode';
    const trace = !req.trace ? 'none' : step === 0 ? 'inputs' : 'routing';
    const rows: StepRows[] = active.map((s) => ({
      slot: s.slot,
      ids: step === 0 ? s.ids : [s.out[s.out.length - 1]!],
      start: s.length,
    }));
    // A prefill longer than one step's rows runs in groups of whole sequences.
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
    const tokens: number[] = [];
    const logits: Float32Array[] = [];
    const layers: MoeLayerTrace[] = [];
    let stepDispatches = 0;
    for (const g of groups) {
      const r = await model.step(
        g.map((i) => rows[i]!),
        {
          temperature: req.temperature,
          topP: req.topP,
          seed: req.seed,
          drawBase: draws + g[0]!,
        },
        { logits: !!hooks.onLogits, trace },
      );
      tokens.push(...r.tokens);
      if (r.logits) logits.push(...r.logits);
      for (const t of r.traces) {
        // Rows are numbered by the request's sequence, as in the engine's traces.
        t.rowSeq = t.rowSeq.map((s) => active[g[s]!]!.index);
        layers.push(t);
      }
      submits += r.submits;
      dispatches += r.dispatches;
      stepDispatches += r.dispatches;
    }
    if (req.temperature > 0) draws += active.length;
    active.forEach((s, i) => (s.length += rows[i]!.ids.length));
    if (hooks.onLogits)
      hooks.onLogits(
        step,
        active.map((s) => s.index),
        logits,
      );
    const at = now();
    for (const [i, s] of active.entries()) {
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
      layers: mergeGroups(layers, groups.length),
      // One submission holds dense and MoE kernels alike: no separate MoE wall time exists.
      ortMs: 0,
      moeMs: 0,
      stepMs: now() - stepStart,
      ortCalls: 0,
      moeDispatches: stepDispatches,
    });
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
