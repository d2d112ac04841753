// Expert weights stored as floats ({{WT}}: f32, or f16 widened to f32), element by element:
// the grouped GEMM's weight access (fills its WEIGHTS slot). `i` is the element's index in the
// [E, K, N] tensor; e, k, n, K, N and sa (where scales start) serve the quantised formats.
// wa_quad / wb_quad: columns n…n+3 of row k (i % 4 = 0), for the grouped GEMM's wide tile, which
// takes floats through weights_float4.wgsl (vec4 loads); here for a module that holds both tiles.

@group(0) @binding(5) var<storage, read> wa : array<{{WT}}>;
@group(0) @binding(6) var<storage, read> wb : array<{{WT}}>;

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return f32(wa[i]);
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return f32(wb[i]);
}

fn wa_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(f32(wa[i]), f32(wa[i + 1u]), f32(wa[i + 2u]), f32(wa[i + 3u]));
}

fn wb_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(f32(wb[i]), f32(wb[i + 1u]), f32(wb[i + 2u]), f32(wb[i + 3u]));
}
