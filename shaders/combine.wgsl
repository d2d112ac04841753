// Combine: out[t, d] = Σ_j pair_out[t·k + j, d] + shared[t, d] + residual[t, d]. One thread
// per output element gathers its token's k rows, so no float atomics are needed (WGSL has
// none). Pairs whose expert lives on another shard (expert_map −1) were never computed here
// and are skipped.

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
@group(0) @binding(2) var<storage, read> topk_ids : array<u32>;
@group(0) @binding(3) var<storage, read> expert_map : array<i32>;
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
    if (expert_map[topk_ids[p]] >= 0) {
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
