// The whole-model benchmark: the lab's default model generating the same greedy continuation five
// ways — our engine (ORT for the dense parts + our MoE kernels, with a KV cache) and the pack's
// onnxruntime-only reference graph (reference.onnx: the whole model in one graph, no KV cache, so
// every new token re-runs the whole sequence), each on WebGPU and on wasm, and our own WGSL dense
// path (every kernel ours, one submission per token); in a browser with JSPI, our engine's ORT
// dense path once more on onnxruntime-web's JSPI build (ORT's cost per call on both builds). TTFT,
// ITL, tokens/s, GPU dispatches, submissions and ORT runs per token, and whether the paths agree.
// Then batched decode — S copies of the prompt decoded together — on our engine's wasm and
// ORT-dense WebGPU paths (the lab's generate() loop) and on the own WGSL dense path.
import type { ModelBackend } from '../engine/backend';
import { CpuBackend } from '../engine/cpuBackend';
import { enginePackFrom, type EnginePack } from '../engine/enginePack';
import { generate } from '../engine/generate';
import { GpuBackend } from '../engine/gpuBackend';
import { requestMetrics, type BatchMetrics, type RequestTiming } from '../engine/metrics';
import type { OrtBuild } from '../engine/ortBuilds';
import { createSession, ort } from '../engine/ortSetup';
import type { DenseModelConfig } from '../dense/denseConfig';
import { generateDense } from '../dense/denseGenerate';
import { WgslDenseModel, type StepResult } from '../dense/WgslDenseModel';
import { GpuTimer } from '../gpu/GpuTimer';
import { argmax } from '../engine/sampling';
import type { ModelPack } from '../model/pack';
import { DispatchCounter } from './dispatchCounter';
import { measureDispatchCosts } from '../engine/dispatchCost';
import {
  modelReport,
  type EngineBatchResult,
  type ModelPathResult,
  type WgslBatchResult,
} from './modelReport';
import { median, yieldToUi } from './timing';
import { BenchCancelled, throwIfCancelled, type BenchHooks, type BenchReport } from './types';
import type { BenchSize } from './types';

export type ModelBenchEnv = {
  pack: ModelPack;
  /** The pack's id, for the table's title. */
  packId: string;
  /** The GPU to run the WebGPU paths on; null leaves them out with `noGpuReason`. */
  device: GPUDevice | null;
  noGpuReason?: string;
  runtime: string;
  deviceText: string;
  /**
   * Runs a measurement with another onnxruntime-web build as the engine's (the browser's
   * src/engine/ortBuilds.ts); absent (Node + Dawn: no JSPI in Node 20), those rows are left out.
   */
  withOrtBuild?: <T>(build: OrtBuild, fn: () => Promise<T>) => Promise<T>;
};

export type PathId = ModelPathResult['id'];

/** A prompt long enough to make prefill and the reference's re-runs visible, in the model's own tasks. */
const PROMPT = 'story: mia has a red ball. what color is the ball? -> ';

export type ModelBenchPlan = {
  newTokens: number;
  runs: number;
  /** Concurrent requests the own WGSL dense path also decodes together (batched decode). */
  batches?: number[];
  /**
   * Concurrent requests our engine's wasm and ORT-dense WebGPU (captured) paths decode together
   * through generate(), each `newTokens` long; absent: none.
   */
  engineBatches?: number[];
  /** Timed runs of each of those (after a warm-up); absent: `runs`. */
  batchRuns?: number;
  /** Which of those two paths decode the batches; absent: both. */
  engineBatchPaths?: ('ours-webgpu' | 'ours-wasm')[];
  /** Decode steps its profile measures plainly and with per-kernel timestamps. */
  profileSteps?: { plain: number; timed: number };
};

