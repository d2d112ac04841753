// onnxruntime-web ships its WebGPU runtime in two builds: asyncify (bundled; every browser runs it)
// and JSPI (JavaScript Promise Integration, Chrome 137+: a smaller wasm that suspends on a GPU
// await instead of unwinding and rewinding its stack). Measured per session.run, JSPI is 1.23×
// faster on an H200 in Chromium and 1.14× on SwiftShader (bench/results/2026-11-30-h200-browser.md),
// so the lab runs JSPI where it loads and keeps asyncify as the fallback; the whole-model benchmark
// runs ORT's dense path on both.
// `useOrtModule` is no React hook: aliased so the hooks lint reads it as what it is.
import {
  asyncifyOrt,
  configureOrt,
  ort,
  useOrtModule as installOrtModule,
  type OrtModule,
} from './ortSetup';

export type OrtBuild = 'asyncify' | 'jspi';

/** The JSPI runtime's wasm, beside the asyncify one under `ort/` (build/ortAssets.ts). */
export const JSPI_WASM = 'ort-wasm-simd-threaded.jspi.wasm';

/** Whether this JavaScript engine has JSPI (`WebAssembly.Suspending`). */
export function jspiAvailable(): boolean {
  return typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
}

/** The build now installed as the engine's `ort`. */
export function currentOrtBuild(): OrtBuild {
  return ort === asyncifyOrt ? 'asyncify' : 'jspi';
}

let jspiModule: Promise<OrtModule> | null = null;

async function moduleFor(build: OrtBuild): Promise<OrtModule> {
  if (build === 'asyncify') return asyncifyOrt;
  if (!jspiAvailable())
    throw new Error(
      'this JavaScript engine has no JSPI (WebAssembly.Suspending), which onnxruntime-web’s JSPI build needs',
    );
  jspiModule ??= import('onnxruntime-web/jspi').then((m) => m as unknown as OrtModule);
  return jspiModule.catch((err: unknown) => {
    jspiModule = null;
    throw err;
  });
}

/**
 * Installs the lab's build once per engine: JSPI where the engine has it and its runtime file is
 * reachable (the offline cache keeps only asyncify's), else asyncify. Returns the build and, when
 * JSPI exists but could not be used, why.
 */
export async function installPreferredOrtBuild(
  base: string,
  probe: (url: string) => Promise<boolean> = (url) =>
    fetch(url, { method: 'HEAD' }).then(
      (r) => r.ok,
      () => false,
    ),
): Promise<{ build: OrtBuild; reason: string | null }> {
  const install = (m: OrtModule) => {
    installOrtModule(m);
    configureOrt(base);
  };
  if (!jspiAvailable()) {
    install(asyncifyOrt);
    return { build: 'asyncify', reason: null };
  }
  const root = base.endsWith('/') ? base : `${base}/`;
  try {
    if (!(await probe(`${root}${JSPI_WASM}`)))
      throw new Error(`its runtime (${JSPI_WASM}) is not reachable`);
    install(await moduleFor('jspi'));
    return { build: 'jspi', reason: null };
  } catch (err) {
    install(asyncifyOrt);
    return {
      build: 'asyncify',
      reason: `JSPI could not be used: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
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
  const previous = ort;
  const m = await moduleFor(build);
  installOrtModule(m);
  configureOrt(base);
  try {
    return await fn();
  } finally {
    installOrtModule(previous);
    configureOrt(base);
  }
}
