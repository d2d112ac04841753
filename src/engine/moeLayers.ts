// The MoE layers of the loaded model as the knobs want them, built once for every WebGPU path
// (ORT dense + our MoE kernels, and our own WGSL dense path): a pruned FFN, another block size
// or another weight precision is another layer, so the loaded f32 weights are pruned, then
// quantised on upload.
import { MoeLayer } from '../kernels/MoeLayer';
import { kernelConfig } from '../model/moeReference';
import { expertMask } from './cpuBackend';
import type { EnginePack } from './enginePack';
import { precisionOf } from './knobs';
import { pruneExpertFfn } from './pruning';
import type { Knobs } from './types';

export async function buildMoeLayers(
  device: GPUDevice,
  pack: EnginePack,
  knobs: Knobs,
  maxTokens: number,
): Promise<MoeLayer[]> {
  const full = { ...kernelConfig(pack.config, knobs.blockSize), dtype: precisionOf(knobs) };
  const layers: MoeLayer[] = [];
  try {
    for (let l = 0; l < pack.config.layers; l++) {
      const p = pruneExpertFfn(pack.moeWeights(l), full.E, full.D, full.I, knobs.ffnKeep);
      layers.push(await MoeLayer.create(device, { ...full, I: p.I }, p.weights, { maxTokens }));
    }
  } catch (err) {
    // A failed build (out of memory, a lost device) leaves the old layers in charge.
    for (const m of layers) m.destroy();
    throw err;
  }
  return layers;
}

/** The router's expert mask for the knobs (every expert on when none is disabled). */
export function expertMaskOf(experts: number, knobs: Knobs): Uint32Array {
  return expertMask(experts, knobs.disabledExperts) ?? new Uint32Array(experts).fill(1);
}
