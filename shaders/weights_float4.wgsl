// Expert weights stored as floats ({{WT}}: f32, or f16 widened to f32), four columns at a time:
// the decode GEMV's weight access (fills its WEIGHTS slot). `at` is the vec4's index in the
// [E, K, N / 4] tensor; e, k, q (columns 4q…4q+3), K, N and sa (where scales start) serve the
// quantised formats. The decode GEMV multiplies each split's sum by wa4_post / wb4_post.

@group(0) @binding(5) var<storage, read> wa : array<vec4<{{WT}}>>;
@group(0) @binding(6) var<storage, read> wb : array<vec4<{{WT}}>>;

fn wa4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(wa[at]);
}

fn wb4_at(at : u32, e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(wb[at]);
}

// Per-column factor of a sum over K of x · wa4_at (none for floats).
fn wa4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}

fn wb4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}
