// Runs shaders/selftest.wgsl on the lab's device and checks it against the CPU, so the user
// (and the e2e test) sees that real GPU compute works here, with its numbers.
import { selfTestShader } from '../kernels/shaderSpecs';
import { bindGroup, paramsBuffer, writeParams } from '../kernels/shaderSpec';
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
  const module = device.createShaderModule({ label: 'selftest', code: selfTestShader.source });
  const pipeline = await device.createComputePipelineAsync({
    label: 'selftest',
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  // Fields and bindings by name, as the shader declares them (checked by shaderSpecs.test.ts).
  const params = paramsBuffer(device, selfTestShader, 'selftest params');
  writeParams(device, params, selfTestShader, { a, b, n });
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
  const group = bindGroup(
    device,
    pipeline,
    selfTestShader,
    { params, input: inBuf, output: outBuf },
    'selftest',
  );
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass({ label: 'selftest' });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
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
