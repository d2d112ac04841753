// One benchmark of the Performance panel, run by the engine on its own GPU device (the same
// device, weights cache and pipelines the lab uses — never a second device). Loaded on demand:
// the benchmark code stays out of the engine's first chunk.
import { adapterText, type GpuStatus } from '../gpu/gpuInfo';
import { fetchPackFiles } from '../engine/fetchPack';
import { withOrtBuild } from '../engine/ortBuilds';
import { ort } from '../engine/ortSetup';
import { validatePack } from '../model/pack';
import { runLayerBench } from './layerBench';
import { runModelBench } from './modelBench';
import type { BenchHooks, BenchReport, BenchRequest } from './types';

export async function runBenchmark(
  req: BenchRequest,
  gpu: GpuStatus,
  hooks: BenchHooks,
): Promise<BenchReport> {
  const device = gpu.kind === 'webgpu' ? gpu.device : null;
  const deviceText = gpu.kind === 'webgpu' ? adapterText(gpu.info) : 'the CPU only (no WebGPU)';
  if (req.kind === 'model') {
    hooks.onProgress?.({ message: 'loading the model pack', fraction: 0 });
    const files = await fetchPackFiles(
      req.packUrl,
      () => undefined,
      () => undefined,
    );
    const pack = await validatePack(files);
    const packId = req.packUrl.replace(/\/$/, '').split('/').pop() ?? 'model';
    return runModelBench(
      {
        pack,
        packId,
        device,
        noGpuReason: gpu.kind === 'webgpu' ? undefined : gpu.reason,
        runtime: req.runtime,
        deviceText,
        withOrtBuild: (build, fn) => withOrtBuild(build, req.ortWasmBase, fn),
      },
      req.size,
      hooks,
    );
  }
  if (gpu.kind !== 'webgpu')
    throw new Error(
      `The ${req.kind === 'layer' ? 'MoE layer' : 'align & sort'} benchmark runs our WebGPU kernels, and there is no WebGPU device here: ${gpu.reason} The whole-model benchmark still runs, on the CPU (wasm).`,
    );
  return runLayerBench(
    {
      device: gpu.device,
      ort: req.kind === 'layer' ? ort : null,
      runtime: req.runtime,
      deviceText,
    },
    req.size,
    hooks,
    { layer: req.kind === 'layer', align: req.kind === 'align', only: req.shapes },
  );
}
