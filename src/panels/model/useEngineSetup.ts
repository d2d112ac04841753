// Loads the chosen model into the engine when a view that needs it is open, on the backend the
// settings ask for and the browser can give. The load is a react-query resource (one per model
// and backend), so every view shares it and a failed load can be retried.
import { useQuery } from '@tanstack/react-query';
import { loadModel } from '../../engine/engineActions';
import { useGpu } from '../../gpu/useGpu';
import { useLabStore } from '../../state/labStore';

export function useEngineSetup() {
  const model = useLabStore((s) => s.settings.model);
  const wanted = useLabStore((s) => s.settings.engineBackend);
  const gpu = useGpu();
  const prefer = wanted === 'cpu' || gpu.data?.kind !== 'webgpu' ? 'cpu' : 'webgpu';
  return useQuery({
    queryKey: ['engine-model', model, prefer],
    queryFn: async () => {
      await loadModel(model, prefer);
      return { model, prefer };
    },
    enabled: !gpu.isPending,
    // Re-run on every switch back: loadModel itself skips a load that is already in place.
    staleTime: 0,
    retry: false,
  });
}