export function modelBenchPlan(size: BenchSize): ModelBenchPlan {
  // The default model's context is 128 tokens: the prompt (54 with BOS) plus the new ones.
  return size === 'full'
    ? {
        newTokens: 64,
        runs: 5,
        batches: [1, 16, 64],
        profileSteps: { plain: 12, timed: 5 },
        // wasm at 64 requests runs 64 attention calls per layer per step: 3 timed runs, not 5,
        // keep the engine's batches (wasm and ORT WebGPU; 1 request is the single-request runs)
        // near a minute on a fast GPU host.
        engineBatches: [1, 16, 64],
        batchRuns: 3,
      }
    : {
        newTokens: 16,
        runs: 2,
        batches: [1, 4],
        profileSteps: { plain: 3, timed: 1 },
        // 1 request is the single-request runs; 4 gets one timed run: an ORT WebGPU step of 4
        // requests takes ~0.5 s on SwiftShader.
        engineBatches: [1, 4],
        batchRuns: 1,
      };
}

type OneRun = {
  timing: RequestTiming;
  tokens: number[];
  dispatches: number | null;
  /** Command buffers submitted to the GPU queue during the run (WebGPU paths). */
  submits: number | null;
  ortRuns: number;
  /** Decode steps only (after the first token): wall ms inside ORT calls, and in our MoE layers. */
  decode: { steps: number; ortMs: number; moeMs: number | null; ortCalls?: number };
};

/** Either engine backend; activations stay opaque to the loop. */
type BenchBackend = ModelBackend<unknown> & { dispose(): Promise<void> };

/** One run of S requests decoded together. */
type BatchRun = {
  metrics: BatchMetrics;
  /** ORT session.run calls per decode step (all S requests' tokens of one step). */
  ortRunsPerStep: number | null;
  same: boolean;
  tokens: number[];
};

type PathRunner = {
  run(promptIds: number[], newTokens: number, check: () => void): Promise<OneRun>;
  /** S copies of the prompt decoded together (our engine's paths only). */
  batch?(promptIds: number[], S: number, newTokens: number, check: () => void): Promise<BatchRun>;
  dispose(): Promise<void>;
};

/** Greedy, EOS ignored (the codec's eosId is null), no trace: the same request on every path. */
const greedyRequest = (prompts: string[], maxTokens: number) => ({
  prompts,
  maxTokens,
  temperature: 0,
  topP: 1,
  stops: [],
  seed: 1,
  trace: false,
});

/** Turns a bench check that throws into generate()'s isCancelled, remembering that it did. */
function cancelProbe(check: () => void) {
  const probe = {
    aborted: false,
    isCancelled: () => {
      try {
        check();
        return false;
      } catch {
        probe.aborted = true;
        return true;
      }
    },
  };
  return probe;
}

/**
 * Counts command buffers submitted to `device`'s queue (ORT's and ours alike) by wrapping
 * GPUQueue.submit while open, as DispatchCounter does for dispatches.
 */
class SubmitCounter {
  submits = 0;
  private readonly queue: GPUQueue;
  private readonly saved: GPUQueue['submit'];

  constructor(device: GPUDevice) {
    this.queue = device.queue;
    const proto = Object.getPrototypeOf(this.queue) as GPUQueue;
    this.saved = proto.submit;
    const saved = this.saved;
    const count = (n: number) => (this.submits += n);
    proto.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
      const list = [...buffers];
      count(list.length);
      return saved.call(this, list);
    };
  }

  stop(): void {
    (Object.getPrototypeOf(this.queue) as GPUQueue).submit = this.saved;
  }
}

