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

// The JSPI module once loaded, and the asyncify module that was the engine's before it (the
// bundled one in a browser; Node's Dawn-backed one in tests and benchmarks).
let jspiLoad: Promise<OrtModule> | null = null;
let jspiModule: OrtModule | null = null;
let asyncifyBefore: OrtModule | null = null;

/** The build now installed as the engine's `ort`. */
export function currentOrtBuild(): OrtBuild {
  return jspiModule !== null && ort === jspiModule ? 'jspi' : 'asyncify';
}

/** The asyncify module to use: the one installed, or the one JSPI replaced. */
function asyncifyModule(): OrtModule {
  return currentOrtBuild() === 'jspi' ? (asyncifyBefore ?? asyncifyOrt) : ort;
}

async function moduleFor(build: OrtBuild): Promise<OrtModule> {
  if (build === 'asyncify') return asyncifyModule();
  if (!jspiAvailable())
    throw new Error(
      'this JavaScript engine has no JSPI (WebAssembly.Suspending), which onnxruntime-web’s JSPI build needs',
    );
  jspiLoad ??= import('onnxruntime-web/jspi').then((m) => (jspiModule = m as unknown as OrtModule));
  return jspiLoad.catch((err: unknown) => {
    jspiLoad = null;
    throw err;
  });
}

/**
 * Chooses the lab's build once per engine: JSPI where the engine has it and its runtime file is
 * reachable (the offline cache keeps only asyncify's); otherwise the module already installed
 * stays (asyncify). Returns the build and, when JSPI exists but could not be used, why.
 */
export async function installPreferredOrtBuild(
  base: string,
  probe: (url: string) => Promise<boolean> = (url) =>
    fetch(url, { method: 'HEAD' }).then(
      (r) => r.ok,
      () => false,
    ),
): Promise<{ build: OrtBuild; reason: string | null }> {
  let reason: string | null = null;
  if (jspiAvailable()) {
    const root = base.endsWith('/') ? base : `${base}/`;
    try {
      if (!(await probe(`${root}${JSPI_WASM}`)))
        throw new Error(`its runtime (${JSPI_WASM}) is not reachable`);
      const before = asyncifyModule();
      const jspi = await moduleFor('jspi');
      asyncifyBefore = before;
      installOrtModule(jspi);
    } catch (err) {
      reason = `JSPI could not be used: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  configureOrt(base);
  return { build: currentOrtBuild(), reason };
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
