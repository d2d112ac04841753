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

/** The backend the lab computes on, as shown to the user. */
export function backendLabel(status: GpuStatus): string {
  return status.kind === 'webgpu'
    ? 'WebGPU (our WGSL kernels + onnxruntime-web WebGPU)'
    : 'CPU (TypeScript kernels + onnxruntime-web wasm)';
}
