// What the lab knows about the WebGPU device it runs on. Plain data, safe to render.

export type GpuInfo = {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: { timestampQuery: boolean; shaderF16: boolean; subgroups: boolean };
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupsPerDimension: number;
    maxStorageBuffersPerShaderStage: number;
  };
};

export type GpuStatus =
  | { kind: 'webgpu'; info: GpuInfo; device: GPUDevice }
  | { kind: 'unavailable'; reason: string; detail?: string };

/** What the page learns of the engine's GPU: plain data only (the device stays in the worker). */
export type GpuProbe =
  { kind: 'webgpu'; info: GpuInfo } | { kind: 'unavailable'; reason: string; detail?: string };

/** The adapter in words for a report: vendor, architecture, device and driver description. */
export function adapterText(info: {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}): string {
  return [info.vendor, info.architecture, info.device, info.description]
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The backend the lab computes on, as shown to the user. */
export function backendLabel(status: GpuProbe): string {
  return status.kind === 'webgpu'
    ? 'WebGPU (our WGSL kernels + onnxruntime-web WebGPU)'
    : 'CPU (TypeScript kernels + onnxruntime-web wasm)';
}
