// RoPE's cos/sin per (position, pair) as the exporter computes them in float32:
// inv_freq[i] = 1 / theta^(2i/hd), angle = f32(pos · inv_freq[i]). Computed once on the host so
// the GPU and its twin use the same table (the GPU's cos of a large angle is less exact).

/** [ctx, hd/2] pairs (cos, sin), interleaved. */
export function ropeTable(ctx: number, headDim: number, theta: number): Float32Array {
  const half = headDim / 2;
  const out = new Float32Array(ctx * half * 2);
  for (let i = 0; i < half; i++) {
    const inv = Math.fround(1 / Math.fround(theta ** Math.fround((2 * i) / headDim)));
    for (let p = 0; p < ctx; p++) {
      const ang = Math.fround(p * inv);
      out[(p * half + i) * 2] = Math.cos(ang);
      out[(p * half + i) * 2 + 1] = Math.sin(ang);
    }
  }
  return out;
}
