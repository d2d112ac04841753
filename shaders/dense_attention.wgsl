// Causal attention of each new row over its sequence's cache: one workgroup per (row, head).
// The row at position p sees keys 0…p of its own slot (its own key was written by rope_kv in
// the same submission); scores / sqrt(HD), softmax, · V. Query head h reads kv head
// h / (H / HKV) (grouped-query attention when HKV < H).

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

override H : u32;
override HKV : u32;
override HD : u32;
override CTX : u32;
override TMAX : u32;

@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read> row_info : array<u32>;
@group(0) @binding(2) var<storage, read> q : array<f32>;
@group(0) @binding(3) var<storage, read> k_cache : array<f32>;
@group(0) @binding(4) var<storage, read> v_cache : array<f32>;
@group(0) @binding(5) var<storage, read_write> out : array<f32>;

const WG : u32 = 64u;
var<workgroup> scores : array<f32, CTX>;
var<workgroup> qv : array<f32, HD>;
var<workgroup> red : array<f32, WG>;

fn reduce_max(v : f32, lid : u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      red[lid] = max(red[lid], red[lid + s]);
    }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn reduce_sum(v : f32, lid : u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      red[lid] += red[lid + s];
    }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn attention(@builtin(workgroup_id) wid : vec3<u32>, @builtin(local_invocation_index) lid : u32) {
  let t = wid.x;
  let h = wid.y;
  if (t >= params.rows) {
    return;
  }
  let slot = row_info[TMAX + t];
  let n = row_info[2u * TMAX + t] + 1u;
  let base = (slot * HKV + h / (H / HKV)) * CTX * HD;
  for (var i = lid; i < HD; i += WG) {
    qv[i] = q[(t * H + h) * HD + i];
  }
  workgroupBarrier();
  let scale = 1.0 / sqrt(f32(HD));
  var m = -3.0e38;
  for (var j = lid; j < n; j += WG) {
    var s = 0.0;
    for (var i = 0u; i < HD; i++) {
      s += qv[i] * k_cache[base + j * HD + i];
    }
    s *= scale;
    scores[j] = s;
    m = max(m, s);
  }
  let mx = reduce_max(m, lid);
  var z = 0.0;
  for (var j = lid; j < n; j += WG) {
    let e = exp(scores[j] - mx);
    scores[j] = e;
    z += e;
  }
  let total = reduce_sum(z, lid);
  for (var i = lid; i < HD; i += WG) {
    var acc = 0.0;
    for (var j = 0u; j < n; j++) {
      acc += scores[j] * v_cache[base + j * HD + i];
    }
    out[(t * H + h) * HD + i] = acc / total;
  }
}
