// Combine: out[t, d] = Σ_j pair_out[t·k + j, d] + shared[t, d] + residual[t, d]. One thread
// per output element gathers its token's k rows, so no float atomics are needed (WGSL has
// none). Only pairs align placed are added (pair_keep 1): pairs whose expert lives on another
// shard (0) or that went over the expert's capacity (2) were never computed here.

struct Params {
  T : u32,
  D : u32,
  k : u32,
  has_shared : u32,
  has_residual : u32,
  _p0 : u32,
  _p1 : u32,
  _p2 : u32,
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> pair_out : array<f32>;
@group(0) @binding(2) var<storage, read> pair_keep : array<u32>;
@group(0) @binding(4) var<storage, read> shared_out : array<f32>;
@group(0) @binding(5) var<storage, read> residual : array<f32>;
@group(0) @binding(6) var<storage, read_write> out : array<f32>;

const WG : u32 = 256u;

@compute @workgroup_size(WG)
fn combine(
  @builtin(global_invocation_id) gid : vec3<u32>,
  @builtin(num_workgroups) nwg : vec3<u32>,
) {
  let i = gid.y * nwg.x * WG + gid.x;
  let D = params.D;
  if (i >= params.T * D) {
    return;
  }
  let t = i / D;
  let d = i % D;
  var s = 0.0;
  for (var j = 0u; j < params.k; j++) {
    let p = t * params.k + j;
    if (pair_keep[p] == 1u) {
      s += pair_out[p * D + d];
    }
  }
  if (params.has_shared != 0u) {
    s += shared_out[i];
  }
  if (params.has_residual != 0u) {
    s += residual[i];
  }
  out[i] = s;
}
