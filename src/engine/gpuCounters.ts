// Counts every compute dispatch and command-buffer submission on this realm's WebGPU objects —
// onnxruntime-web's WebGPU EP records through the same JS objects as our kernels — so each
// step's trace can say how many of each it took (the Latency view's floor is built on them).
// Installed once by the engine on its device; one counter call per dispatch is all it costs.

type PassProto = {
  dispatchWorkgroups: (...a: unknown[]) => unknown;
  dispatchWorkgroupsIndirect: (...a: unknown[]) => unknown;
};
type QueueProto = { submit: (buffers: Iterable<GPUCommandBuffer>) => unknown };

export type GpuCounts = { dispatches: number; submits: number };

const counts: GpuCounts = { dispatches: 0, submits: 0 };
let installed = false;

/** Wraps the pass and queue prototypes of `device`'s realm (idempotent). */
export function installGpuCounters(device: GPUDevice): void {
  if (installed) return;
  const enc = device.createCommandEncoder({ label: 'counter probe' });
  const pass = enc.beginComputePass();
  pass.end();
  enc.finish();
  const passProto = Object.getPrototypeOf(pass) as PassProto;
  const queueProto = Object.getPrototypeOf(device.queue) as QueueProto;
  const { dispatchWorkgroups, dispatchWorkgroupsIndirect } = passProto;
  const submit = queueProto.submit;
  passProto.dispatchWorkgroups = function (this: unknown, ...a: unknown[]) {
    counts.dispatches++;
    return dispatchWorkgroups.apply(this, a);
  };
  passProto.dispatchWorkgroupsIndirect = function (this: unknown, ...a: unknown[]) {
    counts.dispatches++;
    return dispatchWorkgroupsIndirect.apply(this, a);
  };
  queueProto.submit = function (this: unknown, buffers: Iterable<GPUCommandBuffer>) {
    // An empty submit still costs a queue call, but carries no work: count command buffers.
    const list = [...buffers];
    counts.submits += list.length;
    return submit.call(this, list);
  };
  installed = true;
}

/** Whether counts are being kept (false on the CPU path or before a device). */
export function countingGpu(): boolean {
  return installed;
}

/** Counts since the last take. */
export function takeGpuCounts(): GpuCounts {
  const out = { ...counts };
  counts.dispatches = 0;
  counts.submits = 0;
  return out;
}
