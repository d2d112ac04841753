// onnxruntime-web ships its WebGPU runtime in two builds: asyncify (the lab's, in every browser)
// and JSPI (JavaScript Promise Integration, Chrome 137+: a smaller wasm that suspends on a GPU
// await instead of unwinding and rewinding its stack). The whole-model benchmark runs ORT's dense
// path on both where JSPI exists, so the per-call cost of each is measured, not assumed.
// `useOrtModule` is no React hook: aliased so the hooks lint reads it as what it is.
import { configureOrt, ort, useOrtModule as installOrtModule, type OrtModule } from './ortSetup';

export type OrtBuild = 'asyncify' | 'jspi';

/** Whether this JavaScript engine has JSPI (`WebAssembly.Suspending`). */
export function jspiAvailable(): boolean {
  return typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
}

/**
 * Runs `fn` with onnxruntime-web's `build` as the engine's `ort` (sessions made inside use it),
 * then puts the previous one back. `base`: the folder with the runtime files (`ort/`).
 */
export async function withOrtBuild<T>(
  build: OrtBuild,
  base: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (build === 'asyncify') return fn();
  if (!jspiAvailable())
    throw new Error(
      'this JavaScript engine has no JSPI (WebAssembly.Suspending), which onnxruntime-web’s JSPI build needs',
    );
  const previous = ort;
  const jspi = (await import('onnxruntime-web/jspi')) as unknown as OrtModule;
  installOrtModule(jspi);
  configureOrt(base);
  try {
    return await fn();
  } finally {
    installOrtModule(previous);
    configureOrt(base);
  }
}