async function enginePath(
  pack: EnginePack,
  device: GPUDevice | null,
  graphCapture = true,
): Promise<PathRunner> {
  const backend: BenchBackend = device
    ? await GpuBackend.create(device, pack, undefined, { graphCapture })
    : await CpuBackend.create(pack);
  // Every path makes the same number of tokens: EOS does not end the run.
  const codec = { ...pack.codec, eosId: null };
  return {
    async run(promptIds, newTokens, check) {
      const counter = device ? DispatchCounter.start(device) : null;
      const submits = device ? new SubmitCounter(device) : null;
      try {
        const prompt = pack.codec.decode(promptIds.slice(pack.codec.bosId === null ? 0 : 1));
        const timing: RequestTiming = { requestMs: performance.now(), tokenMs: [], inputTokens: 0 };
        let aborted = false;
        const decode = { steps: 0, ortMs: 0, moeMs: 0 as number | null, ortCalls: 0 };
        const r = await generate(
          backend,
          codec,
          pack.config.maxContext,
          {
            prompts: [prompt],
            maxTokens: newTokens,
            temperature: 0,
            topP: 1,
            stops: [],
            seed: 1,
            trace: false,
          },
          {
            onToken: (_s, _t, _p, at) => timing.tokenMs.push(at),
            onStep: (st) => {
              if (st.phase !== 'decode') return;
              decode.steps++;
              decode.ortMs += st.ortMs;
              decode.moeMs! += st.moeMs;
              decode.ortCalls += st.ortCalls;
            },
            isCancelled: () => {
              try {
                check();
                return false;
              } catch {
                aborted = true;
                return true;
              }
            },
          },
        );
        if (aborted) throw new BenchCancelled();
        timing.inputTokens = promptIds.length;
        return {
          timing,
          tokens: r.tokens[0] ?? [],
          dispatches: counter ? counter.take() : null,
          submits: submits ? submits.submits : null,
          ortRuns: r.perToken.ortCalls * (r.tokens[0]?.length ?? 0),
          decode,
        };
      } finally {
        counter?.stop();
        submits?.stop();
      }
    },
    async batch(promptIds, S, newTokens, check) {
      const prompt = pack.codec.decode(promptIds.slice(pack.codec.bosId === null ? 0 : 1));
      const probe = cancelProbe(check);
      const decode = { steps: 0, ortCalls: 0 };
      const r = await generate(
        backend,
        codec,
        pack.config.maxContext,
        greedyRequest(Array<string>(S).fill(prompt), newTokens),
        {
          onStep: (st) => {
            if (st.phase !== 'decode') return;
            decode.steps++;
            decode.ortCalls += st.ortCalls;
          },
          isCancelled: probe.isCancelled,
        },
      );
      if (probe.aborted) throw new BenchCancelled();
      if (!r.metrics) throw new Error(`${S} requests made no tokens.`);
      return {
        metrics: r.metrics,
        ortRunsPerStep: decode.steps ? decode.ortCalls / decode.steps : null,
        same: r.tokens.length === S && r.tokens.every((t) => t.join() === r.tokens[0]!.join()),
        tokens: r.tokens[0] ?? [],
      };
    },
    dispose: () => backend.dispose(),
  };
}

/** reference.onnx: input_ids [1, T] → logits [1, T, V]; no cache, so each token runs it all again. */
async function referencePath(pack: ModelPack, device: GPUDevice | null): Promise<PathRunner> {
  const session = await createSession(
    pack.onnx.reference,
    'reference.onnx',
    device ? { kind: 'webgpu', device } : { kind: 'cpu' },
  );
  const V = pack.config.vocabSize;
  return {
    async run(promptIds, newTokens, check) {
      const counter = device ? DispatchCounter.start(device) : null;
      const submits = device ? new SubmitCounter(device) : null;
      try {
        const ids = [...promptIds];
        const timing: RequestTiming = {
          requestMs: performance.now(),
          tokenMs: [],
          inputTokens: ids.length,
        };
        const tokens: number[] = [];
        const decode = { steps: 0, ortMs: 0, moeMs: null };
        for (let i = 0; i < newTokens; i++) {
          check();
          const t0 = performance.now();
          const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
          const out = (await session.run({ input_ids: input }))['logits']!;
          // Only the last row is needed; on WebGPU the whole [T, V] comes back (the graph's output).
          const all = (await out.getData()) as Float32Array;
          out.dispose();
          if (i > 0) {
            decode.steps++;
            decode.ortMs += performance.now() - t0;
          }
          const token = argmax(all.subarray((ids.length - 1) * V, ids.length * V));
          timing.tokenMs.push(performance.now());
          tokens.push(token);
          ids.push(token);
        }
        return {
          timing,
          tokens,
          dispatches: counter ? counter.take() : null,
          submits: submits ? submits.submits : null,
          ortRuns: newTokens,
          decode,
        };
      } finally {
        counter?.stop();
        submits?.stop();
      }
    },
    dispose: () => session.release(),
  };
}

