// The whole-model benchmark: the lab's default model generating the same greedy continuation four
// ways — our engine (ORT for the dense parts + our MoE kernels, with a KV cache) and the pack's
// onnxruntime-only reference graph (reference.onnx: the whole model in one graph, no KV cache, so
// every new token re-runs the whole sequence), each on WebGPU and on wasm. TTFT, ITL, tokens/s,
// GPU dispatches and ORT runs per token, and whether the four agree on the tokens.
import type { ModelBackend } from '../engine/backend';
import { CpuBackend } from '../engine/cpuBackend';
import { enginePackFrom, type EnginePack } from '../engine/enginePack';
import { generate } from '../engine/generate';
import { GpuBackend } from '../engine/gpuBackend';
import { requestMetrics, type RequestTiming } from '../engine/metrics';
import { createSession, ort } from '../engine/ortSetup';
import { argmax } from '../engine/sampling';
import type { ModelPack } from '../model/pack';
import { DispatchCounter } from './dispatchCounter';
import { modelReport, type ModelPathResult } from './modelReport';
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
};

export type PathId = 'ours-webgpu' | 'ours-wasm' | 'ref-webgpu' | 'ref-wasm';

/** A prompt long enough to make prefill and the reference's re-runs visible, in the model's own tasks. */
const PROMPT = 'story: mia has a red ball. what color is the ball? -> ';

export type ModelBenchPlan = { newTokens: number; runs: number };

export function modelBenchPlan(size: BenchSize): ModelBenchPlan {
  // The default model's context is 128 tokens: the prompt (54 with BOS) plus the new ones.
  return size === 'full' ? { newTokens: 64, runs: 5 } : { newTokens: 16, runs: 2 };
}

type OneRun = {
  timing: RequestTiming;
  tokens: number[];
  dispatches: number | null;
  ortRuns: number;
  /** Decode steps only (after the first token): wall ms inside ORT calls, and in our MoE layers. */
  decode: { steps: number; ortMs: number; moeMs: number | null };
};

/** Either engine backend; activations stay opaque to the loop. */
type BenchBackend = ModelBackend<unknown> & { dispose(): Promise<void> };

type PathRunner = {
  run(promptIds: number[], newTokens: number, check: () => void): Promise<OneRun>;
  dispose(): Promise<void>;
};

/** Our engine through the same generate() loop the lab uses, greedy, EOS ignored. */
async function enginePath(pack: EnginePack, device: GPUDevice | null): Promise<PathRunner> {
  const backend: BenchBackend = device
    ? await GpuBackend.create(device, pack)
    : await CpuBackend.create(pack);
  // Every path makes the same number of tokens: EOS does not end the run.
  const codec = { ...pack.codec, eosId: null };
  return {
    async run(promptIds, newTokens, check) {
      const counter = device ? DispatchCounter.start(device) : null;
      try {
        const prompt = pack.codec.decode(promptIds.slice(pack.codec.bosId === null ? 0 : 1));
        const timing: RequestTiming = { requestMs: performance.now(), tokenMs: [], inputTokens: 0 };
        let aborted = false;
        const decode = { steps: 0, ortMs: 0, moeMs: 0 as number | null };
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
          ortRuns: r.perToken.ortCalls * (r.tokens[0]?.length ?? 0),
          decode,
        };
      } finally {
        counter?.stop();
      }
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
          ortRuns: newTokens,
          decode,
        };
      } finally {
        counter?.stop();
      }
    },
    dispose: () => session.release(),
  };
}

const PATHS: { id: PathId; label: string; gpu: boolean }[] = [
  { id: 'ours-webgpu', label: 'ours (ORT dense + our MoE kernels, KV cache)', gpu: true },
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

  const results: ModelPathResult[] = [];
  for (const [i, path] of PATHS.entries()) {
    check();
    const backend = path.gpu ? 'WebGPU' : 'wasm';
    const base = { id: path.id, label: path.label, backend };
    if (path.gpu && !env.device) {
      results.push({ ...base, error: env.noGpuReason ?? 'no WebGPU device', runs: [] });
      continue;
    }
    hooks.onProgress?.({ message: `whole model: ${path.label} on ${backend}`, fraction: i / 4 });
    await yieldToUi();
    let runner: PathRunner | null = null;
    try {
      const device = path.gpu ? env.device : null;
      runner = path.id.startsWith('ours')
        ? await enginePath(pack, device)
        : await referencePath(env.pack, device);
      // One short warm-up run compiles the pipelines and fills ORT's caches.
      await runner.run(promptIds, 2, check);
      const done: OneRun[] = [];
      for (let r = 0; r < runs; r++) {
        done.push(await runner.run(promptIds, newTokens, check));
        await yieldToUi();
      }
      results.push({ ...base, ...summarise(done), runs: done.map((d) => d.tokens) });
    } catch (err) {
      if (err instanceof BenchCancelled) throw err;
      results.push({
        ...base,
        error: err instanceof Error ? err.message : String(err),
        runs: [],
      });
    } finally {
      await runner?.dispose().catch(() => undefined);
    }
  }
  hooks.onProgress?.({ message: 'whole model: done', fraction: 1 });
  return modelReport(results, {
    packId: env.packId,
    promptTokens: promptIds.length,
    newTokens,
    runs,
    startedIso,
    device: env.deviceText,
    runtime: env.runtime,
    size,
  });
}

/** Medians over the timed runs; each run is one request. */
function summarise(done: OneRun[]): Omit<ModelPathResult, 'id' | 'label' | 'backend' | 'runs'> {
  const m = done.map((d) => requestMetrics(d.timing)!);
  const tokens = done[0]!.tokens.length;
  const d = done.map((x) => x.dispatches);
  return {
    ttftMs: median(m.map((x) => x.ttftMs)),
    itlMs: median(m.map((x) => x.itlMs ?? NaN)),
    tokensPerS: median(m.map((x) => (1000 * x.outputTokens) / x.e2eMs)),
    dispatchesPerToken: d.every((x) => x !== null) ? median(d.map((x) => x! / tokens)) : null,
    ortRunsPerToken: median(done.map((x) => x.ortRuns / tokens)),
    ortMsPerToken: median(done.map((x) => x.decode.ortMs / Math.max(1, x.decode.steps))),
    moeMsPerToken: done.every((x) => x.decode.moeMs !== null)
      ? median(done.map((x) => x.decode.moeMs! / Math.max(1, x.decode.steps)))
      : null,
    tokens: done[0]!.tokens,
  };
}
