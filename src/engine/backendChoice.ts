// "Best available", decided by a measurement on this device instead of by "an adapter exists":
// the decode time of each path that exists here, the faster one chosen, the verdict cached per
// device (adapter, model pack, backend code version) and said in a sentence from its numbers.
// Pure functions (the engine times the paths; the settings bridge asks and caches): tested in
// plain Vitest.
import type { Backend, DensePath } from './types';

/**
 * Bumped whenever a backend's speed may have changed (kernels, ORT version, the loop): a cached
 * verdict of another version is dropped and the paths are measured again.
 */
export const BACKEND_CODE_VERSION = 1;

/** Decode steps timed on each path, after the warm-up run (which is never shown as data). */
export const PROBE_DECODE_STEPS = 6;
/** Tokens of the untimed warm-up run: the prefill and two decode steps (pipelines, JIT, caches). */
export const PROBE_WARMUP_TOKENS = 3;

/** The adapter as the cache tells devices apart (and as the sentence names it). */
export type AdapterId = {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
};

/** One path's timing: mean decode step (ITL) over `steps` steps, or why it could not run. */
export type PathTiming = { itlMs: number; steps: number } | { error: string };

/** What the engine measured in one probe (the model as trained, greedy, traced as the lab runs). */
export type BackendMeasurement = {
  densePath: DensePath;
  batch: number;
  cpu: PathTiming;
  /** null: no WebGPU device to try. */
  webgpu: PathTiming | null;
};

export type VerdictHow =
  /** Both paths timed here; the faster runs. */
  | 'measured'
  /** No WebGPU: the CPU path is the only one (nothing to measure). */
  | 'no-webgpu'
  /** A software adapter: the CPU path runs, WebGPU not measured (the reason says why). */
  | 'software-prior'
  /** WebGPU was tried and failed (error or lost device): the CPU path runs. */
  | 'gpu-failed';

