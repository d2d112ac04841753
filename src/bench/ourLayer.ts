// Our MoE layer kernels timed on one shape: fused, per-expert dispatch and our dense-masked
// variant, with f32 weights or (fused) int8 / int4 experts quantised on upload. GPU time is the
// sum of per-kernel timestamp-query times (median); wall time is one forward into our own
// buffers, submit + wait, no read-back. A quantised layer's output is checked against its CPU
// twin (the reference layer on the same quantised-then-dequantised weights).
import { MoeLayer, type GemmTile, type MoeVariant } from '../kernels/MoeLayer';
import {
  maxRelError,
  moeLayerReference,
  routerReference,
  storedWeights,
} from '../kernels/reference';
import type { MoeWeights, WeightFormat } from '../kernels/types';
import type { LayerModel } from './layerCases';
import { expertBytesIn, fastFill } from './layerCases';
import { median, SLOW_ROUTER_RATIO, STORAGE, warmUpMs } from './timing';

export type LayerRow = {
  model: string;
  E: number;
  k: number;
  D: number;
  I: number;
  T: number;
  variant: MoeVariant | 'ortDenseMasked' | 'ortQMoE';
  /** Our layers' expert weight format (absent: f32; ORT's QMoE is 4-bit whatever this says). */
  format?: WeightFormat;
  /**
   * Column tile of our tiled grouped GEMM (MoeLayer's gemmTile) where not 64, which the bench's
   * main rows pin. Such rows are timed only where the layer runs the tiled GEMM (not the decode
   * path).
   */
  gemmTile?: GemmTile;
  gpuMs: number | null;
  wallMs: number | null;
  kernelMs: Record<string, number> | null;
  dispatches: number;
  expertsHit: number;
  bytesTouched: number;
  flops: number;
  /**
   * max relative error against our fused layer (ORT dense-masked), the reference on the
   * dequantised weights (QMoE quick) or our quantised layer's CPU twin (int8 / int4 rows).
   */
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

/**
 * Output of the CPU twin of our layer with `config.dtype` experts on x: the reference layer on
 * the weights quantised and dequantised as the kernels read them. Only the experts the router
 * picks are quantised (scales are per expert, so an expert alone quantises the same), which keeps
 * the check affordable at the full shapes.
 */
export function quantisedTwinOutput(
  config: LayerModel['config'],
  w: MoeWeights,
  x: Float32Array,
  T: number,
): Float32Array {
  const { D, I, E, k } = config;
  const r = routerReference(x, w.Wr, T, D, E, k, config.scoring, config.renormalize, w.routerBias);
  const hit = [...new Set(Array.from(r.topkIds))].filter((e) => e >= 0).sort((a, b) => a - b);
  const map = new Int32Array(E).fill(-1);
  hit.forEach((e, j) => (map[e] = j));
  const slice = (a: Float32Array) => {
    const out = new Float32Array(hit.length * D * I);
    hit.forEach((e, j) => out.set(a.subarray(e * D * I, (e + 1) * D * I), j * D * I));
    return out;
  };
  const local = storedWeights(config, { ...w, W1: slice(w.W1), W3: slice(w.W3), W2: slice(w.W2) });
  return moeLayerReference(config, local, x, T, { expertMap: map }).out;
}

export const layerFlops = (m: LayerModel, T: number): number =>
  2 * T * m.config.k * 3 * m.config.D * m.config.I + 2 * T * m.config.D * m.config.E;

/**
 * Times `variant` at every T that fits; the dense-masked variant's T·E·I activations may not, and
 * those rows say so. `full` picks more repetitions. With `format` int8 / int4 the experts are
 * quantised on upload and the first forward is checked against the CPU twin (every T in the
 * quick size; the smallest T in the full size, where the twin's CPU GEMMs take seconds).
 * `gemmTile` 128 times the wide grouped-GEMM tile, at the Ts where the tiled GEMM runs.
 */
/** The fastest router kernel seen per model in this process: the GPU's clock thermometer. */
const fastestRouterMs = new Map<string, number>();

export async function timeOurLayer(
  device: GPUDevice,
  m: LayerModel,
  weights: MoeWeights,
  Ts: number[],
  variant: MoeVariant,
  full: boolean,
  onRow: (r: LayerRow) => void,
  check: () => void,
  format: WeightFormat = 'f32',
  gemmTile: GemmTile = 64,
): Promise<void> {
  const c = { ...m.config, dtype: format };
  const tag = {
    ...(format === 'f32' ? {} : { format }),
    ...(gemmTile === 64 ? {} : { gemmTile }),
  };
  const rowOf = (T: number, error?: string): LayerRow => ({
    ...emptyRow(m, T, variant, error),
    ...tag,
  });
  let layer: MoeLayer | null = null;
  let fitsT = 0;
  let lastError = '';
  for (const tryT of [...Ts].reverse()) {
    try {
      layer = await MoeLayer.create(device, c, weights, { maxTokens: tryT, variant, gemmTile });
      fitsT = tryT;
      break;
    } catch (e) {
      lastError = (e as Error).message.slice(0, 160);
    }
  }
  if (!layer) {
    for (const T of Ts) onRow(rowOf(T, lastError));
    return;
  }
  const expertBytes = expertBytesIn(format, c.D, c.I);
  const twinAtT = (T: number) => format !== 'f32' && (!full || T === Math.min(...Ts));
  const xBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
  const outBuf = device.createBuffer({ size: fitsT * c.D * 4, usage: STORAGE });
  try {
    for (const T of Ts) {
      check();
      if (T > fitsT) {
        onRow(rowOf(T, 'does not fit the device (T·E·I activations)'));
        continue;
      }
      // Another tile of the tiled GEMM says nothing where the decode path runs: no row.
      if (gemmTile !== 64 && layer.gemmPathAt(T) === 'decode') continue;
      const x = fastFill(T * c.D, 1, 10 + T);
      device.queue.writeBuffer(xBuf, 0, x as Float32Array<ArrayBuffer>);
      const reps = full ? (T >= 512 && c.D * c.I >= 2 ** 23 ? 3 : 7) : T >= 64 ? 1 : 3;
      // Warm-up burst of back-to-back forwards (warmUpMs: a GPU's clocks drop while it idles).
      // The burst runs the layer at its largest T, whatever T is timed: a T = 1 forward is too
      // light to keep a big GPU busy. A few forwards at T itself follow, so its pipelines and
      // caches are warm too. (The quick size on a software GPU warms at T: there the burst times
      // the harness, not clocks.)
      const burstT = full ? fitsT : T;
      const timeRow = async () => {
        const burstStart = performance.now();
        for (let i = 0; performance.now() - burstStart < warmUpMs(full); i++) {
          await layer!.forward({ x: xBuf, out: outBuf, T: burstT });
          if (i % 4 === 3) await device.queue.onSubmittedWorkDone();
        }
        for (let i = 0; i < 3; i++) await layer!.forward({ x: xBuf, out: outBuf, T });
        await device.queue.onSubmittedWorkDone();
        const gpu: number[] = [];
        let kernelMs: Record<string, number> | null = null;
        let dispatches = 0;
        for (let i = 1; i <= reps; i++) {
          const r = await layer!.run({ x, T });
          dispatches = r.dispatches;
          if (r.kernelMs) {
            gpu.push(Object.values(r.kernelMs).reduce((a, b) => a + b, 0));
            if (!kernelMs || gpu.length === Math.ceil(reps / 2)) kernelMs = r.kernelMs;
          }
        }
        const walls: number[] = [];
        for (let i = 0; i <= reps; i++) {
          const t0 = performance.now();
          await layer!.forward({ x: xBuf, out: outBuf, T });
          await device.queue.onSubmittedWorkDone();
          if (i > 0) walls.push(performance.now() - t0);
        }
        return { gpu, kernelMs, dispatches, walls };
      };
      // The first run checks the output and counts the experts hit (untimed).
      const first = await layer.run({ x, T });
      const hit = Array.from(first.trace.counts).filter((n) => n > 0).length;
      const relErr = twinAtT(T)
        ? maxRelError(first.out, quantisedTwinOutput(c, weights, x, T))
        : null;
      // A row timed while the GPU was in a slow state (its router, the same small kernel in
      // every row of a model, ≥ SLOW_ROUTER_RATIO × the fastest seen) is timed again, at most
      // twice more; the report still names a row that stayed slow (clockState.ts).
      let timed = await timeRow();
      for (let again = 0; full && again < 2; again++) {
        const router = timed.kernelMs?.router;
        const fastest = fastestRouterMs.get(m.name);
        if (router === undefined || fastest === undefined || router < SLOW_ROUTER_RATIO * fastest)
          break;
        const retry = await timeRow();
        if ((retry.kernelMs?.router ?? Infinity) < router) timed = retry;
      }
      const router = timed.kernelMs?.router;
      if (router !== undefined && router > 0)
        fastestRouterMs.set(m.name, Math.min(fastestRouterMs.get(m.name) ?? Infinity, router));
      const { gpu, kernelMs, dispatches, walls } = timed;
      onRow({
        ...rowOf(T),
        gpuMs: gpu.length ? median(gpu) : null,
        wallMs: median(walls),
        kernelMs,
        dispatches,
        expertsHit: hit,
        bytesTouched: hit * expertBytes + c.D * c.E * 4,
        flops: layerFlops(m, T),
        ...(format === 'f32' ? {} : { relErr }),
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
  weights: MoeWeights,
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
