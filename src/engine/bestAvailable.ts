// The page's side of "Best available": which backend the settings bridge should load — a cached
// or this page's verdict for this device, model and dense path; the CPU path with no WebGPU or on
// a software adapter (said, not measured); otherwise a measurement (the engine times both paths
// in its load) — and the store the views read the verdict and the measurement's progress from.
import { create } from 'zustand';
import type { GpuInfo, GpuProbe } from '../gpu/gpuInfo';
import {
  adapterName,
  forgetVerdict,
  isSoftwareAdapter,
  readVerdict,
  verdictKey,
  verdictOf,
  writeVerdict,
  type BackendMeasurement,
  type BackendVerdict,
  type VerdictHow,
  type VerdictStorage,
} from './backendChoice';
import type { Backend, DensePath } from './types';

type BestState = {
  /** The verdict of the last decision (any key; views compare its key with the settings'). */
  verdict: BackendVerdict | null;
  /** A measurement in flight: its key and batch (null when none). */
  measuring: { key: string; batch: number; gpu: GpuProbe; densePath: DensePath } | null;
};

export const useBestAvailable = create<BestState>(() => ({ verdict: null, measuring: null }));

/** Verdicts of this page that are not cached (said once, kept until "Measure again"). */
const session = new Map<string, BackendVerdict>();
/** Keys the user asked to measure again (even on a software adapter). */
const forced = new Set<string>();

function storage(): VerdictStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const adapterOf = (gpu: GpuProbe): GpuInfo | null => (gpu.kind === 'webgpu' ? gpu.info : null);

export function keyFor(gpu: GpuProbe, modelId: string, densePath: DensePath): string {
  return verdictKey(adapterOf(gpu), modelId, densePath);
}

/** The CPU path chosen without a measurement (no WebGPU, a software adapter, a lost device). */
function unmeasured(
  key: string,
  how: Exclude<VerdictHow, 'measured'>,
  densePath: DensePath,
  info: GpuInfo | null,
  note: string | null,
  noAdapter = 'no GPU',
): BackendVerdict {
  return {
    key,
    choice: 'cpu',
    how,
    densePath,
    adapter: info ? adapterName(info) : noAdapter,
    software: info ? isSoftwareAdapter(info) : false,
    measurement: null,
    note,
    at: Date.now(),
  };
}

export type Decision = { backend: Backend; key: string } | { measure: true; key: string };

/** What "Best available" loads for these settings on this device (no engine work here). */
export function decideBackend(gpu: GpuProbe, modelId: string, densePath: DensePath): Decision {
  const key = keyFor(gpu, modelId, densePath);
  const info = adapterOf(gpu);
  const set = (v: BackendVerdict): Decision => {
    if (useBestAvailable.getState().verdict !== v) useBestAvailable.setState({ verdict: v });
    return { backend: v.choice, key };
  };
  if (!info) {
    const v =
      session.get(key) ??
      unmeasured(
        key,
        'no-webgpu',
        densePath,
        null,
        gpu.kind === 'unavailable' ? gpu.reason.replace(/\.$/, '') : null,
      );
    session.set(key, v);
    return set(v);
  }
  if (forced.has(key)) return { measure: true, key };
  const known = session.get(key) ?? (storage() && readVerdict(storage()!, key));
  if (known) return set(known);
  if (isSoftwareAdapter(info)) {
    const v = unmeasured(key, 'software-prior', densePath, info, null);
    session.set(key, v);
    return set(v);
  }
  return { measure: true, key };
}

export function measuringStarted(
  key: string,
  batch: number,
  gpu: GpuProbe,
  densePath: DensePath,
): void {
  useBestAvailable.setState({ measuring: { key, batch, gpu, densePath } });
}

/** The measurement ended without a result (cancelled, superseded, failed): say nothing of it. */
export function measuringEnded(key: string): void {
  if (useBestAvailable.getState().measuring?.key === key)
    useBestAvailable.setState({ measuring: null });
}

/** The engine's measurement for `key`: the verdict is made, shown, and cached if measured. */
export function measured(key: string, gpu: GpuProbe, m: BackendMeasurement): BackendVerdict {
  const v = verdictOf(m, { key, adapter: adapterOf(gpu), at: Date.now() });
  forced.delete(key);
  session.set(key, v);
  const s = storage();
  if (s) writeVerdict(s, v);
  useBestAvailable.setState({ verdict: v, measuring: null });
  return v;
}

/**
 * The GPU was lost while the paths were measured: the CPU path runs, and the verdict says why
 * (kept for this page: "Measure again" tries once more). False when nothing was being measured.
 */
export function measurementLost(reason: string): boolean {
  const m = useBestAvailable.getState().measuring;
  if (!m) return false;
  const { key, gpu, densePath } = m;
  const v = unmeasured(
    key,
    'gpu-failed',
    densePath,
    adapterOf(gpu),
    `the GPU device was lost during the measurement (${reason})`,
    'the GPU',
  );
  forced.delete(key);
  session.set(key, v);
  useBestAvailable.setState({ verdict: v, measuring: null });
  return true;
}

/** "Measure again": drop the verdict for `key` (cached and this page's) and measure next load. */
export function forgetAndMeasure(key: string): void {
  session.delete(key);
  forced.add(key);
  const s = storage();
  if (s) forgetVerdict(s, key);
  const st = useBestAvailable.getState();
  if (st.verdict?.key === key) useBestAvailable.setState({ verdict: null });
}