export type BackendVerdict = {
  /** `verdictKey` of the device, model and dense path it was made for. */
  key: string;
  choice: Backend;
  how: VerdictHow;
  densePath: DensePath;
  adapter: string;
  software: boolean;
  measurement: BackendMeasurement | null;
  /** Why WebGPU is not in the running (no-webgpu, gpu-failed), in words. */
  note: string | null;
  /** When it was decided (ms since the epoch). */
  at: number;
};

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/** A software rasteriser (its "GPU" work runs on the CPU): a strong prior against WebGPU here. */
export function isSoftwareAdapter(a: AdapterId): boolean {
  return (
    a.isFallbackAdapter ||
    SOFTWARE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`)
  );
}

/** The adapter in a few words, for the sentence: "SwiftShader (google swiftshader)". */
export function adapterName(a: AdapterId): string {
  const words = [a.vendor, a.architecture, a.device, a.description]
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return /swiftshader/i.test(words) ? `SwiftShader (${words})` : words || 'unknown adapter';
}

/** The cache's key: device, model pack, dense path and backend code version together. */
export function verdictKey(
  adapter: AdapterId | null,
  modelId: string,
  densePath: DensePath,
  codeVersion = BACKEND_CODE_VERSION,
): string {
  const device = adapter
    ? [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join('|')
    : 'no-webgpu';
  return JSON.stringify({ device, modelId, densePath, codeVersion });
}

const timed = (t: PathTiming | null): t is { itlMs: number; steps: number } =>
  t !== null && 'itlMs' in t && Number.isFinite(t.itlMs) && t.itlMs > 0;

/** The faster path of a measurement; a path that failed or was not tried never wins. */
export function chooseBackend(m: BackendMeasurement): { choice: Backend; how: VerdictHow } {
  if (m.webgpu === null) return { choice: 'cpu', how: 'no-webgpu' };
  if (!timed(m.webgpu)) return { choice: 'cpu', how: 'gpu-failed' };
  if (!timed(m.cpu)) return { choice: 'webgpu', how: 'measured' };
  return { choice: m.webgpu.itlMs < m.cpu.itlMs ? 'webgpu' : 'cpu', how: 'measured' };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const gpuName = (d: DensePath) =>
  d === 'wgsl' ? 'WebGPU (our WGSL kernels)' : 'WebGPU (onnxruntime-web dense)';

/**
 * The verdict in one sentence, every number from the measurement: "wasm chosen: 4.10 ms per
 * token vs WebGPU (onnxruntime-web dense) 380 ms on this device's software GPU (SwiftShader …),
 * measured 30 Nov (6 decode steps each after a warm-up, 1 request)".
 */
export function verdictSentence(v: BackendVerdict): string {
  const gpu = gpuName(v.densePath);
  const on = v.software
    ? `this device's software GPU, ${v.adapter}`
    : `this device's GPU, ${v.adapter}`;
  const when = DAY.format(new Date(v.at));
  const m = v.measurement;
  switch (v.how) {
    case 'no-webgpu':
      return `wasm (CPU) runs: there is no WebGPU here (${v.note ?? 'no adapter'}), so there was nothing to measure it against.`;
    case 'software-prior':
      return `wasm (CPU) chosen without measuring WebGPU: this device's only GPU is ${v.adapter}, a software adapter that runs GPU work on the CPU, where building the WebGPU path compiles its pipelines (tens of seconds), so it was not measured. “Measure again” times both here.`;
    case 'gpu-failed': {
      const cpu = m && timed(m.cpu) ? ` (wasm measured ${ms(m.cpu.itlMs)} ms per token)` : '';
      return `wasm (CPU) runs: ${gpu} could not be measured on ${on}: ${v.note ?? 'it failed'}${cpu}.`;
    }
    case 'measured': {
      if (!m || !timed(m.webgpu)) return `${v.choice === 'cpu' ? 'wasm' : gpu} chosen.`;
      const cpuMs = timed(m.cpu) ? m.cpu.itlMs : null;
      const [win, winMs, lose, loseMs] =
        v.choice === 'cpu'
          ? ['wasm', cpuMs!, gpu, m.webgpu.itlMs]
          : [gpu, m.webgpu.itlMs, 'wasm', cpuMs];
      const vs = loseMs === null ? `wasm could not run` : `${lose} ${ms(loseMs)} ms`;
      const ratio = loseMs === null ? '' : `, ${(loseMs / winMs).toFixed(1)}× faster`;
      return (
        `${win} chosen: ${ms(winMs)} ms per token vs ${vs} on ${on}${ratio}, measured ${when} ` +
        `(${m.webgpu.steps} decode steps each after a warm-up, ${m.batch} ${m.batch === 1 ? 'request' : 'requests at once'}, the model as trained).`
      );
    }
  }
}

/** Where verdicts are kept (localStorage in the page; a Map in tests). */
export type VerdictStorage = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

export const CACHE_KEY = 'moe-lab:backend-verdicts';

type CacheFile = { version: number; verdicts: BackendVerdict[] };

function readFile(storage: VerdictStorage): CacheFile {
  try {
    const raw = storage.getItem(CACHE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<CacheFile>) : null;
    if (parsed?.version === BACKEND_CODE_VERSION && Array.isArray(parsed.verdicts))
      return { version: BACKEND_CODE_VERSION, verdicts: parsed.verdicts.filter(isVerdict) };
  } catch {
    // Unreadable or not ours: start again (the paths are measured anew).
  }
  return { version: BACKEND_CODE_VERSION, verdicts: [] };
}

function isVerdict(v: unknown): v is BackendVerdict {
  const o = v as Partial<BackendVerdict> | null;
  return (
    !!o &&
    typeof o.key === 'string' &&
    (o.choice === 'cpu' || o.choice === 'webgpu') &&
    o.how === 'measured' &&
    (o.densePath === 'ort' || o.densePath === 'wgsl') &&
    typeof o.at === 'number' &&
    typeof o.adapter === 'string' &&
    !!o.measurement
  );
}

/** Kept per key: a handful of devices × models × dense paths. */
const KEPT = 16;

/**
 * The cached verdict for `key`, or null. Entries of another code version are dropped (the
 * whole file is rewritten without them); only measured verdicts are ever cached.
 */
export function readVerdict(storage: VerdictStorage, key: string): BackendVerdict | null {
  const file = readFile(storage);
  const raw = storage.getItem(CACHE_KEY);
  if (raw !== null && raw !== JSON.stringify(file)) writeFile(storage, file);
  return file.verdicts.find((v) => v.key === key) ?? null;
}

/** Caches a measured verdict (others are said, not kept: a retry may go differently). */
export function writeVerdict(storage: VerdictStorage, v: BackendVerdict): void {
  if (v.how !== 'measured') return;
  const file = readFile(storage);
  file.verdicts = [...file.verdicts.filter((x) => x.key !== v.key), v].slice(-KEPT);
  writeFile(storage, file);
}

export function forgetVerdict(storage: VerdictStorage, key: string): void {
  const file = readFile(storage);
  file.verdicts = file.verdicts.filter((x) => x.key !== key);
  writeFile(storage, file);
}

function writeFile(storage: VerdictStorage, file: CacheFile) {
  try {
    if (file.verdicts.length === 0) storage.removeItem(CACHE_KEY);
    else storage.setItem(CACHE_KEY, JSON.stringify(file));
  } catch {
    // Storage full or blocked (private mode): the verdict holds for this page only.
  }
}

/** The verdict a measurement makes. */
export function verdictOf(
  m: BackendMeasurement,
  ctx: { key: string; adapter: AdapterId | null; at: number },
): BackendVerdict {
  const { choice, how } = chooseBackend(m);
  const note =
    m.webgpu && 'error' in m.webgpu
      ? m.webgpu.error
      : how === 'no-webgpu'
        ? 'the engine has no WebGPU device'
        : null;
  return {
    key: ctx.key,
    choice,
    how,
    densePath: m.densePath,
    adapter: ctx.adapter ? adapterName(ctx.adapter) : 'no GPU',
    software: ctx.adapter ? isSoftwareAdapter(ctx.adapter) : false,
    measurement: m,
    note,
    at: ctx.at,
  };
}
