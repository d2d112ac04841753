// The GPU status in the header, and the plain-words fallback message when there is no WebGPU.
import { useEngineGpu } from '../engine/useEngineGpu';

export function GpuBadge() {
  const gpu = useEngineGpu();
  if (gpu.isPending) return <span className="badge">Looking for a GPU…</span>;
  const status = gpu.data;
  if (!status || status.kind !== 'webgpu') {
    return (
      <span className="badge badge-cpu" data-testid="gpu-badge" data-backend="cpu">
        CPU / wasm
      </span>
    );
  }
  const name = [status.info.vendor, status.info.architecture].filter(Boolean).join(' · ');
  return (
    <span
      className="badge badge-gpu"
      data-testid="gpu-badge"
      data-backend="webgpu"
      title={status.info.description}
    >
      WebGPU: {name}
      {status.info.isFallbackAdapter ? ' (software)' : ''}
    </span>
  );
}

export function GpuFallbackBanner() {
  const gpu = useEngineGpu();
  const status = gpu.data;
  if (!status || status.kind === 'webgpu') return null;
  return (
    <div className="banner banner-info" role="status" data-testid="gpu-fallback">
      <span>
        <strong>No WebGPU here: the lab runs on the CPU path.</strong>{' '}
        <span className="banner-detail">
          {status.reason} The CPU path is onnxruntime-web on WebAssembly and our TypeScript kernels:
          every view works and shows the same numbers, only more slowly.
        </span>
      </span>
    </div>
  );
}
