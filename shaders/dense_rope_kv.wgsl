// RoPE (rotate-half) on the fused q|k|v projection rows, and the new keys and values written
// into the sequence's KV cache at their positions. qkv rows: [q (H·HD) | k (HKV·HD) | v (HKV·HD)].
// rot(x)[i] = -x[i + HD/2] for i < HD/2, x[i − HD/2] otherwise; x' = x·cos + rot(x)·sin, with
// the cos/sin table [CTX, HD/2] computed on the host like the exporter's float32 angles.
// Caches: [slots, HKV, CTX, HD].

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
@group(0) @binding(2) var<storage, read> rope : array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> qkv : array<f32>;
@group(0) @binding(4) var<storage, read_write> q : array<f32>;
@group(0) @binding(5) var<storage, read_write> k_cache : array<f32>;
@group(0) @binding(6) var<storage, read_write> v_cache : array<f32>;

@compute @workgroup_size(64)
fn rope_kv(@builtin(global_invocation_id) gid : vec3<u32>) {
  let width = (H + 2u * HKV) * HD;
  let i = gid.x;
  if (i >= params.rows * width) {
    return;
  }
  let t = i / width;
  let c = i % width;
  let slot = row_info[TMAX + t];
  let pos = row_info[2u * TMAX + t];
  let head = c / HD;
  let j = c % HD;
  let half = HD / 2u;
  let row = t * width;
  if (head >= H + HKV) {
    let vh = head - H - HKV;
    v_cache[((slot * HKV + vh) * CTX + pos) * HD + j] = qkv[row + c];
    return;
  }
  let cs = rope[pos * half + j % half];
  var rot : f32;
  if (j < half) {
    rot = -qkv[row + c + half];
  } else {
    rot = qkv[row + c - half];
  }
  let v = qkv[row + c] * cs.x + rot * cs.y;
  if (head < H) {
    q[t * H * HD + c] = v;
  } else {
    k_cache[((slot * HKV + head - H) * CTX + pos) * HD + j] = v;
  }
}
