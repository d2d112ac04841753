// The hardware's own limits, measured in the same run as the kernels they judge: copy bandwidth
// (a vec4 shader copy) and a dense f32 matmul rate (64×64 tiles, 4×4 outputs per thread).
import { bindGroup, overrideConstants } from '../kernels/shaderSpec';
import { floorCopyShader, floorMatmulShader } from './benchShaders';
import { computePipeline, STORAGE, timePass } from './timing';
import type { BenchSize } from './types';

export type Floors = {
  copy: { bytes: number; ms: number; GBps: number };
  matmul: { n: number; ms: number; TFLOPs: number };
};

export async function copyFloor(device: GPUDevice, size: BenchSize): Promise<Floors['copy']> {
  const bytes = (size === 'full' ? 256 : 16) * 2 ** 20;
  const p = computePipeline(device, floorCopyShader.source);
  const a = device.createBuffer({ size: bytes, usage: STORAGE });
  const b = device.createBuffer({ size: bytes, usage: STORAGE });
  const bg = bindGroup(device, p, floorCopyShader, { s: a, d: b }, 'copy floor');
  const groups = bytes / 16 / 256;
  const gx = Math.min(groups, 32768);
  try {
    const t = await timePass(
      device,
      (pass) => {
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(gx, groups / gx);
      },
      size === 'full' ? 10 : 3,
    );
    const ms = t.gpuMs ?? t.wallMs;
    return { bytes: 2 * bytes, ms, GBps: (2 * bytes) / ms / 1e6 };
  } finally {
    a.destroy();
    b.destroy();
  }
}

export async function matmulFloor(device: GPUDevice, size: BenchSize): Promise<Floors['matmul']> {
  const n = size === 'full' ? 4096 : 256;
  const p = computePipeline(
    device,
    floorMatmulShader.source,
    overrideConstants(floorMatmulShader, { n }),
  );
  const [A, B, C] = [0, 1, 2].map(() => device.createBuffer({ size: n * n * 4, usage: STORAGE }));
  const bufs = [A!, B!, C!];
  const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(A!, 0, init);
  device.queue.writeBuffer(B!, 0, init);
  const bg = bindGroup(device, p, floorMatmulShader, { A, B, C }, 'matmul floor');
  try {
    const t = await timePass(
      device,
      (pass) => {
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(n / 64, n / 64);
      },
      size === 'full' ? 5 : 2,
    );
    const ms = t.gpuMs ?? t.wallMs;
    return { n, ms, TFLOPs: (2 * n ** 3) / ms / 1e9 };
  } finally {
    for (const b of bufs) b.destroy();
  }
}

export async function measureFloors(device: GPUDevice, size: BenchSize): Promise<Floors> {
  return { copy: await copyFloor(device, size), matmul: await matmulFloor(device, size) };
}
