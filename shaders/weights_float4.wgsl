// Expert weights stored as floats ({{WT}}: f32, or f16 widened to f32), four columns at a time:
// the decode GEMV's weight access (fills its WEIGHTS slot). `at` is the vec4's index in the
// [E, K, N / 4] tensor. Floats have no scales: one block is the whole split, and the decode
// GEMV multiplies each split's sum by wa4_post / wb4_post (1 here).

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
