// A WebGPU device in Node (Dawn through the `webgpu` package; SwiftShader on this machine) for
// the gpu test project and the kernel benchmark. Never imported by the app.
import { create, globals } from 'webgpu';

let cached: Promise<GPUDevice> | null = null;
// The GPU instance must stay referenced for the life of the process: if it is garbage
// collected, Dawn's event-processing timer dereferences a freed instance and the process dies
// at random (SIGSEGV in CallbackTaskManager::Flush, "futex facility returned an unexpected
// error code", "terminate called ... std::system_error").
let instance: GPU | null = null;

/** One device per process, with timestamp-query and shader-f16 where the adapter has them. */
export function nodeDevice(): Promise<GPUDevice> {
  if (!cached) cached = open();
  return cached;
}

async function open(): Promise<GPUDevice> {
  Object.assign(globalThis, globals);
  instance = create([]);
  const adapter = await instance.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter: run under scripts/with-swiftshader.sh');
  const wanted: GPUFeatureName[] = ['timestamp-query', 'shader-f16'];
  const device = await adapter.requestDevice({
    requiredFeatures: wanted.filter((f) => adapter.features.has(f)),
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  device.addEventListener('uncapturederror', (e) => {
    // Surface validation errors loudly: a silently skipped dispatch would look like a bug elsewhere.
    console.error('WebGPU error:', (e as GPUUncapturedErrorEvent).error.message);
  });
  return device;
}
