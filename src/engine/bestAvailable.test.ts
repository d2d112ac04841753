import { beforeEach, describe, expect, it } from 'vitest';
import type { GpuInfo, GpuProbe } from '../gpu/gpuInfo';
import {
  decideBackend,
  forgetAndMeasure,
  measured,
  measurementLost,
  measuringEnded,
  measuringStarted,
  useBestAvailable,
} from './bestAvailable';
import type { BackendMeasurement } from './backendChoice';

const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  },
});

const info = (over: Partial<GpuInfo>): GpuInfo => ({
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: 'NVIDIA H200',
  isFallbackAdapter: false,
  features: { timestampQuery: true, shaderF16: false, subgroups: true },
  limits: {
    maxStorageBufferBindingSize: 1,
    maxBufferSize: 1,
    maxComputeWorkgroupStorageSize: 1,
    maxComputeInvocationsPerWorkgroup: 1,
    maxComputeWorkgroupsPerDimension: 1,
    maxStorageBuffersPerShaderStage: 1,
  },
  ...over,
});
const gpu: GpuProbe = { kind: 'webgpu', info: info({}) };
const swift: GpuProbe = {
  kind: 'webgpu',
  info: info({
    vendor: 'google',
    architecture: 'swiftshader',
    description: '',
    isFallbackAdapter: true,
  }),
};
const none: GpuProbe = { kind: 'unavailable', reason: 'This browser does not offer WebGPU.' };
const fast = (gpuMs: number): BackendMeasurement => ({
  densePath: 'ort',
  batch: 1,
  cpu: { itlMs: 2, steps: 6 },
  webgpu: { itlMs: gpuMs, steps: 6 },
});

// Each test uses its own model id: this page's verdicts are module state.
let n = 0;
const model = () => `model-${++n}`;

beforeEach(() => {
  store.clear();
  useBestAvailable.setState({ verdict: null, measuring: null });
});

describe('decideBackend', () => {
  it('runs the CPU path with no WebGPU, measuring nothing', () => {
    const d = decideBackend(none, model(), 'ort');
    expect(d).toMatchObject({ backend: 'cpu' });
    expect(useBestAvailable.getState().verdict?.how).toBe('no-webgpu');
  });
  it('on a software adapter runs the CPU path, saying it was not measured', () => {
    const d = decideBackend(swift, model(), 'ort');
    expect(d).toMatchObject({ backend: 'cpu' });
    expect(useBestAvailable.getState().verdict).toMatchObject({
      how: 'software-prior',
      measurement: null,
    });
  });
  it('measures on a real GPU, then follows the cached verdict (also on a later page)', () => {
    const id = model();
    const d = decideBackend(gpu, id, 'ort');
    expect('measure' in d).toBe(true);
    measuringStarted(d.key, 1, gpu, 'ort');
    expect(useBestAvailable.getState().measuring?.key).toBe(d.key);
    measured(d.key, gpu, fast(0.5));
    expect(useBestAvailable.getState().measuring).toBeNull();
    expect(decideBackend(gpu, id, 'ort')).toEqual({ backend: 'webgpu', key: d.key });
    expect(store.size).toBe(1);
    // Another dense path is another verdict: measured anew.
    expect('measure' in decideBackend(gpu, id, 'wgsl')).toBe(true);
  });
  it('measures again when asked, even on a software adapter', () => {
    const id = model();
    const d = decideBackend(swift, id, 'ort');
    forgetAndMeasure(d.key);
    expect('measure' in decideBackend(swift, id, 'ort')).toBe(true);
    measured(d.key, swift, fast(380));
    expect(decideBackend(swift, id, 'ort')).toEqual({ backend: 'cpu', key: d.key });
    expect(useBestAvailable.getState().verdict?.how).toBe('measured');
  });
  it('a measurement that ends without a result leaves no claim', () => {
    const d = decideBackend(gpu, model(), 'ort');
    measuringStarted(d.key, 1, gpu, 'ort');
    measuringEnded('another key');
    expect(useBestAvailable.getState().measuring?.key).toBe(d.key);
    measuringEnded(d.key);
    expect(useBestAvailable.getState()).toMatchObject({ measuring: null, verdict: null });
  });
  it('a device lost while measuring falls back to the CPU path and says so, uncached', () => {
    const id = model();
    const d = decideBackend(gpu, id, 'ort');
    expect(measurementLost('destroyed')).toBe(false);
    measuringStarted(d.key, 1, gpu, 'ort');
    expect(measurementLost('destroyed')).toBe(true);
    expect(useBestAvailable.getState().verdict).toMatchObject({ how: 'gpu-failed', choice: 'cpu' });
    expect(useBestAvailable.getState().verdict?.note).toContain('destroyed');
    expect(decideBackend(gpu, id, 'ort')).toEqual({ backend: 'cpu', key: d.key });
    expect(store.size).toBe(0);
  });
});
