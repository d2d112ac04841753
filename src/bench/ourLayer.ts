// Our MoE layer kernels timed on one shape: fused, per-expert dispatch and our dense-masked
// variant. GPU time is the sum of per-kernel timestamp-query times (median); wall time is one
// forward into our own buffers, submit + wait, no read-back.
import { MoeLayer, type MoeVariant } from '../kernels/MoeLayer';
import type { LayerModel } from './layerCases';
import { fastFill } from './layerCases';
import { median, STORAGE } from './timing';

export type LayerRow = {
  model: string;
  E: number;
  k: number;
  D: number;
  I: number;
  T: number;
  variant: MoeVariant | 'ortDenseMasked' | 'ortQMoE';
  gpuMs: number | null;
  wallMs: number | null;
  kernelMs: Record<string, number> | null;
  dispatches: number;
  expertsHit: number;
  bytesTouched: number;
  flops: number;
  /** max relative error against our fused layer (ORT rows) or the reference (QMoE quick). */
  relErr?: number | null;
  error?: string;
};

export function emptyRow(
  m: LayerModel,
  T: number,
  variant: LayerRow['variant'],
  error?: string,
): LayerRow {
  const c = m.config;
  return {
    model: m.name,
    E: c.E,
    k: c.k,
    D: c.D,
    I: c.I,
    T,
    variant,
    gpuMs: null,
    wallMs: null,
    kernelMs: null,
    dispatches: 0,
    expertsHit: 0,
    bytesTouched: 0,
    flops: 0,
    ...(error ? { error } : {}),
  };
}

export const layerFlops = (m: LayerModel, T: number): number =>
  2 * T * m.config.k * 3 * m.config.D * m.config.I + 2 * T * m.config.D * m.config.E;

/**
 * Times `variant` at every T that fits; the dense-masked variant's T·E·I activations may not, and
 * those rows say so. `full` picks more repetitions.
 */
export async function timeOurLayer(
  device: GPUDevice,
  m: LayerModel,
  weights: import('../kernels/types').MoeWeights,
  Ts: number[],
  variant: MoeVariant,
  full: boolean,
  onRow: (r: LayerRow) => void,
  check: () => void,
): Promise<void> {
  const c = m.config;
  let layer: MoeLayer | null = null;
  let fitsT = 0;
  let lastError = '';
  for (const tryT of [...Ts].reverse()) {
    try {
      layer = await MoeLayer.create(device, c, weights, { maxTokens: tryT, variant });
      fitsT = tryT;
      break;
    } catch (e) {
      lastError = (e as Error).message.slice(0, 160);
    }
  }
  if (!layer) {
    for (const T of Ts) onRow(emptyRow(m, T, variant, lastError));
    return;
  }
  const expertBytes = 3 * c.D * c.I * 4;
  const xBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
  const outBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
  try {
    for (const T of Ts) {
      check();
      if (T > fitsT) {
        onRow(emptyRow(m, T, variant, 'does not fit the device (T·E·I activations)'));
        continue;
      }
      const x = fastFill(T * c.D, 1, 10 + T);
      device.queue.writeBuffer(xBuf, 0, x as Float32Array<ArrayBuffer>);
      const reps = full ? (T >= 512 && c.D * c.I >= 2 ** 23 ? 3 : 7) : T >= 64 ? 1 : 3;
      // Warm-up burst (~30 ms of back-to-back forwards): a GPU's clocks drop while it idles, and
      // a cold first measurement read up to 2× slow on the H100.
      const burstStart = performance.now();
      for (let i = 0; i < 64 && performance.now() - burstStart < 30; i++) {
        await layer.forward({ x: xBuf, out: outBuf, T });
        if (i % 4 === 3) await device.queue.onSubmittedWorkDone();
      }
      await device.queue.onSubmittedWorkDone();
      const gpu: number[] = [];
      let kernelMs: Record<string, number> | null = null;
      let dispatches = 0;
      let hit = 0;
      for (let i = 0; i <= reps; i++) {
        const r = await layer.run({ x, T });
        if (i === 0) {
          hit = Array.from(r.trace.counts).filter((n) => n > 0).length;
          continue;
        }
        dispatches = r.dispatches;
        if (r.kernelMs) {
          gpu.push(Object.values(r.kernelMs).reduce((a, b) => a + b, 0));
          if (!kernelMs || gpu.length === Math.ceil(reps / 2)) kernelMs = r.kernelMs;
        }
      }
      const walls: number[] = [];
      for (let i = 0; i <= reps; i++) {
        const t0 = performance.now();
        await layer.forward({ x: xBuf, out: outBuf, T });
        await device.queue.onSubmittedWorkDone();
        if (i > 0) walls.push(performance.now() - t0);
      }
      onRow({
        ...emptyRow(m, T, variant),
        gpuMs: gpu.length ? median(gpu) : null,
        wallMs: median(walls),
        kernelMs,
        dispatches,
        expertsHit: hit,
        bytesTouched: hit * expertBytes + c.D * c.E * 4,
        flops: layerFlops(m, T),
      });
    }
  } finally {
    xBuf.destroy();
    outBuf.destroy();
    layer.destroy();
  }
}

/** Our fused layer's output for `x` (the ORT rows are checked against it). */
export async function fusedOutput(
  device: GPUDevice,
  m: LayerModel,
  weights: import('../kernels/types').MoeWeights,
  x: Float32Array,
  T: number,
): Promise<Float32Array> {
  const layer = await MoeLayer.create(device, m.config, weights, {
    maxTokens: T,
    variant: 'fused',
  });
  try {
    return (await layer.run({ x, T })).out;
  } finally {
    layer.destroy();
  }
}
