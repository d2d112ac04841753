// Expert weights as int4 in blocks of 32 along K, one f32 scale per block and output column
// (like MatMulNBits / QMoE): w = (nibble − 8) · scale[(e·⌈K/32⌉ + k/32)·N + n]. Eight values per
// u32 word over the flattened [E, K, N] tensor (element i in nibble i % 8 of word i / 8, low
// first). Fills the {{WEIGHTS}} slot of the grouped GEMM (wa_at, wb_at: one element) and of the
// decode GEMV (wa4_at, wb4_at: columns 4q…4q+3, N % 4 = 0, so the four share a half word);
// accumulation stays f32. Twin: src/kernels/quantize.ts.

@group(0) @binding(5) var<storage, read> wa : array<u32>;
@group(0) @binding(6) var<storage, read> wb : array<u32>;
@group(0) @binding(12) var<storage, read> wa_scale : array<f32>;
@group(0) @binding(13) var<storage, read> wb_scale : array<f32>;

const QBLOCK : u32 = 32u;

fn int4_at(word : u32, nibble : u32) -> f32 {
  return f32(extractBits(word, nibble * 4u, 4u)) - 8.0;
}

fn scale_row(e : u32, k : u32, K : u32, N : u32) -> u32 {
  return (e * ((K + QBLOCK - 1u) / QBLOCK) + k / QBLOCK) * N;
}

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32) -> f32 {
  return int4_at(wa[i / 8u], i % 8u) * wa_scale[scale_row(e, k, K, N) + n];
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32) -> f32 {
  return int4_at(wb[i / 8u], i % 8u) * wb_scale[scale_row(e, k, K, N) + n];
}

// `at` indexes vec4s of the [E, K, N / 4] tensor: with eight int4 per word, half of word at / 2.
fn int4x4(word : u32, at : u32) -> vec4<f32> {
  let h = (at % 2u) * 4u;
  return vec4<f32>(int4_at(word, h), int4_at(word, h + 1u), int4_at(word, h + 2u), int4_at(word, h + 3u));
}

fn wa_scale4(at : u32) -> vec4<f32> {
  return vec4<f32>(wa_scale[at], wa_scale[at + 1u], wa_scale[at + 2u], wa_scale[at + 3u]);
}

fn wb_scale4(at : u32) -> vec4<f32> {
  return vec4<f32>(wb_scale[at], wb_scale[at + 1u], wb_scale[at + 2u], wb_scale[at + 3u]);
}

fn wa4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32) -> vec4<f32> {
  return int4x4(wa[at / 2u], at) * wa_scale4(scale_row(e, k, K, N) + 4u * q);
}

fn wb4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32) -> vec4<f32> {
  return int4x4(wb[at / 2u], at) * wb_scale4(scale_row(e, k, K, N) + 4u * q);
}
