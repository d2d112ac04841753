// Runs the virtual GPUs for the current settings: on the trained model's recorded layer inputs
// (the last run's prefill), or on the random stack. Results are keyed by everything they depend
// on and the previous one stays on screen while the next computes.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRunStore } from '../../engine/runStore';
import { useGpu } from '../../gpu/useGpu';
import { routerReference } from '../../kernels/reference';
import { loadMoeWeights } from '../../parallel/modelWeights';
import type { ModelDims } from '../../parallel/modelDims';
import {
  randomConfig,
  randomDims,
  randomLayers,
  randomTokens,
} from '../../parallel/randomWorkload';
import {
  runVirtualGpus,
  type VirtualRunInput,
  type VirtualRunSpec,
} from '../../parallel/virtualRun';
import { kernelConfig } from '../../model/moeReference';
import { useLabStore } from '../../state/labStore';

// Each run's prefill trace gets a number, so a finished run's decode steps do not re-key the query.
const traceIds = new WeakMap<object, number>();
let nextTraceId = 1;
function traceId(step: object): number {
  let id = traceIds.get(step);
  if (id === undefined) traceIds.set(step, (id = nextTraceId++));
  return id;
}

function packUrl(modelId: string): string {
  return new URL(`${import.meta.env.BASE_URL}models/${modelId}/`, window.location.href).href;
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
  const gpu = useGpu();
  const device = gpu.data?.kind === 'webgpu' ? gpu.data.device : null;
  const steps = useRunStore((st) => st.steps);
  const config = useRunStore((st) => st.config);
  const modelId = useRunStore((st) => st.modelId);
  const prefill = steps.find((st) => st.phase === 'prefill' && st.layers[0]?.moeInput);
  const source = settings.parSource;
  const layer = prefill ? Math.min(settings.vizLayer, prefill.layers.length - 1) : 0;

  const weights = useQuery({
    queryKey: ['moe-weights', modelId],
    queryFn: () => loadMoeWeights(packUrl(modelId!), config!),
    enabled: source === 'model' && !!modelId && !!config,
    staleTime: Infinity,
    retry: false,
  });

  const random =
    source === 'random'
      ? {
          experts: settings.experts,
          topK: settings.topK,
          batch: settings.batch,
          skew: settings.skew,
        }
      : null;
  const ready = !!device && (source === 'random' || (!!prefill && !!weights.data && !!config));
  const run = useQuery({
    queryKey: [
      'virtual-run',
      spec,
      source,
      random,
      source === 'model' ? [modelId, prefill ? traceId(prefill) : null, layer] : null,
    ],
    enabled: ready,
    retry: false,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    queryFn: () => runVirtualGpus(device!, spec, source === 'model' ? modelInput() : randomInput()),
  });

  function modelInput(): VirtualRunInput {
    const c = config!;
    const traces = prefill!.layers;
    const t = traces[layer]!;
    const dims: ModelDims = {
      D: c.hidden,
      I: c.expertFfn,
      E: c.experts,
      k: t.k,
      sharedI: c.sharedFfn,
      layers: c.layers,
      heads: c.heads,
      kvHeads: c.kvHeads,
      headDim: c.headDim,
      vocab: c.vocabSize,
      context: c.maxContext,
    };
    return {
      dims,
      config: kernelConfig(c),
      weights: weights.data!,
      layer,
      T: t.T,
      k: t.k,
      sequences: new Set(t.rowSeq).size,
      inputs: {
        kind: 'recorded',
        xs: traces.map((l) => l.moeInput!),
        residuals: traces.map((l) => l.moeResidual!),
      },
      load: Array.from(t.counts),
    };
  }

  function randomInput(): VirtualRunInput {
    const dims = randomDims(settings.experts, settings.topK);
    const config = randomConfig(dims);
    const w = randomLayers(dims);
    const T = settings.batch;
    const x = randomTokens(dims, T, settings.skew);
    // EPLB places by observed load: the router's own choices on this batch (its CPU twin).
    const r = routerReference(x, w[0]!.Wr, T, dims.D, dims.E, dims.k, 'softmax', true);
    const load = new Array<number>(dims.E).fill(0);
    for (const e of r.topkIds) load[e]!++;
    return {
      dims,
      config,
      weights: w,
      layer: 0,
      T,
      k: dims.k,
      sequences: T,
      inputs: { kind: 'chain', x },
      load,
    };
  }

  return { spec, device, gpu, prefill, weights, run, source, layer };
}
