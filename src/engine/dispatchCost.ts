// What one dispatch and one submission cost on this device — the two numbers a decode step's
// floor is built from (dispatches × per-dispatch + submits × per-submit). Measured as
// ../shared/gpu/probe.mjs does, by differences so the fixed cost of the wait drops out: a pass
// of N dependent one-thread dispatches against a pass of one, and M one-dispatch submissions
// against one. Wall clock (submit → onSubmittedWorkDone), medians after a warm-up.
import { median } from '../bench/timing';
import type { DispatchCosts } from '../viz/dispatchFloor';

const N = 400;
const M = 64;
const REPS = 5;

export async function measureDispatchCosts(
  device: GPUDevice,
  adapter: string,
): Promise<DispatchCosts> {
  const module = device.createShaderModule({
    label: 'dispatch cost',
    code: `@group(0) @binding(0) var<storage, read_write> d: array<u32>;
@compute @workgroup_size(1) fn main() { d[0] = d[0] + 1u; }`,
  });
  const pipeline = device.createComputePipeline({
    label: 'dispatch cost',
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  // STORAGE as a number (see gpuBackend.ts: the global may be missing in Node).
  const buffer = device.createBuffer({ size: 16, usage: 0x80, label: 'dispatch cost' });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer } }],
  });
  const encodeOne = (dispatches: number) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    for (let i = 0; i < dispatches; i++) pass.dispatchWorkgroups(1);
    pass.end();
    return enc.finish();
  };
  const wall = async (submit: () => void) => {
    const t0 = performance.now();
    submit();
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  const onePass = (n: number) => () => device.queue.submit([encodeOne(n)]);
  const submits = (m: number) => () => {
    for (let i = 0; i < m; i++) device.queue.submit([encodeOne(1)]);
  };
  try {
    const dispatch: number[] = [];
    const submit: number[] = [];
    for (let r = 0; r <= REPS; r++) {
      const one = await wall(onePass(1));
      const many = await wall(onePass(N));
      const manySubmits = await wall(submits(M));
      if (r === 0) continue; // warm-up: pipeline, first submit — never data
      dispatch.push((many - one) / (N - 1));
      submit.push((manySubmits - one) / (M - 1));
    }
    return {
      perDispatchUs: Math.max(0, median(dispatch) * 1000),
      perSubmitUs: Math.max(0, median(submit) * 1000),
      source: 'measured',
      device: adapter,
      at: Date.now(),
    };
  } finally {
    buffer.destroy();
  }
}
