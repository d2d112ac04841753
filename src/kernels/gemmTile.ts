// Which column tile the tiled grouped GEMM uses by default (shaders/grouped_gemm.wgsl: 64 or 128
// columns a workgroup). Measured on an H200, same run, both tiles: 128 is 1.03–1.23× faster for
// the real models' experts (D, I ≥ 1024: Mixtral, Qwen1.5-MoE, OLMoE, DeepSeek-like; Node and
// Chromium alike) and 0.54–0.63× as fast for the tiny shape (D 128, I 320), whose few column
// tiles leave most of the GPU idle (bench/results/2026-11-30-h200-gemm-tile.md,
// …-browser-layer.md). Unmeasured widths in between keep 64.
import type { GemmTile } from './pipelines';
import type { MoeConfig } from './types';

/** Both GEMMs' output widths at least this wide: the wide tile pays. */
export const WIDE_TILE_MIN_WIDTH = 1024;

type Widths = Pick<MoeConfig, 'D' | 'I' | 'sharedI'>;

/** The wide tile loads B in vec4s: D, I and the shared expert's width must be multiples of 4. */
export function wideTileFits(c: Widths): boolean {
  return [c.D, c.I, c.sharedI ?? 0].every((n) => n % 4 === 0);
}

/** 128 where the widths allow its vec4 loads and are wide enough to fill the GPU, else 64. */
export function defaultGemmTile(c: Widths): GemmTile {
  return wideTileFits(c) && Math.min(c.D, c.I) >= WIDE_TILE_MIN_WIDTH ? 128 : 64;
}
