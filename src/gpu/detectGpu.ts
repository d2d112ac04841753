// Finds a WebGPU device, or says plainly why there is none. "No WebGPU" is a normal outcome
// (Firefox without it, old Safari, a locked-down lab PC): it resolves, it does not throw.
import type { GpuInfo, GpuStatus } from './gpuInfo';

const WANTED_FEATURES = ['timestamp-query', 'shader-f16', 'subgroups'] as const;

export function describeAdapter(adapter: GPUAdapter): GpuInfo {
  const info = adapter.info;
  const l = adapter.limits;
  return {
    vendor: info.vendor || 'unknown vendor',
    architecture: info.architecture || '',
    device: info.device || '',
    description: info.description || '',
    // `isFallbackAdapter` moved from the adapter to its info; read both.
    isFallbackAdapter: Boolean(
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
    features: {
      timestampQuery: adapter.features.has('timestamp-query'),
      shaderF16: adapter.features.has('shader-f16'),
      subgroups: adapter.features.has('subgroups'),
    },
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  };
}

/**
 * Requests an adapter and a device with the adapter's own limits (the kernels need large
 * storage bindings) and every optional feature the lab can use.
 */
export async function detectGpu(
  gpu: GPU | undefined = globalThis.navigator?.gpu,
): Promise<GpuStatus> {
  if (!gpu) {
    return {
      kind: 'unavailable',
      reason: 'This browser does not offer WebGPU.',
      detail: 'navigator.gpu is missing (for example Firefox without WebGPU, or an older Safari).',
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return {
      kind: 'unavailable',
      reason: 'The browser refused to give a GPU adapter.',
      detail: String(err),
    };
  }
  if (!adapter) {
    return {
      kind: 'unavailable',
      reason: 'WebGPU is present but no GPU adapter is available.',
      detail: 'The GPU may be blocked by policy or the driver is not supported.',
    };
  }
  const info = describeAdapter(adapter);
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  try {
    const device = await adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxStorageBufferBindingSize: info.limits.maxStorageBufferBindingSize,
        maxBufferSize: info.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: info.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: info.limits.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: info.limits.maxStorageBuffersPerShaderStage,
      },
    });
    return { kind: 'webgpu', info, device };
  } catch (err) {
    return {
      kind: 'unavailable',
      reason: 'The GPU adapter could not create a device.',
      detail: String(err),
    };
  }
}
