// The WebGPU backend refuses, before any allocation, a context whose preallocated KV cache this
// GPU cannot bind (a pack's max_context may be up to 2^20): a clear error the engine reports,
// never an invalid buffer. The rest of the backend runs on a real device (gpuBackend.gpu.test.ts).
import { describe, expect, it } from 'vitest';
import { GpuLimitError } from '../gpu/guards';
import type { EnginePack } from './enginePack';
import { GpuBackend } from './gpuBackend';

const device = { limits: { maxStorageBufferBindingSize: 128 * 2 ** 20 } } as GPUDevice;
const packWith = (maxContext: number) =>
  ({ config: { kvHeads: 4, headDim: 32, maxContext, layers: 3, hidden: 128 } }) as EnginePack;

describe('GpuBackend.create', () => {
  it('refuses a KV cache larger than one storage binding, naming the context', async () => {
    // 4 heads × 2^20 positions × 32 × 4 B = 512 MiB per layer and sequence, over 128 MiB.
    const err = await GpuBackend.create(device, packWith(1 << 20)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuLimitError);
    expect((err as Error).message).toContain('KV cache of 1048576 positions');
    expect((err as Error).message).toContain('512.0 MiB');
  });

  it('lets a cache that fits past the check (then needs a real device)', async () => {
    // 4 × 2^18 × 32 × 4 B = 128 MiB: exactly the limit, so the guard passes and the fake
    // device fails later, on something else.
    const err = await GpuBackend.create(device, packWith(1 << 18)).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(GpuLimitError);
  });
});
