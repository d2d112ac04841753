// Grouped GEMM over the blocks align & sort laid out. One workgroup computes a BM × BN tile:
// workgroup_id.y is the block (one expert each, read from expert_ids), workgroup_id.x the
// column tile. A rows are gathered through sorted_ids (no physical permutation); padding slots
// (sentinel P) read zeros and are not stored. Blocks past num_post_pad exit at once (the
// dispatch is indirect anyway, sized by align).
//   gemm1: act[pair] = silu(x[pair / k] · W1[e]) ⊙ (x[pair / k] · W3[e])   (SwiGLU fused)
//   gemm2: out[pair] = topk_w[pair] · (act[pair] · W2[e])   (stored at the pair row: un-permute)
// mode 1 ("dense") runs the same tiles over T plain rows with expert 0 and weight 1: the shared
// expert. {{BM}} and {{BN}} (they size per-thread arrays), {{WEIGHTS}} (the weight format) and
// {{ENABLE}} are template slots and BK an override, all set by src/kernels/pipelines.ts through the
// spec in src/kernels/shaderSpecs.ts.
// Two tiles (MoeLayer's `gemmTile`), each its own pair of entry points:
//   BN = 64:  gemm1 / gemm2, CN = 4 columns a thread, strided by 16 (tid.x + 16c); B read one
//             element at a time (wa_at): any N.
//   BN = 128: gemm1_wide / gemm2_wide, CN = 8 columns a thread as CQ = 2 quads of 4 adjacent
//             columns (quad tid.x + 16j), B read and kept in workgroup memory as vec4 (wa_quad)
//             and accumulated as vec4: twice the outputs a thread, half the workgroup-memory
//             reads per FMA. Needs N % 4 = 0 (every quad starts on a multiple of 4).
// A is gathered one element at a time in both (rows come through sorted_ids).
{{ENABLE}}

