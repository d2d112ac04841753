// Builds the WebGPU backend inside the worker, or says why it cannot.
import { detectGpu } from '../gpu/detectGpu';
import type { EnginePack } from './enginePack';
import { GpuBackend } from './gpuBackend';

export async function createGpuBackend(
  pack: EnginePack,
  onLost: (reason: string) => void,
): Promise<{ backend: GpuBackend; adapter: string }> {
  const status = await detectGpu(globalThis.navigator?.gpu);
  if (status.kind !== 'webgpu') throw new Error(status.reason);
  // A lost device (driver reset, device.destroy(), a GPU hang) ends every GPU object made on it.
  void status.device.lost.then((info) => onLost(info.message || info.reason || 'unknown reason'));
  const backend = await GpuBackend.create(status.device, pack);
  const { vendor, architecture } = status.info;
  return { backend, adapter: [vendor, architecture].filter(Boolean).join(' · ') };
}
