// Builds the WebGPU backend inside the worker, or says why it cannot.
import { detectGpu } from '../gpu/detectGpu';
import type { EnginePack } from './enginePack';
import { GpuBackend } from './gpuBackend';

export async function createGpuBackend(
  pack: EnginePack,
): Promise<{ backend: GpuBackend; adapter: string }> {
  const status = await detectGpu(globalThis.navigator?.gpu);
  if (status.kind !== 'webgpu') throw new Error(status.reason);
  const backend = await GpuBackend.create(status.device, pack);
  const { vendor, architecture } = status.info;
  return { backend, adapter: [vendor, architecture].filter(Boolean).join(' · ') };
}
