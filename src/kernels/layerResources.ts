// Buffers and bind groups of one MoE layer (split from MoeLayer.ts to keep each file short).
import { assertAtMost, assertBindingFits, assertWorkgroupCount } from '../gpu/guards';
import { maxBlocks, MAX_EXPERTS, type AlignSort } from './align';
import { storage, upload, type MoePipelines } from './pipelines';
import { MAX_TOP_K, type RoutingBuffers } from './router';
import { bindGroup, paramsBuffer } from './shaderSpec';
import { combineShader, groupedGemmShader } from './shaderSpecs';
import { packForGpu, quantize, storedBytes, toF16 } from './weightFormats';

import type { MoeConfig, MoeIo, MoeLayerOptions, MoeVariant, MoeWeights } from './types';

/**
 * Refuses, before any allocation, a layer the kernels or this device cannot take (GpuLimitError
 * names what is too big). Returns the most (token, expert) pairs a call can have.
 */
export function checkLayerFits(
  device: GPUDevice,
  config: MoeConfig,
  w: MoeWeights,
  opts: MoeLayerOptions,
): number {
  const { D, I, E, k, blockSize: BM } = config;
  const Is = config.sharedI ?? 0;
  const Tmax = opts.maxTokens;
  assertAtMost(E, MAX_EXPERTS, 'Number of experts');
  assertAtMost(k, Math.min(E, MAX_TOP_K), 'top-k');
  const El = w.W1.length / (D * I);
  if (!Number.isInteger(El) || El < 1) throw new Error('W1 is not [E_local, D, I]');
  if (!opts.expertMap && El !== E) throw new Error(`W1 holds ${El} experts, config.E is ${E}`);
  const Pmax = Tmax * (opts.variant === 'denseMasked' ? E : k);
  assertWorkgroupCount(device, maxBlocks(Pmax, E, BM), 'Grouped GEMM blocks');
  const stored = (E: number, K: number, N: number) => storedBytes(config.dtype, E, K, N);
  for (const [what, n] of [
    ['W1', stored(El, D, I)],
    ['W2', stored(El, I, D)],
    ['Shared expert S1', stored(1, D, Is)],
    ['Activations (T × D)', Tmax * D * 4],
    ['Shared expert activations (T × Is)', Tmax * Is * 4],
    ['GEMM1 output (T·k × I)', Pmax * I * 4],
    ['GEMM2 output (T·k × D)', Pmax * D * 4],
    ['Router probabilities (T × E)', Tmax * E * 4],
  ] as const)
    assertBindingFits(device, n, what);
  return Pmax;
}

/** Named GPU buffers: weights, intermediates and per-kernel uniforms. */
export type LayerBuffers = Record<string, GPUBuffer>;

export function allocateLayerBuffers(
  dev: GPUDevice,
  c: MoeConfig,
  w: MoeWeights,
  variant: MoeVariant,
  T: number,
  Pmax: number,
): { b: LayerBuffers; u: LayerBuffers } {
  const { D, I, E } = c;
  const Is = c.sharedI ?? 0;
  const b: LayerBuffers = {};
  const u: LayerBuffers = {};
  const El = w.W1.length / (D * I);
  // Weights in the layer's format (quantised: codes, then scales; see weightFormats.ts).
  const wt = (name: string, a: Float32Array, E: number, K: number, N: number) => {
    const f = c.dtype;
    b[name] =
      f === 'f32' || f === 'f16'
        ? upload(dev, f === 'f16' ? toF16(a) : a, name)
        : upload(dev, packForGpu(quantize(f, a, E, K, N)), `${name} ${f}`);
  };
  wt('W1', w.W1, El, D, I);
  wt('W3', w.W3, El, D, I);
  wt('W2', w.W2, El, I, D);
  if (variant === 'denseMasked') {
    b.denseIds = storage(dev, T * E * 4, 'dense ids');
    b.denseW = storage(dev, T * E * 4, 'dense gates');
  }
  b.act = storage(dev, Pmax * I * 4, 'act');
  b.pairOut = storage(dev, Pmax * D * 4, 'pair out');
  b.dummy = storage(dev, 16, 'unused binding');
  if (Is > 0) {
    if (!w.S1 || !w.S3 || !w.S2) throw new Error('sharedI > 0 but S1/S3/S2 missing');
    wt('S1', w.S1, 1, D, Is);
    wt('S3', w.S3, 1, D, Is);
    wt('S2', w.S2, 1, Is, D);
    b.sAct = storage(dev, T * Is * 4, 'shared act');
    b.sOut = storage(dev, T * D * 4, 'shared out');
  }
  for (const name of ['gemm1', 'gemm2', 'sgemm1', 'sgemm2'])
    u[name] = paramsBuffer(dev, groupedGemmShader, `${name} params`);
  u.combine = paramsBuffer(dev, combineShader, 'combine params');
  return { b, u };
}

export function layerBindGroups(
  dev: GPUDevice,
  p: MoePipelines,
  b: LayerBuffers,
  u: LayerBuffers,
  a: AlignSort,
  variant: MoeVariant,
  io: MoeIo,
  routing: RoutingBuffers,
) {
  const dense = variant === 'denseMasked';
  const ids = dense ? b.denseIds! : routing.topkIds;
  const w = dense ? b.denseW! : routing.topkW;
  const routed = { sorted_ids: a.sortedIds, expert_ids: a.expertIds, layout_meta: a.meta };
  const sh = b.sAct !== undefined;
  const gemm = p.gemmShader;
  return {
    ids,
    gemm1: (params: GPUBuffer) =>
      bindGroup(
        dev,
        p.gemm1,
        gemm,
        { params, ...routed, a: io.x, wa: b.W1!, wb: b.W3!, out: b.act! },
        'gemm1',
      ),
    gemm2: (params: GPUBuffer) =>
      bindGroup(
        dev,
        p.gemm2,
        gemm,
        { params, ...routed, a: b.act!, wa: b.W2!, out: b.pairOut!, topk_w: w },
        'gemm2',
      ),
    sgemm1: sh
      ? bindGroup(
          dev,
          p.gemm1,
          gemm,
          { params: u.sgemm1!, ...routed, a: io.x, wa: b.S1!, wb: b.S3!, out: b.sAct! },
          'shared gemm1',
        )
      : null,
    sgemm2: sh
      ? bindGroup(
          dev,
          p.gemm2,
          gemm,
          { params: u.sgemm2!, ...routed, a: b.sAct!, wa: b.S2!, out: b.sOut!, topk_w: w },
          'shared gemm2',
        )
      : null,
    combine: bindGroup(
      dev,
      p.combine,
      combineShader,
      {
        params: u.combine!,
        pair_out: b.pairOut!,
        pair_keep: a.pairKeep,
        shared_out: b.sOut ?? b.dummy!,
        residual: io.residual ?? b.dummy!,
        out: io.out,
      },
      'combine',
    ),
  };
}
