// The backend a lesson run asks the engine for: the same choice the views' engine setup makes
// (WebGPU when the browser has it and the settings allow it, else the CPU path).
import type { Backend } from '../../engine/protocol';
import { useGpu } from '../../gpu/useGpu';
import { useLabStore } from '../../state/labStore';

export function useEnginePreference(): Backend {
  const wanted = useLabStore((s) => s.settings.engineBackend);
  const gpu = useGpu();
  return wanted === 'cpu' || gpu.data?.kind !== 'webgpu' ? 'cpu' : 'webgpu';
}