/**
 * Our own WGSL dense path (src/dense/): every kernel ours, the whole token in one submission,
 * sampling on the GPU; its own generate loop with the engine's contract, greedy, EOS ignored.
 */
async function wgslDensePath(
  pack: EnginePack,
  config: DenseModelConfig,
  device: GPUDevice,
): Promise<PathRunner> {
  const model = await WgslDenseModel.create(device, { ...pack, config });
  const codec = { ...pack.codec, eosId: null };
  return {
    async run(promptIds, newTokens, check) {
      const counter = DispatchCounter.start(device);
      const submits = new SubmitCounter(device);
      try {
        const prompt = pack.codec.decode(promptIds.slice(pack.codec.bosId === null ? 0 : 1));
        const timing: RequestTiming = { requestMs: performance.now(), tokenMs: [], inputTokens: 0 };
        let aborted = false;
        const decode = { steps: 0, ortMs: 0, moeMs: null };
        const r = await generateDense(
          model,
          codec,
          {
            prompts: [prompt],
            maxTokens: newTokens,
            temperature: 0,
            topP: 1,
            stops: [],
            seed: 1,
            trace: false,
          },
          {
            onToken: (_s, _t, _p, at) => timing.tokenMs.push(at),
            onStep: (st) => {
              if (st.phase === 'decode') decode.steps++;
            },
            isCancelled: () => {
              try {
                check();
                return false;
              } catch {
                aborted = true;
                return true;
              }
            },
          },
        );
        if (aborted) throw new BenchCancelled();
        timing.inputTokens = promptIds.length;
        return {
          timing,
          tokens: r.tokens[0] ?? [],
          dispatches: counter.take(),
          submits: submits.submits,
          ortRuns: 0,
          decode,
        };
      } finally {
        counter.stop();
        submits.stop();
      }
    },
    dispose: async () => model.destroy(),
  };
}

const PATHS: { id: PathId; label: string; gpu: boolean; backend?: string; ortBuild?: OrtBuild }[] =
  [
    { id: 'ours-webgpu', label: 'ours (ORT dense + our MoE kernels, KV cache)', gpu: true },
    {
      id: 'ours-webgpu-uncaptured',
      label: 'ours (ORT dense without graph capture + our MoE kernels, KV cache)',
      gpu: true,
    },
    {
      id: 'ours-webgpu-jspi',
      label: 'ours (ORT dense + our MoE kernels, KV cache)',
      gpu: true,
      backend: 'WebGPU, ORT JSPI build',
      ortBuild: 'jspi',
    },
    {
      id: 'wgsl-webgpu',
      label: 'ours, own WGSL dense (all kernels ours, one submit per token)',
      gpu: true,
    },
    { id: 'ref-webgpu', label: 'reference.onnx on ORT alone (no KV cache)', gpu: true },
    { id: 'ours-wasm', label: 'ours (ORT dense + TS MoE, KV cache)', gpu: false },
    { id: 'ref-wasm', label: 'reference.onnx on ORT alone (no KV cache)', gpu: false },
  ];

