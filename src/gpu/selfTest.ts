// Runs shaders/selftest.wgsl on the lab's device and checks it against the CPU, so the user
// (and the e2e test) sees that real GPU compute works here, with its numbers.
import selfTestWgsl from '../../shaders/selftest.wgsl?raw';
import { readBuffer } from './readBuffer';

export type SelfTestResult = {
  n: number;
  a: number;
  b: number;
  input: Float32Array;
  gpu: Float32Array;
  cpu: Float32Array;
  maxAbsError: number;
  matches: number;
  ms: number;
};

export function selfTestReference(input: Float32Array, a: number, b: number): Float32Array {
  const out = new Float32Array(input.length);
  let sum = 0;
  for (let i = 0; i < input.length; i++) {
    sum += input[i]!;
    out[i] = a * sum + b;
  }
  return out;
}

export async function runSelfTest(
  device: GPUDevice,
  n = 256,
  a = 2,
  b = 1,
): Promise<SelfTestResult> {
  const input = Float32Array.from({ length: n }, (_, i) => i + 1);
  const t0 = performance.now();
  const module = device.createShaderModule({ label: 'selftest', code: selfTestWgsl });
  const pipeline = await device.createComputePipelineAsync({
    label: 'selftest',
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  const params = device.createBuffer({
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const paramData = new ArrayBuffer(16);
  new Float32Array(paramData, 0, 2).set([a, b]);
  new Uint32Array(paramData, 8, 1)[0] = n;
  device.queue.writeBuffer(params, 0, paramData);
  const inBuf = device.createBuffer({
    size: n * 4,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(inBuf, 0, input);
  const outBuf = device.createBuffer({
    size: n * 4,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  // Poison the output so an element the shader fails to write cannot pass by accident.
  device.queue.writeBuffer(outBuf, 0, new Float32Array(n).fill(Number.NaN));
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: params } },
      { binding: 1, resource: { buffer: inBuf } },
      { binding: 2, resource: { buffer: outBuf } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass({ label: 'selftest' });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(1);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const gpu = await readBuffer(device, outBuf, Float32Array);
  const ms = performance.now() - t0;
  params.destroy();
  inBuf.destroy();
  outBuf.destroy();

  const cpu = selfTestReference(input, a, b);
  let maxAbsError = 0;
  let matches = 0;
  for (let i = 0; i < n; i++) {
    const err = Math.abs(gpu[i]! - cpu[i]!);
    maxAbsError = Number.isNaN(err) ? Infinity : Math.max(maxAbsError, err);
    if (err === 0) matches++;
  }
  return { n, a, b, input, gpu, cpu, maxAbsError, matches, ms };
}
