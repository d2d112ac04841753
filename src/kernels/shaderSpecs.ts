// The interface of every shader in shaders/: uniform fields in struct order, bindings by WGSL
// name, template slots and overrides. The host addresses uniforms and bindings only through
// these (shaderSpec.ts); shaderSpecs.test.ts checks each against its WGSL.
import alignWgsl from '../../shaders/align.wgsl?raw';
import collectivesWgsl from '../../shaders/collectives.wgsl?raw';
import combineWgsl from '../../shaders/combine.wgsl?raw';
import decodeWgsl from '../../shaders/decode_gemv.wgsl?raw';
import gemmWgsl from '../../shaders/grouped_gemm.wgsl?raw';
import routerWgsl from '../../shaders/router.wgsl?raw';
import routerLogitsWgsl from '../../shaders/router_logits.wgsl?raw';
import selfTestWgsl from '../../shaders/selftest.wgsl?raw';
import weightsFloatWgsl from '../../shaders/weights_float.wgsl?raw';
import weightsFloat4Wgsl from '../../shaders/weights_float4.wgsl?raw';
import weightsInt4Wgsl from '../../shaders/weights_int4.wgsl?raw';
import weightsInt8Wgsl from '../../shaders/weights_int8.wgsl?raw';
import { composeShader, defineShader } from './shaderSpec';
import type { WeightFormat } from './types';

export const routerLogitsShader = defineShader({
  file: 'shaders/router_logits.wgsl',
  source: routerLogitsWgsl,
  params: { T: 'u32', D: 'u32', E: 'u32', S: 'u32', EC: 'u32', DC: 'u32', e_chunks: 'u32' },
  bindings: { params: [0, 'uniform'], x: [1, 'read'], wr: [2, 'read'], partial: [3, 'read_write'] },
});

export const routerShader = defineShader({
  file: 'shaders/router.wgsl',
  source: routerWgsl,
  params: {
    T: 'u32',
    D: 'u32',
    E: 'u32',
    k: 'u32',
    sigmoid: 'u32',
    renormalize: 'u32',
    has_bias: 'u32',
    splits: 'u32',
  },
  bindings: {
    params: [0, 'uniform'],
    partial: [2, 'read'],
    bias: [3, 'read'],
    mask: [4, 'read'],
    probs: [5, 'read_write'],
    topk_ids: [6, 'read_write'],
    topk_w: [7, 'read_write'],
    dense_ids: [8, 'read_write'],
    dense_w: [9, 'read_write'],
  },
});

export const alignShader = defineShader({
  file: 'shaders/align.wgsl',
  source: alignWgsl,
  params: {
    P: 'u32',
    E: 'u32',
    BM: 'u32',
    G: 'u32',
    chunk: 'u32',
    nx1: 'u32',
    nx2: 'u32',
    cap: 'u32',
  },
  bindings: {
    params: [0, 'uniform'],
    topk_ids: [1, 'read'],
    expert_map: [2, 'read'],
    counts: [3, 'read_write'],
    offsets: [4, 'read_write'],
    layout_meta: [5, 'read_write'],
    expert_ids: [6, 'read_write'],
    sorted_ids: [7, 'read_write'],
    partial: [8, 'read_write'],
    pair_keep: [9, 'read_write'],
  },
});

/** Bindings the grouped GEMM and its decode path share (same numbers, same meaning); the
 * weights (wa 5, wb 6) come from a weight-format fragment. */
const gemmBindings = {
  params: [0, 'uniform'],
  sorted_ids: [1, 'read'],
  expert_ids: [2, 'read'],
  layout_meta: [3, 'read'],
  a: [4, 'read'],
  out: [7, 'read_write'],
  topk_w: [8, 'read'],
} as const;

/** Float weights ({{WT}} f32 or f16), element by element: the grouped GEMM's. */
export const weightsFloatShader = defineShader({
  file: 'shaders/weights_float.wgsl',
  source: weightsFloatWgsl,
  bindings: { wa: [5, 'read'], wb: [6, 'read'] },
  templates: ['WT'],
});

/** Float weights four columns at a time: the decode GEMV's. */
export const weightsFloat4Shader = defineShader({
  file: 'shaders/weights_float4.wgsl',
  source: weightsFloat4Wgsl,
  bindings: { wa: [5, 'read'], wb: [6, 'read'] },
  templates: ['WT'],
});

/** int8 weights, one scale per (expert, output column), scales after the codes. */
export const weightsInt8Shader = defineShader({
  file: 'shaders/weights_int8.wgsl',
  source: weightsInt8Wgsl,
  bindings: { wa: [5, 'read'], wb: [6, 'read'] },
});

