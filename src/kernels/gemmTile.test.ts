import { describe, expect, it } from 'vitest';
import { defaultGemmTile } from './gemmTile';

describe('default grouped-GEMM tile', () => {
  it('128 for the real models’ experts, 64 for small or odd widths', () => {
    expect(defaultGemmTile({ D: 2048, I: 1024 })).toBe(128); // OLMoE
    expect(defaultGemmTile({ D: 4096, I: 14336 })).toBe(128); // Mixtral
    expect(defaultGemmTile({ D: 2048, I: 1408, sharedI: 5632 })).toBe(128); // Qwen1.5-MoE
    expect(defaultGemmTile({ D: 128, I: 320 })).toBe(64); // tiny: 128 measured 0.54–0.63×
    expect(defaultGemmTile({ D: 384, I: 36 })).toBe(64); // the large pack
    expect(defaultGemmTile({ D: 2048, I: 1026 })).toBe(64); // no vec4 loads
    expect(defaultGemmTile({ D: 2048, I: 1024, sharedI: 30 })).toBe(64);
  });
});
