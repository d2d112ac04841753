// The hardware's own limits, measured in the same run as the kernels they judge: copy bandwidth
// (a vec4 shader copy) and a dense f32 matmul rate (64×64 tiles, 4×4 outputs per thread).
import matmulWgsl from './floorMatmul.wgsl?raw';
import { bindBuffers, computePipeline, STORAGE, timePass } from './timing';
import type { BenchSize } from './types';

export type Floors = {
  copy: { bytes: number; ms: number; GBps: number };
  matmul: { n: number; ms: number; TFLOPs: number };
};

const COPY_WGSL = `@group(0) @binding(0) var<storage, read> s: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> d: array<vec4f>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = g.x + g.y * n.x * 256u; if (i < arrayLength(&d)) { d[i] = s[i]; } }`;

export async function copyFloor(device: GPUDevice, size: BenchSize): Promise<Floors['copy']> {
  const bytes = (size === 'full' ? 256 : 16) * 2 ** 20;
  const p = computePipeline(device, COPY_WGSL);
  const a = device.createBuffer({ size: bytes, usage: STORAGE });
  const b = device.createBuffer({ size: bytes, usage: STORAGE });
  const bg = bindBuffers(device, p, [a, b]);
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
  const p = computePipeline(device, matmulWgsl.replace('const n = 256u;', `const n = ${n}u;`));
  const bufs = [0, 1, 2].map(() => device.createBuffer({ size: n * n * 4, usage: STORAGE }));
  const init = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(bufs[0]!, 0, init);
  device.queue.writeBuffer(bufs[1]!, 0, init);
  const bg = bindBuffers(device, p, bufs);
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