/** int4 weights, one scale per (expert, block of 32 rows of K, output column), scales after. */
export const weightsInt4Shader = defineShader({
  file: 'shaders/weights_int4.wgsl',
  source: weightsInt4Wgsl,
  bindings: { wa: [5, 'read'], wb: [6, 'read'] },
});

export const groupedGemmShader = defineShader({
  file: 'shaders/grouped_gemm.wgsl',
  source: gemmWgsl,
  params: {
    T: 'u32',
    k: 'u32',
    P: 'u32',
    K: 'u32',
    N: 'u32',
    mode: 'u32',
    block_start: 'u32',
    scale_at: 'u32',
  },
  bindings: gemmBindings,
  // BM and BN size function-scope accumulators (RM = BM / 16 rows, BN / 16 columns per thread),
  // so they cannot be overrides; BK only sizes workgroup tiles and loops, so it is one.
  templates: ['ENABLE', 'BM', 'BN', 'WEIGHTS'],
  overrides: { BK: 'u32' },
});

export const decodeGemvShader = defineShader({
  file: 'shaders/decode_gemv.wgsl',
  source: decodeWgsl,
  params: {
    T: 'u32',
    k: 'u32',
    P: 'u32',
    K: 'u32',
    N: 'u32',
    KB: 'u32',
    S: 'u32',
    scale_at: 'u32',
  },
  bindings: {
    ...gemmBindings,
    part_w: [9, 'read_write'],
    part_r: [10, 'read'],
    a4: [11, 'read'],
  },
  // RB, U1 and U2 size function-scope arrays: template slots; BM is only arithmetic: an override.
  templates: ['ENABLE', 'RB', 'U1', 'U2', 'WEIGHTS'],
  overrides: { BM: 'u32' },
});

const quantFragment = { int8: weightsInt8Shader, int4: weightsInt4Shader } as const;

/**
 * The grouped GEMM with one weight format's fragment in its {{WEIGHTS}} slot. Floats at the wide
 * tile (128 columns) take the vec4 fragment, so their B tiles load as vec4 (the quantised
 * fragments serve both tiles: one u32 of codes per quad).
 */
export function groupedGemmFor(format: WeightFormat, tile: 64 | 128 = 64) {
  if (format === 'f32' || format === 'f16')
    return composeShader(
      groupedGemmShader,
      'WEIGHTS',
      tile === 128 ? weightsFloat4Shader : weightsFloatShader,
    );
  return composeShader(groupedGemmShader, 'WEIGHTS', quantFragment[format]);
}

/** The decode GEMV with one weight format's fragment in its {{WEIGHTS}} slot. */
export function decodeGemvFor(format: WeightFormat) {
  return format === 'f32' || format === 'f16'
    ? composeShader(decodeGemvShader, 'WEIGHTS', weightsFloat4Shader)
    : composeShader(decodeGemvShader, 'WEIGHTS', quantFragment[format]);
}

export const combineShader = defineShader({
  file: 'shaders/combine.wgsl',
  source: combineWgsl,
  params: { T: 'u32', D: 'u32', k: 'u32', has_shared: 'u32', has_residual: 'u32' },
  bindings: {
    params: [0, 'uniform'],
    pair_out: [1, 'read'],
    pair_keep: [2, 'read'],
    shared_out: [4, 'read'],
    residual: [5, 'read'],
    out: [6, 'read_write'],
  },
});

export const collectivesShader = defineShader({
  file: 'shaders/collectives.wgsl',
  source: collectivesWgsl,
  params: { n: 'u32', width: 'u32', parts: 'u32', src_off: 'u32', dst_off: 'u32' },
  bindings: {
    params: [0, 'uniform'],
    add_src: [1, 'read'],
    add_dst: [2, 'read_write'],
    g_src: [3, 'read'],
    g_idx: [4, 'read'],
    g_dst: [5, 'read_write'],
    s_base: [6, 'read'],
    s_ret: [7, 'read'],
    s_slot: [8, 'read'],
    s_out: [9, 'read_write'],
  },
});

export const selfTestShader = defineShader({
  file: 'shaders/selftest.wgsl',
  source: selfTestWgsl,
  params: { a: 'f32', b: 'f32', n: 'u32' },
  bindings: { params: [0, 'uniform'], input: [1, 'read'], output: [2, 'read_write'] },
});

/** Every shader in shaders/ (the spec test requires each .wgsl file to appear here). */
export const shaderSpecs = [
  routerLogitsShader,
  routerShader,
  alignShader,
  groupedGemmShader,
  decodeGemvShader,
  combineShader,
  collectivesShader,
  selfTestShader,
  weightsFloatShader,
  weightsFloat4Shader,
  weightsInt8Shader,
  weightsInt4Shader,
];
