// onnxruntime-web running the same MoE layer, on the same GPUDevice as our kernels, with the
// weights already on the GPU (graph inputs fed as GPU buffers) and the output left there:
//  - 'ortDenseMasked': standard ONNX ops, every expert on every token;
//  - 'ortQMoE': onnxruntime's QMoE contrib op with 4-bit block-quantised weights.
// Timed by wall clock (session.run + queue drain): ORT's passes carry no timestamps of ours.
import { moeLayerReference, maxRelError } from '../kernels/reference';
import type { MoeWeights } from '../kernels/types';
import { DispatchCounter } from './dispatchCounter';
import { fastFill, type LayerModel } from './layerCases';
import { denseMaskedMoeGraph, qmoeGraph, qmoeSupport } from './ortMoeGraphs';
import { emptyRow, layerFlops, type LayerRow } from './ourLayer';
import { quantizeQmoe } from './quantize4';
import { median, STORAGE, warmUpMs } from './timing';

import type { OrtModule } from '../engine/ortSetup';

export type { OrtModule };
type OrtTensor = InstanceType<OrtModule['Tensor']>;
type Feed = { name: string; data: Float32Array | Uint8Array; dims: number[] };

export type OrtLayerKind = 'ortDenseMasked' | 'ortQMoE';

export type OrtLayerArgs = {
  device: GPUDevice;
  ort: OrtModule;
  model: LayerModel;
  weights: MoeWeights;
  Ts: number[];
  kind: OrtLayerKind;
  full: boolean;
  onRow: (r: LayerRow) => void;
  check: () => void;
  /** Our fused layer's output at T for input x (the dense-masked rows are checked against it). */
  fusedOut: (x: Float32Array, T: number) => Promise<Float32Array>;
};

