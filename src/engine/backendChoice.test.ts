import { describe, expect, it } from 'vitest';
import {
  BACKEND_CODE_VERSION,
  CACHE_KEY,
  chooseBackend,
  forgetVerdict,
  isSoftwareAdapter,
  readVerdict,
  verdictKey,
  verdictOf,
  verdictSentence,
  writeVerdict,
  type AdapterId,
  type BackendMeasurement,
  type VerdictStorage,
} from './backendChoice';

const swiftshader: AdapterId = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
};
const nvidia: AdapterId = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: 'NVIDIA H200',
  isFallbackAdapter: false,
};

function memory(): VerdictStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const m = (cpu: number | string, gpu: number | string | null, batch = 1): BackendMeasurement => ({
  densePath: 'ort',
  batch,
  cpu: typeof cpu === 'number' ? { itlMs: cpu, steps: 6 } : { error: cpu },
  webgpu: gpu === null ? null : typeof gpu === 'number' ? { itlMs: gpu, steps: 6 } : { error: gpu },
});

describe('chooseBackend', () => {
  it('picks the path with the shorter decode step', () => {
    expect(chooseBackend(m(4.1, 380))).toEqual({ choice: 'cpu', how: 'measured' });
    expect(chooseBackend(m(2.0, 0.8))).toEqual({ choice: 'webgpu', how: 'measured' });
  });
  it('never picks a path that failed or was not tried', () => {
    expect(chooseBackend(m(4.1, 'device lost'))).toEqual({ choice: 'cpu', how: 'gpu-failed' });
    expect(chooseBackend(m(4.1, null))).toEqual({ choice: 'cpu', how: 'no-webgpu' });
    expect(chooseBackend(m('wasm broke', 9))).toEqual({ choice: 'webgpu', how: 'measured' });
  });
});

describe('isSoftwareAdapter', () => {
  it('knows SwiftShader and fallback adapters from real GPUs', () => {
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ ...swiftshader, isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, description: 'llvmpipe (LLVM 15)' })).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
  });
});

describe('verdictKey', () => {
  it('differs by device, model, dense path and code version', () => {
    const base = verdictKey(nvidia, 'mixtral-style', 'ort');
    expect(verdictKey({ ...nvidia }, 'mixtral-style', 'ort')).toBe(base);
    expect(verdictKey(swiftshader, 'mixtral-style', 'ort')).not.toBe(base);
    expect(verdictKey({ ...nvidia, description: 'NVIDIA H100' }, 'mixtral-style', 'ort')).not.toBe(
      base,
    );
    expect(verdictKey(nvidia, 'fine-grained', 'ort')).not.toBe(base);
    expect(verdictKey(nvidia, 'mixtral-style', 'wgsl')).not.toBe(base);
    expect(verdictKey(nvidia, 'mixtral-style', 'ort', BACKEND_CODE_VERSION + 1)).not.toBe(base);
  });
});

describe('verdictSentence', () => {
  const at = Date.UTC(2026, 10, 30, 12);
  it('states the measured numbers, the ratio, the software GPU and the date', () => {
    const v = verdictOf(m(4.1, 380), { key: 'k', adapter: swiftshader, at });
    const text = verdictSentence(v);
    expect(text).toMatch(
      /^wasm chosen: 4\.10 ms per token vs WebGPU \(onnxruntime-web dense\) 380 ms/,
    );
    expect(text).toContain('software GPU');
    expect(text).toContain('SwiftShader');
    expect(text).toContain('92.7× faster');
    expect(text).toContain('measured 30 Nov');
    expect(text).toContain('6 decode steps each');
  });
  it('names WebGPU when it won and the batch it was measured at', () => {
    const v = verdictOf(m(2.0, 0.5, 4), { key: 'k', adapter: nvidia, at });
    expect(verdictSentence(v)).toMatch(
      /^WebGPU \(onnxruntime-web dense\) chosen: 0\.50 ms per token vs wasm 2\.00 ms/,
    );
    expect(verdictSentence(v)).toContain('4 requests at once');
    expect(verdictSentence(v)).not.toContain('software');
  });
  it('says plainly when WebGPU failed, with the error', () => {
    const v = verdictOf(m(4.1, 'the GPU device was lost (destroyed)'), {
      key: 'k',
      adapter: nvidia,
      at,
    });
    expect(v.how).toBe('gpu-failed');
    expect(verdictSentence(v)).toContain('could not be measured');
    expect(verdictSentence(v)).toContain('the GPU device was lost (destroyed)');
    expect(verdictSentence(v)).toContain('4.10 ms');
  });
  it('says a software-adapter choice was not measured', () => {
    const text = verdictSentence({
      key: 'k',
      choice: 'cpu',
      how: 'software-prior',
      densePath: 'ort',
      adapter: 'SwiftShader (google swiftshader)',
      software: true,
      measurement: null,
      note: null,
      at,
    });
    expect(text).toContain('without measuring WebGPU');
    expect(text).toContain('not measured');
    expect(text).not.toMatch(/\d+(\.\d+)? ms per token/);
  });
});

describe('the verdict cache', () => {
  const at = Date.UTC(2026, 10, 30);
  it('returns a measured verdict for its key only', () => {
    const s = memory();
    const key = verdictKey(nvidia, 'mixtral-style', 'ort');
    const v = verdictOf(m(2, 0.5), { key, adapter: nvidia, at });
    writeVerdict(s, v);
    expect(readVerdict(s, key)).toEqual(v);
    expect(readVerdict(s, verdictKey(swiftshader, 'mixtral-style', 'ort'))).toBeNull();
    expect(readVerdict(s, verdictKey(nvidia, 'mixtral-style', 'wgsl'))).toBeNull();
  });
  it('never caches a failure', () => {
    const s = memory();
    const key = verdictKey(nvidia, 'mixtral-style', 'ort');
    writeVerdict(s, verdictOf(m(2, 'lost'), { key, adapter: nvidia, at }));
    expect(readVerdict(s, key)).toBeNull();
    expect(s.map.size).toBe(0);
  });
  it('drops a file of another code version, and garbage', () => {
    const s = memory();
    const key = verdictKey(nvidia, 'mixtral-style', 'ort');
    writeVerdict(s, verdictOf(m(2, 0.5), { key, adapter: nvidia, at }));
    const file = JSON.parse(s.map.get(CACHE_KEY)!) as { version: number };
    s.map.set(CACHE_KEY, JSON.stringify({ ...file, version: BACKEND_CODE_VERSION - 1 }));
    expect(readVerdict(s, key)).toBeNull();
    expect(s.map.has(CACHE_KEY)).toBe(false);
    s.map.set(CACHE_KEY, '{not json');
    expect(readVerdict(s, key)).toBeNull();
  });
  it('replaces a key’s verdict and forgets it on request', () => {
    const s = memory();
    const key = verdictKey(nvidia, 'mixtral-style', 'ort');
    writeVerdict(s, verdictOf(m(2, 0.5), { key, adapter: nvidia, at }));
    const later = verdictOf(m(1, 3), { key, adapter: nvidia, at: at + 1 });
    writeVerdict(s, later);
    expect(readVerdict(s, key)?.choice).toBe('cpu');
    forgetVerdict(s, key);
    expect(readVerdict(s, key)).toBeNull();
  });
});
