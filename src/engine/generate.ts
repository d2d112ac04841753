// The generation loop: prefill every prompt, then decode token by token with a KV cache per
// sequence. Attention runs per sequence (their caches differ in length) unless the backend has a
// batched decode attention (WebGPU's captured graphs: one call per layer for every sequence); the
// MoE layer runs once over the rows of all sequences together, the way a serving engine batches
// tokens into the experts' grouped GEMM.
import { runsWholeSteps, type AnyBackend, type SequenceCache, type TraceLevel } from './backend';
import type { GenerateHooks, GenerateResult } from './generateContract';
import { batchMetrics, type RequestTiming } from './metrics';
import type { GenerationRequest, TextCodec } from './types';

export type { TextCodec } from './types';
export type { GenerateHooks, GenerateResult } from './generateContract';
import { seededRng } from './rng';
import { sampleToken } from './sampling';
import { findStop } from './stopSequences';
import { fitPrompt } from './promptFit';
import type { MoeLayerTrace } from './trace';

type Seq = {
  ids: number[];
  out: number[];
  text: string;
  cache: SequenceCache;
  timing: RequestTiming;
  done: boolean;
};

export async function generate<A>(
  backend: AnyBackend<A>,
  codec: TextCodec,
  maxContext: number,
  req: GenerationRequest,
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  // Our WGSL dense path records a whole step in one submission: it runs its own loop.
  if (runsWholeSteps(backend)) return backend.generate(codec, req, hooks);
  const now = hooks.now ?? (() => performance.now());
  const cancelled = hooks.isCancelled ?? (() => false);
  const rng = seededRng(req.seed);
  const notices: string[] = [];
  const maxTokens = Math.max(1, Math.min(req.maxTokens, maxContext - 1));
  const startMs = now();

  const seqs: Seq[] = req.prompts.map((prompt, i) => {
    const ids = fitPrompt(codec, prompt, i, maxContext, maxTokens, notices);
    return {
      ids,
      out: [],
      text: '',
      cache: backend.newCache(),
      timing: { requestMs: startMs, tokenMs: [], inputTokens: ids.length },
      done: false,
    };
  });

  let reason: GenerateResult['reason'] = 'length';
  let stoppedAll = true;
  let totalDispatches = 0;
  let totalOrtCalls = 0;
  let totalGpuMs = 0;
  let gpuKnown = true;
  let busyMs = 0;

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
      // The prefill's layer inputs are recorded too: the virtual GPUs re-run those layers.
      const traceLevel: TraceLevel = !req.trace
        ? 'none'
        : step === 0 && hooks.traceInputs !== false
          ? 'inputs'
          : 'routing';
      const inputs = active.map((s) => (step === 0 ? s.ids : [s.out[s.out.length - 1]!]));
      const rows = inputs.map((ids) => ids.length);
      const T = rows.reduce((a, b) => a + b, 0);
      const startPos = active.map((s) => s.cache.length);
      const rowSeq = Int32Array.from(
        active.flatMap((s, i) => Array<number>(rows[i]!).fill(seqs.indexOf(s))),
      );
      const rowPos = Int32Array.from(
        active.flatMap((_, i) => Array.from({ length: rows[i]! }, (_, p) => startPos[i]! + p)),
      );

      const layerTraces: MoeLayerTrace[] = [];
      const traced = (trace: MoeLayerTrace | null) => {
        if (!trace) return;
        trace.rowSeq = rowSeq;
        trace.rowPos = rowPos;
        layerTraces.push(trace);
      };
      let xs: A[] = [];
      if (step > 0 && backend.decodeAttention) {
        // Every sequence's one new row together: one attention call per layer for the batch.
        let x: A = await backend.embed(inputs.map((ids) => ids[0]!));
        const caches = active.map((s) => s.cache);
        for (let layer = 0; layer < backend.layers; layer++) {
          const { h, moeIn } = await backend.decodeAttention(layer, caches, x);
          const { out, trace } = await backend.moe(layer, moeIn, h, T, traceLevel);
          backend.release([x, h, moeIn]);
          x = out;
          traced(trace);
        }
        xs = backend.split(x, rows);
        backend.release([x]);
      } else {
        // One after another: concurrent onnxruntime-web runs on one WebGPU device can hang.
        for (const ids of inputs) xs.push(await backend.embed(ids));
        for (let layer = 0; layer < backend.layers; layer++) {
          const attn = [];
          for (let i = 0; i < active.length; i++) {
            attn.push(await backend.attention(layer, active[i]!.cache, xs[i]!, rows[i]!));
          }
          const moeIn = backend.concat(
            attn.map((a) => a.moeIn),
            rows,
          );
          const residual = backend.concat(
            attn.map((a) => a.h),
            rows,
          );
          const { out, trace } = await backend.moe(layer, moeIn, residual, T, traceLevel);
          backend.release([...xs, ...attn.flatMap((a) => [a.h, a.moeIn]), moeIn, residual]);
          xs = backend.split(out, rows);
          backend.release([out]);
          traced(trace);
        }
      }
      const logits = await backend.lastLogits(xs, rows);
      backend.release(xs);
      hooks.onLogits?.(
        step,
        active.map((s) => seqs.indexOf(s)),
        logits,
      );
      const at = now();
      for (let i = 0; i < active.length; i++) {
        const s = active[i]!;
        const token = sampleToken(logits[i]!, req, rng);
        s.out.push(token);
        s.timing.tokenMs.push(at);
        if (token === codec.eosId) {
          s.done = true;
          continue;
        }
        const piece = codec.decode([token]);
        const checkedUpTo = s.text.length;
        s.text += piece;
        hooks.onToken?.(seqs.indexOf(s), token, piece, at);
        const stopAt = findStop(s.text, req.stops, checkedUpTo);
        if (stopAt !== -1) {
          s.text = s.text.slice(0, stopAt);
          s.done = true;
        } else if (s.cache.length + 1 >= maxContext) {
          s.done = true;
          stoppedAll = false;
        }
      }
      const c = backend.takeCounters();
      totalDispatches += c.moeDispatches;
      totalOrtCalls += c.ortCalls;
      if (c.gpuMs === null) gpuKnown = false;
      else totalGpuMs += c.gpuMs;
      const stepMs = now() - stepStart;
      busyMs += stepMs;
      hooks.onStep?.({
        step,
        phase,
        layers: layerTraces,
        ortMs: c.ortMs,
        moeMs: c.moeMs,
        stepMs,
        ortCalls: c.ortCalls,
        moeDispatches: c.moeDispatches,
      });
    }
  } finally {
    for (const s of seqs) s.cache.dispose();
  }

  if (reason !== 'cancelled') {
    const allStopped = seqs.every((s) => s.done) && stoppedAll;
    reason = allStopped ? 'stop' : 'length';
  }
  const tokensOut = seqs.reduce((n, s) => n + s.out.length, 0);
  const steps = Math.max(1, Math.max(...seqs.map((s) => s.out.length)));
  return {
    texts: seqs.map((s) => s.text),
    tokens: seqs.map((s) => s.out),
    reason,
    metrics: batchMetrics(seqs.map((s) => s.timing)),
    perToken: {
      dispatches: totalDispatches / steps,
      ortCalls: totalOrtCalls / steps,
      gpuShare: gpuKnown && busyMs > 0 && tokensOut > 0 ? Math.min(1, totalGpuMs / busyMs) : null,
    },
    notices,
  };
}
