// Expert weights stored as floats ({{WT}}: f32, or f16 widened to f32), four columns at a time:
// the decode GEMV's weight access (fills its WEIGHTS slot). `at` is the vec4's index in the
// [E, K, N / 4] tensor. Floats have no scales: one block is the whole split, and the decode
// GEMV multiplies each split's sum by wa4_post / wb4_post (1 here). Also the grouped GEMM's WEIGHTS
// slot at its wide tile (BN = 128): wa_quad / wb_quad, one vec4 load for columns n…n+3 of row k
// (`i` the element index of column n, i % 4 = 0), and wa_at / wb_at (one element) for the
// module's 64-column entry points, which share the module but do not run with this fragment.

@group(0) @binding(5) var<storage, read> wa : array<vec4<{{WT}}>>;
@group(0) @binding(6) var<storage, read> wb : array<vec4<{{WT}}>>;

alias WRaw = vec4<{{WT}}>;
alias WScale = f32;

fn wblock_end(k : u32, k1 : u32) -> u32 {
  return k1;
}

fn wa4_raw(at : u32) -> WRaw {
  return wa[at];
}

fn wb4_raw(at : u32) -> WRaw {
  return wb[at];
}

fn wa4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  return 1.0;
}

fn wb4_scale(e : u32, k : u32, q : u32, K : u32, N : u32, sa : u32) -> WScale {
  return 1.0;
}

fn w4_value(raw : WRaw, at : u32, s : WScale) -> vec4<f32> {
  return vec4<f32>(raw);
}

// Per-column factor of a sum over K of x · w4_value (none for floats).
fn wa4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}

fn wb4_post(e : u32, q : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(1.0);
}

fn wa_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return f32(wa[i / 4u][i % 4u]);
}

fn wb_at(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> f32 {
  return f32(wb[i / 4u][i % 4u]);
}

fn wa_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(wa[i / 4u]);
}

fn wb_quad(i : u32, e : u32, k : u32, n : u32, K : u32, N : u32, sa : u32) -> vec4<f32> {
  return vec4<f32>(wb[i / 4u]);
}