function upload(device: GPUDevice, ort: OrtModule, f: Feed, owned: GPUBuffer[]): OrtTensor {
  const size = Math.ceil(f.data.byteLength / 4) * 4;
  const buffer = device.createBuffer({ size, usage: STORAGE });
  owned.push(buffer);
  if (f.data.byteLength % 4 === 0)
    device.queue.writeBuffer(buffer, 0, f.data as Float32Array<ArrayBuffer>);
  else {
    const padded = new Uint8Array(size);
    padded.set(new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    device.queue.writeBuffer(buffer, 0, padded);
  }
  return ort.Tensor.fromGpuBuffer(buffer, {
    dataType: f.data instanceof Uint8Array ? 'uint8' : 'float32',
    dims: f.dims,
  }) as OrtTensor;
}

export async function timeOrtLayer(a: OrtLayerArgs): Promise<void> {
  const { device, ort, model: m, weights: w, Ts, kind, full } = a;
  const c = m.config;
  let graph: Uint8Array;
  let weightFeeds: Feed[];
  let dequantized: MoeWeights | null = null;
  let bytesPerExpert = 3 * c.D * c.I * 4;
  let bytesAllExperts = false;
  try {
    if (kind === 'ortDenseMasked') {
      graph = denseMaskedMoeGraph(c);
      bytesAllExperts = true; // every expert's weights are read for every call
      weightFeeds = [
        { name: 'W1', data: w.W1, dims: [c.E, c.D, c.I] },
        { name: 'W3', data: w.W3, dims: [c.E, c.D, c.I] },
        { name: 'W2', data: w.W2, dims: [c.E, c.I, c.D] },
      ];
    } else {
      const support = qmoeSupport(c);
      if (!('blockSize' in support)) throw new Error(support.reason);
      if (!full && c.E >= 256)
        throw new Error(
          "skipped in the quick size: QMoE's gate sorts all E scores with a one-workgroup bubble sort (E² barrier steps per token), 30 s per T = 64 call at E = 256 on SwiftShader",
        );
      const bs = support.blockSize;
      graph = qmoeGraph(c, bs);
      bytesPerExpert = (3 * c.D * c.I) / 2 + ((3 * c.D * c.I) / bs) * 4;
      // Quick: quantise the real weights and check against the reference on their dequantised
      // values. Full: random codes and scales of the right shapes (quantising 1.4 G values in
      // JavaScript would take minutes, and the timing does not depend on the values).
      const q = full
        ? {
            fc1: fillBytes((c.E * 2 * c.I * c.D) / 2, 5),
            fc1Scales: fastFill((c.E * 2 * c.I * c.D) / bs, 0.02, 6),
            fc2: fillBytes((c.E * c.D * c.I) / 2, 7),
            fc2Scales: fastFill((c.E * c.D * c.I) / bs, 0.02, 8),
            dequantized: null,
          }
        : quantizeQmoe(c, w, bs);
      dequantized = q.dequantized;
      weightFeeds = [
        { name: 'fc1', data: q.fc1, dims: [c.E, 2 * c.I, c.D / 2] },
        { name: 'fc1Scales', data: q.fc1Scales, dims: [c.E, 2 * c.I, c.D / bs] },
        { name: 'fc2', data: q.fc2, dims: [c.E, c.D, c.I / 2] },
        { name: 'fc2Scales', data: q.fc2Scales, dims: [c.E, c.D, c.I / bs] },
      ];
    }
  } catch (e) {
    for (const T of Ts) a.onRow(emptyRow(m, T, kind, (e as Error).message));
    return;
  }

  const owned: GPUBuffer[] = [];
  let session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>> | null = null;
  try {
    const feeds: Record<string, OrtTensor> = {};
    for (const f of [{ name: 'Wr', data: w.Wr, dims: [c.D, c.E] }, ...weightFeeds])
      feeds[f.name] = upload(device, ort, f, owned);
    session = await ort.InferenceSession.create(graph, {
      executionProviders: [{ name: 'webgpu', device } as never],
      preferredOutputLocation: 'gpu-buffer',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    const maxBinding = device.limits.maxStorageBufferBindingSize;
    for (const T of Ts) {
      a.check();
      if (kind === 'ortDenseMasked' && c.E * T * Math.max(c.I, c.D) * 4 > maxBinding) {
        a.onRow(
          emptyRow(
            m,
            T,
            kind,
            `[E, T, I] activations exceed the ${(maxBinding / 2 ** 30).toFixed(1)} GiB binding limit`,
          ),
        );
        continue;
      }
      const x = fastFill(T * c.D, 1, 10 + T);
      const xBufs: GPUBuffer[] = [];
      try {
        feeds['x'] = upload(device, ort, { name: 'x', data: x, dims: [T, c.D] }, xBufs);
        const runOnce = async (): Promise<OrtTensor> => {
          const out = await session!.run(feeds);
          await device.queue.onSubmittedWorkDone();
          return out['y'] as OrtTensor;
        };
        // First runs compile ORT's shaders; then the same warm-up burst as ours.
        for (let i = 0; i < (full ? 2 : 1); i++) (await runOnce()).dispose();
        const burstStart = performance.now();
        while (performance.now() - burstStart < warmUpMs(full)) (await runOnce()).dispose();
        const counter = DispatchCounter.start(device);
        let dispatches = 0;
        let relErr: number | null = null;
        try {
          const y = await runOnce();
          dispatches = counter.take();
          const got = (await y.getData()) as Float32Array;
          y.dispose();
          const want =
            kind === 'ortDenseMasked'
              ? await a.fusedOut(x, T)
              : dequantized
                ? moeLayerReference(c, dequantized, x, T).out
                : null;
          relErr = want ? maxRelError(got, want) : null;
        } finally {
          counter.stop();
        }
        const reps = full ? (T >= 512 && c.D * c.I >= 2 ** 23 ? 3 : 7) : T >= 64 ? 1 : 3;
        const walls: number[] = [];
        for (let i = 0; i < reps; i++) {
          const t0 = performance.now();
          const y = await runOnce();
          walls.push(performance.now() - t0);
          y.dispose();
        }
        a.onRow({
          ...emptyRow(m, T, kind),
          wallMs: median(walls),
          dispatches,
          expertsHit: bytesAllExperts ? c.E : 0,
          bytesTouched:
            (bytesAllExperts ? c.E : Math.min(c.E, T * c.k)) * bytesPerExpert + c.D * c.E * 4,
          flops: bytesAllExperts
            ? 2 * T * c.E * 3 * c.D * c.I + 2 * T * c.D * c.E
            : layerFlops(m, T),
          relErr,
        });
      } catch (e) {
        a.onRow(emptyRow(m, T, kind, (e as Error).message.slice(0, 200)));
      } finally {
        for (const b of xBufs) b.destroy();
      }
    }
  } catch (e) {
    for (const T of Ts) a.onRow(emptyRow(m, T, kind, (e as Error).message.slice(0, 200)));
  } finally {
    await session?.release();
    for (const b of owned) b.destroy();
  }
}

function fillBytes(n: number, seed: number): Uint8Array {
  const f = fastFill(Math.min(n, 4099), 1, seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < f.length; i++) out[i] = Math.floor((f[i]! + 1) * 127.99);
  for (let len = f.length; len < n; len *= 2) out.copyWithin(len, 0, Math.min(len, n - len));
  return out;
}
