// Decode path of the grouped GEMM (few rows per expert): weight streaming over the same align
// layout (expert_ids, sorted_ids, num_post_pad) as grouped_gemm.wgsl, for when most of a BM-row
// tile would be padding. Split-K: one workgroup reads KB consecutive rows of one expert's
// [K, N] weights over 1024 columns (256 threads × one vec4 each: 4 KiB contiguous per row, so
// DRAM pages and TLB entries are used whole), for RB rows of one block at a time (a sub-block;
// empty ones exit at once), and writes vec4 partial sums per split. A finish kernel adds the
// splits in order (deterministic) and applies SwiGLU / the routed weight.
// Grid of the main kernels: x = sub-block (fastest, so the sub-blocks of one expert read the
// same weight rows back to back, from L2), y = span + spans · split, z = block; finish kernels:
// y = span only.
// Needs N % 4 == 0 (the host uses the tiled GEMM otherwise).
//   decode1 + finish1: act[pair] = silu(x[pair / k] · W1[e]) ⊙ (x[pair / k] · W3[e])
//   decode2 + finish2: out[pair] = topk_w[pair] · (act[pair] · W2[e])
// {{RB}} (it sizes per-thread arrays), {{WEIGHTS}} (the weight format) and {{ENABLE}} are template
// slots and BM an override, all set by src/kernels/decode.ts through the spec in
// src/kernels/shaderSpecs.ts.
// Weight access goes through the format's fragment: raw words first (wa4_raw: a vec4 of floats,
// or one u32 of int8 / int4 codes), decoded with the scale of their block (w4_value), a block
// being the rows that share one scale (wblock_end: int4 32 rows; floats and int8 the whole
// split). So a block's scales are loaded once, not once per row, and the loads of U1 / U2 rows
// are in flight before any is decoded. {{U1}}, {{U2}}: rows per step in gemm1 / gemm2 (multiples
// of 4), per format from decodeTuning.unroll.
{{ENABLE}}