export async function runModelBench(
  env: ModelBenchEnv,
  size: BenchSize,
  hooks: BenchHooks = {},
  plan: ModelBenchPlan = modelBenchPlan(size),
): Promise<BenchReport> {
  const startedIso = new Date().toISOString();
  const check = () => throwIfCancelled(hooks.signal);
  const pack = enginePackFrom(env.pack);
  const { newTokens, runs } = plan;
  const promptIds = [
    ...(pack.codec.bosId === null ? [] : [pack.codec.bosId]),
    ...pack.codec.encode(PROMPT),
  ];
  if (promptIds.length + newTokens >= pack.config.maxContext)
    throw new Error(
      `The benchmark prompt (${promptIds.length} tokens) + ${newTokens} new tokens do not fit the model's ${pack.config.maxContext}-token context.`,
    );

  // The floor the WebGPU rows' ITL is set beside: this device's dispatch and submission costs,
  // measured now, in the same run (as ../shared/gpu/probe.mjs measures them).
  const dispatchCosts = env.device
    ? await measureDispatchCosts(env.device, env.deviceText).catch(() => null)
    : null;
  const results: ModelPathResult[] = [];
  const engineBatches: EngineBatchResult[] = [];
  // A row on another onnxruntime-web build only where one can be loaded (the browser).
  const paths = PATHS.filter((p) => !p.ortBuild || env.withOrtBuild);
  for (const [i, path] of paths.entries()) {
    check();
    const backend = path.backend ?? (path.gpu ? 'WebGPU' : 'wasm');
    const base = { id: path.id, label: path.label, backend };
    if (path.gpu && !env.device) {
      results.push({ ...base, error: env.noGpuReason ?? 'no WebGPU device', runs: [] });
      continue;
    }
    hooks.onProgress?.({
      message: `whole model: ${path.label} on ${backend}`,
      fraction: i / paths.length,
    });
    await yieldToUi();
    const measure = async () => {
      let runner: PathRunner | null = null;
      try {
        const device = path.gpu ? env.device : null;
        runner =
          path.id === 'wgsl-webgpu'
            ? await wgslDensePath(pack, env.pack.config, device!)
            : path.id.startsWith('ours')
              ? await enginePath(pack, device, path.id !== 'ours-webgpu-uncaptured')
              : await referencePath(env.pack, device);
        // One short warm-up run compiles the pipelines and fills ORT's caches.
        await runner.run(promptIds, 2, check);
        const done: OneRun[] = [];
        for (let r = 0; r < runs; r++) {
          done.push(await runner.run(promptIds, newTokens, check));
          await yieldToUi();
        }
        const row = { ...summarise(done), runs: done.map((d) => d.tokens) };
        // Batched decode on the same backend, already warm: the captured ORT path and wasm.
        const batched =
          (path.id === 'ours-webgpu' || path.id === 'ours-wasm') &&
          (plan.engineBatchPaths ?? ['ours-webgpu', 'ours-wasm']).includes(path.id) &&
          runner.batch
            ? await engineBatchRuns(
                runner,
                { ...base, id: path.id },
                done,
                promptIds,
                plan,
                check,
                (S) =>
                  hooks.onProgress?.({
                    message: `whole model: ${path.label} on ${backend}, ${S} requests together`,
                    fraction: (i + 0.5) / paths.length,
                  }),
              )
            : [];
        return { row, batched };
      } finally {
        await runner?.dispose().catch(() => undefined);
      }
    };
    try {
      // Every ORT row names its build where the lab may run either (the browser); a build that
      // cannot load here (no JSPI) is this row's error, as any other failure, not the benchmark's.
      const measured = env.withOrtBuild
        ? await env.withOrtBuild(path.ortBuild ?? 'asyncify', measure)
        : await measure();
      results.push({ ...base, ...measured.row });
      engineBatches.push(...measured.batched);
    } catch (err) {
      if (err instanceof BenchCancelled) throw err;
      results.push({ ...base, error: err instanceof Error ? err.message : String(err), runs: [] });
    }
  }
  const batches =
    env.device && plan.batches?.length
      ? await wgslBatches(pack, env.pack.config, env.device, promptIds, newTokens, plan, check)
      : [];
  hooks.onProgress?.({ message: 'whole model: done', fraction: 1 });
  return modelReport(
    results,
    batches,
    {
      packId: env.packId,
      promptTokens: promptIds.length,
      newTokens,
      runs,
      startedIso,
      device: env.deviceText,
      runtime: env.runtime,
      size,
      ...(engineBatches.length ? { batchRuns: plan.batchRuns ?? runs } : {}),
      dispatchCosts,
    },
    engineBatches,
  );
}

/**
 * Batched decode on one of our engine's paths, through generate(): at each S of the plan, S
 * copies of the prompt decoded together, a warm-up run, then the timed runs; medians. S = 1 is
 * the path's single-request runs (`single`: the same generate() call, already measured), not run
 * again. A size that fails is that row's error (the next size still runs); cancelling stops the
 * benchmark.
 */
