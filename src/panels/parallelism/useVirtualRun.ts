// Runs the virtual GPUs for the current settings, as a job of the engine (its device, its loaded
// weights and the last run's recorded layer inputs, which never leave the worker): on the trained
// model's last traced prefill, or on the random stack. Results are keyed by everything they
// depend on, and the previous one stays on screen while the next computes.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { engine } from '../../engine/engineHost';
import type { VirtualRunRequest } from '../../engine/protocol';
import { useRunStore } from '../../engine/runStore';
import { useEngineGpu } from '../../engine/useEngineGpu';
import type { VirtualRunSpec } from '../../parallel/virtualRun';
import { useLabStore } from '../../state/labStore';

// Each run's prefill trace gets a number, so a finished run's decode steps do not re-key the query.
const traceIds = new WeakMap<object, number>();
let nextTraceId = 1;
function traceId(step: object): number {
  let id = traceIds.get(step);
  if (id === undefined) traceIds.set(step, (id = nextTraceId++));
  return id;
}

export function useVirtualSpec(): VirtualRunSpec {
  const s = useLabStore((st) => st.settings);
  return {
    strategy: s.strategy,
    gpus: Number(s.gpus),
    tp: s.strategy === 'tp-ep' ? Number(s.parTp) : 1,
    placement: s.placement,
    microBatches: s.microBatches,
  };
}

export function useVirtualRun() {
  const settings = useLabStore((st) => st.settings);
  const spec = useVirtualSpec();
  const gpu = useEngineGpu();
  const hasWebGpu = gpu.data?.kind === 'webgpu';
  const steps = useRunStore((st) => st.steps);
  const modelId = useRunStore((st) => st.modelId);
  const prefill = steps.find((st) => st.phase === 'prefill' && st.layers.length > 0);
  const source = settings.parSource;
  const layer = prefill ? Math.min(settings.vizLayer, prefill.layers.length - 1) : 0;
  const request: VirtualRunRequest = {
    spec,
    source,
    layer,
    random: {
      experts: settings.parExperts,
      topK: settings.parTopK,
      batch: settings.parBatch,
      skew: settings.parSkew,
    },
  };
  const ready = hasWebGpu && (source === 'random' || !!prefill);
  const run = useQuery({
    queryKey: [
      'virtual-run',
      spec,
      source,
      source === 'random' ? request.random : [modelId, prefill ? traceId(prefill) : null, layer],
    ],
    enabled: ready,
    retry: false,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: () => engine().virtualRun(request),
  });
  return { spec, hasWebGpu, gpu, prefill, run, source, layer };
}
