// The small f32 layer the GPU tests start from (SwiftShader is slow: keep GEMMs tiny).
import type { MoeConfig } from '../types';

export const SMALL_CONFIG: MoeConfig = {
  D: 32,
  I: 48,
  E: 8,
  k: 2,
  blockSize: 16,
  scoring: 'softmax',
  renormalize: true,
  dtype: 'f32',
};
