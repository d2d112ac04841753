// The strong matmul floor (floorMatmulStrong.wgsl) computes C = A·B: every candidate tile shape
// against a CPU matmul, square and not, C poisoned with NaN first. A floor that computes the
// wrong thing fast would flatter nothing but still mislead, so each shape is checked here.
import { create, globals } from 'webgpu';
import { afterAll, describe, expect, it } from 'vitest';
import { readBack } from '../kernels/pipelines';
import { randomArray, rng } from '../kernels/random';
import {
  encodeStrong,
  shapeName,
  STRONG_CANDIDATES,
  strongCandidatesFor,
  strongMatmulFloor,
  strongPipeline,
  strongShapeProblem,
  type StrongShape,
} from './floors';
import { STORAGE } from './timing';

// Our own device, with the adapter's workgroup-memory limit (the shared test device keeps
// WebGPU's default 16 KiB, which would leave the 24 and 32 KiB shapes untested). The instance
// stays referenced for the life of the file (see src/kernels/testing/nodeDevice.ts).
let instance: GPU | null = null;
let devicePromise: Promise<GPUDevice> | null = null;
function device(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    Object.assign(globalThis, globals);
    instance = create([]);
    const adapter = await instance.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter: run under scripts/with-swiftshader.sh');
    const d = await adapter.requestDevice({
      requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
      requiredLimits: {
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      },
    });
    d.addEventListener('uncapturederror', (e) =>
      console.error('WebGPU error:', (e as GPUUncapturedErrorEvent).error.message),
    );
    return d;
  })();
  return devicePromise;
}
afterAll(async () => {
  if (devicePromise) (await devicePromise).destroy();
  instance = null;
});

function cpuMatmul(a: Float32Array, b: Float32Array, M: number, N: number, K: number) {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let k = 0; k < K; k++) {
      const aik = a[i * K + k]!;
      for (let j = 0; j < N; j++) c[i * N + j]! += aik * b[k * N + j]!;
    }
  return c;
}

/** Max |C − ref| ÷ max |ref|, and the first wrong index (NaN counts as wrong). */
function relError(c: Float32Array, ref: Float64Array): { rel: number; at: number } {
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < c.length; i++) {
    const e = Math.abs(c[i]! - ref[i]!);
    if (!(e <= worst)) {
      worst = Number.isNaN(e) ? Infinity : e;
      at = i;
    }
  }
  return { rel: worst / scale, at };
}

async function runStrong(
  d: GPUDevice,
  s: StrongShape,
  dims: { M: number; N: number; K: number },
  seed: number,
) {
  const { M, N, K } = dims;
  const rand = rng(seed);
  const a = randomArray(M * K, rand);
  const b = randomArray(K * N, rand);
  const mk = (data: Float32Array) => {
    const buf = d.createBuffer({ size: data.byteLength, usage: STORAGE });
    d.queue.writeBuffer(buf, 0, new Float32Array(data));
    return buf;
  };
  const A = mk(a);
  const B = mk(b);
  const C = mk(new Float32Array(M * N).fill(NaN));
  d.pushErrorScope('validation');
  const encode = encodeStrong(d, strongPipeline(d, s, dims), s, dims, { A, B, C });
  const enc = d.createCommandEncoder();
  const pass = enc.beginComputePass();
  encode(pass);
  pass.end();
  d.queue.submit([enc.finish()]);
  const err = await d.popErrorScope();
  const [out] = await readBack(d, [{ buffer: C, bytes: M * N * 4 }]);
  for (const x of [A, B, C]) x.destroy();
  return {
    err: err?.message ?? null,
    ...relError(new Float32Array(out!), cpuMatmul(a, b, M, N, K)),
  };
}

// One case per shape (each size is its own pipeline, seconds of SwiftShader compile): not
// square, K an odd number of 16-deep steps (the double buffer's stages alternate). The quick
// measurement below runs 256³ on two of the shapes.
const CASES = [{ M: 128, N: 384, K: 80 }];

describe('strong matmul floor vs a CPU matmul', () => {
  it.each(STRONG_CANDIDATES.map((s) => [shapeName(s), s] as const))('%s', async (_, s) => {
    const d = await device();
    for (const [i, dims] of CASES.entries()) {
      const problem = strongShapeProblem(s, dims, d.limits.maxComputeWorkgroupStorageSize);
      expect(problem, `${dims.M}×${dims.N}×${dims.K}`).toBeNull();
      const r = await runStrong(d, s, dims, 11 + i);
      expect(r.err).toBeNull();
      expect(r.rel, `${dims.M}×${dims.N}×${dims.K}, worst at ${r.at}`).toBeLessThan(1e-4);
    }
  });

  it('refuses shapes that do not tile the sizes or do not fit the device', () => {
    const s = STRONG_CANDIDATES[0]!;
    expect(strongShapeProblem(s, { M: 200, N: 256, K: 256 }, 1 << 16)).toMatch(/multiple/);
    expect(strongShapeProblem(s, { M: 256, N: 256, K: 256 }, 8192)).toMatch(/KiB/);
    expect(strongShapeProblem({ ...s, TM: 4 }, { M: 256, N: 256, K: 256 }, 1 << 16)).toMatch(
      /256 threads/,
    );
  });

  it('measures the quick candidates and keeps the fastest', async () => {
    const d = await device();
    const f = await strongMatmulFloor(d, 'quick');
    expect(f).not.toBeNull();
    expect(f!.n).toBe(256);
    expect(f!.candidates.map((c) => c.shape)).toEqual(strongCandidatesFor('quick').map(shapeName));
    const timed = f!.candidates.filter((c) => c.TFLOPs !== null);
    expect(timed.length).toBeGreaterThan(0);
    expect(f!.TFLOPs).toBe(Math.max(...timed.map((c) => c.TFLOPs!)));
    expect(timed.map((c) => c.shape)).toContain(f!.shape);
  });
});
