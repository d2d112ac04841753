// onnxruntime-web set-up for the lab: one entry (`onnxruntime-web/webgpu`, so the build ships one
// wasm), its runtime files served by the site itself, one wasm thread (no cross-origin isolation
// needed), and sessions on the lab's own GPUDevice when there is one (the WebGPU EP accepts a
// device in its options; `ort.env.webgpu.device = …` is ignored).
import * as bundledOrt from 'onnxruntime-web/webgpu';

export type OrtModule = typeof bundledOrt;

/**
 * The onnxruntime-web the engine uses: the bundled one in the browser; in Node benchmarks the
 * WebGPU build loaded next to a Dawn device (bench/node/dawnOrt.ts) through `useOrtModule`.
 * A live binding, so every importer sees the swap.
 */
export let ort: OrtModule = bundledOrt;

/** The bundled build (asyncify): every browser runs it; the fallback where JSPI cannot load. */
export const asyncifyOrt: OrtModule = bundledOrt;
// Type names (`ort.Tensor`, `ort.InferenceSession`) for code that holds ORT objects.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ort {
  type Tensor = bundledOrt.Tensor;
  type InferenceSession = bundledOrt.InferenceSession;
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace InferenceSession {
    type SessionOptions = bundledOrt.InferenceSession.SessionOptions;
    type ExecutionProviderConfig = bundledOrt.InferenceSession.ExecutionProviderConfig;
    type ReturnType = bundledOrt.InferenceSession.ReturnType;
  }
}

let configuredBase: string | null = null;

/** Node only: run the engine on an onnxruntime-web module loaded elsewhere (already configured). */
export function useOrtModule(m: OrtModule): void {
  ort = m;
  configuredBase = null;
}

/** `base` is an absolute URL of the folder holding ort-wasm-simd-threaded.asyncify.{mjs,wasm}. */
export function configureOrt(base: string): void {
  if (configuredBase === base) return;
  ort.env.wasm.wasmPaths = base.endsWith('/') ? base : `${base}/`;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  configuredBase = base;
}

export type SessionTarget = { kind: 'webgpu'; device: GPUDevice } | { kind: 'cpu' };

export async function createSession(
  bytes: ArrayBuffer | Uint8Array,
  name: string,
  target: SessionTarget,
): Promise<ort.InferenceSession> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const options: ort.InferenceSession.SessionOptions =
    target.kind === 'webgpu'
      ? {
          executionProviders: [
            {
              name: 'webgpu',
              device: target.device,
            } as ort.InferenceSession.ExecutionProviderConfig,
          ],
          preferredOutputLocation: 'gpu-buffer',
          graphOptimizationLevel: 'all',
          logSeverityLevel: 3,
        }
      : { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  try {
    return await ort.InferenceSession.create(data, options);
  } catch (err) {
    throw new Error(
      `${name}: onnxruntime-web could not load it (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
