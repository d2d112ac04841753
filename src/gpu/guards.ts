// Small checks that fail loudly and clearly before a GPU allocation, never after a crash.

export class GpuLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuLimitError';
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Refuses a storage binding larger than the device allows, naming what it was for. */
export function assertBindingFits(device: GPUDevice, bytes: number, what: string): void {
  const max = device.limits.maxStorageBufferBindingSize;
  if (bytes > max) {
    throw new GpuLimitError(
      `${what} needs ${mib(bytes)} in one storage binding; this GPU allows ${mib(max)}. Use a smaller size.`,
    );
  }
}

export function assertWorkgroupStorageFits(device: GPUDevice, bytes: number, what: string): void {
  const max = device.limits.maxComputeWorkgroupStorageSize;
  if (bytes > max) {
    throw new GpuLimitError(
      `${what} needs ${bytes} bytes of workgroup memory; this GPU allows ${max}.`,
    );
  }
}

export function assertWorkgroupCount(device: GPUDevice, count: number, what: string): void {
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  if (count > max) {
    throw new GpuLimitError(
      `${what} needs ${count} workgroups in one dimension; this GPU allows ${max}.`,
    );
  }
}

/** Refuses a size parameter above what a kernel was written for. */
export function assertAtMost(value: number, max: number, what: string): void {
  if (!(value <= max)) {
    throw new GpuLimitError(`${what} is ${value}; at most ${max} is supported.`);
  }
}
