// Router, second half: one workgroup per token. The logits come from `logits`
// (router_logits.wgsl) as S partial sums over splits of D, added here in split order; then
// softmax or sigmoid over the enabled experts, and k rounds of a workgroup argmax (ties to the
// lower index, like the twin) for top-k. Writes the full probabilities (the lab draws them),
// topk_ids and topk_weights.
// Also `densify`: every (token, expert) pair with its gate or 0, for the dense-masked baseline.

struct Params {
  T : u32,
  D : u32,
  E : u32,
  k : u32,
  sigmoid : u32,
  renormalize : u32,
  has_bias : u32,
  splits : u32, // S: partial logits per (token, expert)
}

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(2) var<storage, read> partial : array<f32>; // [S, T, E]
@group(0) @binding(3) var<storage, read> bias : array<f32>;
@group(0) @binding(4) var<storage, read> mask : array<u32>;
@group(0) @binding(5) var<storage, read_write> probs : array<f32>;
@group(0) @binding(6) var<storage, read_write> topk_ids : array<u32>;
@group(0) @binding(7) var<storage, read_write> topk_w : array<f32>;

const WG : u32 = 64u;
const MAX_E : u32 = 512u;
const MAX_K : u32 = 16u;
const LOWEST : f32 = -3.40282346638528859812e38f; // -FLT_MAX

var<workgroup> score : array<f32, MAX_E>;
var<workgroup> key : array<f32, MAX_E>;
var<workgroup> taken : array<u32, MAX_E>;
var<workgroup> chosen_i : array<u32, MAX_K>;
var<workgroup> chosen_w : array<f32, MAX_K>;
var<workgroup> red_v : array<f32, WG>;
var<workgroup> red_i : array<u32, WG>;

// Tree reduction of (red_v, red_i) to slot 0: max value, or sum when `sum` is set.
fn reduce(lid : u32, sum : bool) {
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      let v = red_v[lid + s];
      let i = red_i[lid + s];
      if (sum) {
        red_v[lid] = red_v[lid] + v;
      } else if (v > red_v[lid] || (v == red_v[lid] && i < red_i[lid])) {
        red_v[lid] = v;
        red_i[lid] = i;
      }
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn route(
  @builtin(workgroup_id) wid : vec3<u32>,
  @builtin(num_workgroups) nwg : vec3<u32>,
  @builtin(local_invocation_index) lid : u32,
) {
  let t = wid.y * nwg.x + wid.x;
  if (t >= params.T) {
    return;
  }
  let E = params.E;
  var local_max = LOWEST;
  for (var e = lid; e < E; e += WG) {
    var acc = 0.0;
    var s = 0u;
    let stride = params.T * E;
    for (; s + 4u <= params.splits; s += 4u) {
      let at = (s * params.T + t) * E + e;
      let p = vec4<f32>(partial[at], partial[at + stride], partial[at + 2u * stride], partial[at + 3u * stride]);
      acc = acc + p.x + p.y + p.z + p.w;
    }
    for (; s < params.splits; s++) {
      acc += partial[(s * params.T + t) * E + e];
    }
    score[e] = acc;
    if (mask[e] != 0u) {
      local_max = max(local_max, acc);
    }
  }
  red_v[lid] = local_max;
  red_i[lid] = lid;
  workgroupBarrier();
  reduce(lid, false);
  let m = red_v[0];
  workgroupBarrier();

  // Scores: softmax numerators (normalised below) or sigmoid; 0 for disabled experts.
  var local_sum = 0.0;
  for (var e = lid; e < E; e += WG) {
    var s = 0.0;
    if (mask[e] != 0u) {
      if (params.sigmoid != 0u) {
        s = 1.0 / (1.0 + exp(-score[e]));
      } else {
        s = exp(score[e] - m);
      }
    }
    score[e] = s;
    local_sum += s;
  }
  red_v[lid] = local_sum;
  workgroupBarrier();
  reduce(lid, true);
  let total = red_v[0];
  workgroupBarrier();

  for (var e = lid; e < E; e += WG) {
    var p = score[e];
    if (params.sigmoid == 0u) {
      p = select(0.0, p / total, total > 0.0);
    }
    score[e] = p;
    probs[t * E + e] = p;
    var kv = p;
    if (params.has_bias != 0u) {
      kv = p + bias[e];
    }
    key[e] = select(LOWEST, kv, mask[e] != 0u);
    taken[e] = 0u;
  }
  workgroupBarrier();

  // k rounds of argmax over the experts not taken yet.
  var wsum = 0.0;
  for (var j = 0u; j < params.k; j++) {
    var bv = LOWEST;
    var bi = 0xffffffffu;
    for (var e = lid; e < E; e += WG) {
      if (taken[e] == 0u && (bi == 0xffffffffu || key[e] > bv)) {
        bv = key[e];
        bi = e;
      }
    }
    red_v[lid] = bv;
    red_i[lid] = bi;
    workgroupBarrier();
    // Empty lanes hold (LOWEST, 0xffffffff) and lose every tie to a real expert.
    reduce(lid, false);
    let best = red_i[0];
    wsum += score[best];
    if (lid == 0u) {
      chosen_i[j] = best;
      chosen_w[j] = score[best];
      taken[best] = 1u;
    }
    workgroupBarrier();
  }
  if (lid < params.k) {
    var w = chosen_w[lid];
    if (params.renormalize != 0u) {
      w = select(0.0, w / wsum, wsum > 0.0);
    }
    topk_ids[t * params.k + lid] = chosen_i[lid];
    topk_w[t * params.k + lid] = w;
  }
}

// Dense-masked routing: pair (t, e) for every expert, weighted by its gate when e is among the
// token's top-k and by 0 otherwise. Written as k' = E routing so align and the grouped GEMM run
// unchanged.
@group(0) @binding(8) var<storage, read_write> dense_ids : array<u32>;
@group(0) @binding(9) var<storage, read_write> dense_w : array<f32>;

@compute @workgroup_size(WG)
fn densify(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = gid.y * nwg.x * WG + gid.x;
  let E = params.E;
  if (i >= params.T * E) {
    return;
  }
  let t = i / E;
  let e = i % E;
  var g = 0.0;
  for (var j = 0u; j < params.k; j++) {
    if (topk_ids[t * params.k + j] == e) {
      g = topk_w[t * params.k + j];
    }
  }
  dense_ids[i] = e;
  dense_w[i] = g;
}
