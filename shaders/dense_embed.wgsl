// Dense decode, step 1: x[t, :] = table[ids[t], :]. The step's row metadata lives in one u32
// buffer: ids [0, TMAX), slots [TMAX, 2·TMAX), positions [2·TMAX, 3·TMAX), last rows after.

struct Params {
  rows : u32,
  seqs : u32,
  temperature : f32,
  top_p : f32,
  seed : u32,
  draw_base : u32,
  _p0 : u32,
  _p1 : u32,
}

override D : u32;

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> row_info : array<u32>;
@group(0) @binding(2) var<storage, read> table : array<f32>;
@group(0) @binding(3) var<storage, read_write> x : array<f32>;

@compute @workgroup_size(64)
fn embed(@builtin(global_invocation_id) gid : vec3<u32>) {
  let i = gid.x;
  if (i >= params.rows * D) {
    return;
  }
  let t = i / D;
  x[i] = table[row_info[t] * D + i % D];
}
