// onnxruntime-web's WebGPU EP in Node, on a Dawn device from the `webgpu` package (SwiftShader
// here, the H100's Vulkan driver on the GPU machine). Two things make it work:
//  - `navigator.gpu` must exist before ORT loads (Node 20 has no `navigator`);
//  - ORT's wasm memory is a SharedArrayBuffer and Dawn-in-Node rejects `writeBuffer` from a view
//    on shared memory ("Invalid argument"), so such writes are copied into a plain buffer first.
// Benchmarks only; the app runs ORT in the browser, where neither is needed.
import { create, globals } from 'webgpu';

export type DawnOrt = {
  device: GPUDevice;
  ort: typeof import('onnxruntime-web');
  /** Keep referenced for the life of the process: Dawn crashes at random once it is collected. */
  instance: GPU;
};

/** `ortDir`: the folder holding ort.webgpu.min.mjs and ort-wasm-simd-threaded.asyncify.{mjs,wasm}. */
export async function openDawnOrt(ortDir: string, dawnFlags: string[] = []): Promise<DawnOrt> {
  Object.assign(globalThis, globals);
  const instance = create(dawnFlags);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu: instance } });
  else if (!g.navigator.gpu) Object.assign(g.navigator, { gpu: instance });
  const adapter = await instance.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new Error(
      'no WebGPU adapter: run under scripts/with-swiftshader.sh or on the GPU machine',
    );
  const device = await adapter.requestDevice({
    requiredFeatures: (['timestamp-query', 'shader-f16'] as GPUFeatureName[]).filter((f) =>
      adapter.features.has(f),
    ),
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
    },
  });
  device.addEventListener('uncapturederror', (e) => {
    console.error('WebGPU error:', (e as GPUUncapturedErrorEvent).error.message);
  });
  copySharedWrites(device.queue);
  const dir = ortDir.endsWith('/') ? ortDir : `${ortDir}/`;
  const ort = (await import(/* @vite-ignore */ `${dir}ort.webgpu.min.mjs`)) as DawnOrt['ort'];
  ort.env.wasm.wasmPaths = dir;
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return { device, ort, instance };
}

function copySharedWrites(queue: GPUQueue): void {
  const proto = Object.getPrototypeOf(queue) as GPUQueue & { __sharedCopy?: true };
  if (proto.__sharedCopy) return;
  const write = proto.writeBuffer;
  proto.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    offset: number,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: number,
    size?: number,
  ) {
    const view = ArrayBuffer.isView(data) ? data : null;
    if (view && view.buffer instanceof SharedArrayBuffer) {
      // dataOffset and size count elements of a typed array, bytes of a DataView.
      const el = 'BYTES_PER_ELEMENT' in view ? (view.BYTES_PER_ELEMENT as number) : 1;
      const start = view.byteOffset + (dataOffset ?? 0) * el;
      const len = size === undefined ? view.byteLength - (dataOffset ?? 0) * el : size * el;
      return write.call(this, buffer, offset, new Uint8Array(view.buffer, start, len).slice());
    }
    return write.call(this, buffer, offset, data as BufferSource, dataOffset, size);
  } as GPUQueue['writeBuffer'];
  proto.__sharedCopy = true;
}
