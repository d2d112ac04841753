// Router logits, spread over many workgroups: partial[s, t, e] = Σ_{d in split s} x[t, d]·Wr[d, e].
// One workgroup: TT tokens × EC experts × one split of D. Its 256 threads are EC expert lanes ×
// (256 / EC) d-lanes, so a warp reads consecutive experts of a Wr row (coalesced) and several
// rows at once; x comes through workgroup memory in chunks of XC. The d-lanes are summed at the
// end in workgroup memory (fixed order: deterministic). `route` (router.wgsl) adds the S splits,
// in order, and does the softmax / sigmoid and top-k. The host (src/kernels/router.ts) picks S
// so that a decode step (T = 1) still runs on tens of workgroups; at large T, S = 1.

struct Params {
  T : u32,
  D : u32,
  E : u32,
  S : u32,        // splits of D
  EC : u32,       // expert lanes per workgroup (power of two, ≤ 64)
  DC : u32,       // d per split
  e_chunks : u32, // ceil(E / EC)
  _pad : u32,
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> x : array<f32>;
@group(0) @binding(2) var<storage, read> wr : array<f32>;
@group(0) @binding(3) var<storage, read_write> partial : array<f32>;

const WG : u32 = 256u;
const TT : u32 = 8u;   // tokens per workgroup
const XC : u32 = 256u; // d per x chunk

// x chunk [TT][XC] during the d loop, then the per-thread sums [TT][WG].
var<workgroup> buf : array<f32, 2048>;

@compute @workgroup_size(WG)
fn logits(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(num_workgroups) nwg : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let s = wid.x;
  let lin = wid.z * nwg.y + wid.y;
  let chunk = lin % params.e_chunks;
  let tile = lin / params.e_chunks;
  let t0 = tile * TT;
  if (t0 >= params.T) {
    return;
  }
  let EC = params.EC;
  let DS = WG / EC;
  let lane = lid % EC;
  let dl = lid / EC;
  let e = chunk * EC + lane;
  let D = params.D;
  let E = params.E;
  let d_begin = s * params.DC;
  let d_end = min(D, d_begin + params.DC);
  var acc : array<f32, TT>;
  for (var c0 = d_begin; c0 < d_end; c0 += XC) {
    for (var q = lid; q < TT * XC; q += WG) {
      let t = t0 + q / XC;
      let d = c0 + q % XC;
      var v = 0.0;
      if (t < params.T && d < d_end) {
        v = x[t * D + d];
      }
      buf[q] = v;
    }
    workgroupBarrier();
    let n = min(XC, d_end - c0);
    if (e < E) {
      // Four Wr loads in flight per thread, then the FMAs (same order as one at a time).
      var dd = dl;
      for (; dd + 3u * DS < n; dd += 4u * DS) {
        var w : array<f32, 4>;
        for (var j = 0u; j < 4u; j++) {
          w[j] = wr[(c0 + dd + j * DS) * E + e];
        }
        for (var j = 0u; j < 4u; j++) {
          for (var i = 0u; i < TT; i++) {
            acc[i] += buf[i * XC + dd + j * DS] * w[j];
          }
        }
      }
      for (; dd < n; dd += DS) {
        let w = wr[(c0 + dd) * E + e];
        for (var i = 0u; i < TT; i++) {
          acc[i] += buf[i * XC + dd] * w;
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TT; i++) {
    buf[i * WG + lid] = acc[i];
  }
  workgroupBarrier();
  for (var q = lid; q < TT * EC; q += WG) {
    let i = q / EC;
    let l = q % EC;
    var sum = 0.0;
    for (var j = 0u; j < DS; j++) {
      sum += buf[i * WG + j * EC + l];
    }
    let t = t0 + i;
    let ee = chunk * EC + l;
    if (t < params.T && ee < E) {
      partial[(s * params.T + t) * E + ee] = sum;
    }
  }
}
