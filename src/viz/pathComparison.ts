// The Latency view's comparison of the engine's paths on this device: the last run of each path
// (onnxruntime-web dense + our MoE kernels, our own WGSL dense path, the CPU) made with the same
// model, prompt, batch, token budget and knobs as the run on screen, and a sentence computed from
// those numbers. Runs with other settings are never compared: they measured something else.
import type { Backend, DensePath } from '../engine/types';

export type PathId = 'webgpu-ort' | 'webgpu-wgsl' | 'cpu';

export const PATH_NAMES: Record<PathId, string> = {
  'webgpu-ort': 'WebGPU, onnxruntime-web dense + our MoE kernels',
  'webgpu-wgsl': 'WebGPU, our WGSL kernels for the whole model',
  cpu: 'CPU, onnxruntime-web wasm + our TypeScript MoE',
};

/** One finished run, as the comparison needs it. */
export type PathRun = {
  path: PathId;
  /** Everything the run's result and cost depend on, as one string (the same run = same key). */
  key: string;
  adapter: string;
  ttftMs: number;
  itlMs: number | null;
  outputTokensPerS: number;
  /** GPU dispatches and ORT calls per generated token (0 on the CPU path). */
  dispatchesPerToken: number;
  ortCallsPerToken: number;
  /** Order of the runs (later wins). */
  seq: number;
};

export function pathOf(backend: Backend, densePath: DensePath | null): PathId {
  return backend === 'cpu' ? 'cpu' : densePath === 'wgsl' ? 'webgpu-wgsl' : 'webgpu-ort';
}

/** The latest run of each path with `key`, in PathId order. */
export function comparableRuns(runs: readonly PathRun[], key: string): PathRun[] {
  const latest = new Map<PathId, PathRun>();
  for (const r of runs)
    if (r.key === key && (latest.get(r.path)?.seq ?? -Infinity) < r.seq) latest.set(r.path, r);
  return (Object.keys(PATH_NAMES) as PathId[]).flatMap((p) => {
    const r = latest.get(p);
    return r ? [r] : [];
  });
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * What the measured runs say, in words: which path decodes fastest here and by how much, or, with
 * one path measured, how to measure another. Software GPUs are named: their times are no GPU's.
 */
export function comparisonSentence(rows: readonly PathRun[], current: PathId): string {
  const other = (Object.keys(PATH_NAMES) as PathId[]).filter(
    (p) => !rows.some((r) => r.path === p),
  );
  if (rows.length < 2)
    return `Only ${PATH_NAMES[current]} has run these settings here. To compare, switch “Backend” or “Dense layers on WebGPU” (${other.map((p) => PATH_NAMES[p]).join('; ')}) and run again.`;
  const decoding = rows.filter((r) => r.itlMs !== null);
  if (decoding.length < 2)
    return 'These runs made one token each: no decode step to compare (raise Max tokens).';
  const byItl = [...decoding].sort((a, b) => a.itlMs! - b.itlMs!);
  const best = byItl[0]!;
  const parts = byItl
    .slice(1)
    .map(
      (r) =>
        `${PATH_NAMES[r.path]} takes ${(r.itlMs! / best.itlMs!).toFixed(1)}× as long (${ms(r.itlMs!)} ms)`,
    );
  const software = rows.some(
    (r) => r.path !== 'cpu' && /swiftshader|llvmpipe|lavapipe/i.test(r.adapter),
  );
  return (
    `Per decode token on this device, ${PATH_NAMES[best.path]} is fastest at ${ms(best.itlMs!)} ms; ` +
    `${parts.join('; ')}.` +
    (software
      ? ' This GPU is a software rasteriser (SwiftShader), so the GPU paths run on the CPU here; on a real GPU the order can differ.'
      : '')
  );
}
