// Expert weights as int8 with one f32 scale per output channel (per expert e and column n):
// w = q · scale[e·N + n]. Four values per u32 word, little-endian, over the flattened [E, K, N]
// tensor (element i in byte i % 4 of word i / 4). Fills the {{WEIGHTS}} slot of the grouped GEMM
// (wa_at, wb_at: one element) and of the decode GEMV (wa4_at, wb4_at: columns 4q…4q+3, N % 4 = 0,
// so the four share one word); accumulation stays f32. Twin: src/kernels/quantize.ts.

@group(0) @binding(5) var<storage, read> wa : array<u32>;
@group(0) @binding(6) var<storage, read> wb : array<u32>;
@group(0) @binding(12) var<storage, read> wa_scale : array<f32>;
@group(0) @binding(13) var<storage, read> wb_scale : array<f32>;

fn int8_at(word : u32, byte : u32) -> f32 {
  return f32(extractBits(bitcast<i32>(word), byte * 8u, 8u));
}

fn int8x4(word : u32) -> vec4<f32> {
  return vec4<f32>(int8_at(word, 0u), int8_at(word, 1u), int8_at(word, 2u), int8_at(word, 3u));
}

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32) -> f32 {
  return int8_at(wa[i / 4u], i % 4u) * wa_scale[e * N + n];
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32) -> f32 {
  return int8_at(wb[i / 4u], i % 4u) * wb_scale[e * N + n];
}

fn wa_scale4(at : u32) -> vec4<f32> {
  return vec4<f32>(wa_scale[at], wa_scale[at + 1u], wa_scale[at + 2u], wa_scale[at + 3u]);
}

fn wb_scale4(at : u32) -> vec4<f32> {
  return vec4<f32>(wb_scale[at], wb_scale[at + 1u], wb_scale[at + 2u], wb_scale[at + 3u]);
}

// `at` indexes vec4s of the [E, K, N / 4] tensor: with four int8 per word, word `at`.
fn wa4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32) -> vec4<f32> {
  return int8x4(wa[at]) * wa_scale4(e * N + 4u * q);
}

fn wb4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32) -> vec4<f32> {
  return int8x4(wb[at]) * wb_scale4(e * N + 4u * q);
}