async function engineBatchRuns(
  runner: PathRunner,
  base: Pick<EngineBatchResult, 'id' | 'label' | 'backend'>,
  single: OneRun[],
  promptIds: number[],
  plan: ModelBenchPlan,
  check: () => void,
  onSize: (S: number) => void,
): Promise<EngineBatchResult[]> {
  const out: EngineBatchResult[] = [];
  for (const S of plan.engineBatches ?? []) {
    if (S === 1) {
      const one = summarise(single);
      const perStep = single.map((d) =>
        d.decode.ortCalls === undefined || !d.decode.steps
          ? null
          : d.decode.ortCalls / d.decode.steps,
      );
      out.push({
        ...base,
        sequences: 1,
        ttftMs: one.ttftMs,
        itlMs: one.itlMs,
        outputTokensPerS: one.tokensPerS,
        ortRunsPerStep: perStep.every((x) => x !== null) ? median(perStep as number[]) : null,
        sameTokens: true,
        tokens: one.tokens,
        measureMs: 0,
        singleRequestRuns: single.length,
      });
      continue;
    }
    check();
    onSize(S);
    await yieldToUi();
    const t0 = performance.now();
    try {
      await runner.batch!(promptIds, S, 2, check);
      const done: BatchRun[] = [];
      for (let r = 0; r < Math.max(1, plan.batchRuns ?? plan.runs); r++) {
        done.push(await runner.batch!(promptIds, S, plan.newTokens, check));
        await yieldToUi();
      }
      const perStep = done.map((d) => d.ortRunsPerStep);
      out.push({
        ...base,
        sequences: S,
        ttftMs: median(done.map((d) => d.metrics.meanTtftMs)),
        itlMs: median(done.map((d) => d.metrics.meanItlMs ?? NaN)),
        outputTokensPerS: median(done.map((d) => d.metrics.outputTokensPerS)),
        ortRunsPerStep: perStep.every((x) => x !== null) ? median(perStep as number[]) : null,
        sameTokens: done.every((d) => d.same),
        tokens: done[0]!.tokens,
        measureMs: performance.now() - t0,
      });
    } catch (err) {
      if (err instanceof BenchCancelled) throw err;
      out.push({
        ...base,
        sequences: S,
        error: err instanceof Error ? err.message : String(err),
        measureMs: performance.now() - t0,
      });
    }
  }
  return out;
}

/**
 * Batched decode on the own WGSL dense path: S copies of the prompt generated together (every
 * decode token of all S in one submission); median over the timed runs after a warm-up.
 */
async function wgslBatches(
  pack: EnginePack,
  config: DenseModelConfig,
  device: GPUDevice,
  promptIds: number[],
  newTokens: number,
  plan: ModelBenchPlan,
  check: () => void,
): Promise<WgslBatchResult[]> {
  const sizes = plan.batches ?? [];
  const model = await WgslDenseModel.create(
    device,
    { ...pack, config },
    {
      maxSequences: Math.max(...sizes),
    },
  );
  const codec = { ...pack.codec, eosId: null };
  const prompt = pack.codec.decode(promptIds.slice(pack.codec.bosId === null ? 0 : 1));
  try {
    const out: WgslBatchResult[] = [];
    for (const S of sizes) {
      const req = {
        prompts: Array<string>(S).fill(prompt),
        maxTokens: newTokens,
        temperature: 0,
        topP: 1,
        stops: [],
        seed: 1,
        trace: false,
      };
      await generateDense(model, codec, { ...req, maxTokens: 2 });
      const runs = [];
      for (let r = 0; r < plan.runs; r++) {
        check();
        const g = await generateDense(model, codec, req);
        runs.push({
          m: g.metrics!,
          submits: g.perStep.submits,
          same: g.tokens.every((t) => t.join() === g.tokens[0]!.join()),
          tokens: g.tokens[0] ?? [],
        });
        await yieldToUi();
      }
      out.push({
        sequences: S,
        ttftMs: median(runs.map((r) => r.m.meanTtftMs)),
        itlMs: median(runs.map((r) => r.m.meanItlMs ?? NaN)),
        outputTokensPerS: median(runs.map((r) => r.m.outputTokensPerS)),
        submitsPerStep: median(runs.map((r) => r.submits)),
        sameTokens: runs.every((r) => r.same),
        tokens: runs[0]?.tokens ?? [],
        ...(await profileDecode(model, promptIds, S, plan.profileSteps ?? { plain: 3, timed: 1 })),
      });
    }
    return out;
  } finally {
    model.destroy();
  }
}