struct Params {
  T : u32,
  k : u32,
  P : u32,
  K : u32,
  N : u32,
  KB : u32, // rows of K per split
  S : u32,  // splits
  scale_at : u32, // quantised weights: word where each weight buffer's scales start
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> sorted_ids : array<u32>;
@group(0) @binding(2) var<storage, read> expert_ids : array<u32>;
@group(0) @binding(3) var<storage, read> layout_meta : array<u32>;
@group(0) @binding(4) var<storage, read> a : array<f32>;
// wa (5) and wb (6), quantised ones with their scales from word scale_at on: the {{WEIGHTS}} slot,
// one of shaders/weights_float4.wgsl, weights_int8.wgsl, weights_int4.wgsl: w4_value gives the
// weights up to a per-column factor wa4_post / wb4_post, applied once to each split's sum.
{{WEIGHTS}}
@group(0) @binding(7) var<storage, read_write> out : array<f32>;
@group(0) @binding(8) var<storage, read> topk_w : array<f32>;
// Partial sums [S][m][P][N/4] (m: W1, W3 for gemm1; one for gemm2): written by the main
// kernels, read by the finish kernels (one buffer, two bindings).
@group(0) @binding(9) var<storage, read_write> part_w : array<vec4<f32>>;
@group(0) @binding(10) var<storage, read> part_r : array<vec4<f32>>;
// The A rows again as vec4 (K % 4 == 0 and splits start at multiples of 4: aligned).
@group(0) @binding(11) var<storage, read> a4 : array<vec4<f32>>;

override BM : u32;
const RB : u32 = {{RB}}u; // rows per workgroup (≤ T: an expert gets at most T pairs)
const U1 : u32 = {{U1}}u;
const U2 : u32 = {{U2}}u;
const NONE : u32 = 0xffffffffu;

var<workgroup> src_row : array<u32, RB>;
var<workgroup> dst_row : array<u32, RB>;
var<workgroup> info : vec2<u32>; // (rows: last real row + 1, expert)

// The sub-block's rows (source, destination) and expert; rows = 0 when there is nothing to do.
fn setup(block : u32, sub : u32, lid : u32, gather_token : bool) -> vec2<u32> {
  let live = block * BM < layout_meta[6];
  if (lid < RB) {
    var src = NONE;
    var dst = NONE;
    if (live) {
      let id = sorted_ids[block * BM + sub * RB + lid];
      if (id < params.P) {
        src = select(id, id / params.k, gather_token);
        dst = id;
      }
    }
    src_row[lid] = src;
    dst_row[lid] = dst;
  }
  workgroupBarrier();
  if (lid == 0u) {
    var rows = 0u;
    for (var r = 0u; r < RB; r++) {
      if (dst_row[r] != NONE) {
        rows = r + 1u;
      }
    }
    var e = 0u;
    if (live) {
      e = expert_ids[block];
    }
    info = vec2<u32>(rows, e);
  }
  return workgroupUniformLoad(&info);
}

fn part_at(s : u32, m : u32, mats : u32, dst : u32, q : u32) -> u32 {
  return ((s * mats + m) * params.P + dst) * (params.N / 4u) + q;
}

@compute @workgroup_size(256)
fn decode1(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let inf = setup(wid.z, wid.x, lid, true);
  let rows = inf.x;
  let N4 = params.N / 4u;
  let spans = (N4 + 255u) / 256u;
  let split = wid.y / spans;
  let q = (wid.y % spans) * 256u + lid;
  if (rows == 0u || q >= N4) {
    return;
  }
  let K = params.K;
  let k0 = split * params.KB;
  let k1 = min(K, k0 + params.KB);
  var off : array<u32, RB>;
  for (var r = 0u; r < RB; r++) {
    let s = src_row[r];
    off[r] = select(s * K, 0u, s == NONE);
  }
  var acc1 : array<vec4<f32>, RB>;
  var acc3 : array<vec4<f32>, RB>;
  var at = inf.y * K * N4 + k0 * N4 + q;
  var kk = k0;
  while (kk < k1) {
    let kend = wblock_end(kk, k1);
    let s1 = wa4_scale(inf.y, kk, q, K, params.N, params.scale_at);
    let s3 = wb4_scale(inf.y, kk, q, K, params.N, params.scale_at);
    for (; kk + U1 <= kend; kk += U1) {
      var r1 : array<WRaw, U1>;
      var r3 : array<WRaw, U1>;
      for (var j = 0u; j < U1; j++) {
        r1[j] = wa4_raw(at + j * N4);
        r3[j] = wb4_raw(at + j * N4);
      }
      var w1 : array<vec4<f32>, U1>;
      var w3 : array<vec4<f32>, U1>;
      for (var j = 0u; j < U1; j++) {
        w1[j] = w4_value(r1[j], at + j * N4, s1);
        w3[j] = w4_value(r3[j], at + j * N4, s3);
      }
      at += U1 * N4;
      for (var r = 0u; r < RB; r++) {
        if (r < rows) {
          for (var g = 0u; g < U1 / 4u; g++) {
            let xv = a4[(off[r] + kk) / 4u + g];
            for (var j = 0u; j < 4u; j++) {
              acc1[r] += xv[j] * w1[4u * g + j];
              acc3[r] += xv[j] * w3[4u * g + j];
            }
          }
        }
      }
    }
    for (; kk < kend; kk++) {
      let w1 = w4_value(wa4_raw(at), at, s1);
      let w3 = w4_value(wb4_raw(at), at, s3);
      at += N4;
      for (var r = 0u; r < RB; r++) {
        if (r < rows) {
          let xv = a[off[r] + kk];
          acc1[r] += xv * w1;
          acc3[r] += xv * w3;
        }
      }
    }
  }
  // Per-column factors of the weight format (int8: the channel scales), applied once per split.
  let post1 = wa4_post(inf.y, q, params.N, params.scale_at);
  let post3 = wb4_post(inf.y, q, params.N, params.scale_at);
  for (var r = 0u; r < RB; r++) {
    let dst = dst_row[r];
    if (r < rows && dst != NONE) {
      part_w[part_at(split, 0u, 2u, dst, q)] = acc1[r] * post1;
      part_w[part_at(split, 1u, 2u, dst, q)] = acc3[r] * post3;
    }
  }
}

@compute @workgroup_size(256)
fn finish1(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let inf = setup(wid.z, wid.x, lid, true);
  let q = wid.y * 256u + lid;
  if (inf.x == 0u || q >= params.N / 4u) {
    return;
  }
  for (var r = 0u; r < RB; r++) {
    let dst = dst_row[r];
    if (r < inf.x && dst != NONE) {
      var g = vec4<f32>(0.0);
      var u = vec4<f32>(0.0);
      var s = 0u;
      for (; s + 4u <= params.S; s += 4u) {
        var pg : array<vec4<f32>, 4>;
        var pu : array<vec4<f32>, 4>;
        for (var j = 0u; j < 4u; j++) {
          pg[j] = part_r[part_at(s + j, 0u, 2u, dst, q)];
          pu[j] = part_r[part_at(s + j, 1u, 2u, dst, q)];
        }
        g = g + pg[0] + pg[1] + pg[2] + pg[3];
        u = u + pu[0] + pu[1] + pu[2] + pu[3];
      }
      for (; s < params.S; s++) {
        g += part_r[part_at(s, 0u, 2u, dst, q)];
        u += part_r[part_at(s, 1u, 2u, dst, q)];
      }
      let h = g / (vec4<f32>(1.0) + exp(-g)) * u;
      let o = dst * params.N + q * 4u;
      out[o] = h.x;
      out[o + 1u] = h.y;
      out[o + 2u] = h.z;
      out[o + 3u] = h.w;
    }
  }
}

@compute @workgroup_size(256)
fn decode2(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let inf = setup(wid.z, wid.x, lid, false);
  let rows = inf.x;
  let N4 = params.N / 4u;
  let spans = (N4 + 255u) / 256u;
  let split = wid.y / spans;
  let q = (wid.y % spans) * 256u + lid;
  if (rows == 0u || q >= N4) {
    return;
  }
  let K = params.K;
  let k0 = split * params.KB;
  let k1 = min(K, k0 + params.KB);
  var off : array<u32, RB>;
  for (var r = 0u; r < RB; r++) {
    let s = src_row[r];
    off[r] = select(s * K, 0u, s == NONE);
  }
  var acc : array<vec4<f32>, RB>;
  var at = inf.y * K * N4 + k0 * N4 + q;
  var kk = k0;
  while (kk < k1) {
    let kend = wblock_end(kk, k1);
    let s2 = wa4_scale(inf.y, kk, q, K, params.N, params.scale_at);
    for (; kk + U2 <= kend; kk += U2) {
      var raw : array<WRaw, U2>;
      for (var j = 0u; j < U2; j++) {
        raw[j] = wa4_raw(at + j * N4);
      }
      var w : array<vec4<f32>, U2>;
      for (var j = 0u; j < U2; j++) {
        w[j] = w4_value(raw[j], at + j * N4, s2);
      }
      at += U2 * N4;
      for (var r = 0u; r < RB; r++) {
        if (r < rows) {
          for (var g = 0u; g < U2 / 4u; g++) {
            let xv = a4[(off[r] + kk) / 4u + g];
            for (var j = 0u; j < 4u; j++) {
              acc[r] += xv[j] * w[4u * g + j];
            }
          }
        }
      }
    }
    for (; kk < kend; kk++) {
      let w = w4_value(wa4_raw(at), at, s2);
      at += N4;
      for (var r = 0u; r < RB; r++) {
        if (r < rows) {
          acc[r] += a[off[r] + kk] * w;
        }
      }
    }
  }
  let post = wa4_post(inf.y, q, params.N, params.scale_at);
  for (var r = 0u; r < RB; r++) {
    let dst = dst_row[r];
    if (r < rows && dst != NONE) {
      part_w[part_at(split, 0u, 1u, dst, q)] = acc[r] * post;
    }
  }
}

@compute @workgroup_size(256)
fn finish2(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let inf = setup(wid.z, wid.x, lid, false);
  let q = wid.y * 256u + lid;
  if (inf.x == 0u || q >= params.N / 4u) {
    return;
  }
  for (var r = 0u; r < RB; r++) {
    let dst = dst_row[r];
    if (r < inf.x && dst != NONE) {
      var v = vec4<f32>(0.0);
      var s = 0u;
      for (; s + 4u <= params.S; s += 4u) {
        var pv : array<vec4<f32>, 4>;
        for (var j = 0u; j < 4u; j++) {
          pv[j] = part_r[part_at(s + j, 0u, 1u, dst, q)];
        }
        v = v + pv[0] + pv[1] + pv[2] + pv[3];
      }
      for (; s < params.S; s++) {
        v += part_r[part_at(s, 0u, 1u, dst, q)];
      }
      v *= topk_w[dst];
      let o = dst * params.N + q * 4u;
      out[o] = v.x;
      out[o + 1u] = v.y;
      out[o + 2u] = v.z;
      out[o + 3u] = v.w;
    }
  }
}
