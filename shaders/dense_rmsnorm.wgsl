// RMSNorm, y = x · (1 / sqrt(mean(x²) + eps)) · g, in the exported graph's order of operations.
// One workgroup per output row. `rmsnorm_rows` normalises rows [0, rows); `rmsnorm_last` gathers
// each sequence's last row of the step (row_info[3·TMAX + s]) into row s (the LM head's input).

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
override TMAX : u32;
override EPS : f32;

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> row_info : array<u32>;
@group(0) @binding(2) var<storage, read> gain : array<f32>;
@group(0) @binding(3) var<storage, read> x : array<f32>;
@group(0) @binding(4) var<storage, read_write> y : array<f32>;

const WG : u32 = 64u;
var<workgroup> partial : array<f32, WG>;

fn norm_row(src : u32, dst : u32, lid : u32) {
  var ss = 0.0;
  for (var d = lid; d < D; d += WG) {
    let v = x[src * D + d];
    ss += v * v;
  }
  partial[lid] = ss;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] += partial[lid + s];
    }
    workgroupBarrier();
  }
  let inv = 1.0 / sqrt(partial[0] / f32(D) + EPS);
  for (var d = lid; d < D; d += WG) {
    y[dst * D + d] = x[src * D + d] * inv * gain[d];
  }
}

@compute @workgroup_size(WG)
fn rmsnorm_rows(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  if (wid.x >= params.rows) {
    return;
  }
  norm_row(wid.x, wid.x, lid);
}

@compute @workgroup_size(WG)
fn rmsnorm_last(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  if (wid.x >= params.seqs) {
    return;
  }
  norm_row(row_info[3u * TMAX + wid.x], wid.x, lid);
}
