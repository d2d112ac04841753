// The per-step CPU savings of shaderSpec.ts: unchanged Params are not written again and a bind
// group for the same pipeline and buffers is made once — checked on a device that counts calls.
import { describe, expect, it } from 'vitest';
import { bindGroup, defineShader, writeParams } from './shaderSpec';

const spec = defineShader({
  file: 'test.wgsl',
  source: '',
  params: { T: 'u32', scale: 'f32' },
  bindings: { params: [0, 'uniform'], x: [1, 'read'], out: [2, 'read_write'] },
});

function countingDevice() {
  const calls = { writeBuffer: 0, createBindGroup: 0 };
  const device = {
    queue: { writeBuffer: () => void calls.writeBuffer++ },
    createBindGroup: (d: GPUBindGroupDescriptor) => {
      calls.createBindGroup++;
      return { label: d.label } as GPUBindGroup;
    },
  } as unknown as GPUDevice;
  const pipeline = { getBindGroupLayout: () => ({}) } as unknown as GPUComputePipeline;
  return { calls, device, pipeline };
}
const buffer = () => ({}) as GPUBuffer;

describe('writeParams', () => {
  it('writes a buffer again only when its Params change', () => {
    const { calls, device } = countingDevice();
    const [a, b] = [buffer(), buffer()];
    writeParams(device, a, spec, { T: 1, scale: 0.5 });
    writeParams(device, a, spec, { T: 1, scale: 0.5 });
    expect(calls.writeBuffer).toBe(1);
    writeParams(device, a, spec, { T: 2, scale: 0.5 });
    writeParams(device, a, spec, { T: 2, scale: 0.25 });
    expect(calls.writeBuffer).toBe(3);
    // Another buffer with the same values is its own write.
    writeParams(device, b, spec, { T: 2, scale: 0.25 });
    expect(calls.writeBuffer).toBe(4);
    // Back to earlier values: written (only the last write is remembered).
    writeParams(device, a, spec, { T: 1, scale: 0.5 });
    expect(calls.writeBuffer).toBe(5);
  });
});

describe('bindGroup', () => {
  it('makes one bind group per pipeline and set of buffers, whatever their order', () => {
    const { calls, device, pipeline } = countingDevice();
    const [p, x, y, out] = [buffer(), buffer(), buffer(), buffer()];
    const g1 = bindGroup(device, pipeline, spec, { params: p, x, out }, 'one');
    const g2 = bindGroup(device, pipeline, spec, { out, x, params: p }, 'again');
    expect(g2).toBe(g1);
    expect(calls.createBindGroup).toBe(1);
    // A different buffer in one binding, or another pipeline: a new bind group.
    const g3 = bindGroup(device, pipeline, spec, { params: p, x: y, out }, 'other x');
    expect(g3).not.toBe(g1);
    const other = { getBindGroupLayout: () => ({}) } as unknown as GPUComputePipeline;
    bindGroup(device, other, spec, { params: p, x, out }, 'other pipeline');
    expect(calls.createBindGroup).toBe(3);
    // Swapping which buffer sits in which binding is another bind group too.
    bindGroup(device, pipeline, spec, { params: p, x: out, out: x }, 'swapped');
    expect(calls.createBindGroup).toBe(4);
  });
});