struct Params {
  T : u32,
  k : u32,
  P : u32,
  K : u32,
  N : u32,
  mode : u32,
  block_start : u32,
  scale_at : u32, // quantised weights: word where each weight buffer's scales start
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> sorted_ids : array<u32>;
@group(0) @binding(2) var<storage, read> expert_ids : array<u32>;
@group(0) @binding(3) var<storage, read> layout_meta : array<u32>;
@group(0) @binding(4) var<storage, read> a : array<f32>;
// wa (5) and wb (6), quantised ones with their scales from word scale_at on: the {{WEIGHTS}} slot,
// one of shaders/weights_float.wgsl, weights_int8.wgsl, weights_int4.wgsl (wa_at, wb_at).
{{WEIGHTS}}
@group(0) @binding(7) var<storage, read_write> out : array<f32>;
@group(0) @binding(8) var<storage, read> topk_w : array<f32>;

const BM : u32 = {{BM}}u;
const BN : u32 = {{BN}}u; // 64 (gemm1 / gemm2) or 128 (gemm1_wide / gemm2_wide)
// 16, or 8 where 16 would pass 16 KiB of workgroup memory (BM = 128, or BN = 128): pipelines.ts
override BK : u32;
const RM : u32 = BM / 16u; // rows per thread
const CN : u32 = BN / 16u; // columns per thread
const CQ : u32 = CN / 4u; // wide entry points: quads of 4 adjacent columns per thread
const NQ : u32 = BN / 4u; // quads in a tile row
override A_TILE : u32 = BM * BK;
override A_LOADS : u32 = (A_TILE + 255u) / 256u; // BM = 16 at BK = 8: half a load a thread
override B_TILE : u32 = BK * BN;
override B_LOADS : u32 = B_TILE / 256u;
override B_QTILE : u32 = B_TILE / 4u;
override B_QLOADS : u32 = B_QTILE / 256u;
const NONE : u32 = 0xffffffffu;

var<workgroup> a_tile : array<f32, A_TILE>;
// Each entry point uses one pair: gemm1 / gemm2 the scalar tiles, the wide ones the vec4 tiles.
var<workgroup> b1_tile : array<f32, B_TILE>;
var<workgroup> b3_tile : array<f32, B_TILE>;
var<workgroup> b1_quads : array<vec4<f32>, B_QTILE>;
var<workgroup> b3_quads : array<vec4<f32>, B_QTILE>;
var<workgroup> src_row : array<u32, BM>;
var<workgroup> dst_row : array<u32, BM>;
var<workgroup> block_info : vec2<u32>; // (active, expert)

// Resolves the block's expert and each tile row's source / destination row. Returns
// (active, expert), uniform across the workgroup.
fn setup(block : u32, lid : u32, gather_token : bool) -> vec2<u32> {
  let dense = params.mode == 1u;
  if (lid == 0u) {
    var info = vec2<u32>(0u, 0u);
    if (dense) {
      info.x = select(0u, 1u, block * BM < params.T);
    } else if (block * BM < layout_meta[6]) {
      info = vec2<u32>(1u, expert_ids[block]);
    }
    block_info = info;
  }
  if (lid < BM) {
    var src = NONE;
    var dst = NONE;
    if (dense) {
      let row = block * BM + lid;
      if (row < params.T) {
        src = row;
        dst = row;
      }
    } else if (block * BM < layout_meta[6]) {
      let id = sorted_ids[block * BM + lid];
      if (id < params.P) {
        src = select(id, id / params.k, gather_token);
        dst = id;
      }
    }
    src_row[lid] = src;
    dst_row[lid] = dst;
  }
  return workgroupUniformLoad(&block_info);
}

fn load_a(lid : u32, k0 : u32) {
  for (var q = 0u; q < A_LOADS; q++) {
    let idx = lid + q * 256u;
    if (idx >= A_TILE) {
      break;
    }
    let r = idx / BK;
    let kk = k0 + idx % BK;
    let src = src_row[r];
    var v = 0.0;
    if (src != NONE && kk < params.K) {
      v = a[src * params.K + kk];
    }
    a_tile[idx] = v;
  }
}

// Loads a BK × BN tile of one expert's [K, N] weight matrix (f16 widened to f32). Two copies,
// so gemm2's layout does not carry gemm1's second weight binding.
fn load_b1(lid : u32, k0 : u32, n0 : u32, e : u32) {
  let base = e * params.K * params.N;
  for (var q = 0u; q < B_LOADS; q++) {
    let idx = lid + q * 256u;
    let kk = k0 + idx / BN;
    let n = n0 + idx % BN;
    var v = 0.0;
    if (kk < params.K && n < params.N) {
      v = wa_at(base + kk * params.N + n, e, kk, n, params.K, params.N, params.scale_at);
    }
    b1_tile[idx] = v;
  }
}

fn load_b3(lid : u32, k0 : u32, n0 : u32, e : u32) {
  let base = e * params.K * params.N;
  for (var q = 0u; q < B_LOADS; q++) {
    let idx = lid + q * 256u;
    let kk = k0 + idx / BN;
    let n = n0 + idx % BN;
    var v = 0.0;
    if (kk < params.K && n < params.N) {
      v = wb_at(base + kk * params.N + n, e, kk, n, params.K, params.N, params.scale_at);
    }
    b3_tile[idx] = v;
  }
}

@compute @workgroup_size(16, 16)
fn gemm1(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_id) tid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let info = setup(wid.y + params.block_start, lid, true);
  if (info.x == 0u) {
    return;
  }
  let n0 = wid.x * BN;
  var acc1 : array<f32, RM * CN>;
  var acc3 : array<f32, RM * CN>;
  for (var k0 = 0u; k0 < params.K; k0 += BK) {
    load_a(lid, k0);
    load_b1(lid, k0, n0, info.y);
    load_b3(lid, k0, n0, info.y);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      for (var i = 0u; i < RM; i++) {
        let av = a_tile[(tid.y + 16u * i) * BK + kk];
        for (var c = 0u; c < CN; c++) {
          acc1[i * CN + c] += av * b1_tile[kk * BN + tid.x + 16u * c];
          acc3[i * CN + c] += av * b3_tile[kk * BN + tid.x + 16u * c];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RM; i++) {
    let dst = dst_row[tid.y + 16u * i];
    for (var c = 0u; c < CN; c++) {
      let n = n0 + tid.x + 16u * c;
      if (dst != NONE && n < params.N) {
        let g = acc1[i * CN + c];
        out[dst * params.N + n] = g / (1.0 + exp(-g)) * acc3[i * CN + c];
      }
    }
  }
}

@compute @workgroup_size(16, 16)
fn gemm2(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_id) tid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let info = setup(wid.y + params.block_start, lid, false);
  if (info.x == 0u) {
    return;
  }
  let n0 = wid.x * BN;
  var acc : array<f32, RM * CN>;
  for (var k0 = 0u; k0 < params.K; k0 += BK) {
    load_a(lid, k0);
    load_b1(lid, k0, n0, info.y);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      for (var i = 0u; i < RM; i++) {
        let av = a_tile[(tid.y + 16u * i) * BK + kk];
        for (var c = 0u; c < CN; c++) {
          acc[i * CN + c] += av * b1_tile[kk * BN + tid.x + 16u * c];
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RM; i++) {
    let dst = dst_row[tid.y + 16u * i];
    for (var c = 0u; c < CN; c++) {
      let n = n0 + tid.x + 16u * c;
      if (dst != NONE && n < params.N) {
        var w = 1.0;
        if (params.mode == 0u) {
          w = topk_w[dst];
        }
        out[dst * params.N + n] = w * acc[i * CN + c];
      }
    }
  }
}

// Wide tile: a BK × BN tile of one expert's [K, N] weight matrix as quads of 4 adjacent columns
// (wa_quad: one vec4 load for f32 / f16, one u32 for int8, half a u32 for int4). N % 4 = 0, so
// a quad is all inside N or all outside.
fn load_b1_quads(lid : u32, k0 : u32, n0 : u32, e : u32) {
  let base = e * params.K * params.N;
  for (var q = 0u; q < B_QLOADS; q++) {
    let idx = lid + q * 256u;
    let kk = k0 + idx / NQ;
    let n = n0 + 4u * (idx % NQ);
    var v = vec4<f32>(0.0);
    if (kk < params.K && n < params.N) {
      v = wa_quad(base + kk * params.N + n, e, kk, n, params.K, params.N, params.scale_at);
    }
    b1_quads[idx] = v;
  }
}

fn load_b3_quads(lid : u32, k0 : u32, n0 : u32, e : u32) {
  let base = e * params.K * params.N;
  for (var q = 0u; q < B_QLOADS; q++) {
    let idx = lid + q * 256u;
    let kk = k0 + idx / NQ;
    let n = n0 + 4u * (idx % NQ);
    var v = vec4<f32>(0.0);
    if (kk < params.K && n < params.N) {
      v = wb_quad(base + kk * params.N + n, e, kk, n, params.K, params.N, params.scale_at);
    }
    b3_quads[idx] = v;
  }
}

// First column of a thread's quad j in the wide tile.
fn quad_col(n0 : u32, tx : u32, j : u32) -> u32 {
  return n0 + 4u * (tx + 16u * j);
}

@compute @workgroup_size(16, 16)
fn gemm1_wide(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_id) tid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let info = setup(wid.y + params.block_start, lid, true);
  if (info.x == 0u) {
    return;
  }
  let n0 = wid.x * BN;
  var acc1 : array<vec4<f32>, RM * CQ>;
  var acc3 : array<vec4<f32>, RM * CQ>;
  for (var k0 = 0u; k0 < params.K; k0 += BK) {
    load_a(lid, k0);
    load_b1_quads(lid, k0, n0, info.y);
    load_b3_quads(lid, k0, n0, info.y);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var b1 : array<vec4<f32>, CQ>;
      var b3 : array<vec4<f32>, CQ>;
      for (var j = 0u; j < CQ; j++) {
        b1[j] = b1_quads[kk * NQ + tid.x + 16u * j];
        b3[j] = b3_quads[kk * NQ + tid.x + 16u * j];
      }
      for (var i = 0u; i < RM; i++) {
        let av = a_tile[(tid.y + 16u * i) * BK + kk];
        for (var j = 0u; j < CQ; j++) {
          acc1[i * CQ + j] = fma(vec4<f32>(av), b1[j], acc1[i * CQ + j]);
          acc3[i * CQ + j] = fma(vec4<f32>(av), b3[j], acc3[i * CQ + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RM; i++) {
    let dst = dst_row[tid.y + 16u * i];
    for (var j = 0u; j < CQ; j++) {
      let n = quad_col(n0, tid.x, j);
      if (dst != NONE && n < params.N) {
        let g = acc1[i * CQ + j];
        let h = g / (vec4<f32>(1.0) + exp(-g)) * acc3[i * CQ + j];
        let o = dst * params.N + n;
        out[o] = h.x;
        out[o + 1u] = h.y;
        out[o + 2u] = h.z;
        out[o + 3u] = h.w;
      }
    }
  }
}

@compute @workgroup_size(16, 16)
fn gemm2_wide(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(local_invocation_id) tid : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let info = setup(wid.y + params.block_start, lid, false);
  if (info.x == 0u) {
    return;
  }
  let n0 = wid.x * BN;
  var acc : array<vec4<f32>, RM * CQ>;
  for (var k0 = 0u; k0 < params.K; k0 += BK) {
    load_a(lid, k0);
    load_b1_quads(lid, k0, n0, info.y);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var b1 : array<vec4<f32>, CQ>;
      for (var j = 0u; j < CQ; j++) {
        b1[j] = b1_quads[kk * NQ + tid.x + 16u * j];
      }
      for (var i = 0u; i < RM; i++) {
        let av = a_tile[(tid.y + 16u * i) * BK + kk];
        for (var j = 0u; j < CQ; j++) {
          acc[i * CQ + j] = fma(vec4<f32>(av), b1[j], acc[i * CQ + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RM; i++) {
    let dst = dst_row[tid.y + 16u * i];
    for (var j = 0u; j < CQ; j++) {
      let n = quad_col(n0, tid.x, j);
      if (dst != NONE && n < params.N) {
        var w = 1.0;
        if (params.mode == 0u) {
          w = topk_w[dst];
        }
        let h = w * acc[i * CQ + j];
        let o = dst * params.N + n;
        out[o] = h.x;
        out[o + 1u] = h.y;
        out[o + 2u] = h.z;
        out[o + 3u] = h.w;
      }
    }
  }
}
