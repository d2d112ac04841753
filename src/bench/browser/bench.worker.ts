// The Performance panel's benchmarks, off the page's thread: the page stays responsive and its
// rendering does not land inside the timings. The worker asks for its own GPUDevice (the engine's
// stays untouched) and destroys it when the run ends; one run per worker.
import { detectGpu } from '../../gpu/detectGpu';
import { adapterText, type GpuStatus } from '../../gpu/gpuInfo';
import { fetchPackFiles } from '../../engine/fetchPack';
import { configureOrt, ort } from '../../engine/ortSetup';
import { validatePack } from '../../model/pack';
import { runLayerBench } from '../layerBench';
import { runModelBench } from '../modelBench';
import { BenchCancelled, type BenchReport } from '../types';
import type { BenchRequest, FromBenchWorker, ToBenchWorker } from './benchProtocol';

const post = (m: FromBenchWorker) => (self as unknown as Worker).postMessage(m);
const abort = new AbortController();
let started = false;

async function run(req: BenchRequest): Promise<BenchReport> {
  const hooks = {
    signal: abort.signal,
    onProgress: (p: { message: string; fraction: number }) => post({ type: 'progress', ...p }),
  };
  configureOrt(req.ortWasmBase);
  post({ type: 'progress', message: 'asking the browser for a GPU device', fraction: 0 });
  const gpu: GpuStatus = req.noGpuReason
    ? { kind: 'unavailable', reason: req.noGpuReason, detail: '' }
    : await detectGpu(self.navigator.gpu);
  const device = gpu.kind === 'webgpu' ? gpu.device : null;
  const deviceText = gpu.kind === 'webgpu' ? adapterText(gpu.info) : 'the CPU only (no WebGPU)';
  try {
    if (req.kind === 'model') {
      post({ type: 'progress', message: 'loading the default model', fraction: 0 });
      const files = await fetchPackFiles(
        req.packUrl,
        () => undefined,
        () => undefined,
      );
      const pack = await validatePack(files);
      const packId = req.packUrl.replace(/\/$/, '').split('/').pop() ?? 'model';
      return await runModelBench(
        {
          pack,
          packId,
          device,
          noGpuReason: gpu.kind === 'webgpu' ? undefined : gpu.reason,
          runtime: req.runtime,
          deviceText,
        },
        req.size,
        hooks,
      );
    }
    if (gpu.kind !== 'webgpu')
      throw new Error(
        `The ${req.kind === 'layer' ? 'MoE layer' : 'align & sort'} benchmark runs our WebGPU kernels, and there is no WebGPU device here: ${gpu.reason} The whole-model benchmark still runs, on the CPU (wasm).`,
      );
    return await runLayerBench(
      {
        device: gpu.device,
        ort: req.kind === 'layer' ? ort : null,
        runtime: req.runtime,
        deviceText,
      },
      req.size,
      hooks,
      { layer: req.kind === 'layer', align: req.kind === 'align' },
    );
  } finally {
    device?.destroy();
  }
}

self.onmessage = (e: MessageEvent<ToBenchWorker>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    abort.abort();
    return;
  }
  if (started) {
    post({
      type: 'error',
      message: 'This benchmark worker already ran; the page starts a new one.',
    });
    return;
  }
  started = true;
  run(msg.request).then(
    (report) => post({ type: 'done', report }),
    (err: unknown) =>
      post(
        err instanceof BenchCancelled
          ? { type: 'cancelled' }
          : { type: 'error', message: err instanceof Error ? err.message : String(err) },
      ),
  );
};
