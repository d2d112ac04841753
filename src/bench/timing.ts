// Timing helpers shared by the benchmarks: GPU time of one compute pass by timestamp-query
// (wall time of submit + wait where the device has no timestamps), median over repetitions.
import { GpuTimer } from '../gpu/GpuTimer';

export const median = (v: readonly number[]): number =>
  v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]! : NaN;

// STORAGE | COPY_DST | COPY_SRC as numbers: in Node the GPUBufferUsage global exists only once
// Dawn's globals are installed, after this module loads.
export const STORAGE = 0x80 | 0x08 | 0x04;

/**
 * Milliseconds of back-to-back forwards before a shape is timed. A GPU's clocks drop while it
 * idles — after the seconds the benchmark spends quantising weights in JavaScript, an H200 read
 * the same int4 decode 0.88 ms after a 40 ms burst and 0.18 ms after 400 ms
 * (bench/results/2026-11-30-h200-decode.md) — so the full size warms for 400 ms. The quick size
 * (SwiftShader, the Performance panel in class) times the harness, not a GPU: 30 ms.
 */
export const warmUpMs = (full: boolean): number => (full ? 400 : 30);

/**
 * A row whose router kernel (the same small job in every row of a model) took this many times
 * the model's fastest was timed on a slowed GPU: the bench times it again, the report names it.
 */
export const SLOW_ROUTER_RATIO = 2;

/** Synchronous creation: createComputePipelineAsync never resolves in Dawn-in-Node. */
export function computePipeline(
  device: GPUDevice,
  code: string,
  constants?: Record<string, number>,
): GPUComputePipeline {
  const module = device.createShaderModule({ code });
  return device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main', ...(constants ? { constants } : {}) },
  });
}

export type PassTime = { gpuMs: number | null; wallMs: number };

/** GPU ms of one pass and wall ms of submit + wait, medians over `reps` after one warm-up. */
export async function timePass(
  device: GPUDevice,
  encode: (pass: GPUComputePassEncoder) => void,
  reps: number,
): Promise<PassTime> {
  const gpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const timer = new GpuTimer(device, 1);
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(timer.pass('p'));
    encode(pass);
    pass.end();
    timer.resolve(enc);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    const t1 = performance.now();
    const t = await timer.read();
    timer.destroy();
    if (i === 0) continue;
    wall.push(t1 - t0);
    if (t) gpu.push(t[0]!.ms);
  }
  return { gpuMs: gpu.length ? median(gpu) : null, wallMs: median(wall) };
}

/** Fixed-precision text for table cells; null/NaN read "—". */
export const fmt = (x: number | null | undefined, digits = 2): string | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x.toFixed(digits);
export const pct = (x: number | null | undefined): string | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : `${(100 * x).toFixed(0)}%`;

/** Lets the page paint and the cancel button work between measurements. */
export const yieldToUi = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
