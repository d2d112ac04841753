// The interface of the benchmarks' own shaders (src/bench/*.wgsl): see src/kernels/shaderSpec.ts;
// src/kernels/shaderSpecs.test.ts checks each against its WGSL.
import { defineShader } from '../kernels/shaderSpec';
import floorCopyWgsl from './floorCopy.wgsl?raw';
import floorMatmulWgsl from './floorMatmul.wgsl?raw';
import floorMatmulStrongWgsl from './floorMatmulStrong.wgsl?raw';
import naiveAlignWgsl from './naiveAlign.wgsl?raw';

export const naiveAlignShader = defineShader({
  file: 'src/bench/naiveAlign.wgsl',
  source: naiveAlignWgsl,
  params: { P: 'u32', E: 'u32', BM: 'u32', slots: 'u32' },
  bindings: {
    prm: [0, 'uniform'],
    ids: [1, 'read'],
    work: [2, 'read_write'],
    sorted_ids: [3, 'read_write'],
    expert_ids: [4, 'read_write'],
  },
});

export const floorCopyShader = defineShader({
  file: 'src/bench/floorCopy.wgsl',
  source: floorCopyWgsl,
  bindings: { s: [0, 'read'], d: [1, 'read_write'] },
});

export const floorMatmulShader = defineShader({
  file: 'src/bench/floorMatmul.wgsl',
  source: floorMatmulWgsl,
  bindings: { A: [0, 'read'], B: [1, 'read'], C: [2, 'read_write'] },
  overrides: { n: 'u32' },
});

/** The strong matmul floor: tile shape by template (src/bench/floors.ts STRONG_CANDIDATES). */
export const floorMatmulStrongShader = defineShader({
  file: 'src/bench/floorMatmulStrong.wgsl',
  source: floorMatmulStrongWgsl,
  bindings: { A: [0, 'read'], B: [1, 'read'], C: [2, 'read_write'] },
  templates: ['BM', 'BN', 'BK', 'TM', 'TN', 'STAGES'],
  overrides: { M: 'u32', N: 'u32', K: 'u32' },
});

/** Every shader in src/bench/. */
export const benchShaderSpecs = [
  naiveAlignShader,
  floorCopyShader,
  floorMatmulShader,
  floorMatmulStrongShader,
];