/**
 * Where a decode step of S sequences goes, measured step by step (not pipelined): the CPU's
 * recording + submit, the wait from submit to the token ids on the CPU, and the GPU's busy time
 * from per-kernel timestamps (a separate run: timing each kernel in its own pass costs time).
 */
async function profileDecode(
  model: WgslDenseModel,
  promptIds: number[],
  S: number,
  steps: { plain: number; timed: number },
): Promise<Pick<WgslBatchResult, 'profile'>> {
  const slots = Array.from({ length: S }, () => model.acquireSlot());
  const greedy = { temperature: 0, topP: 1, seed: 1, drawBase: 0 };
  try {
    const perGroup = Math.max(1, Math.floor(model.maxRows / promptIds.length));
    for (let i = 0; i < S; i += perGroup)
      await model.step(
        slots.slice(i, i + perGroup).map((slot) => ({ slot, ids: promptIds, start: 0 })),
        greedy,
      );
    let pos = promptIds.length;
    const decode = (want: { timer?: GpuTimer } = {}) => {
      const start = pos++;
      return model.step(
        slots.map((slot) => ({ slot, ids: [0], start })),
        greedy,
        { ...want, idsOnGpu: true },
      );
    };
    const plain: StepResult[] = [];
    for (let i = 0; i < Math.max(1, steps.plain); i++) plain.push(await decode());
    const dense: number[] = [];
    const moe: number[] = [];
    for (let i = 0; i < steps.timed; i++) {
      const timer = new GpuTimer(model.device, 256);
      await decode({ timer });
      const passes = await timer.read();
      timer.destroy();
      if (!passes) break;
      const sum = (xs: { ms: number }[]) => xs.reduce((a, b) => a + b.ms, 0);
      dense.push(sum(passes.filter((p) => p.label.startsWith('dense '))));
      moe.push(sum(passes.filter((p) => !p.label.startsWith('dense '))));
    }
    return {
      profile: {
        dispatches: plain[0]!.dispatches,
        encodeMs: median(plain.map((r) => r.encodeMs)),
        waitMs: median(plain.map((r) => r.waitMs)),
        gpuDenseMs: dense.length ? median(dense) : null,
        gpuMoeMs: moe.length ? median(moe) : null,
      },
    };
  } finally {
    for (const s of slots) model.releaseSlot(s);
  }
}

/** Medians over the timed runs; each run is one request. */
function summarise(done: OneRun[]): Omit<ModelPathResult, 'id' | 'label' | 'backend' | 'runs'> {
  const m = done.map((d) => requestMetrics(d.timing)!);
  const tokens = done[0]!.tokens.length;
  const d = done.map((x) => x.dispatches);
  const sub = done.map((x) => x.submits);
  return {
    ttftMs: median(m.map((x) => x.ttftMs)),
    itlMs: median(m.map((x) => x.itlMs ?? NaN)),
    tokensPerS: median(m.map((x) => (1000 * x.outputTokens) / x.e2eMs)),
    dispatchesPerToken: d.every((x) => x !== null) ? median(d.map((x) => x! / tokens)) : null,
    submitsPerToken: sub.every((x) => x !== null) ? median(sub.map((x) => x! / tokens)) : null,
    ortRunsPerToken: median(done.map((x) => x.ortRuns / tokens)),
    ortMsPerToken: median(done.map((x) => x.decode.ortMs / Math.max(1, x.decode.steps))),
    moeMsPerToken: done.every((x) => x.decode.moeMs !== null)
      ? median(done.map((x) => x.decode.moeMs! / Math.max(1, x.decode.steps)))
      : null,
    tokens: done[0]!.tokens,
  };
}
