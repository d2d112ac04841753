/// <reference lib="webworker" />
// The engine's Web Worker: loads a model pack, picks the backend (WebGPU, else CPU), and runs
// generations one at a time, streaming tokens and per-step traces to the page.
import { validatePack } from '../model/pack';
import { formatBytes } from '../loading/format';
import { fetchPackFiles } from './fetchPack';
import type { ModelPack } from '../model/pack';
import type { ModelBackend } from './backend';
import { CpuBackend } from './cpuBackend';
import { enginePackFrom, type EnginePack } from './enginePack';
import { generate } from './generate';
import { evaluateSkills } from './evaluate';
import { checkGolden } from './golden';
import { configureOrt } from './ortSetup';
import type { Backend, FromWorker, GenerationRequest, Knobs, ToWorker } from './protocol';
import { createGpuBackend } from './gpuBackendFactory';
import { GpuBackend } from './gpuBackend';

declare const self: DedicatedWorkerGlobalScope;

type Loaded = {
  pack: ModelPack;
  enginePack: EnginePack;
  backend: ModelBackend<unknown> & { setKnobs(k: Knobs): Promise<void> };
};

let loaded: Loaded | null = null;
let loading: Promise<Loaded> | null = null;
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();
let currentKnobs: Knobs = { topK: 0, disabledExperts: [], ffnKeep: 1 };

function post(msg: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(msg, transfer);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function load(packUrl: string, ortWasmBase: string, prefer: Backend): Promise<void> {
  const t0 = performance.now();
  configureOrt(ortWasmBase);
  post({ type: 'progress', text: 'Downloading the model pack…', fraction: 0 });
  const retried = new Set<string>();
  const files = await fetchPackFiles(
    packUrl,
    (p) => {
      for (const f of p.files) {
        if (f.status === 'retrying' && !retried.has(f.name)) {
          retried.add(f.name);
          post({
            type: 'notice',
            text: `${f.name}: ${f.problem ?? 'download interrupted'}; retrying.`,
          });
        }
      }
      const total = p.bytesTotal ?? 0;
      post({
        type: 'progress',
        text: `${p.filesDone} of ${p.filesTotal} files, ${formatBytes(p.bytesDone)}${total ? ` of ${formatBytes(total)}` : ''}`,
        fraction: total ? p.bytesDone / total : p.filesDone / Math.max(1, p.filesTotal),
        files: p.files.map((f) => ({
          name: f.name,
          status: f.status,
          bytesDone: f.bytesDone,
          bytesTotal: f.bytesTotal,
        })),
      });
    },
    (text) => post({ type: 'notice', text }),
  );
  post({ type: 'progress', text: 'Checking the model pack…', fraction: 1 });
  const pack = await validatePack(files);
  const enginePack = enginePackFrom(pack);
  let backend: Loaded['backend'] | null = null;
  let adapter = 'CPU (WebAssembly)';
  if (prefer === 'webgpu') {
    const gpu = await createGpuBackend(enginePack, (reason) => {
      // Everything on the old device is gone: drop it; the page reloads the engine.
      if (loaded?.backend.kind === 'webgpu') loaded = null;
      post({ type: 'deviceLost', reason });
    }).catch((err: unknown) => {
      post({
        type: 'progress',
        text: `WebGPU unavailable for the engine (${errorText(err)}); using the CPU.`,
        fraction: 1,
      });
      return null;
    });
    if (gpu) {
      backend = gpu.backend;
      adapter = gpu.adapter;
    }
  }
  backend ??= await CpuBackend.create(enginePack);
  loaded = { pack, enginePack, backend };
  currentKnobs = { topK: pack.config.topK, disabledExperts: [], ffnKeep: 1 };
  post({
    type: 'loaded',
    backend: backend.kind,
    adapter,
    config: pack.config,
    loadMs: performance.now() - t0,
    examples: Object.entries(pack.evalSets).flatMap(([skill, list]) =>
      list[0] ? [{ skill, prompt: list[0].prompt, expected: list[0].expected }] : [],
    ),
  });
}

/**
 * Runs jobs one at a time, after the model load: an error ends that job only and is reported
 * under its id. A job marked `modelOptional` is skipped when no model is loaded.
 */
function enqueue(
  id: number | null,
  job: (m: Loaded) => Promise<void>,
  { errorPrefix = '', modelOptional = false } = {},
): void {
  queue = queue.then(async () => {
    try {
      if (loading) await loading;
      if (!loaded) {
        if (modelOptional) return;
        throw new Error('No model is loaded yet.');
      }
      await job(loaded);
    } catch (err) {
      post({ type: 'error', id, message: errorPrefix + errorText(err) });
    }
  });
}

async function run(id: number, request: GenerationRequest, { backend, enginePack, pack }: Loaded) {
  const result = await generate(backend, enginePack.codec, pack.config.maxContext, request, {
    isCancelled: () => cancelled.has(id),
    onToken: (seq, token, text, atMs) => post({ type: 'token', id, seq, token, text, atMs }),
    onStep: (trace) => post({ type: 'step', id, trace }),
  });
  cancelled.delete(id);
  post({
    type: 'done',
    id,
    texts: result.texts,
    reason: result.reason,
    metrics: result.metrics,
    perToken: result.perToken,
    notices: result.notices,
  });
}

async function evaluate(id: number, perSkill: number, { backend, enginePack, pack }: Loaded) {
  const t0 = performance.now();
  const scores = await evaluateSkills(
    backend,
    enginePack.codec,
    pack.config.maxContext,
    pack.evalSets,
    perSkill,
    () => cancelled.has(id),
  );
  cancelled.delete(id);
  post({ type: 'evaluated', id, scores, ms: performance.now() - t0, knobs: currentKnobs });
}

async function checkAllGolden(id: number, { backend, enginePack, pack }: Loaded) {
  // The golden outputs were made with the pack's own settings: check at those.
  const knobs = currentKnobs;
  await backend.setKnobs({ topK: pack.config.topK, disabledExperts: [], ffnKeep: 1 });
  const checks = [];
  for (const g of pack.golden.prompts) {
    checks.push(await checkGolden(backend, enginePack.codec, pack.config.maxContext, g));
  }
  await backend.setKnobs(knobs);
  post({ type: 'goldenChecked', id, checks, backend: backend.kind });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'load':
      loading = load(msg.packUrl, msg.ortWasmBase, msg.prefer).then(
        () => loaded!,
        (err: unknown) => {
          post({ type: 'error', id: null, message: errorText(err) });
          throw err;
        },
      );
      loading.catch(() => {});
      break;
    case 'generate':
      enqueue(msg.id, (m) => run(msg.id, msg.request, m));
      break;
    case 'evaluate':
      enqueue(msg.id, (m) => evaluate(msg.id, msg.perSkill, m));
      break;
    case 'checkGolden':
      enqueue(msg.id, (m) => checkAllGolden(msg.id, m));
      break;
    case 'loseDevice':
      if (loaded?.backend instanceof GpuBackend) loaded.backend.device.destroy();
      break;
    case 'cancel':
      cancelled.add(msg.id);
      break;
    case 'knobs':
      // Knob changes wait for the running generation, then apply before the next one.
      enqueue(
        null,
        async ({ backend }) => {
          await backend.setKnobs(msg.knobs);
          currentKnobs = msg.knobs;
          post({ type: 'knobsApplied', knobs: msg.knobs });
        },
        { errorPrefix: 'Could not apply the change: ', modelOptional: true },
      );
      break;
  }
};
