// The virtual GPUs' data movement besides plain buffer copies: the add of a ring all-reduce's
// reduce-scatter step, packing the rows a GPU sends to one destination (gather), and summing the
// expert outputs that came back to a token's own GPU (no float atomics: one thread per element).
// Offsets are in elements, so no binding needs 256-byte-aligned offsets.

struct Params {
  n : u32,
  width : u32,
  parts : u32,
  src_off : u32,
  dst_off : u32,
  _p0 : u32,
  _p1 : u32,
  _p2 : u32,
}

const WG : u32 = 256u;

@group(0) @binding(0) var<uniform> params : Params;

// add_into: dst[dst_off + i] += src[src_off + i] for i < n.
@group(0) @binding(1) var<storage, read> add_src : array<f32>;
@group(0) @binding(2) var<storage, read_write> add_dst : array<f32>;

@compute @workgroup_size(WG)
fn add_into(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = gid.y * nwg.x * WG + gid.x;
  if (i >= params.n) {
    return;
  }
  let d = params.dst_off + i;
  add_dst[d] = add_dst[d] + add_src[params.src_off + i];
}

// gather_rows: dst[r, c] = src[idx[r], c] for r < n rows of `width` values.
@group(0) @binding(3) var<storage, read> g_src : array<f32>;
@group(0) @binding(4) var<storage, read> g_idx : array<u32>;
@group(0) @binding(5) var<storage, read_write> g_dst : array<f32>;

@compute @workgroup_size(WG)
fn gather_rows(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = gid.y * nwg.x * WG + gid.x;
  let w = params.width;
  if (i >= params.n * w) {
    return;
  }
  let r = i / w;
  g_dst[i] = g_src[g_idx[r] * w + i % w];
}

// sum_returned: out[t, c] = base[t, c] + Σ_p ret[slot[p, t], c] over the `parts` sources that
// hold a row for token t (slot −1: none). n = tokens.
@group(0) @binding(6) var<storage, read> s_base : array<f32>;
@group(0) @binding(7) var<storage, read> s_ret : array<f32>;
@group(0) @binding(8) var<storage, read> s_slot : array<i32>;
@group(0) @binding(9) var<storage, read_write> s_out : array<f32>;

@compute @workgroup_size(WG)
fn sum_returned(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = gid.y * nwg.x * WG + gid.x;
  let w = params.width;
  let n = params.n;
  if (i >= n * w) {
    return;
  }
  let t = i / w;
  let c = i % w;
  var acc = s_base[i];
  for (var p = 0u; p < params.parts; p++) {
    let slot = s_slot[p * n + t];
    if (slot >= 0) {
      acc += s_ret[u32(slot) * w + c];
    }
  }
  s_out[i] = acc;
}
