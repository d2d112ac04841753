// Copies a GPU buffer back to the CPU as a typed array (the lab draws intermediates).

type TypedArrayCtor<T> = { new (buffer: ArrayBuffer): T };

export async function readBuffer<T>(
  device: GPUDevice,
  src: GPUBuffer,
  Ctor: TypedArrayCtor<T>,
  byteLength = src.size,
): Promise<T> {
  const staging = device.createBuffer({
    size: byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: 'readback' });
  encoder.copyBufferToBuffer(src, 0, staging, 0, byteLength);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return new Ctor(copy);
}
