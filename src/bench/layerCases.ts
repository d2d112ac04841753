// The MoE layer shapes the benchmark runs: the real models at full size, and the same
// E and k with D and I divided down for quick runs (SwiftShader, a laptop in class).
import { rng } from '../kernels/random';
import type { BlockSize, MoeConfig, MoeWeights, WeightFormat } from '../kernels/types';
import { storedBytes } from '../kernels/weightFormats';
import type { BenchSize } from './types';

export type LayerModel = { name: string; config: MoeConfig; note?: string };

const base = { scoring: 'softmax', renormalize: true, dtype: 'f32' } as const;
function model(
  name: string,
  E: number,
  k: number,
  D: number,
  I: number,
  BM: BlockSize,
  note?: string,
): LayerModel {
  return { name, config: { ...base, E, k, D, I, blockSize: BM }, note };
}

export function layerModels(size: BenchSize): LayerModel[] {
  return size === 'full'
    ? [
        model('tiny', 8, 2, 128, 320, 16),
        model('Mixtral-8x7B', 8, 2, 4096, 14336, 64),
        model('Qwen1.5-MoE', 60, 4, 2048, 1408, 32), // BM 32: ~34 rows per expert at T = 512
        model('OLMoE', 64, 8, 2048, 1024, 64),
        model(
          'DeepSeek-V3-like',
          32,
          8,
          7168,
          2048,
          64,
          'E scaled 256 → 32 (k 8, D 7168, I 2048 real): 256 experts in f32 are 45 GB and one [E,D,I] tensor must fit a 2 GiB binding; 32 experts = 1.88 GB per tensor',
        ),
      ]
    : [
        model('tiny', 8, 2, 64, 96, 16),
        model('Mixtral/32', 8, 2, 128, 448, 16, 'D, I ÷ 32'),
        model(
          'Qwen1.5-MoE/16',
          60,
          4,
          128,
          96,
          16,
          'D ÷ 16, I 1408 → 96 (÷ 14.7, so 4-bit blocks of 16 divide it)',
        ),
        model('OLMoE/16', 64, 8, 128, 64, 16, 'D, I ÷ 16'),
        model('DeepSeek-V3/64', 256, 8, 112, 32, 16, 'D, I ÷ 64'),
      ];
}

export const layerTokens = (size: BenchSize): number[] =>
  size === 'full' ? [1, 8, 64, 512, 4096] : [1, 8, 64];

/** Random weights filled fast (a random block repeated): the benchmark needs shapes, not values. */
export function fastFill(n: number, scale: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  const r = rng(seed);
  const blk = Math.min(n, 4099);
  for (let i = 0; i < blk; i++) a[i] = (2 * r() - 1) * scale;
  for (let len = blk; len < n; len *= 2) a.copyWithin(len, 0, Math.min(len, n - len));
  return a;
}

export function fastWeights(c: MoeConfig): MoeWeights {
  return {
    Wr: fastFill(c.D * c.E, 2 / Math.sqrt(c.D), 1),
    W1: fastFill(c.E * c.D * c.I, 1 / Math.sqrt(c.D), 2),
    W3: fastFill(c.E * c.D * c.I, 1 / Math.sqrt(c.D), 3),
    W2: fastFill(c.E * c.I * c.D, 1 / Math.sqrt(c.I), 4),
  };
}

/** Bytes of one expert's W1, W3 and W2 in `format`, as the kernels store them (codes + scales). */
export const expertBytesIn = (format: WeightFormat, D: number, I: number): number =>
  2 * storedBytes(format, 1, D, I) + storedBytes(format, 1, I, D);
