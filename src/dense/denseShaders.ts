// The interface of each dense-decode shader (shaders/dense_*.wgsl), declared through the
// kernels' typed spec mechanism (src/kernels/shaderSpec.ts). Every dense shader shares one
// Params layout, written once per step: the row count, the sequence count and the sampler's
// settings; shapes are pipeline overrides.
import attentionWgsl from '../../shaders/dense_attention.wgsl?raw';
import embedWgsl from '../../shaders/dense_embed.wgsl?raw';
import matmulWgsl from '../../shaders/dense_matmul.wgsl?raw';
import rmsnormWgsl from '../../shaders/dense_rmsnorm.wgsl?raw';
import ropeKvWgsl from '../../shaders/dense_rope_kv.wgsl?raw';
import sampleWgsl from '../../shaders/dense_sample.wgsl?raw';
import { defineShader } from '../kernels/shaderSpec';

/** The step's Params, shared by every dense shader (field order is the WGSL struct's). */
export const STEP_PARAMS = {
  rows: 'u32',
  seqs: 'u32',
  temperature: 'f32',
  top_p: 'f32',
  seed: 'u32',
  draw_base: 'u32',
} as const;

export const denseEmbedShader = defineShader({
  file: 'shaders/dense_embed.wgsl',
  source: embedWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    row_info: [1, 'read'],
    table: [2, 'read'],
    x: [3, 'read_write'],
  },
  overrides: { D: 'u32' },
});

export const denseRmsnormShader = defineShader({
  file: 'shaders/dense_rmsnorm.wgsl',
  source: rmsnormWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    row_info: [1, 'read'],
    gain: [2, 'read'],
    x: [3, 'read'],
    y: [4, 'read_write'],
  },
  overrides: { D: 'u32', TMAX: 'u32', EPS: 'f32' },
});

export const denseMatmulShader = defineShader({
  file: 'shaders/dense_matmul.wgsl',
  source: matmulWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    a: [1, 'read'],
    w: [2, 'read'],
    res: [3, 'read'],
    out: [4, 'read_write'],
  },
  overrides: { K: 'u32', N: 'u32', HAS_RESIDUAL: 'u32', SEQ_ROWS: 'u32' },
});

export const denseRopeKvShader = defineShader({
  file: 'shaders/dense_rope_kv.wgsl',
  source: ropeKvWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    row_info: [1, 'read'],
    rope: [2, 'read'],
    qkv: [3, 'read'],
    q: [4, 'read_write'],
    k_cache: [5, 'read_write'],
    v_cache: [6, 'read_write'],
  },
  overrides: { H: 'u32', HKV: 'u32', HD: 'u32', CTX: 'u32', TMAX: 'u32' },
});

export const denseAttentionShader = defineShader({
  file: 'shaders/dense_attention.wgsl',
  source: attentionWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    row_info: [1, 'read'],
    q: [2, 'read'],
    k_cache: [3, 'read'],
    v_cache: [4, 'read'],
    out: [5, 'read_write'],
  },
  overrides: { H: 'u32', HKV: 'u32', HD: 'u32', CTX: 'u32', TMAX: 'u32' },
});

export const denseSampleShader = defineShader({
  file: 'shaders/dense_sample.wgsl',
  source: sampleWgsl,
  params: STEP_PARAMS,
  bindings: {
    params: [0, 'uniform'],
    logits: [1, 'read'],
    tokens: [2, 'read_write'],
    next_ids: [3, 'read_write'],
  },
  overrides: { V: 'u32' },
});

/** Every dense shader's spec (the kernels' spec test lists these beside its own). */
export const denseShaderSpecs = [
  denseEmbedShader,
  denseRmsnormShader,
  denseMatmulShader,
  denseRopeKvShader,
  denseAttentionShader,
  denseSampleShader,
];

/** Rows a matmul workgroup covers, columns per workgroup, and the sampler's vocabulary limit. */
export const MATMUL_ROWS = 8;
export const MATMUL_COLS = 64;
export const SAMPLE_MAX_VOCAB = 16 * 256;
